"""Training-data tools for the UI-element detector (synthetic screens of real Qt widgets)."""
