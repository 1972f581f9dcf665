"""The indicators footprint computes: EF 3.1 climate change always, and on request every other
EF v3.1 method and the Cumulative Energy Demand methods bw2io ships.

``indicators.csv`` (next to this module, with its ``.source.txt``) lists the methods of bw2io's
``lcia_39_ecoinvent.zip``: id, family (``ef31`` / ``ced``), method tuple and unit.  A selection
is written ``climate`` (the default: climate change only, as footprint always computes it),
``ef31``, ``ced``, ``ef31+ced``, or ids and family names joined by ``,`` or ``+``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from footprint.errors import FootprintError, Problem

_REGISTRY = Path(__file__).with_name("indicators.csv")
CLIMATE = "climate"
FAMILIES = ("ef31", "ced")
SELECTIONS = (CLIMATE, *FAMILIES, "ef31+ced")
DEFAULT_SELECTION = CLIMATE


@dataclass(frozen=True)
class Indicator:
    """One indicator: a Brightway LCIA method shipped by bw2io."""

    id: str
    family: str
    method: tuple[str, ...]
    unit: str

    @property
    def name(self) -> str:
        """Readable name: the method's category, e.g. "climate change: fossil"."""
        return self.method[1] if self.family == "ef31" else f"CED, {self.method[1]}"


@cache
def all_indicators() -> tuple[Indicator, ...]:
    with _REGISTRY.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Indicator(row["id"], row["family"], tuple(row["method"].split(" | ")), row["unit"])
            for row in csv.DictReader(handle)
        )


@cache
def _by_id() -> dict[str, Indicator]:
    return {indicator.id: indicator for indicator in all_indicators()}


def indicator(indicator_id: str) -> Indicator:
    return _by_id()[indicator_id]


def known_names() -> list[str]:
    """What a selection may name: the groups, then every indicator id."""
    return [*SELECTIONS, *_by_id()]


def parse_selection(text: str | Sequence[str] | None) -> tuple[Indicator, ...]:
    """The indicators of a selection, in registry order; () for ``climate`` (the default).

    Unknown names are one error naming them all, with the names that are known.
    """
    if text is None:
        return ()
    parts = [text] if isinstance(text, str) else list(text)
    names = [n.strip() for part in parts for n in part.replace("+", ",").split(",") if n.strip()]
    unknown = [n for n in names if n != CLIMATE and n not in FAMILIES and n not in _by_id()]
    if unknown:
        raise FootprintError(
            Problem(
                f"unknown indicator {', '.join(map(repr, unknown))} (known: "
                + ", ".join(known_names())
                + ")"
            )
        )
    wanted: set[str] = set()
    if CLIMATE in names and len(set(names)) > 1:  # climate beside others: in the profile too
        wanted.add("climate-change")
    for name in names:
        if name in FAMILIES:
            wanted.update(i.id for i in all_indicators() if i.family == name)
        elif name != CLIMATE:
            wanted.add(name)
    return tuple(i for i in all_indicators() if i.id in wanted)
