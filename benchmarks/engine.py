"""Benchmark: footprints of many products, footprint's engine against Brightway's batch paths.

    BRIGHTWAY_DIR=/tmp/footprint-bench/bw python benchmarks/engine.py   # both backgrounds
    ... benchmarks/engine.py --backgrounds loop:40000 --skip-forward --skip-superlu

Backgrounds (``--backgrounds``, each written once into its own Brightway project):

- ``triangular[:n]``: shaped like ecoinvent *as if sorted* (20,000 activities, ~10 inputs
  each: most from a few hundred Zipf-popular hub activities, a couple from nearby upstream
  activities, loops only inside small groups of ≤ 50), written upstream first;
- ``loop[:n[:share[:insertion]]]``: shaped like a real database (Kuczenski 2015): one strongly
  connected component of ``share`` (default 65 %) of the activities — 300 Zipf-popular markets
  ⇄ their producers — with acyclic activities up- and downstream, the inputs of every
  activity summing below 1, written in ``random`` (default) or ``upstream-first`` order.

10,000 products × 100 lines reference the background's activities.  Each contender runs in a
fresh process (cold: matrices are built from the project's processed data, factorised /
solved, scored) and reports its time and peak memory; the totals of all contenders are
asserted equal (1e-9 relative).  The solver path footprint took is printed.

Contenders
- ``footprint cold``: ``project_unit_scores`` without cache (A, B, C from the processed
  datapackages; one adjoint solve for the four EF 3.1 indicators) + footprints of 1,000
  products;
- ``footprint warm``: unit scores from the on-disk cache + footprints of 10,000 products;
- ``bw2calc FastScoresOnlyMultiLCA (pypardiso)``: Brightway's best batch path, in its adjoint
  direction (one PARDISO factorisation, one solve per indicator) and in its current default
  forward direction (one solve per product), for 1,000 products and the four indicators;
- ``bw2calc MultiLCA (SuperLU)``: Brightway without pypardiso (its default solver);
- ``footprint Engine.assess_products warm``: the whole pipeline that produces the
  ``Assessment`` (linking, footprints, pydantic results per line, circularity) for 1,000 and
  10,000 products, with the unit scores from the cache; products are built beforehand
  (``--pipeline-background`` only);
- ``footprint Engine.footprint_table warm``: the pipelines' fast path, with the cyclic GC
  paused as it ships and, as the baseline, left running.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import footprint.lca  # noqa: F401  # first: passes BRIGHTWAY_DIR on before bw2data is imported

N_ACTIVITIES = 20_000
N_HUBS = 300
MAX_GROUP = 50
LINES_PER_PRODUCT = 100
MAX_PRODUCTS = 10_000
DATABASE = "synthetic"
PROJECT = "footprint-bench"
SELECTION = "climate"  # the contenders score climate change, or "ef31": every EF 3.1 method
# biosphere3 air flows: CO2 fossil, CH4 fossil, N2O, CH4 non-fossil, CO2 from soil or biomass
FLOWS = (
    "349b29d1-3e58-4c66-98b9-9d1a076efd2e",
    "0795345f-c7ae-410c-ad25-1845784c75f5",
    "20185046-64bb-4c09-a8e7-e8a9e144ca98",
    "da1157e2-7593-4dfd-80dd-a3449b37a4d8",
    "e4e9febc-07c1-403d-8d3a-6707bb4d96e6",
)


def synthetic_background(
    n: int = N_ACTIVITIES, seed: int = 1, profile_flows: Sequence[str] = ()
) -> dict:
    """Activities in upstream-first order, as a Brightway ``Database.write`` dictionary.

    ``profile_flows``: biosphere3 codes of which every activity also emits a few (drawn from
    a generator of its own: the technosphere and greenhouse gases stay the same).
    """
    rng = np.random.default_rng(seed)
    profile_rng = np.random.default_rng(seed + 2000)
    hubs = np.sort(
        rng.choice(np.arange(1, max(2, n // 2)), size=min(N_HUBS, n // 4), replace=False)
    )
    popularity = 1.0 / np.arange(1, len(hubs) + 1)  # Zipf: the k-th hub is used ∝ 1/k
    rng.shuffle(popularity)
    starts = [0]
    while starts[-1] < n:  # group sizes: mostly 1, a few loops up to MAX_GROUP
        size = 1 if rng.random() < 0.8 else int(rng.integers(2, MAX_GROUP + 1))
        starts.append(min(n, starts[-1] + size))
    group_of = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    data = {}
    for i in range(n):
        group_start = starts[group_of[i]]
        group_end = starts[group_of[i] + 1]
        inputs: dict[int, float] = {}
        upstream_hubs = hubs[hubs < group_start]
        if len(upstream_hubs):
            weights = popularity[: len(upstream_hubs)] / popularity[: len(upstream_hubs)].sum()
            for j in rng.choice(upstream_hubs, size=min(8, len(upstream_hubs)), p=weights):
                inputs[int(j)] = inputs.get(int(j), 0.0) + float(rng.uniform(0.001, 0.05))
        if group_start > 0:
            for j in rng.integers(max(0, group_start - 30), group_start, size=2):
                inputs[int(j)] = inputs.get(int(j), 0.0) + float(rng.uniform(0.01, 0.2))
        if group_end - group_start > 1:  # a loop inside the group
            j = int(rng.integers(group_start, group_end))
            if j != i:
                inputs[j] = inputs.get(j, 0.0) + float(rng.uniform(0.01, 0.3))
        exchanges = [{"input": (DATABASE, f"a{i}"), "amount": 1.0, "type": "production"}]
        exchanges += [
            {"input": (DATABASE, f"a{j}"), "amount": amount, "type": "technosphere"}
            for j, amount in inputs.items()
        ]
        exchanges += _greenhouse_gases(rng)
        exchanges += _profile_emissions(profile_rng, profile_flows)
        data[(DATABASE, f"a{i}")] = _activity(i, exchanges)
    return data


def giant_loop_inputs(
    n: int = N_ACTIVITIES, loop_share: float = 0.65, seed: int = 1
) -> list[dict[int, float]]:
    """Technosphere inputs {input activity: amount per unit} of each activity, upstream first.

    The shape of a real LCI database (Kuczenski 2015): one strongly connected component of
    ``loop_share`` of the activities — 300 markets (Zipf-popular: the k-th is used ∝ 1/k),
    each supplied by ~1/300 of the loop's producers, every producer using ~8 markets and 2
    activities upstream of the loop — with acyclic upstream and downstream activities around
    it.  The inputs of every activity sum to 0.2–0.95 units (spectral radius below 1).
    """
    rng = np.random.default_rng(seed)
    n_loop = int(round(loop_share * n))
    n_up = (n - n_loop) // 2
    loop_end = n_up + n_loop
    hubs = rng.choice(np.arange(n_up, loop_end), size=min(N_HUBS, n_loop), replace=False)
    popularity = 1.0 / np.arange(1, len(hubs) + 1)
    popularity /= popularity.sum()
    is_hub = np.zeros(n, dtype=bool)
    is_hub[hubs] = True
    producers: dict[int, list[int]] = {int(h): [] for h in hubs}
    for a in range(n_up, loop_end):
        if not is_hub[a]:
            producers[int(hubs[rng.integers(len(hubs))])].append(a)
    result = []
    for a in range(n):
        chosen: list[int] = []
        if a < n_up:  # upstream of the loop: a few inputs from nearby upstream activities
            if a:
                chosen = rng.integers(max(0, a - 200), a, size=min(a, 6)).tolist()
        elif is_hub[a]:  # a market: its producers and two other markets
            chosen = producers[a] or [int(rng.integers(n_up, loop_end))]
            chosen = chosen + rng.choice(hubs, size=2, p=popularity).tolist()
        else:  # a producer in the loop, or a downstream activity: markets and upstream
            chosen = rng.choice(hubs, size=8, p=popularity).tolist()
            if n_up:
                chosen += rng.integers(0, n_up, size=2).tolist()
            if a >= loop_end:
                chosen += rng.integers(n_up, a, size=1).tolist()
        inputs = dict.fromkeys(int(j) for j in chosen if j != a)
        if inputs:
            shares = rng.uniform(0.05, 1.0, len(inputs))
            shares *= rng.uniform(0.2, 0.95) / shares.sum()
            inputs = dict(zip(inputs, shares.tolist(), strict=True))
        result.append(inputs)
    return result


def giant_loop_background(
    n: int = N_ACTIVITIES,
    loop_share: float = 0.65,
    insertion: str = "random",
    seed: int = 1,
    profile_flows: Sequence[str] = (),
) -> dict:
    """``giant_loop_inputs`` as a Brightway ``Database.write`` dictionary.

    ``insertion="random"``: activities reach Brightway in a random order, as an import gives
    them (Brightway numbers them in that order); ``"upstream-first"``: in dependency order.
    ``profile_flows``: as for ``synthetic_background``.
    """
    rng = np.random.default_rng(seed + 1000)
    profile_rng = np.random.default_rng(seed + 2000)
    inputs = giant_loop_inputs(n, loop_share, seed)
    order = rng.permutation(n) if insertion == "random" else np.arange(n)
    data = {}
    for i in order.tolist():
        exchanges = [{"input": (DATABASE, f"a{i}"), "amount": 1.0, "type": "production"}]
        exchanges += [
            {"input": (DATABASE, f"a{j}"), "amount": amount, "type": "technosphere"}
            for j, amount in inputs[i].items()
        ]
        exchanges += _greenhouse_gases(rng)
        exchanges += _profile_emissions(profile_rng, profile_flows)
        data[(DATABASE, f"a{i}")] = _activity(i, exchanges)
    return data


def _greenhouse_gases(rng: np.random.Generator) -> list[dict]:
    return [
        {
            "input": ("biosphere3", str(flow)),
            "amount": float(rng.uniform(0.01, 3.0)),
            "type": "biosphere",
        }
        for flow in rng.choice(FLOWS, size=int(rng.integers(1, 4)), replace=False)
    ]


def _profile_emissions(rng: np.random.Generator, flows: Sequence[str]) -> list[dict]:
    """Three to six of ``flows`` (none when there are none), amounts 0.001–1."""
    if not len(flows):
        return []
    chosen = rng.choice(len(flows), size=min(len(flows), int(rng.integers(3, 7))), replace=False)
    return [
        {
            "input": ("biosphere3", flows[k]),
            "amount": float(rng.uniform(0.001, 1.0)),
            "type": "biosphere",
        }
        for k in sorted(chosen.tolist())
    ]


def profile_flows(methods: Sequence[tuple[str, ...]], per_method: int = 3) -> list[str]:
    """biosphere3 codes of ``per_method`` flows characterised by each of ``methods`` (the
    current project's): with them every EF 3.1 column of h is non-zero, as on ecoinvent."""
    import bw2data as bd

    codes: list[str] = []
    for method in methods:
        keys = []
        for flow, _factor, *_ in bd.Method(method).load():
            node = bd.get_node(id=flow) if isinstance(flow, int) else bd.get_node(key=tuple(flow))
            if node["database"] == "biosphere3":
                keys.append(node["code"])
            if len(keys) == per_method:
                break
        codes += [code for code in keys if code not in codes and code not in FLOWS]
    return codes


def _activity(i: int, exchanges: list[dict]) -> dict:
    return {
        "name": f"synthetic activity {i}",
        "unit": "kilogram",
        "type": "process",
        "location": "GLO",
        "exchanges": exchanges,
    }


def product_lines(n_products: int, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(activity index, amount) of each line, shape (n_products, LINES_PER_PRODUCT)."""
    rng = np.random.default_rng(seed)
    # drawn for the largest run and cut, so the first products are the same in every run
    count = max(n_products, MAX_PRODUCTS)
    activities = rng.integers(0, N_ACTIVITIES, size=(count, LINES_PER_PRODUCT))
    amounts = rng.uniform(0.001, 5.0, size=(count, LINES_PER_PRODUCT))
    return activities[:n_products], amounts[:n_products]


# -- the contenders, each in its own process ----------------------------------------------------


def _open_project() -> None:
    import bw2data as bd

    bd.projects.set_current(PROJECT)


def _activity_ids() -> np.ndarray:
    """Brightway id of activity a{i}, indexed by i."""
    from bw2data.backends import ActivityDataset

    ids = np.zeros(N_ACTIVITIES, dtype=np.int64)
    query = ActivityDataset.select(ActivityDataset.id, ActivityDataset.code).where(
        ActivityDataset.database == DATABASE
    )
    for row in query:
        ids[int(row.code[1:])] = row.id
    return ids


def _methods() -> list[tuple[str, ...]]:
    """The methods every contender scores: climate change (4), or every EF 3.1 method (25)."""
    return ef31_methods() if SELECTION == "ef31" else _climate_methods()


def _climate_methods() -> list[tuple[str, ...]]:
    from footprint.lca.project import INDICATORS, footprint_method

    return [footprint_method(i) for i in INDICATORS]


def run_footprint(n_products: int, use_cache: bool) -> dict:
    import bw2calc  # noqa: F401  # imported before timing, as in the baselines
    import scipy.sparse as sp

    # the solver module too (imported on first use; bw2calc's solvers are imported above)
    import footprint.lca.solve  # noqa: F401
    from footprint.lca.unit_scores import project_unit_scores

    _open_project()
    activities, amounts = product_lines(n_products)
    ids = _activity_ids()
    if use_cache:  # warm: the cache file exists (written here, untimed, when it does not)
        project_unit_scores(_methods())
    start = time.perf_counter()
    scores = project_unit_scores(_methods(), use_cache=use_cache)
    solved = time.perf_counter()
    rows = scores.rows(ids)  # activity index → row of λ
    demand = sp.csr_matrix(
        (
            amounts.ravel(),
            rows[activities.ravel()],
            np.arange(0, amounts.size + 1, LINES_PER_PRODUCT),
        ),
        shape=(n_products, len(scores.product_ids)),
    )
    totals = demand @ scores.scores  # Σ amount × λ over all lines of all products
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "unit_scores_seconds": solved - start,
        "footprints_seconds": end - solved,
        "solver": scores.solver,
        "totals": totals.tolist(),
    }


def bench_products(n_products: int) -> list:
    """The same products as ``product_lines``, as ``footprint.model.Product`` objects."""
    from footprint.model import BomLine, Product, SourceRef

    activities, amounts = product_lines(n_products)
    source = SourceRef(file="bench.xlsx", sheet="BOM")
    products = []
    for p in range(n_products):
        # model_construct: the fields are valid by construction (checked on the first line)
        lines = [
            BomLine.model_construct(
                id=f"l{k}",
                quantity=float(amounts[p, k]),
                unit="kg",
                dataset=f"{DATABASE}::a{activities[p, k]}",
                source=source,
            )
            for k in range(LINES_PER_PRODUCT)
        ]
        products.append(Product.model_construct(id=f"p{p}", lines=lines))
    BomLine.model_validate(products[0].lines[0].model_dump())
    return products


def run_pipeline(n_products: int) -> dict:
    """``Engine.assess_products``: link, footprint, circularity → ``Assessment`` (warm)."""
    from footprint.api import Engine
    from footprint.lca.project import INDICATORS

    engine = Engine(brightway_project=PROJECT)  # unit scores from the cache: warm
    products = bench_products(n_products)
    start = time.perf_counter()
    assessment = engine.assess_products(products)
    assessed = time.perf_counter()
    document = assessment.to_json(indent=None)
    end = time.perf_counter()
    totals = [
        [getattr(product.climate_change, name) for name in INDICATORS]
        for product in assessment.products
    ]
    return {
        "seconds": assessed - start,
        "to_json_seconds": end - assessed,
        "json_mib": len(document) / 2**20,
        "totals": totals,
    }


def run_table(n_products: int, *, gc_paused: bool = True) -> dict:
    """``Engine.footprint_table``: link and footprint every line → one DataFrame (warm).

    ``gc_paused=False``: the baseline, the same code with the cyclic GC left running.
    """
    import contextlib

    import footprint.api
    from footprint.api import Engine
    from footprint.lca.project import INDICATORS

    if not gc_paused:
        footprint.api.cyclic_gc_paused = contextlib.nullcontext  # type: ignore[assignment]

    engine = Engine(brightway_project=PROJECT)  # unit scores from the cache: warm
    products = bench_products(n_products)
    start = time.perf_counter()
    table = engine.footprint_table(products)
    seconds = time.perf_counter() - start
    totals = table.groupby("product", sort=False)[list(INDICATORS)].sum()
    return {"seconds": seconds, "rows": len(table), "totals": totals.to_numpy().tolist()}


def run_brightway(n_products: int, solver: str) -> dict:
    if solver == "superlu":
        sys.modules["pypardiso"] = None  # type: ignore[assignment]  # hide it from bw2calc
    import bw2calc as bc
    import bw2data as bd

    _open_project()
    activities, amounts = product_lines(n_products)
    ids = _activity_ids()
    demands: dict[str, dict[int, float]] = {}
    for p in range(n_products):  # repeated activities in one product add up
        merged: dict[int, float] = {}
        for a, q in zip(activities[p], amounts[p], strict=True):
            merged[int(ids[a])] = merged.get(int(ids[a]), 0.0) + float(q)
        demands[f"p{p}"] = merged
    methods = _methods()
    start = time.perf_counter()
    config = {"impact_categories": methods}
    # the datapackages directly: bw2data's get_multilca_data_objs looks every demand up in
    # SQLite one by one (about 60 s here), which would measure bw2data, not the calculation
    data_objs = [bd.Database(name).datapackage() for name in sorted(bd.databases)]
    data_objs += [bd.Method(m).datapackage() for m in methods]
    if solver in ("pardiso", "pardiso-forward"):
        assert bc.PYPARDISO, "pypardiso is not installed: pip install pypardiso"
        lca = bc.FastScoresOnlyMultiLCA(
            demands=demands,
            method_config=config,
            data_objs=data_objs,
            direction="adjoint" if solver == "pardiso" else "forward",
        )
        next(lca)
        scores = lca.scores  # LCIA × demands
        keys = list(lca.precalculated)
        order = [next(i for i, k in enumerate(keys) if k == m or m in k) for m in methods]
        values = np.asarray(scores.values)[order]  # methods × demands, demands in given order
        assert list(scores.coords["processes"].values) == list(demands)
        totals = values.T.tolist()
    else:
        assert not bc.PYPARDISO
        lca = bc.MultiLCA(demands=demands, method_config=config, data_objs=data_objs)
        lca.lci()
        lca.lcia()
        totals = [[float(lca.scores[(m, f"p{p}")]) for m in methods] for p in range(n_products)]
    end = time.perf_counter()
    return {"seconds": end - start, "solver": solver, "totals": totals}


def _peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM starts afresh at exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(args: argparse.Namespace) -> None:
    global SELECTION
    SELECTION = args.indicators
    _use_background(args.background)
    if args.contender == "footprint":
        result = run_footprint(args.products, use_cache=args.warm)
    elif args.contender == "pipeline":
        result = run_pipeline(args.products)
    elif args.contender in ("table", "table-gc-on"):
        result = run_table(args.products, gc_paused=args.contender == "table")
    else:
        result = run_brightway(args.products, args.contender)
    result["peak_rss_mib"] = _peak_rss_mib()
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


# -- orchestration --------------------------------------------------------------------------------


def _parse_background(spec: str) -> tuple[str, int, float, str, bool]:
    """``triangular[:n][+ef31]`` or ``loop[:n[:share[:insertion]]][+ef31]`` →
    (shape, n, share, insertion, profile): ``+ef31`` adds emissions characterised by every
    EF 3.1 method (``profile_flows``) to the greenhouse gases."""
    base, plus, suffix = spec.partition("+")
    if plus and suffix != "ef31":
        raise SystemExit(f"unknown background {spec!r}: the only suffix is +ef31")
    shape, *rest = base.split(":")
    if shape not in ("triangular", "loop"):
        raise SystemExit(f"unknown background {spec!r}: triangular[:n] or loop[:n[:share[:order]]]")
    n = int(rest[0]) if rest else N_ACTIVITIES
    share = float(rest[1]) if len(rest) > 1 else 0.65
    insertion = rest[2] if len(rest) > 2 else "random"
    return shape, n, share, insertion, bool(plus)


def _use_background(spec: str) -> None:
    """Point the contenders at the background's own project (and its size)."""
    global N_ACTIVITIES, PROJECT
    shape, n, share, insertion, profile = _parse_background(spec)
    N_ACTIVITIES = n
    if shape == "triangular":
        PROJECT = "footprint-bench" if n == 20_000 else f"footprint-bench-{n}"
    else:
        PROJECT = f"footprint-bench-loop-{n}-{share:g}-{insertion}"
    if profile:
        PROJECT += "-ef31"


def _describe(spec: str) -> str:
    shape, n, share, insertion, profile = _parse_background(spec)
    emissions = "; emissions of every EF 3.1 category" if profile else ""
    if shape == "triangular":
        text = f"nearly triangular, {n:,} activities, upstream first, loops ≤ {MAX_GROUP}"
    else:
        text = f"giant loop, {n:,} activities, {share:.0%} in one loop, {insertion} insertion order"
    return text + emissions


def ef31_methods() -> list[tuple[str, ...]]:
    """The four climate methods footprint computes, then the other EF 3.1 methods (bw2io's)."""
    from footprint.lca.indicators import parse_selection
    from footprint.lca.project import computing_method

    columns = _climate_methods()
    for indicator in parse_selection("ef31"):
        if computing_method(indicator.method) not in columns:
            columns.append(computing_method(indicator.method))
    return columns


def prepare(spec: str, all_ef31: bool = False) -> None:
    import bw2data as bd

    from footprint.lca.indicators import parse_selection
    from footprint.lca.project import ensure_project

    _use_background(spec)
    if PROJECT not in bd.projects:
        bd.projects.create_project(PROJECT)
    profile = _parse_background(spec)[4]
    # the other EF 3.1 methods are written (offline, from bw2io) only when they are used
    ef31 = [i.method for i in parse_selection("ef31")]
    ensure_project(PROJECT, ef31 if profile or all_ef31 else [])
    if DATABASE not in bd.databases:
        started = time.perf_counter()
        shape, n, share, insertion, profile = _parse_background(spec)
        extra = profile_flows(ef31_methods()[len(_climate_methods()) :]) if profile else []
        if shape == "triangular":
            data = synthetic_background(n, profile_flows=extra)
        else:
            data = giant_loop_background(n, share, insertion, profile_flows=extra)
        bd.Database(DATABASE).write(data)
        print(f"wrote {n} synthetic activities in {time.perf_counter() - started:.0f} s")
    from footprint.api import Engine

    Engine(brightway_project=PROJECT, use_cache=False)  # footprint's datasets, as for everyone


def contender(
    name: str, products: int, *, background: str, warm: bool = False, cache_dir: str
) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, __file__, "--child", name, "--products", str(products)]
    command += ["--background", background, "--out", out, "--indicators", SELECTION]
    command += ["--warm"] if warm else []
    subprocess.run(command, check=True, env={**os.environ, "FOOTPRINT_CACHE_DIR": cache_dir})
    result = json.loads(Path(out).read_text(encoding="utf-8"))
    os.unlink(out)
    return result


def _show(label: str, result: dict) -> None:
    extra = ""
    if "to_json_seconds" in result:
        extra = f"   (then to_json {result['to_json_seconds']:.2f} s, {result['json_mib']:.0f} MiB)"
    print(f"{label:<72} {result['seconds']:>9.3f} s {result['peak_rss_mib']:>7.0f} MiB{extra}")
    sys.stdout.flush()


def _median_run(run, name: str, products: int, repeat: int) -> dict:
    """The run of median time among ``repeat`` fresh-process runs (the machine is shared)."""
    results = sorted((run(name, products) for _ in range(repeat)), key=lambda r: r["seconds"])
    median = results[len(results) // 2]
    median["all_seconds"] = [r["seconds"] for r in results]
    return median


def _repeated(repeat: int) -> str:
    return f" (median of {repeat})" if repeat > 1 else ""


def bench_background(spec: str, args: argparse.Namespace) -> None:
    """Every contender on one background; totals asserted equal; speed-ups printed."""
    print(f"\n== {_describe(spec)}")
    prepare(spec, all_ef31=SELECTION == "ef31")
    cache = tempfile.mkdtemp(prefix="footprint-bench-cache-")
    n = args.products
    run = functools.partial(contender, background=spec, cache_dir=cache)
    ours = _median_run(run, "footprint", n, args.repeat)
    print(f"   solver: {ours['solver']}")
    _show(f"footprint cold, {n} products{_repeated(args.repeat)}", ours)
    warm = run("footprint", args.warm_products, warm=True)
    _show(f"footprint warm, {args.warm_products} products", warm)
    baselines = []
    for name, label in (
        ("pardiso", "bw2calc FastScoresOnlyMultiLCA adjoint, pypardiso"),
        ("pardiso-forward", "bw2calc FastScoresOnlyMultiLCA forward, pypardiso"),
        ("superlu", "bw2calc MultiLCA, SuperLU"),
    ):
        if name == "pardiso-forward" and args.skip_forward:
            continue
        if name == "superlu" and args.skip_superlu:
            continue
        result = _median_run(run, name, n, args.repeat if name == "pardiso" else 1)
        _show(f"{label}, {n} products{_repeated(args.repeat if name == 'pardiso' else 1)}", result)
        baselines.append((label, result))
    expected = np.asarray(ours["totals"])
    pipelines = []
    if spec == args.pipeline_background:
        for count in (int(c) for c in args.pipeline_products.split(",") if c):
            pipeline = run("pipeline", count)
            _show(f"footprint Engine.assess_products warm, {count} products", pipeline)
            pipelines.append(pipeline)
        for name, how in (("table-gc-on", "cyclic GC running"), ("table", "cyclic GC paused")):
            table = run(name, args.warm_products)
            label = f"footprint Engine.footprint_table warm, {how}, {args.warm_products} products"
            _show(label, table)
            climate = expected[:, : len(_climate_methods())]  # the pipelines' columns
            np.testing.assert_allclose(np.asarray(table["totals"])[:n], climate, rtol=1e-9)
    for pipeline in pipelines:
        climate = expected[:n, : len(_climate_methods())]
        np.testing.assert_allclose(np.asarray(pipeline["totals"])[:n], climate, rtol=1e-9)
    for _, baseline in baselines:
        np.testing.assert_allclose(expected, np.asarray(baseline["totals"]), rtol=1e-9)
    np.testing.assert_allclose(np.asarray(warm["totals"])[:n], expected, rtol=1e-12)
    print(
        f"footprint cold: unit scores {ours['unit_scores_seconds']:.3f} s, "
        f"footprints {ours['footprints_seconds']:.4f} s"
    )
    for label, baseline in baselines:
        print(f"speed-up (cold) vs {label}: {baseline['seconds'] / ours['seconds']:.0f}×")
    print("totals equal to 1e-9 relative: yes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", dest="contender")
    parser.add_argument("--background", default="triangular")
    parser.add_argument(
        "--backgrounds",
        default="triangular,loop",
        help="comma-separated: triangular[:n] and/or loop[:n[:share[:random|upstream-first]]]",
    )
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument(
        "--indicators",
        choices=("climate", "ef31"),
        default="climate",
        help="the methods every contender scores: climate change (4) or all of EF 3.1 (25)",
    )
    parser.add_argument("--warm-products", type=int, default=10_000)
    parser.add_argument("--out")
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--skip-superlu", action="store_true")
    parser.add_argument("--skip-forward", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of footprint cold and the adjoint baseline"
    )
    parser.add_argument(
        "--pipeline-products",
        default="1000,10000",
        help="product counts for the Engine.assess_products contender (comma-separated)",
    )
    parser.add_argument(
        "--pipeline-background", default="triangular", help="the background the pipelines run on"
    )
    args = parser.parse_args()
    if args.contender:
        _child(args)
        return
    if "BRIGHTWAY_DIR" not in os.environ:
        sys.exit("set BRIGHTWAY_DIR to a folder under /tmp (never your own Brightway folder)")
    global SELECTION
    SELECTION = args.indicators
    for spec in args.backgrounds.split(","):
        bench_background(spec, args)


if __name__ == "__main__":
    main()
