"""The engine equals Brightway's own ``bw2calc.LCA`` to 1e-9 relative.

A seeded random Brightway database of 320 activities with loops (inputs mostly from upstream
activities, plus loops inside groups of eight), catalog datasets with ``inputs`` into it, and
multi-level BOMs referencing both.  Each product's demand is built here by hand (assembly
multipliers and unit factors written out), and every indicator is compared with bw2calc.

The catalog's datasets are scored exactly as written (0.3 is 0.3, not float32's
0.30000001192): the expected figure expands each catalog dataset by hand into its own values
and its Brightway inputs, and only the Brightway part goes through bw2calc.
"""

from __future__ import annotations

import numpy as np
import pytest

from footprint.api import Engine
from footprint.catalog import Catalog
from footprint.lca.project import INDICATORS, footprint_method
from footprint.lca.solve import solve_adjoint
from footprint.model import BomLine, Dataset, Product, SourceRef, Stage

N_ACTIVITIES = 320
GROUP = 8
# biosphere3 flows (air): CO2 fossil, CH4 fossil, N2O, CH4 non-fossil, CO2 from soil or biomass
FLOWS = (
    "349b29d1-3e58-4c66-98b9-9d1a076efd2e",
    "0795345f-c7ae-410c-ad25-1845784c75f5",
    "20185046-64bb-4c09-a8e7-e8a9e144ca98",
    "da1157e2-7593-4dfd-80dd-a3449b37a4d8",
    "e4e9febc-07c1-403d-8d3a-6707bb4d96e6",
)
UNITS = {"kilogram": "kg", "kilowatt hour": "kWh", "ton kilometer": "t*km"}


def _random_database(rng: np.random.Generator) -> dict:
    units = list(UNITS)
    data = {}
    for i in range(N_ACTIVITIES):
        code = f"a{i}"
        production = float(rng.uniform(0.8, 1.5))
        exchanges = [{"input": ("random", code), "amount": production, "type": "production"}]
        upstream = rng.choice(i, size=min(i, 3), replace=False) if i else []
        group_start = i - i % GROUP
        looped = [j for j in range(group_start, min(group_start + GROUP, N_ACTIVITIES)) if j != i]
        partners = list(upstream) + list(rng.choice(looped, size=2, replace=False))
        for j in partners:
            exchanges.append(
                {
                    "input": ("random", f"a{j}"),
                    "amount": float(rng.uniform(0.01, 0.12)),
                    "type": "technosphere",
                }
            )
        for flow in rng.choice(FLOWS, size=int(rng.integers(1, 4)), replace=False):
            exchanges.append(
                {
                    "input": ("biosphere3", str(flow)),
                    "amount": float(rng.uniform(0.001, 2.0)),
                    "type": "biosphere",
                }
            )
        data[("random", code)] = {
            "name": f"activity {i}",
            "unit": units[i % len(units)],
            "type": "process",
            "location": "GLO",
            "exchanges": exchanges,
        }
    return data


def _line(line_id: str, quantity: float, unit: str, dataset: str | None, parent=None) -> BomLine:
    return BomLine(
        id=line_id,
        parent=parent,
        quantity=quantity,
        unit=unit,
        dataset=dataset,
        stage=Stage.MANUFACTURING if unit == "Wh" else Stage.RAW_MATERIALS,
        source=SourceRef(file="bom.xlsx", sheet="BOM"),
    )


def _products(rng: np.random.Generator) -> tuple[list[Product], list[dict[str, float]]]:
    """Products, and each product's demand {reference: amount in the dataset's unit per FU}."""
    products, demands = [], []
    for p in range(10):
        reference_flow = float(rng.uniform(0.5, 3))
        lines: list[BomLine] = []
        demand: dict[str, float] = {}

        def add(line, factor, multiplier, demand=demand, lines=lines, flow=reference_flow):
            lines.append(line)
            if line.dataset:
                amount = line.quantity * factor * multiplier * flow
                demand[line.dataset] = demand.get(line.dataset, 0.0) + amount

        for k in range(6):
            i = int(rng.integers(N_ACTIVITIES))
            unit = list(UNITS)[i % 3]
            if unit == "kilogram":  # written in grams: factor 0.001 to kg
                add(_line(f"l{k}", float(rng.uniform(1, 900)), "g", f"random::a{i}"), 0.001, 1)
            elif unit == "kilowatt hour":  # written in Wh
                add(_line(f"l{k}", float(rng.uniform(1, 900)), "Wh", f"random::a{i}"), 0.001, 1)
            else:
                add(_line(f"l{k}", float(rng.uniform(0.1, 5)), "t*km", f"random::a{i}"), 1, 1)
        # a two-level assembly: 3 modules × 2 cells, with the assembly's own dataset
        add(_line("module", 3, "piece", "mix"), 1, 1)
        add(_line("cell", 2, "piece", None, parent="module"), 1, 3)
        add(_line("can", 40, "g", "shell", parent="cell"), 0.001, 6)
        add(_line("core", 0.2, "kg", f"random::a{3 * p}", parent="cell"), 1, 6)
        products.append(Product(id=f"p{p}", reference_flow=reference_flow, lines=lines))
        demands.append(demand)
    return products, demands


@pytest.fixture
def scenario(bw_project: str):
    import bw2data as bd

    rng = np.random.default_rng(20261123)
    bd.Database("random").write(_random_database(rng))
    catalog = Catalog(
        [
            Dataset(id="shell", name="shell", unit="kg", inputs={"random::a5": 0.7, "grid": 1}),
            Dataset(id="grid", name="grid", unit="kWh", climate_change=0.3),
            Dataset(
                id="mix", name="mix", unit="piece", climate_change=1.2, climate_change_luluc=0.2
            ),
        ]
    )
    engine = Engine(catalog=catalog, brightway_project=bw_project, use_cache=False)
    products, demands = _products(rng)
    return engine, products, demands


# The scenario's catalog, by hand: own figures per indicator and inputs, per reference unit.
# "grid" gives only a total (0.3, all not split); "mix" 1.2 with land use 0.2 (1.0 not split).
OWN = {
    "grid": {"total": 0.3, "not_split": 0.3},
    "mix": {"total": 1.2, "luluc": 0.2, "not_split": 1.0},
    "shell": {},
}
INPUTS = {"shell": {"random::a5": 0.7, "grid": 1.0}}


def _expanded(demand: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """A demand's Brightway part {reference: amount} and its catalog part {indicator: kg}."""
    brightway: dict[str, float] = {}
    own: dict[str, float] = {}
    pending = list(demand.items())
    while pending:
        reference, amount = pending.pop()
        if "::" in reference:
            brightway[reference] = brightway.get(reference, 0.0) + amount
            continue
        for indicator, value in OWN[reference].items():
            own[indicator] = own.get(indicator, 0.0) + amount * value
        pending.extend((up, amount * share) for up, share in INPUTS.get(reference, {}).items())
    return brightway, own


def test_every_product_equals_bw2calc(scenario) -> None:
    import bw2calc as bc

    engine, products, demands = scenario
    assessment = engine.assess(products)
    expanded = [_expanded(demand) for demand in demands]

    def activity(reference: str) -> int:
        return engine.lca.activity_id(reference)

    first = {activity(k): v for k, v in expanded[0][0].items()}
    lca = bc.LCA(first, method=footprint_method("total"))
    lca.lci()
    for indicator in INDICATORS:
        lca.switch_method(footprint_method(indicator))
        for result, (brightway, own) in zip(assessment.products, expanded, strict=True):
            lca.lci({activity(k): v for k, v in brightway.items()})
            lca.lcia_calculation()
            expected = lca.score + own.get(indicator, 0.0)
            got = getattr(result.climate_change, indicator)
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), (result.id, indicator)
            stages = sum(getattr(s, indicator) for s in result.by_stage.values())
            assert stages == pytest.approx(expected, rel=1e-9, abs=1e-12)
    for result, (_, own) in zip(assessment.products, expanded, strict=True):
        # the random database's flows are all split by EF 3.1: only the catalog is not split
        assert result.climate_change.not_split == pytest.approx(own["not_split"], rel=1e-12)


def test_loops_make_the_database_not_triangular(scenario) -> None:
    """Guard on the test itself: the random database really has loops."""
    engine, _, _ = scenario
    import bw2calc as bc
    from scipy.sparse.csgraph import connected_components

    lca = bc.LCA({engine.lca.activity_id("random::a0"): 1}, method=footprint_method("total"))
    lca.lci()
    count, _ = connected_components(lca.technosphere_matrix, directed=True, connection="strong")
    assert count < lca.technosphere_matrix.shape[0] - 100


def test_matrix_builders_agree(scenario) -> None:
    """Our datapackage reader and bw2calc's own matrices give the same unit scores."""
    import bw2data as bd

    from footprint.lca import unit_scores

    packages = [bd.Database(name).datapackage() for name in sorted(bd.databases)]
    methods = [bd.Method(footprint_method(i)).datapackage() for i in INDICATORS]
    ours = unit_scores._matrices_from_vectors(packages, methods)
    theirs = unit_scores._matrices_through_bw2calc(packages, methods)
    ours_scores, _ = solve_adjoint(ours[0], ours[1])
    their_scores, _ = solve_adjoint(theirs[0], theirs[1])
    order = np.argsort(theirs[2])
    assert np.array_equal(ours[2], theirs[2][order])
    np.testing.assert_allclose(ours_scores, their_scores[order], rtol=1e-12, atol=1e-300)
