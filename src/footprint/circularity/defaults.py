"""Per-material-family defaults of the CFF and MCI (``datasets/circularity/material_defaults.csv``).

One row per (material family, parameter): a number (A, R2, Qsin/Qp, EC …) or the catalog id of
the dataset that stands for an E term of the CFF (Ev, Erecycled, ED …), each with its source
and verification tag ([V] verified, [S] third-party only, [M] modelling choice, not verified;
see the folder's README).  Family ``*`` holds values that apply to every family lacking its own
row.  Parameter names are the BOM's column names (``CircularityParameters``) so that a default and
its override read alike; the E terms use the names in ``DATASET_TERMS``.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from footprint.errors import DatasetError, Problem, ProblemCollector
from footprint.model import CIRCULARITY_PARAMETER_NAMES
from footprint.resources import datasets_dir

ANY_FAMILY = "*"
TAGS = ("V", "S", "M")

#: The E terms of the CFF that a family maps to a dataset, with their PEF symbols.
DATASET_TERMS: dict[str, str] = {
    "ev": "Ev",
    "erecycled": "Erecycled",
    "erecycling_eol": "ErecyclingEoL",
    "ev_star": "E*v",
    "eer": "EER",
    "ed": "ED",
    "ese_heat": "ESE,heat",
    "ese_elec": "ESE,elec",
}

#: How each numeric parameter is bounded: a share in [0, 1], a ratio > 0, or a value ≥ 0.
_SHARES = {
    "recycled_content",
    "recycled_content_post_consumer",
    "eol_recycling_rate",
    "eol_energy_recovery_rate",
    "cff_a",
    "cff_b",
    "cff_xer_heat",
    "cff_xer_elec",
    "reuse_share",
    "eol_reuse_rate",
    "recycling_efficiency_eol",
    "recycling_efficiency_feedstock",
}
_RATIOS = {"cff_qsin_qp", "cff_qsout_qp"}
_NON_NEGATIVE = {"cff_lhv"}
_COLUMNS = ("material", "parameter", "value", "unit", "source", "tag", "note")


def bound_problem(parameter: str, value: float) -> str | None:
    """Why ``value`` is not valid for ``parameter`` (shares, ratios, LHV), or None."""
    if not math.isfinite(value):
        return f"{value} is not a finite number"
    if parameter in _SHARES and not 0 <= value <= 1:
        return f"{value:g} is outside 0–1 (a share)"
    if parameter in _RATIOS and value <= 0:
        return f"{value:g} must be > 0 (a quality ratio)"
    if parameter in _NON_NEGATIVE and value < 0:
        return f"{value:g} must be ≥ 0"
    return None


@dataclass(frozen=True)
class DefaultValue:
    """One row of the defaults file."""

    material: str
    parameter: str
    value: float | str  # a number, or a dataset id for an E term
    source: str
    tag: str  # V, S or M
    note: str
    row: int

    @property
    def citation(self) -> str:
        return f"{self.source} [{self.tag}]"


class MaterialDefaults:
    """The defaults file, looked up by family and parameter."""

    def __init__(self, rows: list[DefaultValue], path: Path) -> None:
        self.path = path
        self.rows = rows
        self._by_key = {(r.material, r.parameter): r for r in rows}

    @property
    def families(self) -> set[str]:
        return {r.material for r in self.rows if r.material != ANY_FAMILY}

    def get(self, material: str | None, parameter: str) -> DefaultValue | None:
        """The family's own row, else the ``*`` row, else None."""
        if material is not None:
            own = self._by_key.get((material.lower(), parameter))
            if own is not None:
                return own
        return self._by_key.get((ANY_FAMILY, parameter))

    def dataset_rows(self) -> list[DefaultValue]:
        return [r for r in self.rows if r.parameter in DATASET_TERMS]


def default_path() -> Path:
    return datasets_dir() / "circularity" / "material_defaults.csv"


@lru_cache(maxsize=4)
def load_material_defaults(path: Path | None = None) -> MaterialDefaults:
    """Read and check the defaults file; every problem of the file is reported together."""
    path = path or default_path()
    problems = ProblemCollector()
    rows: list[DefaultValue] = []
    seen: dict[tuple[str, str], int] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DatasetError([_problem(path, 1, None, f"missing column(s) {', '.join(missing)}")])
        for number, record in enumerate(reader, start=2):
            row = _read_row(path, number, record, problems)
            if row is None:
                continue
            key = (row.material, row.parameter)
            if key in seen:
                problems.add(
                    f"{row.parameter} of {row.material} is also on row {seen[key]}",
                    file=str(path),
                    row=number,
                    column="parameter",
                )
                continue
            seen[key] = number
            rows.append(row)
    _check_exclusive_routes(path, rows, problems)
    problems.raise_if_any(DatasetError)
    return MaterialDefaults(rows, path)


def _problem(path: Path, row: int, column: str | None, message: str) -> Problem:
    return Problem(message, file=str(path), row=row, column=column)


def _read_row(
    path: Path, number: int, record: dict[str, str | None], problems: ProblemCollector
) -> DefaultValue | None:
    def text(column: str) -> str:
        return (record.get(column) or "").strip()

    def add(column: str, message: str) -> None:
        problems.add(message, file=str(path), row=number, column=column)

    material, parameter, raw = text("material").lower(), text("parameter"), text("value")
    before = len(problems.problems)
    if not material:
        add("material", "empty; give a material family or * for every family")
    if parameter not in CIRCULARITY_PARAMETER_NAMES and parameter not in DATASET_TERMS:
        valid = ", ".join([*CIRCULARITY_PARAMETER_NAMES, *DATASET_TERMS])
        add("parameter", f"{parameter!r} is not a parameter; valid: {valid}")
    if not text("source"):
        add("source", "empty; every default needs its source")
    if text("tag") not in TAGS:
        add("tag", f"{text('tag')!r} is not a verification tag; valid: V, S, M")
    value: float | str = raw
    if parameter in CIRCULARITY_PARAMETER_NAMES:
        try:
            value = float(raw)
        except ValueError:
            add("value", f"{raw!r} is not a number")
        else:
            why = bound_problem(parameter, value)
            if why:
                add("value", why)
    elif not raw:
        add("value", "empty; give the catalog id of the dataset")
    if len(problems.problems) > before:
        return None
    return DefaultValue(
        material, parameter, value, text("source"), text("tag"), text("note"), number
    )


def _check_exclusive_routes(
    path: Path, rows: list[DefaultValue], problems: ProblemCollector
) -> None:
    """R2 + R3 ≤ 1 for each family's defaults (recycling and energy recovery exclude each other)."""
    by_key = {(r.material, r.parameter): r for r in rows}
    for material in {r.material for r in rows}:
        r2 = by_key.get((material, "eol_recycling_rate")) or by_key.get(
            (ANY_FAMILY, "eol_recycling_rate")
        )
        r3 = by_key.get((material, "eol_energy_recovery_rate")) or by_key.get(
            (ANY_FAMILY, "eol_energy_recovery_rate")
        )
        if r2 and r3 and float(r2.value) + float(r3.value) > 1 + 1e-12:
            problems.add(
                f"R2 + R3 of {material} is {float(r2.value) + float(r3.value):g} > 1",
                file=str(path),
                row=max(r2.row, r3.row),
                column="value",
            )
