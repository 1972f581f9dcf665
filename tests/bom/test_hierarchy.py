"""Assembly multiplication and flattening, checked against hand counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from footprint.bom import flatten, read_bom
from footprint.bom.summary import material_mass_kg, summarise
from footprint.errors import BomError
from footprint.model import BomLine, Product

STEEL = "material-steel-primary"


def test_three_levels_multiply(xlsx: Callable[..., Path]) -> None:
    # 2 modules × 3 cells × 50 g = 300 g of cell material; each module also 0.1 kWh itself
    path = xlsx(
        {
            "BOM": [
                ["id", "parent", "quantity", "unit", "dataset"],
                ["pack", None, 1, "piece", None],
                ["module", "pack", 2, "pcs", "electricity-grid-DE"],
                ["cell", "module", 3, "pcs", "material-battery-li-ion"],
                ["cell-mass", "cell", 50, "g", STEEL],
                ["frame", "pack", 0.4, "kg", STEEL],
            ]
        }
    )
    [product] = read_bom(path)
    flat = flatten(product)
    assert [f.path for f in flat] == [
        "pack",
        "pack / module",
        "pack / module / cell",
        "pack / module / cell / cell-mass",
        "pack / frame",
    ]
    by_id = {f.line.id: f for f in flat}
    assert [f.depth for f in flat] == [0, 1, 2, 3, 1]
    assert by_id["module"].multiplier == 1.0 and by_id["cell"].multiplier == 2.0
    assert by_id["cell-mass"].multiplier == 6.0  # 1 pack × 2 modules × 3 cells
    assert by_id["cell"].is_assembly and not by_id["frame"].is_assembly
    # the material mass: 6 × 50 g + 0.4 kg = 0.7 kg
    assert material_mass_kg(product) == pytest.approx(0.7)


def test_depth_first_in_bom_order_when_children_come_first(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                ["id", "parent", "quantity", "unit", "dataset"],
                ["screw", "lid", 4, "pcs", STEEL],
                ["top", None, 1, "kg", STEEL],
                ["box", None, 1, "piece", None],
                ["lid", "box", 1, "piece", None],
            ]
        }
    )
    [product] = read_bom(path)
    assert [f.path for f in flatten(product)] == ["top", "box", "box / lid", "box / lid / screw"]


def test_summary_totals_by_dimension(xlsx: Callable[..., Path]) -> None:
    path = xlsx(
        {
            "BOM": [
                ["id", "parent", "quantity", "unit", "dataset", "mass_per_piece"],
                ["kit", None, 2, "piece", None, None],
                ["screws", "kit", 10, "pcs", STEEL, "3.2 g"],
                ["plate", "kit", 0.5, "lb", STEEL, None],
                ["power", "kit", 500, "Wh", "electricity-grid-DE", None],
                ["truck", None, 300, "kg*km", "freight-lorry-average", None],
            ]
        }
    )
    summary = summarise(read_bom(path)[0])
    # 2 kits × (10 × 3.2 g + 0.5 lb) = 2 × (0.032 + 0.226796185) kg
    assert summary.totals["mass"][0] == pytest.approx(2 * (0.032 + 0.5 * 0.45359237))
    assert summary.totals["energy"] == (pytest.approx(1.0), "kWh")
    assert summary.totals["mass × distance"] == (pytest.approx(0.3), "t*km")
    assert (summary.lines, summary.depth) == (5, 2)


def test_flatten_refuses_a_cycle_built_by_hand() -> None:
    lines = [
        BomLine(id="a", parent="b", quantity=1, unit="piece"),
        BomLine(id="b", parent="a", quantity=1, unit="piece"),
    ]
    with pytest.raises(BomError, match="cannot be reached from the top level"):
        flatten(Product(id="p", lines=lines))
