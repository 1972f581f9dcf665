"""Ranges of BOM parameters that come from the PEF method, read from ``parameter_ranges.csv``.

A value outside its range is still read; the reader warns (the file's ``outside`` column).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("parameter_ranges.csv")


@dataclass(frozen=True)
class ParameterRange:
    parameter: str
    minimum: float
    maximum: float
    source: str


@lru_cache(maxsize=1)
def parameter_ranges() -> dict[str, ParameterRange]:
    with _FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["parameter"]: ParameterRange(
                row["parameter"], float(row["minimum"]), float(row["maximum"]), row["source"]
            )
            for row in csv.DictReader(handle)
        }
