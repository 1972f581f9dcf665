"""What-if scenarios: each kind of change on a small BOM, against hand arithmetic; bad
entries exit 2 with one line each naming file, entry and field; the BOM file never changes.

Factors (tests/design/conftest.py): virgin aluminium 10, low-carbon aluminium 6, steel 3,
PP 2.5 kg CO2-eq/kg; grids as shipped.  Base total = 2·10 + 1·3 + 0.4·2.5 + grid = 24 + grid.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

import footprint
from footprint.api import read_products
from footprint.catalog import load_catalog
from footprint.cli import main
from footprint.errors import FootprintError
from footprint.scenario import apply_scenario, load_scenario, scenario_from_options

BOM = """product,id,name,quantity,unit,dataset,stage,recycled_content
widget,housing,Housing,2,kg,t-alu,raw materials,
widget,frame,Frame,1,kg,t-steel,raw materials,20 %
widget,knob,Knob,0.4,kg,t-pp,raw materials,
widget,power,Assembly power,4,kWh,electricity-grid-FR,manufacturing,
widget,paint,Paint shop power,1,kWh,electricity-grid-DE,manufacturing,
"""
RULES = """name: s
title: scenario rules
rules:
  - id: iron
    title: Recycled iron
    kind: min_recycled_content
    element: Fe
    schedule:
      - {from: 2030-01-01, limit: 0.3}
      - {from: 2035-01-01, limit: 0.6}
    source: {regulation: test regulation, article: Art. 1}
"""
REL = 1e-9


def _factor(dataset_id: str) -> float:
    value = load_catalog().get(dataset_id).climate_change
    assert value is not None
    return value


def _grid() -> float:
    return 4 * _factor("electricity-grid-FR") + 1 * _factor("electricity-grid-DE")


@pytest.fixture
def bom(tmp_path: Path, boms) -> Path:
    return boms.write(tmp_path, "widget", BOM)


def _scenario(tmp_path: Path, text: str, name: str = "what-if.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _assess(engine, bom: Path, scenario: Path | None, **kw):
    products, warnings = read_products(bom)
    if scenario is not None:
        products = apply_scenario(products, load_scenario(scenario), engine.catalog)
    return engine.assess_products(products, warnings, **kw).products[0]


def test_swap_a_dataset(engine, bom: Path, tmp_path: Path) -> None:
    path = _scenario(tmp_path, "changes:\n  - {line: housing, dataset: t-alu-low}\n")
    result = _assess(engine, bom, path)
    assert result.climate_change.total == pytest.approx(2 * 6 + 3 + 1 + _grid(), rel=1e-6)
    housing = next(x for x in result.lines if x.id == "housing")
    assert (housing.dataset, housing.climate_change.total) == ("t-alu-low", pytest.approx(12))


def test_recycled_content_of_a_line_and_of_a_family(engine, bom: Path, tmp_path: Path) -> None:
    path = _scenario(
        tmp_path,
        "changes:\n  - {line: frame, recycled_content: 50 %}\n"
        "  - {material: aluminium, recycled_content: 0.4}\n",
    )
    result = _assess(engine, bom, path)
    rc = result.circularity.recycled_content
    assert rc.share == pytest.approx((2 * 0.4 + 1 * 0.5 + 0.4 * 0) / 3.4, rel=REL)
    assert rc.by_element["Fe"] == pytest.approx(0.5, rel=REL)
    assert rc.by_element["Al"] == pytest.approx(0.4, rel=REL)
    # cut-off: recycled content moves no climate figure
    assert result.climate_change.total == pytest.approx(24 + _grid(), rel=1e-6)


def test_grid_country_of_every_electricity_line(engine, bom: Path, tmp_path: Path) -> None:
    path = _scenario(tmp_path, "name: Polish plant\nchanges:\n  - {grid_country: PL}\n")
    result = _assess(engine, bom, path)
    grids = {x.id: x.dataset for x in result.lines if x.stage.value == "manufacturing"}
    assert grids == {"power": "electricity-grid-PL", "paint": "electricity-grid-PL"}
    expected = 24 + 5 * _factor("electricity-grid-PL")
    assert result.climate_change.total == pytest.approx(expected, rel=1e-6)


FACTORY_BOM = """product,id,name,quantity,unit,dataset,stage,supplier
widget,housing,Housing,2,kg,t-alu,raw materials,Alu Works
widget,power,Assembly power,4,kWh,electricity-grid-FR,manufacturing,Plant Lyon
widget,paint,Paint shop power,1,kWh,electricity-grid-DE,manufacturing,Plant Brno
widget,test,Test bench power,2,kWh,electricity-grid-DE,manufacturing,plant brno
"""


def test_grid_country_of_a_named_factory(engine, tmp_path: Path, boms) -> None:
    """Only the electricity lines of the factory named in the supplier column (case ignored)
    change grid; the scenario and the options say the same."""
    bom = boms.write(tmp_path, "factory", FACTORY_BOM)
    path = _scenario(tmp_path, "changes:\n  - {supplier: Plant Brno, grid_country: CZ}\n")
    by_file = _assess(engine, bom, path)
    grids = {x.id: x.dataset for x in by_file.lines if x.stage.value == "manufacturing"}
    assert grids == {
        "power": "electricity-grid-FR",
        "paint": "electricity-grid-CZ",
        "test": "electricity-grid-CZ",
    }
    expected = 2 * 10 + 4 * _factor("electricity-grid-FR") + 3 * _factor("electricity-grid-CZ")
    assert by_file.climate_change.total == pytest.approx(expected, rel=1e-6)
    options = scenario_from_options(grid_country=["supplier:plant brno=CZ"])
    assert options is not None
    products, warnings = read_products(bom)
    by_option = engine.assess_products(
        apply_scenario(products, options, engine.catalog), warnings
    ).products[0]
    assert by_option.climate_change.total == pytest.approx(expected, rel=1e-12)
    assert "of supplier plant brno" in options.changes[0].describe()


def test_unknown_factory_names_the_suppliers(engine, tmp_path: Path, boms) -> None:
    bom = boms.write(tmp_path, "factory", FACTORY_BOM)
    products, _ = read_products(bom)
    scenario = scenario_from_options(grid_country=["supplier:Plant Graz=AT"])
    assert scenario is not None
    with pytest.raises(FootprintError) as raised:
        apply_scenario(products, scenario, engine.catalog)
    (problem,) = raised.value.problems
    assert "field supplier: no electricity line" in problem.message
    assert "Plant Brno" in problem.message and "Plant Lyon" in problem.message


def test_scale_a_quantity(engine, bom: Path, tmp_path: Path) -> None:
    path = _scenario(tmp_path, "changes:\n  - {line: knob, scale: 2.5}\n")
    result = _assess(engine, bom, path)
    assert result.climate_change.total == pytest.approx(
        20 + 3 + 2.5 * 0.4 * 2.5 + _grid(), rel=1e-6
    )
    assert result.mass_kg == pytest.approx(2 + 1 + 1.0, rel=REL)


def test_end_of_life_rates_of_product_and_family(engine, bom: Path, tmp_path: Path) -> None:
    path = _scenario(
        tmp_path,
        "changes:\n  - {eol_recycling_rate: 0.7}\n  - {material: steel, eol_recycling_rate: 0.9}\n",
    )
    result = _assess(engine, bom, path)
    # R2: the line's, else the product's: steel 0.9, the others 0.7
    expected = (2 * 0.7 + 1 * 0.9 + 0.4 * 0.7) / 3.4
    assert result.circularity.recycled_content.recyclable_share == pytest.approx(expected, rel=REL)


def test_placed_on_market_selects_the_limit(engine, bom: Path, tmp_path: Path) -> None:
    rules = _scenario(tmp_path, RULES, "rules.yaml")
    path = _scenario(tmp_path, "changes:\n  - {placed_on_market: 2036-01-01}\n")
    from footprint.api import load_rules

    kw = {"rule_sets": load_rules([rules]), "as_of": date(2031, 1, 1)}
    before = _assess(engine, bom, None, **kw).checks[0]
    after = _assess(engine, bom, path, **kw).checks[0]
    assert (before.limit, before.status, before.margin) == (0.3, "fail", pytest.approx(0.2 - 0.3))
    assert (after.limit, after.status, after.margin) == (0.6, "fail", pytest.approx(0.2 - 0.6))


def test_products_given_are_not_modified(engine, bom: Path) -> None:
    products, _ = read_products(bom)
    snapshot = [p.model_dump() for p in products]
    scenario = scenario_from_options(
        swap=["housing=t-alu-low"], recycled_content=["frame=0.9"], scale=["knob=3"],
        grid_country=["PL"], placed_on_market="2036-01-01",
    )  # fmt: skip
    assert scenario is not None
    changed = apply_scenario(products, scenario, engine.catalog)
    assert [p.model_dump() for p in products] == snapshot
    assert changed[0].lines[0].dataset == "t-alu-low"


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_assess_scenario_and_options_leave_the_bom_unchanged(
    engine, library: Path, bom: Path, tmp_path: Path, capsys
) -> None:
    before = _sha(bom)
    path = _scenario(tmp_path, "name: greener\nchanges:\n  - {line: housing, dataset: t-alu-low}\n")
    out = tmp_path / "s.json"
    argv = ["assess", str(bom), "-d", str(library), "--scenario", str(path), "--scale", "knob=2"]
    assert _run([*argv, "--json", str(out)]) == 0
    assert "scenario greener + command-line changes" in capsys.readouterr().out
    document = json.loads(out.read_text(encoding="utf-8"))
    total = document["products"][0]["climate_change"]["total"]
    assert total == pytest.approx(12 + 3 + 2 * 0.4 * 2.5 + _grid(), rel=1e-6)
    assert document["scenario"]["changes"] == [
        "greener: line housing: dataset → t-alu-low",
        "command-line changes: line knob: quantity × 2",
    ]
    cmp = tmp_path / "cmp.json"
    b = _scenario(tmp_path, "name: polish\nchanges:\n  - {grid_country: PL}\n", "b.yaml")
    argv = ["compare", str(bom), "-d", str(library), "-s", str(path), "-s", str(b)]
    assert _run([*argv, "--json", str(cmp)]) == 0
    pairs = json.loads(cmp.read_text(encoding="utf-8"))["pairs"]
    assert [p["alternative"]["label"] for p in pairs] == ["greener", "polish"]
    assert pairs[0]["climate_change"]["delta"]["total"] == pytest.approx(2 * 6 - 2 * 10, rel=1e-6)
    assert _sha(bom) == before


def test_bad_entries_exit_2_one_line_each(
    engine, library: Path, bom: Path, tmp_path: Path, capsys
) -> None:
    bad = _scenario(
        tmp_path,
        "name: bad\nchanges:\n"
        "  - {line: lid, dataset: t-alu-low}\n"  # unknown line
        "  - {line: housing, dataset: t-alu-lo}\n"  # unknown dataset
        "  - {line: housing, dataset: electricity-grid-FR}\n"  # kg for a per-kWh dataset
        "  - {line: frame, recycled_content: 1.5}\n",  # share > 1
        "bad.yaml",
    )
    before = _sha(bom)
    out = tmp_path / "never.json"
    argv = ["assess", str(bom), "-d", str(library), "--scenario", str(bad), "--json", str(out)]
    assert _run(argv) == 2
    printed = capsys.readouterr().err
    err = [line for line in printed.splitlines() if line.startswith("error")]
    assert len(err) == 4 and "Traceback" not in printed, err
    expected = [
        ("entry #1 (line 3), field line", "no line 'lid'"),
        ("entry #2 (line 4), field dataset", "'t-alu-lo' is not a known dataset id"),
        ("entry #3 (line 5), field dataset", "cannot use kg (mass) for a dataset per kWh"),
        ("entry #4 (line 6), field recycled_content", "1.5 is not a share"),
    ]
    for line, (where, what) in zip(
        sorted(err, key=lambda t: t.split("entry #")[1]), expected, strict=True
    ):
        assert line.startswith("error: bad.yaml: " + where), line
        assert what in line, line
    assert not out.exists() and _sha(bom) == before


def test_bad_options_name_the_option(engine, library: Path, bom: Path, capsys) -> None:
    argv = ["assess", str(bom), "-d", str(library), "--swap", "housing", "--recycled-content"]
    assert _run([*argv, "frame=120 %", "--grid-country", "XX"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert any(line.startswith("error: --swap housing: write LINE=VALUE") for line in err), err
    assert any("--recycled-content frame=120 %" in line and "not a share" in line for line in err)


def test_unknown_grid_country_is_one_problem(engine, bom: Path) -> None:
    products, _ = read_products(bom)
    scenario = scenario_from_options(grid_country=["XX"])
    assert scenario is not None
    with pytest.raises(FootprintError) as raised:
        apply_scenario(products, scenario, engine.catalog)
    assert len(raised.value.problems) == 1
    assert "--grid-country XX, field grid_country: no grid dataset electricity-grid-XX" in str(
        raised.value
    )


def test_api_compare_with_scenarios(engine, bom: Path, tmp_path: Path) -> None:
    path = _scenario(tmp_path, "changes:\n  - {line: knob, scale: 0}\n", "no-knob.yaml")
    pair = footprint.compare(bom, scenarios=[path], engine=engine).pairs[0]
    assert pair.alternative.label == "no-knob"
    assert pair.climate_change.delta.total == pytest.approx(-0.4 * 2.5, rel=REL)


def test_documented_schema_is_the_models(repo: Path) -> None:
    from footprint.scenario import scenario_schema

    documented = json.loads((repo / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert documented == scenario_schema()
