"""Screen capture and frame comparison."""
