"""circularity room of footprint."""
