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
