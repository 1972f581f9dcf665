"""Reading good BOMs: aliases, units in headers and cells, products, stages, pass-through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from footprint.bom import read_bom, read_bom_file
from footprint.errors import BomError
from footprint.model import Stage

STEEL = "material-steel-primary"


def test_messy_headers_and_units_inside_cells(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                [
                    "Line ID",
                    "Parent_ID",
                    "Description",
                    "Qty [g]",
                    "UoM",
                    "Dataset",
                    "Life cycle stage",
                ],
                ["a", None, "Bracket", 250, None, STEEL, None],
                ["b", None, "Screws", "1,5 kg", None, STEEL, "RAW"],
                ["c", None, "Power", 0.5, "KWH", "electricity-grid-DE", "production"],
                ["d", None, "Truck", "2 tkm", None, "freight-lorry-average", "Transport"],
                ["e", None, "Landfill", 0.25, "lb", "eol-steel-landfill", "End-of-Life"],
            ]
        }
    )
    [product] = read_bom(path)
    assert product.id == "bom"  # no product column and no Products sheet: the file's name
    lines = {line.id: line for line in product.lines}
    assert (lines["a"].quantity, lines["a"].unit) == (250.0, "g")  # unit from the header
    assert (lines["b"].quantity, lines["b"].unit) == (1.5, "kg")  # decimal comma
    assert (lines["c"].unit, lines["c"].stage) == ("kWh", Stage.MANUFACTURING)
    assert (lines["d"].unit, lines["d"].stage) == ("t*km", Stage.DISTRIBUTION)
    assert (lines["e"].unit, lines["e"].stage) == ("lb", Stage.END_OF_LIFE)
    assert lines["a"].stage is Stage.RAW_MATERIALS
    assert lines["c"].source.row == 4 and lines["c"].source.sheet == "BOM"


def test_several_products_with_a_products_sheet(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                ["product", "id", "quantity", "unit", "dataset"],
                ["p1", "a", 1, "kg", STEEL],
                ["p2", "a", 2, "kg", STEEL],
                ["p1", "b", 3, "kg", STEEL],
            ],
            "Products": [
                ["Product", "Name", "Category", "Placed on market", "Mass [g]", "Energy [MWh]",
                 "eol_model", "reference_flow", "recycled_content", "Colour"],
                ["p2", "Two", "ev-battery", date(2032, 1, 1), 2000, 1.5, "CFF", 2, "12 %", "red"],
                ["p1", "One", None, "2027-06-30", "4.2 kg", None, "cut off", None, None, None],
            ],
        }
    )  # fmt: skip
    products = {p.id: p for p in read_bom(path)}
    assert [line.id for line in products["p1"].lines] == ["a", "b"]
    p1, p2 = products["p1"], products["p2"]
    assert (p2.name, p2.category, p2.placed_on_market) == ("Two", "ev-battery", date(2032, 1, 1))
    assert p2.mass_kg == pytest.approx(2.0) and p2.energy_kwh == pytest.approx(1500.0)
    assert (p2.eol_model, p2.reference_flow) == ("cff", 2.0)
    assert p2.circularity.recycled_content == pytest.approx(0.12)
    assert p2.extra == {"Colour": "red"}
    assert p1.placed_on_market == date(2027, 6, 30) and p1.mass_kg == pytest.approx(4.2)
    assert p1.eol_model == "cut-off" and p1.reference_flow == 1.0
    assert p1.source.row == 3 and p1.source.sheet == "Products"


def test_every_line_field(bom_csv: Callable[..., Path]) -> None:
    path = bom_csv(
        [
            ["id", "quantity", "unit", "dataset", "mass_per_piece", "recycled_content",
             "recycled_content_post_consumer", "eol_recycling_rate", "eol_energy_recovery_rate",
             "cff_a", "country", "supplier", "smelter_id", "certification", "Drawing"],
            ["s", "10", "pcs", STEEL, "3.2 g", "35 %", "0.1", "0.6", "0.3", "0.2", "de", "ACME",
             "CID001", "ISO 14001", "DWG-7"],
        ]
    )  # fmt: skip
    bom = read_bom_file(path)
    [line] = bom.products[0].lines
    assert line.mass_per_piece_kg == pytest.approx(0.0032)
    c = line.circularity
    assert (c.recycled_content, c.recycled_content_post_consumer) == (pytest.approx(0.35), 0.1)
    assert (c.eol_recycling_rate, c.eol_energy_recovery_rate, c.cff_a) == (0.6, 0.3, 0.2)
    assert (line.country, line.supplier, line.smelter_id) == ("DE", "ACME", "CID001")
    assert line.certification == "ISO 14001" and line.extra == {"Drawing": "DWG-7"}
    assert line.source.sheet is None and line.source.row == 2
    [warning] = bom.warnings
    assert warning.column == "Drawing" and "passed through" in warning.message


def test_csv_with_products_beside_it(tmp_path: Path) -> None:
    (tmp_path / "chair.csv").write_text("id;quantity;unit;dataset\nseat;1,8;kg;x\n")
    (tmp_path / "chair.products.csv").write_text("product;name;mass\nchair-1;Chair;1.8 kg\n")
    [product] = read_bom(tmp_path / "chair.csv")
    assert (product.id, product.name, product.mass_kg) == ("chair-1", "Chair", 1.8)
    assert product.lines[0].quantity == 1.8


def test_stages_inherited_from_the_parent(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                ["id", "parent", "quantity", "unit", "dataset", "stage"],
                ["kit", None, 1, "piece", None, "eol"],
                ["sub", "kit", 2, "piece", None, None],
                ["leaf", "sub", 1, "kg", "eol-steel-recycling", None],
                ["top", None, 1, "kg", STEEL, None],
                ["own", "kit", 1, "kWh", "electricity-grid-DE", "manufacturing"],
            ]
        }
    )
    stages = {line.id: line.stage for line in read_bom(path)[0].lines}
    assert stages == {
        "kit": Stage.END_OF_LIFE,
        "sub": Stage.END_OF_LIFE,
        "leaf": Stage.END_OF_LIFE,
        "top": Stage.RAW_MATERIALS,
        "own": Stage.MANUFACTURING,
    }


def test_warnings_mass_cross_check_and_allocation_factor(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                ["id", "quantity", "unit", "dataset", "cff_a", "stage"],
                ["a", 600, "g", STEEL, 0.9, None],
                ["b", 0.4, "kg", STEEL, None, None],
                ["eol", 1, "kg", "eol-steel-recycling", None, "end of life"],
            ],
            "Products": [["product", "mass"], ["bom", 1.1]],
        }
    )
    bom = read_bom_file(path)
    messages = {w.column: w.message for w in bom.warnings}
    # BOM mass: 0.6 + 0.4 = 1.0 kg (the end-of-life line is not a material); 1.1 is 10 % off
    assert "declared mass 1.1 kg differs" in messages["mass"]
    assert "1 kg, by 10.0 %" in messages["mass"]
    assert "cff_a = 0.9 is outside 0.2–0.8, the range of the PEF method" in messages["cff_a"]


def test_mass_within_five_percent_is_quiet(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [["id", "quantity", "unit", "dataset"], ["a", 1, "kg", STEEL]],
            "Products": [["product", "mass"], ["bom", "1.04 kg"]],
        }
    )
    assert read_bom_file(path).warnings == []


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                ["id", "quantity", "unit", "dataset"],
                ["a", 1, "kg", STEEL],
                [None, None, None, None],
                ["b", 2, "kg", STEEL],
            ]
        }
    )
    lines = read_bom(path)[0].lines
    assert [(line.id, line.source.row) for line in lines] == [("a", 2), ("b", 4)]


def test_a_products_csv_alone_points_to_its_bom(tmp_path: Path) -> None:
    path = tmp_path / "chair.products.csv"
    path.write_text("product,name\nchair-1,Chair\n")
    with pytest.raises(BomError, match="this is the Products sheet of chair.csv"):
        read_bom(path)
