"""EF 3.1 normalisation and weighting, and the single score.

Factors: ``datasets/sources/ef31_normalisation_weighting.csv`` (JRC EF 3.1 workbook; its
``.source.txt`` gives sheet and cell of every number).  The weights there are in percent.
Single score in Pt = Σ over the 16 categories of value / NF × WF / 100.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from footprint.model import IndicatorResult, SingleScore
from footprint.resources import datasets_dir

FACTORS_FILE = "ef31_normalisation_weighting.csv"
FACTORS = (
    "EF 3.1 global normalisation factors per person (JRC EF 3.1 reference package workbook, "
    "2022) and weights with toxicity (Sala et al. 2018, EUR 28562)"
)


@dataclass(frozen=True)
class CategoryFactors:
    category: str
    method: tuple[str, ...]
    unit: str
    normalisation: float  # the unit per person and year
    weight_percent: float


@cache
def category_factors() -> tuple[CategoryFactors, ...]:
    """The 16 EF 3.1 categories with their NF and WF, in the file's order."""
    path = datasets_dir() / "sources" / FACTORS_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            CategoryFactors(
                row["category"],
                tuple(row["brightway_method"].split(" | ")),
                row["unit"],
                float(row["normalisation_factor_per_person"]),
                float(row["weighting_percent_with_toxicity"]),
            )
            for row in csv.DictReader(handle)
        )


@cache
def _by_method() -> dict[tuple[str, ...], CategoryFactors]:
    return {factors.method: factors for factors in category_factors()}


def factors_of(method: Sequence[str]) -> CategoryFactors | None:
    return _by_method().get(tuple(method))


def normalised_and_weighted(result: IndicatorResult) -> IndicatorResult:
    """``result`` with its category, normalised (persons) and weighted (Pt) figures."""
    factors = factors_of(result.method)
    if factors is None:
        return result
    update: dict[str, object] = {"category": factors.category}
    if result.value is not None:
        normalised = result.value / factors.normalisation
        update["normalised"] = normalised
        update["weighted"] = normalised * factors.weight_percent / 100.0
    return result.model_copy(update=update)


def single_score(results: Sequence[IndicatorResult]) -> SingleScore:
    """The single score over the 16 categories; what is missing or partial is named."""
    by_category = {r.category: r for r in results if r.category is not None}
    total = 0.0
    included: list[str] = []
    missing: dict[str, str] = {}
    for factors in category_factors():
        result = by_category.get(factors.category)
        if result is None:
            missing[factors.category] = "not selected"
            continue
        if result.weighted is None:
            missing[factors.category] = "not covered"
            continue
        total += result.weighted
        included.append(factors.category)
        if result.status == "partial":
            missing[factors.category] = (
                f"partly covered ({result.lines_covered} of {result.lines_with_dataset} lines)"
            )
    if not included:
        return SingleScore(status="not available", missing=missing, factors=FACTORS)
    return SingleScore(
        value=total,
        micropoints=total * 1e6,
        status="partial" if missing else "complete",
        included=included,
        missing=missing,
        factors=FACTORS,
    )
