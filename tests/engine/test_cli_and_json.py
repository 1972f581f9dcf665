"""`footprint assess` / `schema` / `setup`, the JSON document, and the public API surface."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import footprint
from footprint.cli import main
from footprint.model import SCHEMA_VERSION, STAGES

# the shipped factors used below, per reference unit (datasets/*.csv)
BOM_CSV = """product,id,parent,name,quantity,unit,dataset,stage
kettle,body,,Steel body,800,g,material-steel-primary,raw materials
kettle,heater,,Heater,1,piece,,manufacturing
kettle,wire,heater,Copper wire,50,g,material-steel-primary,manufacturing
kettle,truck,,Truck,0.2,t*km,freight-lorry-average,distribution
"""


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


@pytest.fixture
def bom(tmp_path: Path) -> Path:
    path = tmp_path / "kettle.csv"
    path.write_text(BOM_CSV, encoding="utf-8")
    return path


def _factor(dataset_id: str) -> float:
    from footprint.catalog import load_catalog

    value = load_catalog().get(dataset_id).climate_change
    assert value is not None
    return value


def test_assess_writes_json_whose_lines_and_stages_add_up(
    bw_template: str, bom: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "kettle.json"
    assert _run(["assess", str(bom), "--json", str(out)]) == 0
    assert "kettle" in capsys.readouterr().out
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["schema_version"] == SCHEMA_VERSION
    product = document["products"][0]
    assert set(product["by_stage"]) == {s.value for s in STAGES}
    total = product["climate_change"]["total"]
    assert sum(line["climate_change"]["total"] for line in product["lines"]) == pytest.approx(total)
    assert sum(s["total"] for s in product["by_stage"].values()) == pytest.approx(total)
    steel = _factor("material-steel-primary")
    # DESNZ 2025 HGV (all diesel), all HGVs, average laden, per t*km: tank-to-wheel per gas
    # (kg CO2e of CO2 0.10012, CH4 0.00002, N2O 0.00149 in AR5: 28, 265) characterised with
    # EF 3.1 (CH4 fossil 29.8, N2O 273), + well-to-tank 0.02359 (WTT- delivery vehs & freight)
    truck = 0.10012 + 0.00002 / 28 * 29.8 + 0.00149 / 265 * 273 + 0.02359
    # by hand: 0.8 kg + 1 heater × 0.05 kg of steel, 0.2 t·km by lorry (exact factors)
    assert total == pytest.approx(0.85 * steel + 0.2 * truck, rel=1e-12)
    assert product["by_stage"]["distribution"]["total"] == pytest.approx(0.2 * truck, rel=1e-12)
    assert {d["id"] for d in document["datasets"]} == {
        "material-steel-primary",
        "freight-lorry-average",
        "wtt-freight-lorry-average",  # the lorry's upstream input, named with its source too
    }
    assert all(d["source"] for d in document["datasets"])
    assert document["method"]["indicators"]["total"][-3:] == [
        "EF v3.1",
        "climate change",
        "global warming potential (GWP100)",
    ]
    assert document["method"]["solver"] == "superlu-block-triangular"  # no large loop here
    jsonschema.validate(document, footprint.model.json_schema())


def test_invalid_input_exits_2_and_writes_nothing(
    bw_template: str, bom: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bom.write_text(BOM_CSV.replace("freight-lorry-average", "freight-lory-average"), "utf-8")
    out = tmp_path / "out.json"
    assert _run(["assess", str(bom), "--json", str(out)]) == 2
    error = capsys.readouterr().err
    assert "row 5, column dataset" in error and "freight-lorry-average" in error
    assert "Traceback" not in error
    assert not out.exists() and list(tmp_path.iterdir()) == [bom]


def test_bad_as_of_and_missing_file_exit_2(bw_template: str, bom: Path, tmp_path: Path) -> None:
    assert _run(["assess", str(bom), "--as-of", "31/12/2027"]) == 2
    assert _run(["assess", str(tmp_path / "missing.xlsx")]) == 2


def test_schema_command_prints_a_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "schema_version" in schema["properties"]


def test_setup_reports_the_project(bw_template: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["setup"]) == 0
    assert "'footprint' ready" in capsys.readouterr().out


def test_public_api_is_pinned() -> None:
    assert sorted(footprint.__all__) == [
        "Assessment",
        "BomError",
        "BomLine",
        "Check",
        "Circularity",
        "ClimateChange",
        "Comparison",
        "Dataset",
        "DatasetError",
        "Engine",
        "FootprintError",
        "InputTooLargeError",
        "LineResult",
        "Problem",
        "Product",
        "ProductResult",
        "RuleError",
        "Stage",
        "UnitError",
        "__version__",
        "assess",
        "compare",
        "read_bom",
    ]


def test_api_assess_from_a_path_equals_the_engine(bw_template: str, bom: Path) -> None:
    engine = footprint.Engine()
    via_function = footprint.assess(bom, engine=engine)
    via_engine = engine.assess([bom])
    assert via_function.products[0].climate_change == via_engine.products[0].climate_change
    steel = engine.unit_score("material-steel-primary")
    assert steel.total == pytest.approx(_factor("material-steel-primary"), rel=1e-6)
    assert engine.unit_of("freight-lorry-average") == "t*km"
