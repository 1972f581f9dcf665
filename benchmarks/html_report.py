"""Benchmark: the HTML report of big assessments, against a baseline commit in the same run.

    python benchmarks/html_report.py [--products 3000 --lines-per-product 3] [--big-lines 10000]
                                     [--baseline 0043523] [--no-baseline]

The same two generated BOM files as benchmarks/workbook.py (3,000 products × 3 lines, and one
product of 10,000 lines; shipped datasets, the EU Battery Regulation and example company rule
sets).  Timed on the same assessment: ``Assessment.to_html`` with this tree, then, in a child
process on the same BOM file, the HTML report of commit ``--baseline`` (its ``src/`` extracted
with ``git archive``; it assesses the BOM with its own code and times only its ``write_html``).
The two files' figures are then compared chart by chart: every figure's data and layout (its
template left out: the baseline writes it into every figure, this tree once per page) must be
the same JSON, so the faster report is shown to draw the same charts with the same numbers.
Times are wall and CPU seconds (CPU is the better guide on a loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbook import RULES, extract, generate, timed  # noqa: E402

CHILD = """
import json, sys, time
from pathlib import Path
from footprint.api import Engine
from footprint.report.html import write_html
bom, out, rules = sys.argv[1], sys.argv[2], sys.argv[3:]
assessment = Engine().assess(bom, rules=rules)
start, cpu = time.perf_counter(), time.process_time()
write_html(assessment, Path(out))
print(json.dumps({"html": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""
ROOT = Path(__file__).resolve().parent.parent


def child(src: Path, bom: Path, out: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    rules = [str(ROOT / r) for r in RULES]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(bom), str(out), *rules],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"baseline failed:\n{done.stderr}")
    times = json.loads(done.stdout.strip().splitlines()[-1])
    return float(times["html"]), float(times["cpu"])


def figures(path: Path) -> dict[str, Any]:
    """Every figure of a report by its div id: ``{"data": …, "layout": …}``, template left out.
    Reads both ways a report has held its figures: ``Plotly.newPlot("id", data, layout, …)``
    calls (plotly's ``to_html``, the baseline) and ``<script type="application/json"
    id="id-data">`` blocks (this tree)."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    found: dict[str, Any] = {}
    for match in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', text):
        data, end = decoder.raw_decode(text, match.end())
        comma = re.compile(r"\s*,\s*").match(text, end)
        layout, _ = decoder.raw_decode(text, comma.end() if comma else end)
        found[match.group(1)] = {"data": data, "layout": layout}
    for match in re.finditer(
        r'<script type="application/json" id="(figure-\d+)-data">(.*?)</script>', text, re.S
    ):
        found[match.group(1)] = json.loads(match.group(2))
    for figure in found.values():
        figure["layout"].pop("template", None)
    return found


def compare(new: Path, old: Path) -> str:
    a, b = figures(new), figures(old)
    differ = [key for key in a.keys() | b.keys() if a.get(key) != b.get(key)]
    same = "the same" if not differ else f"DIFFERENT in {len(differ)} (e.g. {sorted(differ)[:3]})"
    return f"figures: {len(a):,} here, {len(b):,} in the baseline: {same}"


def run(folder: Path, label: str, products: int, lines: int, baseline: Path | None) -> None:
    from footprint.api import Engine

    bom = folder / f"{label}.xlsx"
    n = generate(bom, products, lines)
    print(f"{label}: {products:,} products × {lines:,} lines = {n:,} lines; "
          f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    rules = [ROOT / r for r in RULES]
    assessment, _ = timed("read + link + compute (Engine.assess)",
                          lambda: Engine().assess(bom, rules=rules))  # fmt: skip
    out = folder / f"{label}.html"
    _, seconds = timed("HTML (this tree)", lambda: assessment.to_html(out))
    print(f"  {'':<44} {out.stat().st_size / 1e6:8.1f} MB")
    if baseline is not None:
        old = folder / f"{label}.baseline.html"
        wall, cpu = child(baseline, bom, old)
        print(f"  {'HTML (baseline, child process)':<44} {wall:8.2f} s  (CPU {cpu:.2f} s)"
              f"  {wall / seconds:.1f}× this tree's time")  # fmt: skip
        print(f"  {'':<44} {old.stat().st_size / 1e6:8.1f} MB")
        print(f"  {compare(out, old)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--lines-per-product", type=int, default=3)
    parser.add_argument("--big-lines", type=int, default=10000)
    parser.add_argument("--baseline", default="0043523")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores; {uptime}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        baseline = None if args.no_baseline else extract(args.baseline, folder / "baseline")
        if args.products:
            run(folder, "many", args.products, args.lines_per_product, baseline)
        if args.big_lines:
            run(folder, "big", 1, args.big_lines, baseline)


if __name__ == "__main__":
    main()
