"""lca room of footprint."""
