"""The agent loop's bookkeeping: the per-session journal lives here.

The loop itself (capture → perceive → plan → gate → execute → verify) journals every step
through :mod:`gui_agent.agent.journal`, so a crash loses at most the step in flight, past
sessions can be listed and shown, and undo can walk back through what was done.
"""
