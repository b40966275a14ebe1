"""Fixture GUI applications (PySide6) that tests and benchmarks drive on a private Xvfb."""
