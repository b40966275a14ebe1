"""Unattended runs on virtual displays."""
