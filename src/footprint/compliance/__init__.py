"""compliance room of footprint."""
