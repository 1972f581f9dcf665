"""PEF data quality rating (DQR) of a product's result.

DQR of a dataset = (TeR + GeR + TiR + P) / 4, each criterion scored 1 (best) … 5 (worst).
A product's DQR is the contribution-weighted average over its most relevant lines: the lines
that, largest first, make up the cumulative share of the climate-change result given in
``datasets/pef/relevance_threshold.csv``; their weights are their contributions rescaled to
sum to 1.  Lines whose dataset has no scores are left out, and ``coverage`` says how much of
the result the rating speaks for.  Levels come from ``datasets/pef/dqr_levels.csv``; the exact
mean is classified, never a rounded one.  A proxy (a dataset standing for something else, such
as a whole product per kg used for one product or part) carries TeR 5, the PEF score of a
technology different from the dataset's (``datasets/pef/dqr_technology.csv``, explained in
docs/data-quality.md), so the product's DQR weighs it as such.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from footprint.model import DataQuality, DataQualityResult
from footprint.resources import pef_parameters_dir


@dataclass(frozen=True)
class ScoredContribution:
    """One line's absolute contribution to the result and its dataset's quality scores."""

    contribution: float
    quality: DataQuality | None


@cache
def _levels() -> tuple[tuple[str, float], ...]:
    with (pef_parameters_dir() / "dqr_levels.csv").open(encoding="utf-8", newline="") as f:
        rows = [(r["level"], float(r["max_dqr"])) for r in csv.DictReader(f)]
    return tuple(sorted(rows, key=lambda r: r[1]))


@cache
def _relevance_share() -> float:
    path = pef_parameters_dir() / "relevance_threshold.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["parameter"] == "most_relevant_cumulative_share":
                return float(row["value"])
    raise LookupError(f"{path} has no most_relevant_cumulative_share")


@cache
def technology_scores() -> dict[str, int]:
    """TeR by kind of dataset (specific, average, similar, proxy) on the PEF scale, from
    ``datasets/pef/dqr_technology.csv``: a proxy, a dataset standing for something else, 5."""
    path = pef_parameters_dir() / "dqr_technology.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {r["kind"]: int(r["ter"]) for r in csv.DictReader(f)}


def relevance_share() -> float:
    """The PEF most-relevant cumulative share (0.8), from ``relevance_threshold.csv``."""
    return _relevance_share()


def dqr_level(dqr: float) -> str:
    """The PEF quality level of a DQR (closed upper bounds: 1.5 is Excellent)."""
    for level, upper in _levels():
        if dqr <= upper:
            return level
    return _levels()[-1][0]


def product_data_quality(items: Sequence[ScoredContribution]) -> DataQualityResult:
    return data_quality_of([i.contribution for i in items], [i.quality for i in items])


def data_quality_of(
    contributions: Sequence[float], qualities: Sequence[DataQuality | None]
) -> DataQualityResult:
    """``product_data_quality`` of lines given as two columns: each line's contribution and
    its dataset's quality scores (None: none)."""
    sizes = [abs(c) for c in contributions]
    total = sum(sizes)
    if total == 0:
        return DataQualityResult()
    if not any(quality is not None and quality.dqr is not None for quality in qualities):
        return DataQualityResult(coverage=0.0)  # what the ranking below comes to
    ranked = sorted(range(len(sizes)), key=sizes.__getitem__, reverse=True)  # stable
    threshold = _relevance_share() * total
    scored: list[tuple[float, DataQuality]] = []
    cumulative = 0.0
    for k in ranked:
        if cumulative >= threshold:
            break
        quality = qualities[k]
        if quality is not None and quality.dqr is not None:
            scored.append((sizes[k], quality))
        cumulative += sizes[k]
    weight_sum = sum(size for size, _ in scored)
    if weight_sum == 0:
        return DataQualityResult(coverage=0.0)

    def weighted(criterion: str) -> float:
        return sum(size * getattr(quality, criterion) for size, quality in scored) / weight_sum

    criteria = {name: weighted(name) for name in ("ter", "ger", "tir", "p")}
    dqr = sum(criteria.values()) / 4
    return DataQualityResult(
        dqr=dqr,
        level=dqr_level(dqr),
        coverage=weight_sum / total,
        **criteria,
    )
