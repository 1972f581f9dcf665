"""web room of footprint."""
