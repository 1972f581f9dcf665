"""bom room of footprint."""
