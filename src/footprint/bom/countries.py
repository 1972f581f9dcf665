"""ISO 3166-1 alpha-2 country codes, from the shipped datasets/sources/iso3166_country_codes.csv."""

from __future__ import annotations

import csv
from functools import lru_cache

from footprint.resources import datasets_dir


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """(alpha-2 → name, lower-case name or alpha-3 → alpha-2)."""
    path = datasets_dir() / "sources" / "iso3166_country_codes.csv"
    names: dict[str, str] = {}
    lookup: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[row["alpha_2"]] = row["name"]
            lookup[row["name"].lower()] = row["alpha_2"]
            lookup[row["alpha_3"].lower()] = row["alpha_2"]
    return names, lookup


def is_country_code(code: str) -> bool:
    return code.upper() in _table()[0]


def suggest_country_code(text: str) -> str | None:
    """The alpha-2 code for a country name or alpha-3 code ("Germany", "DEU" → "DE")."""
    return _table()[1].get(text.strip().lower())
