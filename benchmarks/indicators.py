"""Benchmark: all EF 3.1 methods against climate change only, and against Brightway's best batch.

    BRIGHTWAY_DIR=/tmp/footprint-bench/bw python benchmarks/indicators.py [--repeat 3]
    ... benchmarks/indicators.py --background loop:20000+ef31

On one of ``benchmarks/engine.py``'s backgrounds (default ``triangular+ef31``: the nearly
triangular one, 20,000 activities, whose activities emit, besides greenhouse gases, 3–6 flows
characterised by the other EF 3.1 methods, so that every one of the 25 columns of h is
non-zero, as on ecoinvent), same 1,000 products × 100 lines, each contender in a fresh
process (cold):

- ``footprint cold, climate``: ``project_unit_scores`` without cache for the four climate
  methods (what every assessment computes) + footprints of the products;
- ``footprint cold, ef31``: the same for every EF v3.1 method (25: the four climate methods are
  footprint's, the 21 others bw2io's), one factorisation, one multi-column adjoint solve;
- ``bw2calc FastScoresOnlyMultiLCA (pypardiso), ef31``: Brightway's best batch path, adjoint
  direction, same 25 methods and products.

The totals of every run are asserted equal (1e-9 relative) to footprint's ef31 run (the
climate run on its four columns).  ``--repeat N`` runs the three contenders N times,
interleaved, and compares medians.  Library imports (bw2calc and pypardiso, footprint's
solver module) happen before the clock starts, for every contender alike.
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


def _child(args: argparse.Namespace) -> None:
    bench.SELECTION = args.indicators  # the contenders of engine.py score these methods
    bench._use_background(args.background)
    if args.contender == "footprint":
        result = bench.run_footprint(args.products, use_cache=False)
    else:
        result = bench.run_brightway(args.products, "pardiso")
    result["peak_rss_mib"] = bench._peak_rss_mib()
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


def _run(name: str, indicators: str, args: argparse.Namespace, cache: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, __file__, "--child", name, "--indicators", indicators]
    command += ["--products", str(args.products), "--background", args.background, "--out", out]
    subprocess.run(command, check=True, env={**os.environ, "FOOTPRINT_CACHE_DIR": cache})
    result = json.loads(Path(out).read_text(encoding="utf-8"))
    os.unlink(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument(
        "--background",
        default="triangular+ef31",
        help="as engine.py's --backgrounds (one), e.g. triangular+ef31, loop:20000+ef31",
    )
    parser.add_argument("--repeat", type=int, default=1, help="fresh-process runs of each")
    parser.add_argument("--child")
    parser.add_argument("--indicators", default="ef31")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        args.contender = args.child
        _child(args)
        return
    import bw2data as bd

    print(f"== {bench._describe(args.background)}")
    bench.prepare(args.background, all_ef31=True)
    bd.projects.set_current(bench.PROJECT)
    cache = tempfile.mkdtemp(prefix="footprint-bench-cache-")
    runs = [
        ("footprint cold, climate (4 methods)", "footprint", "climate"),
        ("footprint cold, ef31 (25 methods)", "footprint", "ef31"),
        ("bw2calc FastScoresOnlyMultiLCA adjoint, pypardiso, ef31", "pardiso", "ef31"),
    ]
    results = {label: [] for label, _, _ in runs}
    for _ in range(args.repeat):  # interleaved: a burst of load hits every contender alike
        for label, name, indicators in runs:
            result = _run(name, indicators, args, cache)
            results[label].append(result)
            print(f"{label:<60} {result['seconds']:>8.3f} s {result['peak_rss_mib']:>7.0f} MiB")
            sys.stdout.flush()
    ours = results[runs[1][0]][0]
    print(f"solver: {ours['solver']}")
    expected = np.asarray(ours["totals"])
    for label, _, indicators in runs:
        for result in results[label]:
            totals = np.asarray(result["totals"])
            columns = expected if indicators == "ef31" else expected[:, : totals.shape[1]]
            np.testing.assert_allclose(totals, columns, rtol=1e-9, atol=1e-12)
    nonzero = int(np.count_nonzero(np.any(expected != 0, axis=0)))
    print(
        f"totals equal (1e-9) over {expected.shape[0]} products × {expected.shape[1]} "
        f"indicators ({nonzero} of them non-zero)"
    )
    climate, ef31, pardiso = (
        float(np.median([r["seconds"] for r in results[label]])) for label, _, _ in runs
    )
    medians = f" (medians of {args.repeat})" if args.repeat > 1 else ""
    print(f"footprint climate {climate:.3f} s, ef31 {ef31:.3f} s, pypardiso ef31 {pardiso:.3f} s"
          f"{medians}")  # fmt: skip
    print(f"ef31 / climate: {ef31 / climate:.2f}×; bw2calc pypardiso / footprint ef31: "
          f"{pardiso / ef31:.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
