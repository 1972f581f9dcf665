"""The BOM template and the example BOMs: committed files equal what the code writes, they
read cleanly, and every dataset they name exists in the shipped catalog."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from footprint.bom import read_bom, read_bom_file
from footprint.bom.template import STAGE_CHOICES, write_template
from footprint.catalog import load_catalog
from footprint.cli import main
from footprint.link import link_products
from footprint.model import Stage
from footprint.resources import templates_dir

EXAMPLE_FILES = [
    "smartphone.xlsx",
    "e-bike-battery.xlsx",
    "ev-battery-module.xlsx",
    "pet-multipack.xlsx",
    "office-chair.csv",
]


def workbook_content(path: Path) -> dict[str, Any]:
    """Everything a user sees: values, header comments, drop-down lists, frozen panes."""
    workbook = load_workbook(path)
    content: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        content[sheet.title] = {
            "values": [list(row) for row in sheet.iter_rows(values_only=True)],
            "comments": {
                c.coordinate: c.comment.text
                for row in sheet.iter_rows()
                for c in row
                if c.comment is not None
            },
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1) for v in sheet.data_validations.dataValidation
            ),
            "freeze": sheet.freeze_panes,
        }
    return content


def test_committed_template_equals_the_generated_one(tmp_path: Path) -> None:
    fresh = write_template(tmp_path / "template.xlsx")
    assert workbook_content(templates_dir() / "bom-template.xlsx") == workbook_content(fresh)


def test_template_layout(tmp_path: Path) -> None:
    content = workbook_content(write_template(tmp_path / "template.xlsx"))
    assert list(content) == ["BOM", "Products", "Instructions", "Datasets", "Lists"]
    bom = content["BOM"]
    headers = bom["values"][0]
    assert len(bom["comments"]) == len(headers)  # a comment on every header
    assert bom["freeze"] == "A2"
    formulas = {formula for _, _, formula in bom["validations"]}
    # the lists live on the hidden Lists sheet (tests/bom/test_template_guides.py reads them)
    assert content["Lists"]["values"][0][:2] == ["stage", "unit"]
    assert [row[0] for row in content["Lists"]["values"][1:6]] == STAGE_CHOICES
    assert "Lists!$A$2:$A$6" in formulas and "Lists!$B$2:$B$20" in formulas
    assert len(content["Products"]["comments"]) == len(content["Products"]["values"][0])


def test_template_reads_and_links(tmp_path: Path) -> None:
    products = read_bom(write_template(tmp_path / "template.xlsx"))
    assert [p.id for p in products] == ["desk-lamp"]
    link_products(products, load_catalog())


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine.xlsx"
    with pytest.raises(SystemExit) as done:
        main(["template", str(out)])
    assert done.value.code == 0 and out.is_file()
    before = out.read_bytes()
    with pytest.raises(SystemExit) as done:
        main(["template", str(out)])
    assert done.value.code == 2 and "use --force" in capsys.readouterr().err
    assert out.read_bytes() == before


def _make_examples_module() -> Any:
    path = Path(__file__).resolve().parents[2] / "examples" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_examples_equal_what_the_script_writes(
    tmp_path: Path, examples_dir: Path
) -> None:
    written = _make_examples_module().build(tmp_path)
    assert sorted(p.name for p in written) == sorted([*EXAMPLE_FILES, "office-chair.products.csv"])
    for path in written:
        committed = examples_dir / path.name
        if path.suffix == ".csv":
            assert committed.read_text() == path.read_text(), path.name
        else:
            assert workbook_content(committed) == workbook_content(path), path.name


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_dataset_exists_in_the_shipped_catalog(examples_dir: Path, name: str) -> None:
    catalog = load_catalog()
    products = read_bom(examples_dir / name)
    missing = {
        line.dataset
        for p in products
        for line in p.lines
        if line.dataset and line.dataset not in catalog
    }
    assert not missing
    link_products(products, catalog)  # units fit their datasets too


def test_examples_cover_all_stages_and_categories(examples_dir: Path) -> None:
    products = {p.id: p for name in EXAMPLE_FILES for p in read_bom(examples_dir / name)}
    phone = products["phone-x1"]
    assert {line.stage for line in phone.lines} == set(Stage)
    assert phone.category == "weee-6-small-it"
    assert products["ebike-pack-36v"].category == "lmt-battery"
    assert products["ebike-pack-36v"].total_energy_kwh() == pytest.approx(0.504 * 150 * 5)
    ev = products["ev-module-nmc811"]
    assert ev.category == "ev-battery" and str(ev.placed_on_market) == "2032-01-01"
    assert {line.dataset for line in ev.lines if line.circularity.recycled_content} >= {
        "metal-cobalt",
        "metal-nickel",
        "battery-lithium-carbonate-brine",
    }
    pet = products["pet-6x1.5l"]
    assert pet.category == "packaging-plastic-beverage-bottle"
    preform = next(line for line in pet.lines if line.id == "preform")
    assert preform.circularity.recycled_content_post_consumer == pytest.approx(0.3)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_examples_have_no_mass_warnings(examples_dir: Path, name: str) -> None:
    warnings = read_bom_file(examples_dir / name).warnings
    assert not [w for w in warnings if w.column == "mass"]


def test_check_passes_on_the_examples_folder(
    examples_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["check", str(examples_dir)])
    out = capsys.readouterr().out
    assert done.value.code == 0, out
    # the e-bike pack: 40 cells × 68 g + 90 g + 18 g + 480 g + 2 × 45 g + 60 g + 25 g
    assert "raw materials 3.483 kg" in out
    assert "office-chair.products.csv" not in out  # read with its BOM, not as a BOM
