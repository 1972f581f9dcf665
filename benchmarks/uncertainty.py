"""Benchmark: Monte Carlo on a Brightway background, footprint against bw2calc's Monte Carlo.

    BRIGHTWAY_DIR=/tmp/footprint-bench-mc/bw python benchmarks/uncertainty.py
    ... --products 1000 --iterations 1000 --workers 0,1,2 --bw-iterations 30

Background: ``benchmarks/engine.py``'s nearly triangular generator (20,000 activities, ~10
inputs each, loops inside groups of ≤ 50), every technosphere input and biosphere exchange
given a lognormal (σ of the log drawn in 0.05–0.25 for inputs, 0.1–0.5 for emissions; loc =
ln of the amount), written once into its own Brightway project.  Products: engine.py's
``bench_products`` (100 lines each on random activities).

Contenders, each in a fresh process, peak memory as VmHWM:
- ``footprint``: ``montecarlo.simulate`` of N products × I iterations: per iteration the
  stored distributions are drawn (stats_arrays, as bw2calc draws them), A and B rebuilt in
  their fixed pattern, one adjoint solve with footprint's solver gives every activity's unit
  score, then every line, product total, stage, driver; in one process and on a LocalCluster
  of 1 and 2 worker processes (``--workers``; memory per worker read in each worker);
- ``bw2calc LCA``: ``LCA(demand of one product, use_distributions=True)`` and ``next(lca)``
  per iteration (one product's score per iteration: pypardiso factorises and solves);
- ``bw2calc MultiLCA``: ``MultiLCA(1,000 products, use_distributions=True)`` and ``next()``
  per iteration (one factorisation, one solve per product).

Iterations per second are compared; bw2calc runs fewer iterations (``--bw-iterations``), each
iteration costing the same.  Results from the same seed are asserted identical across
worker counts.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import footprint.lca  # noqa: F401  # first: passes BRIGHTWAY_DIR on before bw2data is imported

_SPEC = importlib.util.spec_from_file_location(
    "engine_bench", Path(__file__).with_name("engine.py")
)
assert _SPEC and _SPEC.loader
engine_bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(engine_bench)

PROJECT = "footprint-bench-mc"
DATABASE = engine_bench.DATABASE


def uncertain_background(n: int, seed: int = 3) -> dict:
    """engine.py's nearly triangular background with a lognormal on every exchange but the
    production ones."""
    data = engine_bench.synthetic_background(n)
    rng = np.random.default_rng(seed)
    for activity in data.values():
        for exchange in activity["exchanges"]:
            if exchange["type"] == "production":
                continue
            low, high = (0.05, 0.25) if exchange["type"] == "technosphere" else (0.1, 0.5)
            exchange["uncertainty type"] = 2
            exchange["loc"] = math.log(exchange["amount"])
            exchange["scale"] = float(rng.uniform(low, high))
    return data


def project_name(n: int) -> str:
    return PROJECT if n == engine_bench.N_ACTIVITIES else f"{PROJECT}-{n}"


def prepare(n: int) -> None:
    import bw2data as bd

    from footprint.lca.project import ensure_project

    name = project_name(n)
    if name not in bd.projects:
        bd.projects.create_project(name)
    ensure_project(name)
    if DATABASE not in bd.databases:
        started = time.perf_counter()
        bd.Database(DATABASE).write(uncertain_background(n))
        print(f"wrote {n} uncertain activities in {time.perf_counter() - started:.0f} s")


def _products(n_products: int, n_activities: int) -> list:
    engine_bench.N_ACTIVITIES = n_activities
    return engine_bench.bench_products(n_products)


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_footprint(args: argparse.Namespace) -> dict:
    from footprint.api import Engine
    from footprint.uncertainty.cluster import dask_client
    from footprint.uncertainty.montecarlo import simulate

    engine = Engine(brightway_project=project_name(args.activities))
    assessment = engine.assess_products(_products(args.products, args.activities))
    datasets = dict(engine.catalog.datasets)
    workers = args.workers or None
    with dask_client(workers=workers) as client:
        start = time.perf_counter()
        result = simulate(assessment, datasets, iterations=args.iterations, seed=42, client=client)
        seconds = time.perf_counter() - start
        worker_mib = sorted(client.run(_peak_rss_mib).values()) if client is not None else []
    return {
        "seconds": seconds,
        "iterations_per_second": args.iterations / seconds,
        "worker_peak_mib": worker_mib,
        "means": [p.total.mean for p in result.products],
        "p97_5": [p.total.p97_5 for p in result.products],
        "fixed_lines": sum(len(p.fixed_lines) for p in result.products),
    }


def _demands(n_products: int, n_activities: int) -> list[dict[int, float]]:
    import bw2data as bd

    ids = {a["code"]: a.id for a in bd.Database(DATABASE)}
    engine_bench.N_ACTIVITIES = n_activities
    activities, amounts = engine_bench.product_lines(n_products)
    demands = []
    for p in range(n_products):
        merged: dict[int, float] = {}
        for a, q in zip(activities[p], amounts[p], strict=True):
            key = ids[f"a{a}"]
            merged[key] = merged.get(key, 0.0) + float(q)
        demands.append(merged)
    return demands


def run_bw2calc(args: argparse.Namespace, multi: bool) -> dict:
    import bw2calc as bc
    import bw2data as bd

    from footprint.lca.project import footprint_method

    bd.projects.set_current(project_name(args.activities))
    method = footprint_method("total")
    demands = _demands(args.products if multi else 1, args.activities)
    data_objs = [bd.Database(name).datapackage() for name in sorted(bd.databases)]
    data_objs.append(bd.Method(method).datapackage())
    start = time.perf_counter()
    if multi:
        lca = bc.MultiLCA(
            demands={f"p{p}": d for p, d in enumerate(demands)},
            method_config={"impact_categories": [method]},
            data_objs=data_objs,
            use_distributions=True,
            seed_override=42,
        )
    else:
        lca = bc.LCA(demands[0], data_objs=data_objs, use_distributions=True, seed_override=42)
    lca.lci()
    lca.lcia()
    setup = time.perf_counter() - start
    iterations = args.multilca_iterations if multi else args.bw_iterations
    start = time.perf_counter()
    for _ in range(iterations):
        next(lca)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "setup_seconds": setup,
        "iterations": iterations,
        "iterations_per_second": iterations / seconds,
        "solver": "pypardiso" if bc.PYPARDISO else "scipy",
    }


def _child(args: argparse.Namespace) -> None:
    import bw2data as bd

    bd.projects.set_current(project_name(args.activities))
    if args.child == "footprint":
        result = run_footprint(args)
    else:
        result = run_bw2calc(args, multi=args.child == "multilca")
    result["peak_rss_mib"] = _peak_rss_mib()
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


def _run(args: argparse.Namespace, child: str, **options: object) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, __file__, "--child", child, "--out", out]
    for key, value in {**vars(args), **options}.items():
        if key in (
            "products",
            "iterations",
            "activities",
            "bw_iterations",
            "multilca_iterations",
            "workers",
        ):
            command += [f"--{key.replace('_', '-')}", str(value)]
    subprocess.run(command, check=True)
    result = json.loads(Path(out).read_text(encoding="utf-8"))
    os.unlink(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child")
    parser.add_argument("--out")
    parser.add_argument("--activities", type=int, default=engine_bench.N_ACTIVITIES)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--bw-iterations", type=int, default=30, help="bw2calc LCA iterations")
    parser.add_argument("--multilca-iterations", type=int, default=3)
    parser.add_argument("--workers", default="0,1,2", help="0: no Dask; else LocalCluster sizes")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run the --workers list this many times in turn"
    )
    parser.add_argument("--skip-multilca", action="store_true")
    parser.add_argument(
        "--skip-bw2calc", action="store_true", help="footprint's rows only (Dask scaling)"
    )
    args = parser.parse_args()
    if args.child:
        args.workers = int(args.workers)
        _child(args)
        return
    if "BRIGHTWAY_DIR" not in os.environ:
        sys.exit("set BRIGHTWAY_DIR to a folder under /tmp (never your own Brightway folder)")
    os.environ.setdefault("FOOTPRINT_CACHE_DIR", tempfile.mkdtemp(prefix="footprint-bench-mc-"))
    prepare(args.activities)
    print(
        f"== {args.activities:,} activities, {args.products:,} products × 100 lines, "
        f"{args.iterations:,} iterations; load: {os.getloadavg()[0]:.1f}"
    )
    ours = []
    sizes = [int(w) for w in args.workers.split(",")] * args.repeat  # interleaved repeats
    for workers in sizes:
        load = os.getloadavg()[0]
        result = _run(args, "footprint", workers=workers)
        where = f"LocalCluster of {workers}" if workers else "one process"
        memory = ", ".join(f"{m:.0f}" for m in result["worker_peak_mib"]) or "—"
        print(
            f"footprint simulate, {where:<20} {result['seconds']:8.1f} s "
            f"{result['iterations_per_second']:7.2f} it/s   peak {result['peak_rss_mib']:.0f} MiB"
            f" (client), workers {memory} MiB; load {load:.1f} → {os.getloadavg()[0]:.1f}"
        )
        ours.append((workers, result))
    for _, other in ours[1:]:
        assert other["means"] == ours[0][1]["means"] and other["p97_5"] == ours[0][1]["p97_5"]
    if len(ours) > 1:
        print("same seed, same numbers whatever the workers: yes")
    rates: dict[int, list[float]] = {}
    for workers, result in ours:
        rates.setdefault(workers, []).append(result["iterations_per_second"])
    if 0 in rates:
        alone = float(np.median(rates[0]))
        for workers, found in rates.items():
            if workers:
                ratio = float(np.median(found)) / alone
                print(
                    f"   LocalCluster of {workers} vs one process: {ratio:.2f}× (medians of "
                    f"{len(found)} and {len(rates[0])} runs; > 1: faster)"
                )
    if args.skip_bw2calc:
        print(f"load after: {os.getloadavg()[0]:.1f}")
        return
    baselines = [("lca", "bw2calc LCA MC, one product")]
    if not args.skip_multilca:
        baselines.append(("multilca", f"bw2calc MultiLCA MC, {args.products} products"))
    for child, label in baselines:
        result = _run(args, child, workers=0)
        print(
            f"{label:<40} {result['iterations_per_second']:7.2f} it/s ({result['iterations']} it, "
            f"{result['solver']}; setup {result['setup_seconds']:.1f} s) "
            f"peak {result['peak_rss_mib']:.0f} MiB"
        )
        print(
            f"   footprint ({args.products} products) vs {label}: "
            f"{ours[0][1]['iterations_per_second'] / result['iterations_per_second']:.1f}×"
        )
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
