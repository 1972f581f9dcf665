"""A BOM on the shipped open library: climate change covered, 15 categories not covered."""

from __future__ import annotations

import pytest

import footprint


@pytest.fixture(scope="module")
def assessment(bw_module: str, examples_dir):
    engine = footprint.Engine(brightway_project=bw_module, indicators="ef31+ced")
    return engine.assess(examples_dir / "e-bike-battery.xlsx")


def test_fifteen_categories_not_covered_and_the_single_score_partial(assessment) -> None:
    product = assessment.products[0]
    profile = product.impacts
    assert profile is not None
    categories = [i for i in profile.indicators if i.category is not None]
    assert len(categories) == 16
    uncovered = [i for i in categories if i.status == "not covered"]
    assert len(uncovered) == 15
    for item in uncovered:
        assert item.value is None and item.normalised is None and item.weighted is None
        assert item.lines_covered == 0 and item.line_share == 0
        assert all(v is None or v == 0.0 for v in item.by_stage.values())
        assert any(v is None for v in item.by_stage.values())
    climate = profile.indicator("climate-change")
    assert climate.status == "complete" and climate.climate_share == 1.0
    assert climate.value == pytest.approx(product.climate_change.total, rel=1e-12)
    score = profile.single_score
    assert score.status == "partial"
    assert score.included == ["Climate change"]
    assert len(score.missing) == 15 and set(score.missing.values()) == {"not covered"}
    assert score.value == pytest.approx(climate.value / 7553.083162851173 * 0.2106, rel=1e-12)


def test_the_json_carries_every_indicator_with_its_unit(assessment) -> None:
    import json

    document = json.loads(assessment.to_json())
    indicators = document["products"][0]["impacts"]["indicators"]
    assert len(indicators) == 37
    assert all(item["unit"] for item in indicators)
    assert {i["status"] for i in indicators} == {"complete", "not covered"}
