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
    assert {i["status"] for i in indicators} == {"complete", "partial", "not covered"}
    # only the metal lines carry an energy demand (Nuss & Eckelman 2014)
    assert [i["id"] for i in indicators if i["status"] == "partial"] == ["ced-total"]


def test_workbook_impacts_and_most_relevant_sheets(bw_module: str, examples_dir, tmp_path) -> None:
    import openpyxl

    engine = footprint.Engine(brightway_project=bw_module, indicators="ef31")
    assessment = engine.assess(examples_dir / "e-bike-battery.xlsx", hotspots=True)
    path = assessment.to_excel(tmp_path / "profile.xlsx")
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook["Impacts"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    column = {name: header.index(name) for name in header}
    product = assessment.products[0]
    categories = [r for r in body if r[column["EF 3.1 category"]] and r[1] != "single score"]
    assert len(categories) == 16
    uncovered = [r for r in categories if r[column["Coverage"]] == "not covered"]
    assert len(uncovered) == 15
    assert all(r[column["Characterised per FU"]] == "not covered" for r in uncovered)
    assert all(r[column["Weighted (Pt)"]] == "not covered" for r in uncovered)
    climate = next(r for r in body if r[1] == "climate-change")
    assert climate[column["Characterised per FU"]] == pytest.approx(product.climate_change.total)
    score = next(r for r in body if r[1] == "single score")
    assert score[column["Coverage"]].startswith("partial — Ozone depletion: not covered")
    assert score[column["Weighted (Pt)"]] == pytest.approx(product.impacts.single_score.value)
    relevant = list(workbook["Most relevant"].iter_rows(values_only=True))
    assert relevant[1][2] == "impact category" and relevant[1][5] == "Climate change"
    levels = {r[2] for r in relevant[1:] if r and r[2]}
    assert {"life-cycle stage", "process", "elementary flow"} <= levels
    # without a profile the workbook is as before: no Impacts sheet
    plain = engine.assess(examples_dir / "e-bike-battery.xlsx", indicators="climate")
    names = openpyxl.load_workbook(plain.to_excel(tmp_path / "plain.xlsx")).sheetnames
    assert "Impacts" not in names and "Most relevant" not in names


def test_metals_carry_nuss_eckelman_energy_demand(bw_module: str) -> None:
    from footprint.model import BomLine, Product, Stage

    product = Product(
        id="p",
        reference_flow=2.0,
        lines=[
            BomLine(id="cu", quantity=2, unit="kg", dataset="metal-copper"),
            BomLine(id="al", quantity=500, unit="g", dataset="metal-aluminium"),
            BomLine(id="grid", quantity=3, unit="kWh", dataset="electricity-grid-AE",
                    stage=Stage.MANUFACTURING),
        ],
    )  # fmt: skip
    engine = footprint.Engine(brightway_project=bw_module, indicators="ced")
    profile = engine.assess([product]).products[0].impacts
    total = profile.indicator("ced-total")
    # Nuss & Eckelman (2014) Table S38 rows (source file): copper 53.7, aluminium 131 MJ/kg
    assert total.value == pytest.approx(2.0 * (2 * 53.7 + 0.5 * 131), rel=1e-6)
    assert total.status == "partial" and total.lines_covered == 2 and total.lines_with_dataset == 3
    assert total.by_stage["manufacturing"] is None  # the grid line: not characterised, not 0
    assert profile.indicator("ced-non-renewable-fossil").status == "not covered"
    assert profile.indicator("ced-non-renewable-fossil").value is None
