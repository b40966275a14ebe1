"""Screens from toolkits gui-agent's developers did not make (Tk, HTML in Chromium), each
reporting its own widget geometry, for the foreign-toolkit grounding bench and its tests."""
