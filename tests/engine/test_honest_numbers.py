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


def test_each_line_carries_the_factor_it_used_per_reference_unit(engine: Engine) -> None:
    # alloy per kg: own 3.0 (biogenic 0.5, 2.5 not split) + 2.5 kWh × 0.4 = 4.0; gas per kg:
    # 0.7 + 0.001 × 273 = 0.973, all fossil.  Two products per functional unit.
    product = _product(("a", 1.5, "kg", "alloy"), ("g", 1, "kg", "gas"))
    product.reference_flow = 2.0
    document = json.loads(engine.assess([product]).to_json())
    alloy, gas = document["products"][0]["lines"]
    assert alloy["unit_score"] == {
        "total": 4.0, "fossil": 0.0, "biogenic": 0.5, "luluc": 0.0, "not_split": 3.5,
        "unit": "kg CO2-eq per kg",
    }  # fmt: skip
    assert gas["unit_score"]["total"] == pytest.approx(0.973, rel=1e-15)
    assert gas["unit_score"]["fossil"] == gas["unit_score"]["total"]
    # quantity (in one product, reference unit) × reference flow × factor = the line's figure
    assert alloy["quantity"] == 1.5 and alloy["unit"] == "kg"
    assert alloy["climate_change"]["total"] == 1.5 * 2.0 * 4.0
    assert alloy["climate_change"]["biogenic"] == 1.5 * 2.0 * 0.5


def test_every_example_line_is_quantity_times_its_unit_score(examples_dir) -> None:
    """JSON alone: quantity × reference_flow × unit_score = the cut-off figure of every line,
    every part; the lines add up to the product's total (the CFF product: its cut-off total)."""
    from footprint.api import assess

    files = sorted(p for p in examples_dir.iterdir() if p.suffix in (".xlsx", ".csv"))
    files = [p for p in files if not p.name.endswith(".products.csv")]
    document = json.loads(assess(files).to_json())
    parts = ("total", "fossil", "biogenic", "luluc", "not_split")
    seen = 0
    for product in document["products"]:
        total = 0.0
        for line in product["lines"]:
            figure = line["climate_change_cut_off"] or line["climate_change"]
            if line["dataset"] is None:
                assert line["unit_score"] is None and figure["total"] == 0.0
                continue
            score = line["unit_score"]
            assert score["unit"] == f"kg CO2-eq per {line['unit']}"
            for part in parts:
                recomputed = line["quantity"] * product["reference_flow"] * score[part]
                assert recomputed == pytest.approx(figure[part], rel=1e-12, abs=1e-15), (
                    product["id"], line["id"], part,
                )  # fmt: skip
            total += line["quantity"] * product["reference_flow"] * score["total"]
            seen += 1
        expected = product["climate_change"]["total"]
        if product["eol_model"] == "cff":
            expected = product["circularity"]["cff"]["cut_off_total"]
        assert total == pytest.approx(expected, rel=1e-12), product["id"]
    assert seen > 60  # every example's lines, not an empty loop
