"""Per product: every chosen indicator, summed over the lines whose dataset characterises it.

Coverage, line by line (``covers``):
- a line linked to a Brightway activity (``<database>::<code>``): covered for every
  indicator — the project's database and methods characterise its whole supply chain;
- a line linked to a catalog dataset: covered for climate change and its sub-indicators
  (what the shipped library and dataset files give), for ``ced-total`` when the dataset
  gives a cumulative energy demand, and for nothing else.  A catalog dataset whose
  ``inputs`` name Brightway activities is still not covered for the other categories: its
  own part is unknown there.

An uncovered line is left out of the indicator's sum and counted in its coverage; it never
adds 0.  Figures are per functional unit on the cut-off basis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from footprint.impacts.weighting import normalised_and_weighted, single_score
from footprint.lca.engine import LcaEngine
from footprint.lca.indicators import Indicator
from footprint.link import LinkedLine, LinkedProduct
from footprint.model import STAGES, CoverageStatus, ImpactProfile, IndicatorResult, Stage

CLIMATE_FAMILY = frozenset(
    (
        "climate-change",
        "climate-change-fossil",
        "climate-change-biogenic",
        "climate-change-land-use-and-land-use-change",
    )
)
CED_TOTAL = "ced-total"


def covers(line: LinkedLine, indicator: Indicator) -> bool:
    """Whether the line's dataset characterises ``indicator`` (see the module docstring)."""
    if line.record is None:
        return line.activity is not None
    if indicator.id in CLIMATE_FAMILY:
        return True
    if indicator.id == CED_TOTAL:
        return getattr(line.record, "cumulative_energy_demand", None) is not None
    return False


def coverage_matrix(lines: Sequence[LinkedLine], indicators: Sequence[Indicator]) -> np.ndarray:
    """lines × indicators, True where covered."""
    return np.array([[covers(line, i) for i in indicators] for line in lines], dtype=bool).reshape(
        len(lines), len(indicators)
    )


def impact_profiles(
    linked: Sequence[LinkedProduct],
    lca: LcaEngine,
    indicators: Sequence[Indicator],
    reference: Callable[[LinkedLine], str],
) -> list[ImpactProfile]:
    """One profile per product, in order; ``reference``: the scored reference of a line."""
    lca.require(indicators)
    profiles = []
    for item in linked:
        lines = [line for line in item.lines if line.dataset is not None]
        flow = item.product.reference_flow
        references = [reference(line) for line in lines]
        amounts = np.array([line.amount * flow for line in lines], dtype=float)
        if lines:
            scores = lca.indicator_scores(references, indicators)
            climate = lca.scores(references)[:, 0] * amounts
        else:
            scores = np.zeros((0, len(indicators)))
            climate = np.zeros(0)
        figures = amounts[:, None] * scores
        covered = coverage_matrix(lines, indicators)
        stages = [line.line.stage for line in lines]
        results = [
            normalised_and_weighted(
                _indicator_result(ind, figures[:, k], covered[:, k], climate, stages)
            )
            for k, ind in enumerate(indicators)
        ]
        profiles.append(ImpactProfile(indicators=results, single_score=single_score(results)))
    return profiles


def _indicator_result(
    indicator: Indicator,
    figures: np.ndarray,
    covered: np.ndarray,
    climate: np.ndarray,
    stages: Sequence[Stage],
) -> IndicatorResult:
    count = len(figures)
    n_covered = int(covered.sum())
    status: CoverageStatus
    if count and n_covered == count:
        status = "complete"
    elif n_covered:
        status = "partial"
    else:
        status = "not covered"
    value = float(figures[covered].sum()) if n_covered else None
    climate_all = float(np.abs(climate).sum())
    climate_share = float(np.abs(climate[covered]).sum()) / climate_all if climate_all else None
    by_stage: dict[Stage, float | None] = {}
    for stage in STAGES:
        in_stage = np.array([s == stage for s in stages], dtype=bool).reshape(count)
        if not in_stage.any():
            by_stage[stage] = 0.0  # no line in this stage: nothing there, truly
        elif (in_stage & covered).any():
            by_stage[stage] = float(figures[in_stage & covered].sum())
        else:
            by_stage[stage] = None  # lines there, none characterised
    return IndicatorResult(
        id=indicator.id,
        name=indicator.name,
        method=list(indicator.method),
        unit=indicator.unit,
        value=value,
        status=status,
        lines_with_dataset=count,
        lines_covered=n_covered,
        line_share=n_covered / count if count else None,
        climate_share=climate_share,
        by_stage=by_stage,
    )
