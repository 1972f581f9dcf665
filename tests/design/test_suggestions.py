"""Suggestions: the ranked list equals a brute-force full assessment of every like-for-like
swap, done here; the ±10-point sensitivity of the iron check by hand."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from footprint.api import load_rules, read_products
from footprint.catalog import load_catalog
from footprint.suggestions import STATEMENT, suggest
from footprint.units import dimension_name

BOM = """product,id,name,quantity,unit,dataset,stage,recycled_content
widget,housing,Housing,2,kg,t-alu,raw materials,
widget,frame,Frame,1,kg,t-steel,raw materials,20 %
widget,knob,Knob,0.4,kg,t-pp,raw materials,
widget,power,Assembly power,4,kWh,electricity-grid-DE,manufacturing,
widget,truck,Delivery,3,t*km,freight-lorry-rigid,distribution,
"""
PRODUCTS = "product,functional_unit,eol_model\nwidget,1 widget,{model}\n"
LINES, PER_LINE, LIMIT = 10, 3, 10


def _key(dataset) -> str | None:
    """Like for like, as the issue states it: same family and unit; grids; freight."""
    if dataset.id.startswith("electricity-grid-"):
        return "grid"
    if dataset.id.startswith("freight-"):
        return "freight " + dimension_name(dataset.unit)
    if dataset.material and not dataset.id.startswith("eol-"):
        return dataset.material.lower() + " " + dimension_name(dataset.unit)
    return None


def _brute_force(engine, product, rule_sets):
    base = engine.assess_products([product], rule_sets=rule_sets).products[0]
    catalog = engine.catalog
    lines = sorted(
        (x for x in base.lines if x.dataset in catalog and _key(catalog.get(x.dataset))),
        key=lambda x: -abs(x.climate_change.total),
    )[:LINES]
    found = []
    for line in lines:
        key = _key(catalog.get(line.dataset))
        savings = []
        for other in catalog:
            if other.id == line.dataset or _key(other) != key:
                continue
            swapped = product.model_copy(
                update={
                    "lines": [
                        b.model_copy(update={"dataset": other.id}) if b.id == line.id else b
                        for b in product.lines
                    ]
                }
            )
            result = engine.assess_products([swapped], rule_sets=rule_sets).products[0]
            saving = base.climate_change.total - result.climate_change.total
            if saving > 0:
                savings.append((saving, line.id, other.id, result))
        savings.sort(key=lambda item: -item[0])
        found.extend(savings[:PER_LINE])
    found.sort(key=lambda item: -item[0])
    return base, found[:LIMIT]


@pytest.mark.parametrize("model", ["cut-off", "cff"])
def test_ranked_swaps_equal_a_brute_force_evaluation(
    engine, rules: Path, tmp_path: Path, boms, model: str
) -> None:
    bom = boms.write(tmp_path, "widget", BOM, PRODUCTS.format(model=model))
    rule_sets = load_rules([rules])
    products, _ = read_products(bom)
    base, expected = _brute_force(engine, products[0], rule_sets)
    report = suggest(bom, rules=[rules], engine=engine, lines=LINES, per_line=PER_LINE, limit=LIMIT)
    assert report.statement == STATEMENT and "not an engineering judgement" in STATEMENT
    got = report.products[0].suggestions
    assert [(s.line, s.dataset_after) for s in got] == [(x[1], x[2]) for x in expected]
    assert [s.rank for s in got] == list(range(1, len(expected) + 1))
    for suggestion, (saving, _, _, result) in zip(got, expected, strict=True):
        assert suggestion.saving == pytest.approx(saving, rel=1e-9, abs=1e-12)
        assert suggestion.total_after == pytest.approx(result.climate_change.total, rel=1e-12)
        rc = result.circularity.recycled_content
        assert suggestion.recycled_share.after == pytest.approx(rc.share, rel=1e-12)
        assert suggestion.mci.after == pytest.approx(result.circularity.mci.mci, rel=1e-9)
        statuses = {c.rule: c.status_after for c in suggestion.checks}
        for check in result.checks:
            if check.rule in statuses:
                assert statuses[check.rule] == check.status
        moved = {c.rule for c in base.checks} - set(statuses)
        for check in result.checks:
            if check.rule in moved:  # not listed: it did not change
                before = next(c for c in base.checks if c.rule == check.rule)
                assert (check.status, check.margin) == (before.status, before.margin)
    # the first suggestion by hand: 2 kg of virgin aluminium at 10 kg CO2-eq/kg → the shipped
    # closed-loop recycled aluminium (DESNZ 2025, 0.9950779 kg CO2-eq/kg)
    if model == "cut-off":
        recycled = load_catalog().get("material-aluminium-recycled").climate_change
        assert (got[0].line, got[0].dataset_after, got[0].saving) == (
            "housing", "material-aluminium-recycled", pytest.approx(2 * (10 - recycled), rel=1e-6),
        )  # fmt: skip
        assert (got[1].dataset_after, got[1].saving) == ("t-alu-rec", pytest.approx(16, rel=1e-9))
        assert any(s.kind == "grid country" for s in got)


FACTORY_BOM = """product,id,name,quantity,unit,dataset,stage,supplier
widget,housing,Housing,2,kg,t-alu,raw materials,Alu Works
widget,press,Press power,4,kWh,electricity-grid-PL,manufacturing,Plant Brno
widget,paint,Paint shop power,1,kWh,electricity-grid-DE,manufacturing,plant brno
widget,lab,Lab power,2,kWh,electricity-grid-DE,manufacturing,
"""


def test_grid_swaps_of_a_named_factory_equal_a_brute_force(engine, tmp_path: Path, boms) -> None:
    """The two electricity lines of "Plant Brno" (supplier column, case ignored) take another
    grid together; the ranked factory swaps equal assessing every grid for both lines here.
    The line without a supplier keeps its own per-line grid swaps."""
    bom = boms.write(tmp_path, "factory", FACTORY_BOM)
    products, _ = read_products(bom)
    product = products[0]
    base = engine.assess_products([product]).products[0]
    grids = [d.id for d in load_catalog() if d.id.startswith("electricity-grid-")]
    expected = []
    for grid in grids:
        swapped = product.model_copy(
            update={
                "lines": [
                    b.model_copy(update={"dataset": grid}) if b.id in ("press", "paint") else b
                    for b in product.lines
                ]
            }
        )
        after = engine.assess_products([swapped]).products[0].climate_change.total
        if base.climate_change.total - after > 0:
            expected.append((base.climate_change.total - after, grid))
    expected.sort(key=lambda item: -item[0])
    report = suggest(bom, engine=engine, lines=LINES, per_line=PER_LINE, limit=50)
    got = [s for s in report.products[0].suggestions if s.kind == "factory grid country"]
    assert [s.dataset_after for s in got] == [grid for _, grid in expected[:PER_LINE]]
    for suggestion, (saving, _) in zip(got, expected, strict=False):
        assert suggestion.saving == pytest.approx(saving, rel=1e-9)
        assert (suggestion.factory, suggestion.lines) == ("Plant Brno", ["press", "paint"])
        assert suggestion.dataset_before == "electricity-grid-DE, electricity-grid-PL"
    # the best by hand: 5 kWh from PL/DE to the cleanest grid of the library
    best = min(grids, key=lambda g: load_catalog().get(g).climate_change)
    by_hand = (
        4 * load_catalog().get("electricity-grid-PL").climate_change
        + 1 * load_catalog().get("electricity-grid-DE").climate_change
        - 5 * load_catalog().get(best).climate_change
    )
    assert (got[0].dataset_after, got[0].saving) == (best, pytest.approx(by_hand, rel=1e-6))
    single = [s for s in report.products[0].suggestions if s.kind == "grid country"]
    assert single and {s.line for s in single} == {"lab"}


def test_recycled_content_sensitivity_by_hand(engine, rules: Path, tmp_path: Path, boms) -> None:
    bom = boms.write(tmp_path, "widget", BOM, PRODUCTS.format(model="cut-off"))
    report = suggest(bom, rules=[rules], engine=engine)
    frame = next(s for s in report.products[0].sensitivity if s.line == "frame")
    assert frame.recycled_content == pytest.approx(0.2)
    # the frame is the only iron: the iron share is its R1; limit 0.3
    minus, plus = frame.minus, frame.plus
    assert (minus.recycled_content, plus.recycled_content) == (
        pytest.approx(0.1), pytest.approx(0.3),
    )  # fmt: skip
    iron_minus = next(c for c in minus.checks if c.rule == "steel-recycled")
    iron_plus = next(c for c in plus.checks if c.rule == "steel-recycled")
    assert iron_minus.value.after == pytest.approx(0.1) and iron_minus.status_after == "fail"
    assert iron_plus.value.after == pytest.approx(0.3) and iron_plus.status_after == "pass"
    assert minus.total_delta == 0 and plus.total_delta == 0  # cut-off: R1 moves no figure
    # overall recycled share: (2·0 + 1·R1 + 0.4·0) / 3.4
    assert plus.recycled_share == pytest.approx(0.3 / 3.4, rel=1e-12)
    # the housing (virgin aluminium dataset, R1 0) can only go up
    housing = next(s for s in report.products[0].sensitivity if s.line == "housing")
    assert housing.minus is None and housing.plus.recycled_content == pytest.approx(0.1)


def test_cli_suggest_writes_json_and_workbook(engine, library: Path, tmp_path: Path, boms, capsys):
    import json

    from openpyxl import load_workbook

    from footprint.cli import main

    bom = boms.write(tmp_path, "widget", BOM, PRODUCTS.format(model="cut-off"))
    out, xlsx = tmp_path / "s.json", tmp_path / "s.xlsx"
    with pytest.raises(SystemExit) as done:
        main(["suggest", str(bom), "-d", str(library), "--json", str(out), "--xlsx", str(xlsx)])
    assert done.value.code in (0, None)
    assert "not an engineering judgement" in capsys.readouterr().out.replace("\n", " ")
    document = json.loads(out.read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as done:
        main(["suggest", "--schema"])
    assert done.value.code in (0, None)
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Suggestions"
    jsonschema.validate(document, schema)
    first = document["products"][0]["suggestions"][0]
    sheet = load_workbook(xlsx)["Suggestions"]
    header = [c.value for c in sheet[4]]
    row = {h: c.value for h, c in zip(header, sheet[5], strict=True)}
    assert (row["Line path"], row["Dataset suggested"]) == (first["path"], first["dataset_after"])
    assert row["Saving"] == first["saving"]  # the workbook holds the JSON's figure exactly
