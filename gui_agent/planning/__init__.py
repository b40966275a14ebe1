"""Planning: turn a goal into actions (``actions.py`` is the one vocabulary of planners, demos,
the journal and the UI; ``rules.py`` is the embedded planner that needs no LLM).

Planning never imports Qt or pyautogui: plans are data, so they can be built, validated, shown
for approval and journaled in a process (or a test) that has no display and cannot move the
mouse. Executing them is someone else's job.
"""
