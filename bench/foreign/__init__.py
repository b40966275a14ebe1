"""The foreign-toolkit grounding suite: Tk/ttk apps and HTML pages in Chromium, with ground
truth from each toolkit's own geometry, scored like the Qt fixture suite."""
