"""Figures mean what their labels say: exact factors, the "not split" part, GWP-basis shares
(hand computations written here)."""

from __future__ import annotations

import json
import math

import pytest

from footprint.api import Engine
from footprint.catalog import Catalog
from footprint.model import BomLine, Dataset, Product, SourceRef, Stage


@pytest.fixture
def engine(bw_project: str) -> Engine:
    catalog = Catalog(
        [
            Dataset(id="grid", name="grid", unit="kWh", climate_change=0.4, gwp_basis="AR5"),
            Dataset(
                id="alloy",
                name="alloy",
                unit="kg",
                climate_change=3.0,
                climate_change_biogenic=0.5,
                gwp_basis="AR4",
                inputs={"grid": 2.5},  # + 2.5 kWh × 0.4 = 1.0 on AR5
            ),
            Dataset(id="gas", name="gas", unit="kg", gases={"co2_fossil": 0.7, "n2o": 0.001}),
        ]
    )
    return Engine(catalog=catalog, brightway_project=bw_project, use_cache=False)


def _product(*lines: tuple[str, float, str, str]) -> Product:
    return Product(
        id="p",
        lines=[
            BomLine(id=i, quantity=q, unit=u, dataset=d, stage=Stage.RAW_MATERIALS,
                    source=SourceRef(file="bom.csv", row=n + 2))
            for n, (i, q, u, d) in enumerate(lines)
        ],
    )  # fmt: skip


def test_a_factor_of_0_4_gives_exactly_0_4_in_the_json(engine: Engine) -> None:
    assessment = engine.assess([_product(("power", 1, "kWh", "grid"))])
    document = json.loads(assessment.to_json())
    cc = document["products"][0]["lines"][0]["climate_change"]
    assert cc["total"] == 0.4  # not 0.4000000059604645 (float32)
    assert cc["not_split"] == 0.4 and cc["fossil"] == 0.0  # no split published: none invented
    assert engine.unit_score("grid").total == 0.4


def test_total_is_fossil_plus_biogenic_plus_luluc_plus_not_split(engine: Engine) -> None:
    # alloy: 3.0 own (biogenic 0.5 given, 2.5 not split) + 2.5 kWh × 0.4 (not split)
    alloy = engine.unit_score("alloy")
    assert alloy.total == 3.0 + 2.5 * 0.4
    assert alloy.biogenic == 0.5 and alloy.fossil == 0.0
    assert alloy.not_split == pytest.approx(2.5 + 1.0, rel=1e-15)
    # gases are split by EF 3.1: 0.7 CO2 + 0.001 N2O × 273, all fossil, nothing unsplit
    gas = engine.unit_score("gas")
    assert gas.total == pytest.approx(0.7 + 0.273, rel=1e-15)
    assert gas.fossil == gas.total and gas.not_split == 0.0
    assessment = engine.assess([_product(("a", 2, "kg", "alloy"), ("g", 1, "kg", "gas"))])
    for cc in [assessment.products[0].climate_change] + [
        line.climate_change for line in assessment.products[0].lines
    ]:
        parts = math.fsum((cc.fossil, cc.biogenic, cc.luluc, cc.not_split))
        assert parts == pytest.approx(cc.total, rel=1e-12)


def test_gwp_basis_shares_and_warning(engine: Engine) -> None:
    # 2 kg alloy: own 2 × 3.0 = 6.0 on AR4, its electricity 2 × 1.0 = 2.0 on AR5;
    # 1 kg gas: 0.973 characterised with EF 3.1.  Σ = 8.973.
    assessment = engine.assess([_product(("a", 2, "kg", "alloy"), ("g", 1, "kg", "gas"))])
    shares = assessment.products[0].gwp_basis_shares
    total = 6.0 + 2.0 + 0.973
    assert shares == pytest.approx({"AR4": 6.0 / total, "AR5": 2.0 / total, "EF3.1": 0.973 / total})
    warned = [w.message for w in assessment.warnings if "GWP bases" in w.message]
    assert len(warned) == 1 and "AR4 67%, AR5 22%" in warned[0]
    only_gases = engine.assess([_product(("g", 1, "kg", "gas"))])
    assert only_gases.products[0].gwp_basis_shares == {"EF3.1": 1.0}
    assert not [w for w in only_gases.warnings if "GWP bases" in w.message]


def test_every_example_states_its_gwp_basis_shares(examples_dir) -> None:
    from footprint.api import assess

    files = sorted(p for p in examples_dir.iterdir() if p.suffix in (".xlsx", ".csv"))
    files = [p for p in files if not p.name.endswith(".products.csv")]
    document = json.loads(assess(files).to_json())
    for product in document["products"]:
        shares = product["gwp_basis_shares"]
        assert shares and sum(shares.values()) == pytest.approx(1.0), product["id"]
