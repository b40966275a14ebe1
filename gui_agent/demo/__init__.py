"""Record a demonstration and play it back, re-located by vision."""
