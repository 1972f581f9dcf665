"""Benchmark: all EF 3.1 methods against climate change only, and against Brightway's best batch.

    BRIGHTWAY_DIR=/tmp/footprint-bench/bw python benchmarks/indicators.py [--products 1000]

On ``benchmarks/engine.py``'s nearly triangular background (20,000 activities; same project,
same 1,000 products × 100 lines), each contender in a fresh process (cold):

- ``footprint cold, climate``: ``project_unit_scores`` without cache for the four climate
  methods (what every assessment computes) + footprints of the products;
- ``footprint cold, ef31``: the same for every EF v3.1 method (25: the four climate methods are
  footprint's, the 21 others bw2io's), one factorisation, one multi-column adjoint solve;
- ``bw2calc FastScoresOnlyMultiLCA (pypardiso), ef31``: Brightway's best batch path, adjoint
  direction, same 25 methods and products.

The footprint and Brightway totals of all 25 indicators are asserted equal (1e-9 relative).
The background's biosphere exchanges are greenhouse gases (engine.py's generator), so most
non-climate columns are zero or small: the solve does the same work for every column, but
the figures are not an ecoinvent profile.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine as bench  # noqa: E402  # benchmarks/engine.py: background, products, contenders


def methods(selection: str) -> list[tuple[str, ...]]:
    """The four climate methods, then every other method of the selection (as the engine)."""
    from footprint.lca.indicators import parse_selection
    from footprint.lca.project import computing_method

    columns = bench._methods()
    for indicator in parse_selection(selection):
        if computing_method(indicator.method) not in columns:
            columns.append(computing_method(indicator.method))
    return columns


def _child(args: argparse.Namespace) -> None:
    bench._use_background("triangular")
    chosen = methods(args.indicators)
    bench._methods = lambda: chosen  # the contenders of engine.py score these methods
    if args.contender == "footprint":
        result = bench.run_footprint(args.products, use_cache=False)
    else:
        result = bench.run_brightway(args.products, "pardiso")
    result["peak_rss_mib"] = bench._peak_rss_mib()
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


def _run(name: str, indicators: str, products: int, cache: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, __file__, "--child", name, "--indicators", indicators]
    command += ["--products", str(products), "--out", out]
    subprocess.run(command, check=True, env={**os.environ, "FOOTPRINT_CACHE_DIR": cache})
    result = json.loads(Path(out).read_text(encoding="utf-8"))
    os.unlink(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--child")
    parser.add_argument("--indicators", default="ef31")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        args.contender = args.child
        _child(args)
        return
    import bw2data as bd

    from footprint.lca.indicators import parse_selection
    from footprint.lca.project import ensure_project

    bench.prepare("triangular")
    ensure_project(bench.PROJECT, [i.method for i in parse_selection("ef31")])
    bd.projects.set_current(bench.PROJECT)
    cache = tempfile.mkdtemp(prefix="footprint-bench-cache-")
    runs = [
        ("footprint cold, climate (4 methods)", "footprint", "climate"),
        ("footprint cold, ef31 (25 methods)", "footprint", "ef31"),
        ("bw2calc FastScoresOnlyMultiLCA adjoint, pypardiso, ef31", "pardiso", "ef31"),
    ]
    results = {}
    for label, name, indicators in runs:
        results[label] = result = _run(name, indicators, args.products, cache)
        print(f"{label:<60} {result['seconds']:>8.3f} s {result['peak_rss_mib']:>7.0f} MiB")
        sys.stdout.flush()
    ours = np.asarray(results[runs[1][0]]["totals"])
    theirs = np.asarray(results[runs[2][0]]["totals"])
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    climate, ef31, pardiso = (results[label]["seconds"] for label, _, _ in runs)
    print(f"totals equal (1e-9) over {ours.shape[0]} products × {ours.shape[1]} indicators")
    print(f"ef31 / climate: {ef31 / climate:.2f}×; bw2calc pypardiso / footprint ef31: "
          f"{pardiso / ef31:.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
