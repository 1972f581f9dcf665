"""Normalisation, weighting and the single score by hand from the JRC NF/WF table."""

from __future__ import annotations

import csv

import pytest

from footprint.impacts.weighting import normalised_and_weighted, single_score
from footprint.lca.indicators import parse_selection
from footprint.model import IndicatorResult
from footprint.resources import datasets_dir


def _result(method: tuple[str, ...], value: float | None, status: str = "complete"):
    return IndicatorResult(
        id="x", name="x", method=list(method), unit="u", value=value, status=status,
        lines_with_dataset=2, lines_covered=2 if status == "complete" else 1,
    )  # fmt: skip


def test_the_shipped_table_is_the_shared_source_file() -> None:
    rows = list(
        csv.DictReader((datasets_dir() / "sources/ef31_normalisation_weighting.csv").open())
    )
    assert len(rows) == 16
    assert sum(float(r["weighting_percent_with_toxicity"]) for r in rows) == pytest.approx(100)


def test_single_score_by_hand() -> None:
    # values per FU of a product; NF (per person) and WF (%) typed from the source rows
    climate = ("EF v3.1", "climate change", "global warming potential (GWP100)")
    acid = ("EF v3.1", "acidification", "accumulated exceedance (AE)")
    water = ("EF v3.1", "water use",
             "user deprivation potential (deprivation-weighted water consumption)")  # fmt: skip
    results = [
        normalised_and_weighted(_result(climate, 120.0)),
        normalised_and_weighted(_result(acid, 0.5)),
        normalised_and_weighted(_result(water, 30.0, "partial")),
    ]
    expected_cc = 120.0 / 7553.083162851173 * 0.2106
    expected_ac = 0.5 / 55.569541230601935 * 0.0620
    expected_wu = 30.0 / 11468.708640759718 * 0.0851
    assert results[0].category == "Climate change"
    assert results[0].normalised == pytest.approx(120.0 / 7553.083162851173, rel=1e-15)
    assert results[0].weighted == pytest.approx(expected_cc, rel=1e-14)
    score = single_score(results)
    assert score.value == pytest.approx(expected_cc + expected_ac + expected_wu, rel=1e-14)
    assert score.micropoints == pytest.approx(score.value * 1e6)
    assert score.status == "partial"
    assert score.included == ["Climate change", "Acidification", "Water use"]
    assert score.missing["Water use"] == "partly covered (1 of 2 lines)"
    assert score.missing["Land use"] == "not selected"
    assert len(score.missing) == 14


def test_all_sixteen_covered_is_complete() -> None:
    results = [normalised_and_weighted(_result(i.method, 1.0)) for i in parse_selection("ef31")]
    score = single_score(results)
    assert score.status == "complete" and not score.missing
    assert len(score.included) == 16
    sub = [r for r in results if r.category is None]
    assert len(sub) == 9 and all(r.weighted is None for r in sub)  # sub-indicators: no NF


def test_uncovered_category_is_missing_not_zero() -> None:
    climate = ("EF v3.1", "climate change", "global warming potential (GWP100)")
    acid = ("EF v3.1", "acidification", "accumulated exceedance (AE)")
    results = [
        normalised_and_weighted(_result(climate, 10.0)),
        normalised_and_weighted(_result(acid, None, "not covered")),
    ]
    assert results[1].normalised is None and results[1].weighted is None
    score = single_score(results)
    assert score.missing["Acidification"] == "not covered"
    assert score.value == pytest.approx(10.0 / 7553.083162851173 * 0.2106)
