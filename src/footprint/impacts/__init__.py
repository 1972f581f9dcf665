"""The full EF 3.1 profile: every chosen indicator with its coverage, the normalised and
weighted single score, and the PEF most-relevant hotspots."""
