"""CLI commands of this room (registered on the main app by `footprint.cli`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``app``."""
