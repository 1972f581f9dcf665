"""Every indicator of every product equals Brightway's own ``bw2calc.LCA`` to 1e-9.

A seeded random Brightway database of 240 activities with loops, whose biosphere exchanges are
flows characterised by the EF v3.1 and CED methods (two flows of each method, read from
bw2io's shipped LCIA file), and products whose lines link activities of it and two catalog
datasets (climate change only).  Each product's demand is written here by hand; bw2calc gets
it per indicator: all lines for the climate-change indicators (footprint's methods count the
catalog datasets' aggregated climate flows), only the Brightway lines for the others (the
catalog datasets do not characterise them: they are left out, not counted as 0).  The catalog
datasets are scored exactly as written (0.3, not float32's 0.30000001192), so their part of
a climate-change indicator is added here by hand and only the Brightway lines go to bw2calc.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from footprint.api import Engine
from footprint.catalog import Catalog
from footprint.impacts.profile import CLIMATE_FAMILY
from footprint.lca.indicators import all_indicators
from footprint.lca.project import computing_method
from footprint.model import BomLine, Dataset, Product, SourceRef, Stage

N_ACTIVITIES = 240
GROUP = 6


def _shipped_flows() -> list[str]:
    """Two biosphere3 flow codes of each EF v3.1 / CED method, straight from bw2io's file."""
    import bw2io

    path = Path(bw2io.__file__).parent / "data" / "lcia" / "lcia_39_ecoinvent.zip"
    with zipfile.ZipFile(path) as archive:
        data = json.load(archive.open("data.json"))
    wanted = {i.method for i in all_indicators()}
    flows: list[str] = []
    for entry in data:
        if tuple(entry["name"]) in wanted:
            codes = [e["input"][1] for e in entry["exchanges"] if e["input"][0] == "biosphere3"]
            flows.extend(c for c in codes[:2] if c not in flows)
    return flows


def _random_database(rng: np.random.Generator, flows: list[str]) -> dict:
    import bw2data as bd

    known = {a["code"] for a in bd.Database("biosphere3")}
    flows = [f for f in flows if f in known]
    data = {}
    for i in range(N_ACTIVITIES):
        code = f"a{i}"
        exchanges = [
            {
                "input": ("random", code),
                "amount": float(rng.uniform(0.8, 1.5)),
                "type": "production",
            }
        ]
        upstream = rng.choice(i, size=min(i, 3), replace=False) if i else []
        start = i - i % GROUP
        looped = [j for j in range(start, min(start + GROUP, N_ACTIVITIES)) if j != i]
        for j in [*upstream, *rng.choice(looped, size=2, replace=False)]:
            exchanges.append(
                {"input": ("random", f"a{j}"), "amount": float(rng.uniform(0.01, 0.12)),
                 "type": "technosphere"}
            )  # fmt: skip
        for flow in rng.choice(flows, size=int(rng.integers(3, 9)), replace=False):
            exchanges.append(
                {"input": ("biosphere3", str(flow)), "amount": float(rng.uniform(0.001, 2.0)),
                 "type": "biosphere"}
            )  # fmt: skip
        data[("random", code)] = {
            "name": f"activity {i}", "unit": "kilogram", "type": "process",
            "location": "GLO", "exchanges": exchanges,
        }  # fmt: skip
    return data


def _products(rng: np.random.Generator) -> tuple[list[Product], list[dict[str, float]]]:
    products, demands = [], []
    for p in range(6):
        flow = float(rng.uniform(0.5, 3))
        lines, demand = [], {}
        for k in range(5):
            i = int(rng.integers(N_ACTIVITIES))
            grams = float(rng.uniform(1, 900))
            stage = Stage.RAW_MATERIALS if k % 2 else Stage.MANUFACTURING
            lines.append(_line(f"l{k}", grams, "g", f"random::a{i}", stage))
            demand[f"random::a{i}"] = demand.get(f"random::a{i}", 0.0) + grams * 0.001 * flow
        lines.append(_line("mix", 2, "piece", "mix", Stage.RAW_MATERIALS))
        demand["mix"] = 2 * flow
        lines.append(_line("grid", 3, "kWh", "grid", Stage.MANUFACTURING))
        demand["grid"] = 3 * flow
        products.append(Product(id=f"p{p}", reference_flow=flow, lines=lines))
        demands.append(demand)
    return products, demands


def _line(line_id: str, quantity: float, unit: str, dataset: str, stage: Stage) -> BomLine:
    return BomLine(
        id=line_id, quantity=quantity, unit=unit, dataset=dataset, stage=stage,
        source=SourceRef(file="bom.xlsx", sheet="BOM"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def scenario(bw_module: str):
    import bw2data as bd

    rng = np.random.default_rng(20261201)
    bd.Database("random").write(_random_database(rng, _shipped_flows()))
    catalog = Catalog(
        [
            Dataset(id="grid", name="grid", unit="kWh", climate_change=0.3),
            Dataset(
                id="mix", name="mix", unit="piece", climate_change=1.2, climate_change_luluc=0.2
            ),
        ]  # fmt: skip
    )
    engine = Engine(
        catalog=catalog, brightway_project=bw_module, use_cache=False, indicators="ef31+ced"
    )
    products, demands = _products(rng)
    return engine, products, demands


# the catalog datasets' own figure per reference unit on each climate-change indicator
CATALOG = {
    "grid": {"climate-change": 0.3},
    "mix": {"climate-change": 1.2, "climate-change-land-use-and-land-use-change": 0.2},
}


def test_every_indicator_of_every_product_equals_bw2calc(scenario) -> None:
    import bw2calc as bc

    engine, products, demands = scenario
    assessment = engine.assess(products)

    def activity(reference: str) -> int:
        if "::" not in reference:
            reference = f"footprint-datasets::{reference}"
        return engine.lca.activity_id(reference)

    indicators = all_indicators()
    assert len(indicators) == 37
    everything = {activity(k): 1.0 for k in ("random::a0", "mix", "grid")}
    lca = bc.LCA(everything, method=computing_method(indicators[0].method))
    lca.lci()
    nonzero = 0
    for indicator in indicators:
        lca.switch_method(computing_method(indicator.method))
        for result, demand in zip(assessment.products, demands, strict=True):
            kept = {k: v for k, v in demand.items() if "::" in k}
            lca.lci({activity(k): v for k, v in kept.items()})
            lca.lcia_calculation()
            expected = lca.score
            if indicator.id in CLIMATE_FAMILY:
                expected += sum(
                    amount * CATALOG[k].get(indicator.id, 0.0)
                    for k, amount in demand.items()
                    if "::" not in k
                )
            got = result.impacts.indicator(indicator.id)
            assert got.value == pytest.approx(expected, rel=1e-9, abs=1e-15), (
                result.id,
                indicator.id,
            )
            nonzero += expected != 0
            staged = sum(v for v in got.by_stage.values() if v is not None)
            assert staged == pytest.approx(expected, rel=1e-9, abs=1e-15)
            expected_status = "complete" if indicator.id in CLIMATE_FAMILY else "partial"
            assert got.status == expected_status
            assert got.lines_with_dataset == 7
            assert got.lines_covered == (7 if indicator.id in CLIMATE_FAMILY else 5)
    assert nonzero > 0.9 * len(indicators) * len(products)  # the flows reach the methods


def test_climate_change_in_the_profile_is_the_products_climate_change(scenario) -> None:
    engine, products, _ = scenario
    for result in engine.assess(products).products:
        assert result.impacts.indicator("climate-change").value == pytest.approx(
            result.climate_change.total, rel=1e-12
        )


# -- most relevant: contributions against bw2calc's characterised inventory ----------------------


def _stage_demands(engine, product, covered_only):
    demands = {}
    for line in product.lines:
        if covered_only and "::" not in line.dataset:
            continue
        reference = line.dataset if "::" in line.dataset else f"footprint-datasets::{line.dataset}"
        amount = line.quantity * (0.001 if line.unit == "g" else 1.0) * product.reference_flow
        stage = demands.setdefault(line.stage, {})
        key = engine.lca.activity_id(reference)
        stage[key] = stage.get(key, 0.0) + amount
    return demands


def test_process_and_flow_contributions_equal_bw2calc_characterised_inventory(scenario) -> None:
    import bw2calc as bc

    from footprint.impacts.most_relevant import supply_chain
    from footprint.lca.indicators import indicator

    engine, products, _ = scenario
    chosen = [indicator("acidification"), indicator("climate-change"), indicator("land-use")]
    linked = engine.link(products[:2])
    chain = supply_chain(engine, linked, chosen)
    references = ("random::a0", "footprint-datasets::mix", "footprint-datasets::grid")
    everything = {engine.lca.activity_id(r): 1.0 for r in references}
    lca = bc.LCA(everything, method=computing_method(chosen[0].method))
    lca.lci()
    for p, product in enumerate(products[:2]):
        for k, ind in enumerate(chosen):
            method = computing_method(ind.method)
            climate = ind.id in CLIMATE_FAMILY
            pattern = tuple(climate or "::" in line.dataset for line in product.lines)
            total = 0.0
            for stage, demand in _stage_demands(engine, product, not climate).items():
                lca.switch_method(method)
                lca.lci(demand)
                lca.lcia_calculation()
                inventory = lca.characterized_inventory
                per_activity = np.asarray(inventory.sum(axis=0)).ravel()
                per_flow = np.asarray(inventory.sum(axis=1)).ravel()
                column = chain.columns[(p, stage, pattern)]
                ours = chain.activity_contributions(column, method)
                ours_flows = chain.flow_contributions(column, method)
                for activity_id, col in lca.dicts.activity.items():
                    row = int(np.flatnonzero(chain.parts.product_ids == activity_id)[0])
                    assert ours[row] == pytest.approx(per_activity[col], rel=1e-9, abs=1e-14)
                for flow_id, row_b in lca.dicts.biosphere.items():
                    row = int(np.flatnonzero(chain.parts.flow_ids == flow_id)[0])
                    assert ours_flows[row] == pytest.approx(per_flow[row_b], rel=1e-9, abs=1e-14)
                assert ours.sum() == pytest.approx(lca.score, rel=1e-9, abs=1e-14)
                total += ours.sum()
            assert k >= 0
            assert total == pytest.approx(
                engine.assess([product], indicators=[ind.id])
                .products[0]
                .impacts.indicator(ind.id)
                .value,
                rel=1e-9,
            )


def test_hotspots_lists_add_up(scenario) -> None:
    engine, products, _ = scenario
    assessment = engine.assess(products[:2], hotspots=True)
    for product in assessment.products:
        relevant = product.impacts.most_relevant
        assert (
            relevant is not None and relevant.status == "partial"
        )  # catalog lines: 15 categories uncovered
        categories = relevant.categories
        weighted = [i.weighted for i in product.impacts.indicators if i.weighted is not None]
        assert categories.total == pytest.approx(sum(abs(w) for w in weighted), rel=1e-12)
        assert categories.items[-1].cumulative >= 0.8 - 1e-12
        if len(categories.items) > 1:
            assert categories.items[-2].cumulative < 0.8
        for hotspots in relevant.per_category:
            value = product.impacts.indicator(hotspots.indicator).value
            processes = hotspots.processes
            assert processes is not None and processes.items
            # net total of all processes (kept or not) is the category's value
            assert hotspots.processes_net.total == pytest.approx(value, rel=1e-9)
            assert hotspots.stages_net.total == pytest.approx(value, rel=1e-9)
            assert hotspots.flows is not None
            shares = [item.share for item in processes.items]
            assert shares == sorted(shares, reverse=True)
            assert processes.items[-1].cumulative >= 0.8 - 1e-12
            for item in processes.items:
                assert item.name.startswith("activity ") or item.database == "footprint-datasets"
                assert item.key in hotspots.flows_by_process
