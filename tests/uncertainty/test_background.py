"""Monte Carlo of a Brightway background against bw2calc's own Monte Carlo.

A seeded random Brightway database of 40 activities with loops (groups of five that supply
each other), every technosphere input and emission given a lognormal as Brightway stores it
(``uncertainty type`` 2, loc = ln of the amount).  footprint samples the datapackages' stored
distributions and solves with its own solver; bw2calc samples them with matrix_utils
(``LCA(..., use_distributions=True)``, ``next(lca)``) and solves with pypardiso / SciPy.  The
two Monte Carlo samples are independent, so they agree only to sampling error, computed in
the test:

- mean: |m₁ − m₂| < 4.5·√(s₁²/n₁ + s₂²/n₂) (4.5 standard errors of the difference);
- 2.5th and 97.5th percentiles: the standard error of bw2calc's sample percentile by
  bootstrap (2,000 resamples of its iterations); under the hypothesis that both samples come
  from one distribution, the variance of a sample quantile is p(1 − p) / (n·f(q)²), so
  footprint's (n₁ iterations) is bw2calc's × n₂/n₁; the percentiles must agree within 4.5
  standard errors of the difference.

A false alarm at 4.5 standard errors has probability ≈ 7·10⁻⁶ per comparison; a background
left fixed (no spread), a flip forgotten or a distribution mis-read moves the figures by far
more (the test also checks that the spread is real).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

N_ACTIVITIES = 40
GROUP = 5
CO2 = "349b29d1-3e58-4c66-98b9-9d1a076efd2e"  # biosphere3: carbon dioxide, fossil, air
CH4 = "0795345f-c7ae-410c-ad25-1845784c75f5"  # methane, fossil, air
ITERATIONS = 1500  # footprint
BW_ITERATIONS = 1200  # bw2calc (slower per iteration)
LINES = {"a7": 2.0, "a23": 0.5, "a38": 1.5}  # line → kg of the activity
CATALOG = (3.0, 0.3)  # the catalog line: 1 kg × N(3, 0.3)


def _database(rng: np.random.Generator) -> dict:
    data = {}
    for i in range(N_ACTIVITIES):
        exchanges = [{"input": ("random", f"a{i}"), "amount": 1.0, "type": "production"}]
        start = i - i % GROUP
        partners = {int(j) for j in rng.choice(i, size=min(i, 2), replace=False)} if i else set()
        partners.add(start + (i - start + 1) % GROUP)  # the next one in the group: a loop
        partners.discard(i)
        for j in sorted(partners):
            amount = float(rng.uniform(0.05, 0.3))
            exchanges.append(
                {
                    "input": ("random", f"a{j}"),
                    "amount": amount,
                    "type": "technosphere",
                    "uncertainty type": 2,
                    "loc": math.log(amount),
                    "scale": float(rng.uniform(0.1, 0.4)),
                }
            )
        for flow in (CO2, CH4) if i % 3 == 0 else (CO2,):
            amount = float(rng.uniform(0.1, 2.0)) * (0.01 if flow == CH4 else 1)
            exchanges.append(
                {
                    "input": ("biosphere3", flow),
                    "amount": amount,
                    "type": "biosphere",
                    "uncertainty type": 2,
                    "loc": math.log(amount),
                    "scale": float(rng.uniform(0.2, 0.5)),
                }
            )
        data[("random", f"a{i}")] = {
            "name": f"activity {i}",
            "unit": "kilogram",
            "type": "process",
            "location": "GLO",
            "exchanges": exchanges,
        }
    return data


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    import bw2data as bd

    from footprint.lca.project import ensure_project

    template = ensure_project()
    bd.projects.set_current(template)
    name = "footprint-test-mc-background"
    bd.projects.copy_project(name, switch=True)
    bd.Database("random").write(_database(np.random.default_rng(20261202)))
    # a method whose characterisation factors carry a distribution too
    bd.Method(("mc test", "uncertain gwp")).write(
        [
            (("biosphere3", CO2), {"amount": 1.0, "uncertainty type": 3, "loc": 1.0, "scale": 0.1}),
            (("biosphere3", CH4), 30.0),
        ]
    )
    folder = tmp_path_factory.mktemp("mc-background")
    yield name, folder
    bd.projects.set_current(template)
    bd.projects.delete_project(name, delete_dir=True)


def _bw2calc_scores(demand: dict[str, float], method: tuple[str, ...], n: int) -> np.ndarray:
    import bw2calc as bc
    import bw2data as bd

    ids = {bd.get_node(database="random", code=code).id: q for code, q in demand.items()}
    lca = bc.LCA(ids, method=method, use_distributions=True, seed_override=8)
    lca.lci()
    lca.lcia()
    scores = np.empty(n)
    for k in range(n):
        next(lca)
        scores[k] = lca.score
    return scores


def _assert_same_distribution(
    ours: tuple[float, float, float], n_ours: int, theirs: np.ndarray, sd_ours: float
) -> None:
    """Mean, p2.5 and p97.5 of footprint's sample (``ours``) against bw2calc's sample."""
    n = len(theirs)
    mean_error = math.sqrt(theirs.var(ddof=1) / n + sd_ours**2 / n_ours)
    assert abs(ours[0] - theirs.mean()) < 4.5 * mean_error, (ours[0], theirs.mean(), mean_error)
    rng = np.random.default_rng(0)
    resampled = theirs[rng.integers(0, n, size=(2000, n))]
    for got, p in zip(ours[1:], (2.5, 97.5), strict=True):
        expected = float(np.percentile(theirs, p))
        se_theirs = float(np.percentile(resampled, p, axis=1).std(ddof=1))
        se = se_theirs * math.sqrt(1 + n / n_ours)
        assert abs(got - expected) < 4.5 * se, (p, got, expected, se)


def test_the_background_really_has_loops_and_spread(project) -> None:
    """Guard on the test itself: loops (a strongly connected component > 1) and stored
    distributions that footprint finds."""
    from scipy.sparse.csgraph import connected_components

    from footprint.uncertainty.background import background_problem

    problem = background_problem(["random::a7"], project=project[0])
    import scipy.sparse as sp

    pattern = sp.csr_matrix(
        (np.ones(len(problem.plan.csr_indices)), problem.plan.csr_indices, problem.plan.csr_indptr),
        shape=(problem.size, problem.size),
    )
    _, labels = connected_components(pattern, directed=True, connection="strong")
    assert np.bincount(labels).max() >= GROUP
    # every input and emission of the 40 activities: 2–3 inputs, 1–2 emissions each
    assert problem.uncertain_entries > 3 * N_ACTIVITIES


def test_unit_scores_with_uncertain_factors_agree_with_bw2calc(project) -> None:
    """The background module alone, with characterisation factors that carry a distribution
    (a normal on CO2's factor): unit scores of one activity against bw2calc's Monte Carlo."""
    from footprint.uncertainty.background import background_problem, block_scores

    method = ("mc test", "uncertain gwp")
    problem = background_problem(["random::a12"], project=project[0], method=method)
    assert problem.characterisation.uncertain == 1
    ours = np.concatenate([block_scores(problem, 3, b, 100)[:, 0] for b in range(12)])
    theirs = _bw2calc_scores({"a12": 1.0}, method, BW_ITERATIONS)
    stats = (ours.mean(), *np.percentile(ours, [2.5, 97.5]))
    _assert_same_distribution(stats, len(ours), theirs, ours.std(ddof=1))
    assert ours.std() > 0.05 * ours.mean()  # a real spread, not a fixed background


def test_a_block_cut_into_pieces_gives_the_same_bits(project) -> None:
    """Each iteration draws from its own streams: a block computed in pieces (as the Dask
    tasks do when there are few blocks for the workers) equals the whole block bit for bit,
    and the iterations differ from each other."""
    from footprint.uncertainty.background import background_problem, block_scores

    problem = background_problem(["random::a7", "random::a23"], project=project[0])
    whole = block_scores(problem, 4, 1, 100)
    pieces = np.vstack([block_scores(problem, 4, 1, 37, 0), block_scores(problem, 4, 1, 63, 37)])
    assert np.array_equal(whole, pieces)
    assert np.array_equal(block_scores(problem, 4, 1, 10, 50), whole[50:60])
    assert len(np.unique(whole[:, 0])) == 100
    assert not np.array_equal(block_scores(problem, 4, 2, 100), whole)  # another block


@pytest.fixture(scope="module")
def assessed(project):
    """An engine on the project and the assessment of one BOM: three lines on Brightway
    activities and one on a catalog dataset with its own normal."""
    import footprint

    name, folder = project
    datasets = folder / "mc-catalog.csv"
    datasets.write_text(
        "id,name,unit,climate_change,uncertainty_type,uncertainty_loc,uncertainty_scale\n"
        f"mc-glue,glue,kg,{CATALOG[0]},normal,{CATALOG[0]},{CATALOG[1]}\n",
        encoding="utf-8",
    )
    bom = folder / "widget.csv"
    rows = [
        "id,parent,name,quantity,unit,dataset,stage",
        "widget,,Widget,1,piece,,",
        *(
            f"l-{code},widget,Part {code},{q},kg,random::{code},raw materials"
            for code, q in LINES.items()
        ),
        "glue,widget,Glue,1,kg,mc-glue,manufacturing",
    ]
    bom.write_text("\n".join(rows) + "\n", encoding="utf-8")
    engine = footprint.Engine([datasets], brightway_project=name, use_cache=False)
    return engine, engine.assess(bom)


def test_product_totals_agree_with_bw2calc(assessed) -> None:
    """Line figures → product total with the background sampled and a catalog line's own
    normal in the same iteration stream, against bw2calc's Monte Carlo of the product's
    Brightway demand plus an independent N(3, 0.3) for the catalog line."""
    from footprint.lca.project import footprint_method
    from footprint.uncertainty.montecarlo import simulate

    engine, assessment = assessed
    result = simulate(assessment, dict(engine.catalog.datasets), iterations=ITERATIONS, seed=17)
    (product,) = result.products
    assert product.fixed_lines == []
    assert "Brightway background" in result.distributions["random::a7"]
    theirs = _bw2calc_scores(LINES, footprint_method("total"), BW_ITERATIONS)
    theirs = theirs + np.random.default_rng(5).normal(*CATALOG, BW_ITERATIONS)
    stats = (product.total.mean, product.total.p2_5, product.total.p97_5)
    _assert_same_distribution(stats, ITERATIONS, theirs, product.total.sd)
    assert product.total.sd > 0.05 * product.total.mean
    # the stage of the Brightway lines carries their spread; the catalog line its own normal
    glue = product.by_stage["manufacturing"]
    assert abs(glue.mean - CATALOG[0]) < 4.5 * CATALOG[1] / math.sqrt(ITERATIONS)


def test_same_numbers_whatever_the_chunks_and_dask_workers(assessed) -> None:
    """Same seed → same bits: in one process with 1 or 3 blocks per task, and on a real
    LocalCluster of 1 and 2 worker processes (4 blocks on 2 workers: each block's background
    cut in two tasks)."""
    from footprint.uncertainty.cluster import dask_client
    from footprint.uncertainty.montecarlo import simulate

    engine, assessment = assessed
    datasets = dict(engine.catalog.datasets)
    alone = simulate(assessment, datasets, iterations=350, seed=4)
    chunked = simulate(assessment, datasets, iterations=350, seed=4, blocks_per_task=3)
    with dask_client(workers=1) as client:
        one = simulate(assessment, datasets, iterations=350, seed=4, client=client)
    with dask_client(workers=2) as client:
        two = simulate(
            assessment, datasets, iterations=350, seed=4, client=client, blocks_per_task=2
        )
    assert alone == chunked == one == two
    other = simulate(assessment, datasets, iterations=350, seed=5)
    assert other.products[0].total.mean != alone.products[0].total.mean
    fixed = simulate(assessment, datasets, iterations=350, seed=4, brightway=False)
    assert sorted(fixed.products[0].fixed_lines) == sorted(f"l-{code}" for code in LINES)


GADGET = {"a7": 4.0, "a23": 1.0}  # the gadget's Brightway demand: its line + the part's inputs
PART_OWN = 0.5  # the part's own (catalog) burden per kg, kept fixed


@pytest.fixture(scope="module")
def gadget(project):
    """A BOM whose catalog dataset ``mc-part`` has Brightway inputs (2 kg of a7, 1 kg of a23
    per kg) beside a line on a7 itself and the glue's own normal: total per iteration
    0.5 + 4·λ(a7) + λ(a23) + N(3, 0.3), λ the background's unit scores of that iteration."""
    name, folder = project
    datasets = folder / "gadget-catalog.csv"
    datasets.write_text(
        "id,name,unit,climate_change,inputs,uncertainty_type,uncertainty_loc,uncertainty_scale\n"
        f"mc-glue,glue,kg,{CATALOG[0]},,normal,{CATALOG[0]},{CATALOG[1]}\n"
        f"mc-part,part,kg,{PART_OWN},random::a7=2; random::a23=1,none,,\n",
        encoding="utf-8",
    )
    bom = folder / "gadget.csv"
    bom.write_text(
        "id,parent,name,quantity,unit,dataset,stage\n"
        "gadget,,Gadget,1,piece,,\n"
        "l-a7,gadget,Part a7,2,kg,random::a7,raw materials\n"
        "part,gadget,Bought part,1,kg,mc-part,raw materials\n"
        "glue,gadget,Glue,1,kg,mc-glue,manufacturing\n",
        encoding="utf-8",
    )
    return name, datasets, bom


def _bw2calc_gadget() -> np.ndarray:
    from footprint.lca.project import footprint_method

    theirs = _bw2calc_scores(GADGET, footprint_method("total"), BW_ITERATIONS)
    return theirs + PART_OWN + np.random.default_rng(5).normal(*CATALOG, BW_ITERATIONS)


def test_catalog_dataset_with_brightway_inputs_moves_with_the_background(gadget) -> None:
    """The part's unit score moves with the same background draw as the a7 line (bw2calc's
    demand a7 = 4, a23 = 1: the part's 2 + the line's 2), not with a fixed figure."""
    import footprint
    from footprint.uncertainty.montecarlo import simulate

    name, datasets, bom = gadget
    engine = footprint.Engine([datasets], brightway_project=name, use_cache=False)
    assessment = engine.assess(bom)
    result = simulate(assessment, dict(engine.catalog.datasets), iterations=ITERATIONS, seed=17)
    (product,) = result.products
    assert product.fixed_lines == []
    assert "Brightway inputs" in result.distributions["mc-part"]
    stats = (product.total.mean, product.total.p2_5, product.total.p97_5)
    _assert_same_distribution(stats, ITERATIONS, _bw2calc_gadget(), product.total.sd)
    # the part alone: 0.5 + 2·λ(a7) + λ(a23) (its own burden fixed, its inputs sampled)
    assert product.drivers["part"] > 0.05


def test_cli_monte_carlo_on_a_brightway_project_agrees_with_bw2calc(gadget, run_cli, tmp_path):
    """``footprint assess … --brightway-project P --iterations N --seed S``: the JSON's product
    total against bw2calc's Monte Carlo of the same demand; the same seed again gives the same
    bits."""
    import json

    name, datasets, bom = gadget
    outputs = [tmp_path / "one.json", tmp_path / "two.json"]
    for out in outputs:
        result = run_cli(
            "assess", str(bom), "--datasets", str(datasets), "--brightway-project", name,
            "--iterations", str(ITERATIONS), "--seed", "23", "--json", str(out), "--quiet",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    one, two = (json.loads(out.read_text())["uncertainty"] for out in outputs)
    assert one == two
    assert one["iterations"] == ITERATIONS and one["seed"] == 23
    (product,) = one["products"]
    total = product["total"]
    stats = (total["mean"], total["p2_5"], total["p97_5"])
    _assert_same_distribution(stats, ITERATIONS, _bw2calc_gadget(), total["sd"])
    assert total["sd"] > 0.05 * total["mean"]
    assert product["fixed_lines"] == []
