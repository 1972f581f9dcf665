"""A product's mass counts what it is made of, not the waste treatment of itself."""

from __future__ import annotations

from footprint.catalog import Catalog
from footprint.link import link_products
from footprint.model import BomLine, Dataset, Product, Stage


def test_end_of_life_lines_are_not_product_mass() -> None:
    catalog = Catalog(
        datasets=[
            Dataset(id="steel", name="steel", unit="kg", climate_change=2.0),
            Dataset(id="eol-steel-landfill", name="landfill", unit="kg", climate_change=0.01),
            Dataset(id="power", name="electricity", unit="kWh", climate_change=0.3),
        ]
    )
    product = Product(
        id="bracket",
        lines=[
            BomLine(id="body", quantity=2, unit="kg", dataset="steel"),
            BomLine(id="bolts", quantity=250, unit="g", dataset="steel"),
            BomLine(
                id="weld", quantity=1.5, unit="kWh", dataset="power", stage=Stage.MANUFACTURING
            ),
            # the product's own 2.25 kg landfilled: a treatment, with its stage given …
            BomLine(
                id="landfill",
                quantity=2.25,
                unit="kg",
                dataset="eol-steel-landfill",
                stage=Stage.END_OF_LIFE,
            ),
            # … or recognised by the library's eol- naming with the default stage
            BomLine(id="landfill-2", quantity=2.25, unit="kg", dataset="eol-steel-landfill"),
        ],
    )
    (linked,) = link_products([product], catalog)
    assert linked.mass_kg == 2 + 0.25  # body + bolts; electricity is no mass, EoL lines excluded
