"""Where the shipped data lives: ``datasets/`` and ``templates/``.

In a wheel they are packaged under ``footprint/_data/``; in a source checkout (editable
install, tests) they are the repository's top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"footprint's shipped folder {name!r} is missing from this install")


def datasets_dir() -> Path:
    return _shipped("datasets")


def templates_dir() -> Path:
    return _shipped("templates")


def rules_dir() -> Path:
    return templates_dir() / "rules"


def pef_parameters_dir() -> Path:
    """PEF method parameters (data-quality levels, relevance threshold) with their sources."""
    return datasets_dir() / "pef"
