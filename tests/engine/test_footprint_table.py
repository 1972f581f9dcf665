"""``Engine.footprint_table``: the pipelines' fast path gives each line's figure, by hand."""

from __future__ import annotations

import pytest

from footprint.api import Engine
from footprint.catalog import Catalog
from footprint.model import BomLine, Dataset, Product, Stage


def test_rows_are_amount_times_factor_per_functional_unit(bw_project: str) -> None:
    catalog = Catalog(
        [
            Dataset(id="steel", name="steel", unit="kg", climate_change=2.0),
            Dataset(
                id="grid",
                name="grid",
                unit="kWh",
                climate_change=0.5,
                climate_change_fossil=0.4,
                climate_change_biogenic=0.1,
            ),
        ]
    )
    engine = Engine(catalog=catalog, brightway_project=bw_project, use_cache=False)
    # two frames per product, each 1.5 kg of steel; 0.2 kWh per product; 3 products per FU
    product = Product(
        id="rack",
        reference_flow=3,
        lines=[
            BomLine(id="frame", quantity=2, unit="piece"),
            BomLine(id="tube", parent="frame", quantity=1500, unit="g", dataset="steel"),
            BomLine(id="weld", quantity=200, unit="Wh", dataset="grid", stage=Stage.MANUFACTURING),
        ],
    )
    table = engine.footprint_table([product]).set_index("line")
    assert list(table.index) == ["tube", "weld"]  # the assembly has no dataset: no row
    tube, weld = table.loc["tube"], table.loc["weld"]
    assert tube["path"] == "frame / tube" and tube["stage"] == "raw materials"
    assert tube["quantity"] == pytest.approx(2 * 1.5) and tube["unit"] == "kg"
    assert tube["total"] == pytest.approx(3 * 2 * 1.5 * 2.0, rel=1e-6)  # 18 kg CO2-eq per FU
    # no split given: all of it is "not split", none is invented as fossil; exact factor 2.0
    assert tube["fossil"] == 0.0 and tube["not_split"] == 18.0
    assert weld["quantity"] == pytest.approx(0.2) and weld["unit"] == "kWh"
    assert weld["total"] == pytest.approx(3 * 0.2 * 0.5, rel=1e-6)
    assert weld["fossil"] == pytest.approx(3 * 0.2 * 0.4, rel=1e-6)
    assert weld["biogenic"] == pytest.approx(3 * 0.2 * 0.1, rel=1e-6)
    assert weld["luluc"] == pytest.approx(0.0, abs=1e-12)
    # luluc not given but fossil and biogenic explain the whole figure: nothing unsplit
    assert weld["not_split"] == pytest.approx(0.0, abs=1e-12)


def test_one_level_products_linked_column_by_column_give_the_same_table(
    bw_project: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The column-by-column linking (one-level products) against ``link`` line by line (the
    path every other shape takes), on catalog ids, an alias, ``db::code`` references, units
    converted by a factor; by hand for one line; a problem is named as ``link`` names it."""
    import numpy as np
    import pandas as pd

    import footprint.api
    from footprint.errors import BomError

    catalog = Catalog(
        [
            Dataset(id="steel", name="steel", unit="kg", climate_change=2.0, aliases=["st-37"]),
            Dataset(id="grid", name="grid", unit="kWh", climate_change=0.5,
                    climate_change_fossil=0.4, climate_change_biogenic=0.1),
            Dataset(id="truck", name="truck", unit="t*km", climate_change=0.1),
        ]
    )  # fmt: skip
    engine = Engine(catalog=catalog, brightway_project=bw_project, use_cache=False)
    external = engine.lca.catalog_reference("grid")  # the same activity, as db::code
    rng = np.random.default_rng(7)
    choices = [("steel", "g"), ("st-37", "t"), ("steel", "kg"), ("grid", "Wh"),
               (external, "kWh"), ("truck", "kg*km"), ("truck", "t*km")]  # fmt: skip
    products = [
        Product(
            id=f"p{p}",
            reference_flow=float(rng.choice([1.0, 3.0, 0.25])),
            lines=[
                BomLine(
                    id=f"l{k}",
                    quantity=float(rng.uniform(0, 50)),
                    unit=unit,
                    dataset=dataset,
                    stage=list(Stage)[k % 7 % 5],  # every stage, in no fixed order
                )
                for k, (dataset, unit) in enumerate(
                    choices[int(i)] for i in rng.integers(0, len(choices), 30)
                )
            ],  # fmt: skip
        )
        for p in range(40)
    ]
    products.insert(3, Product(id="no lines"))
    used = []
    original = Engine._table_columns

    def spy(self: Engine, given: list[Product]) -> pd.DataFrame | None:
        used.append(result := original(self, given))
        return result

    monkeypatch.setattr(Engine, "_table_columns", spy)
    fast = engine.footprint_table(products)
    assert used and used[-1] is not None  # the column-by-column path answered
    monkeypatch.setattr(footprint.api, "link_columns", lambda *a, **k: None)
    by_line = engine.footprint_table(products)
    assert used[-1] is None
    pd.testing.assert_frame_equal(fast, by_line, check_exact=True)
    for column in ["quantity", "total", "fossil", "biogenic", "luluc", "not_split"]:
        assert fast[column].to_numpy().tobytes() == by_line[column].to_numpy().tobytes()
    assert {type(v) for c in ["product", "line", "path", "stage", "dataset", "unit"]
            for v in fast[c]} == {str}  # fmt: skip
    first = products[0].lines[0]
    row = fast.iloc[0]
    factor = {"steel": 2.0, "st-37": 2.0, "grid": 0.5, external: 0.5, "truck": 0.1}[first.dataset]
    per_unit = {"g": 1e-3, "t": 1e3, "kg": 1.0, "Wh": 1e-3, "kWh": 1.0, "kg*km": 1e-3, "t*km": 1.0}
    amount = first.quantity * per_unit[first.unit]
    assert row["quantity"] == pytest.approx(amount, rel=1e-12)
    assert row["total"] == pytest.approx(amount * products[0].reference_flow * factor, rel=1e-6)
    # a line the catalog does not know: both ways name it the same way
    broken = products[:2] + [
        Product(id="bad", lines=[BomLine(id="x", quantity=1, unit="kg", dataset="stel")])
    ]
    monkeypatch.undo()
    with pytest.raises(BomError) as fast_error:
        engine.footprint_table(broken)
    with pytest.raises(BomError) as link_error:
        engine.link(broken)
    assert str(fast_error.value) == str(link_error.value) and "stel" in str(fast_error.value)


def test_tables_without_lines_and_shapes_linked_line_by_line(bw_project: str) -> None:
    """No line: an empty table with the columns; assemblies and pieces of a per-mass dataset
    go line by line (``link``) and keep their figures (by hand)."""
    catalog = Catalog([Dataset(id="steel", name="steel", unit="kg", climate_change=2.0)])
    engine = Engine(catalog=catalog, brightway_project=bw_project, use_cache=False)
    columns = ["product", "line", "path", "stage", "dataset", "quantity", "unit", "total",
               "fossil", "biogenic", "luluc", "not_split"]  # fmt: skip
    for empty in ([], [Product(id="a")]):
        table = engine.footprint_table(empty)
        assert list(table.columns) == columns and len(table) == 0
    steel = {"unit": "kg", "dataset": "steel"}
    shapes = [
        Product(id="kit", lines=[BomLine(id="box", quantity=2, unit="piece"),
                                 BomLine(id="x", parent="box", quantity=1, **steel),
                                 BomLine(id="y", quantity=2, **steel)]),
        Product(id="pieces", lines=[BomLine(id="bolt", quantity=4, unit="piece", dataset="steel",
                                            mass_per_piece_kg=0.25)]),
    ]  # fmt: skip
    table = engine.footprint_table(shapes)
    expected = [2 * 1 * 2.0, 2 * 2.0, 4 * 0.25 * 2.0]  # kg CO2-eq: box × x, y, bolts
    assert table["total"].tolist() == pytest.approx(expected, rel=1e-6)
    assert table["path"].tolist() == ["box / x", "y", "bolt"]
