"""What is known of the elements in a BOM line: declared, computed from a chemistry, or unknown.

    line_composition(bom_line, dataset)  → Composition | None   (None: unknown)
    chemistry_shares("NMC811")           → {"Li": 0.07134, "Ni": 0.4827, …}
    carrier(family, dataset_id)          → Carrier | None       (may carry regulated elements)

A line's composition is its BOM ``composition`` (element mass shares of the line), else the
shares of its BOM ``chemistry`` (formula atoms × standard atomic weights, both in data files
with their source: ``datasets/composition/chemistries.csv``,
``datasets/sources/atomic_weights.csv``), else its dataset's ``composition``.  An empty
composition is *unknown*, never "contains nothing": ``element_carriers.csv`` lists the families
whose unknown composition can hide a regulated element, so that the checks say so.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from footprint.model import BomLine, Dataset
from footprint.resources import datasets_dir

_PAIR = re.compile(r"^\s*([A-Z][a-z]?)\s*[:=]?\s*([0-9.,]+)\s*(%?)\s*$")


@dataclass(frozen=True)
class Composition:
    """Element mass fractions of a line and where they come from."""

    fractions: dict[str, float]
    origin: str  # "BOM composition", "chemistry NMC811", "dataset metal-cobalt"


@dataclass(frozen=True)
class Chemistry:
    name: str
    role: str  # cathode or anode
    formula: str
    shares: dict[str, float]


@dataclass(frozen=True)
class Carrier:
    """A family (or dataset-id prefix) whose lines can carry regulated elements."""

    elements: frozenset[str]  # symbols; {"*"} = any element
    active_material: str  # yes, no, contains
    note: str

    def may_carry(self, element: str) -> bool:
        return "*" in self.elements or element in self.elements


def _data(*parts: str) -> Path:
    return datasets_dir().joinpath(*parts)


@lru_cache(maxsize=1)
def atomic_weights() -> dict[str, float]:
    with _data("sources", "atomic_weights.csv").open(encoding="utf-8") as handle:
        return {r["symbol"]: float(r["atomic_weight"]) for r in csv.DictReader(handle)}


def shares_from_atoms(atoms: dict[str, Fraction]) -> dict[str, float]:
    """Element mass shares of a formula: n_e·A_e / Σ n·A."""
    weights = atomic_weights()
    masses = {symbol: float(n) * weights[symbol] for symbol, n in atoms.items()}
    total = sum(masses.values())
    return {symbol: mass / total for symbol, mass in masses.items()}


@lru_cache(maxsize=1)
def chemistries() -> dict[str, Chemistry]:
    """Known chemistries by normalised name and alias."""
    found: dict[str, Chemistry] = {}
    with _data("composition", "chemistries.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            atoms = {
                symbol.strip(): Fraction(count.strip())
                for symbol, count in (pair.split(":") for pair in row["atoms"].split(";"))
            }
            chemistry = Chemistry(
                row["chemistry"], row["role"], row["formula"], shares_from_atoms(atoms)
            )
            for name in [row["chemistry"], *row["aliases"].split(";")]:
                if name.strip():
                    found[_key(name)] = chemistry
    return found


def find_chemistry(name: str) -> Chemistry | None:
    return chemistries().get(_key(name))


def chemistry_names() -> list[str]:
    return sorted({c.name for c in chemistries().values()})


def closest_chemistries(name: str) -> list[str]:
    by_key = {_key(c): c for c in chemistry_names()}
    return [by_key[k] for k in difflib.get_close_matches(_key(name), list(by_key), 3, 0.5)]


def chemistry_shares(name: str) -> dict[str, float]:
    chemistry = find_chemistry(name)
    if chemistry is None:
        raise KeyError(name)
    return dict(chemistry.shares)


@lru_cache(maxsize=1)
def _carriers() -> tuple[dict[str, Carrier], list[tuple[str, Carrier]]]:
    families: dict[str, Carrier] = {}
    prefixes: list[tuple[str, Carrier]] = []
    with _data("composition", "element_carriers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = Carrier(frozenset(row["elements"].split()), row["active_material"], row["note"])
            if row["match"] == "family":
                families[row["value"].lower()] = entry
            else:
                prefixes.append((row["value"], entry))
    return families, prefixes


def carrier(family: str | None, dataset_id: str | None) -> Carrier | None:
    """What ``element_carriers.csv`` says of a line's family or dataset, if anything."""
    families, prefixes = _carriers()
    if family and family.lower() in families:
        return families[family.lower()]
    for prefix, entry in prefixes:
        if dataset_id and dataset_id.startswith(prefix):
            return entry
    return None


def line_composition(bom_line: BomLine | None, dataset: Dataset | None) -> Composition | None:
    """The line's element fractions and their origin; None when nothing is known."""
    if bom_line is not None and bom_line.composition:
        return Composition(dict(bom_line.composition), "BOM composition")
    if bom_line is not None and bom_line.chemistry:
        chemistry = find_chemistry(bom_line.chemistry)
        if chemistry is not None:
            return Composition(dict(chemistry.shares), f"chemistry {chemistry.name}")
    if dataset is not None and dataset.composition:
        return Composition(dict(dataset.composition), f"dataset {dataset.id}")
    return None


def parse_composition(text: str) -> dict[str, float]:
    """``"Co 6.1 %, Ni 48.6 %"`` or ``"Co:0.061; Ni:0.486"`` → {"Co": 0.061, "Ni": 0.486}.

    Raises ``ValueError`` with what is wrong and what would be valid."""
    valid = 'write element shares of the line, e.g. "Co 6.1 %, Ni 48.6 %, Li 7.2 %"'
    out: dict[str, float] = {}
    parts = [p for p in re.split(r";|,(?!\d)", text) if p.strip()]
    if not parts:
        raise ValueError(f"empty composition; {valid}")
    for part in parts:
        match = _PAIR.match(part)
        if match is None:
            raise ValueError(f"{part.strip()!r} is not an element and a share; {valid}")
        symbol, number, percent = match.groups()
        value = float(number.replace(",", "."))
        share = value / 100 if percent else value
        if not 0 <= share <= 1:
            raise ValueError(f"{symbol} {number}{percent}: a share is from 0 to 1 (or 0–100 %)")
        if symbol in out:
            raise ValueError(f"{symbol} is given twice")
        out[symbol] = share
    if sum(out.values()) > 1 + 1e-6:
        raise ValueError(f"the shares add up to {sum(out.values()):.4g}; they cannot exceed 100 %")
    return out


def parse_yes_no(text: str) -> bool:
    key = text.strip().lower()
    if key in ("yes", "y", "true", "1", "x"):
        return True
    if key in ("no", "n", "false", "0"):
        return False
    raise ValueError(f"{text!r} is not yes or no")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())
