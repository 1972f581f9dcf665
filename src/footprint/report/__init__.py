"""report room of footprint."""
