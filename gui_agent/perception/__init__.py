"""Perception: frames in, ``ScreenState`` out. Never moves the mouse."""
