"""Benchmark: writing the compliance workbook (and all outputs) for big assessments.

    python benchmarks/workbook.py [--products 3000 --lines-per-product 3] [--big-lines 10000]
                                  [--baseline 807fb55,0043523] [--no-baseline] [--no-html]

Two shapes, each from a generated BOM file (products × parts on shipped datasets: steel,
aluminium, copper, PP, grid electricity, lorry freight; recycled content on every third
part; the EU Battery Regulation and example company rule sets, so that the Compliance sheet
has checks):

- many products: 3,000 products × 3 lines = 9,000 lines (the shape of issue 14's "3,000
  products take 2 min 31 s, about 2 min of it writing the workbook"); target: JSON +
  workbook + HTML ≤ 10 s;
- one product of 10,000 lines (the Lines sheet: 10,000 rows × ~30 columns); target: the
  workbook in a few seconds.

The baselines are the workbook writers of the commits ``--baseline`` (default 807fb55, main
before any of this work, and 0043523, main after the previous session's writer): each
commit's ``src/`` is extracted with ``git archive`` into a temporary folder and run in a child
process of the same run, on the same BOM file, assessing it with its own code and timing
only its ``build_workbook`` + save (the same step as timed here).  Each contender's workbook
is then read back and every number in it compared (as a multiset; the layout changed, the
figures may not), so the faster writer is shown to write the same figures.  Times are wall
and CPU seconds (CPU is the better guide on a loaded machine).

The HTML step has its own baseline, ``--html-baseline`` (default 0043523, main before the HTML
report was made fast): that commit's ``write_html`` in a child process on the same BOM file;
the two reports' figures are compared chart by chart (benchmarks/html_figures.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

import html_figures
from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["product", "id", "parent", "name", "quantity", "unit", "dataset", "stage",
          "recycled_content"]  # fmt: skip
PARTS = [
    ("Bracket", 0.25, "kg", "material-steel-primary", "raw materials"),
    ("Cover", 0.12, "kg", "material-aluminium-primary", "raw materials"),
    ("Cable", 35, "g", "metal-copper", "raw materials"),
    ("Housing", 0.4, "kg", "material-pp-primary", "raw materials"),
    ("Assembly power", 1.5, "kWh", "electricity-grid-DE", "manufacturing"),
    ("Delivery", 0.05, "t*km", "freight-lorry-average", "distribution"),
]
RULES = ["templates/rules/eu-battery-regulation.yaml", "templates/rules/example-company.yaml"]

# Run in the child process: time one workbook build + save with whatever ``footprint`` the
# child's PYTHONPATH holds (the baseline commit's, or this tree's).
CHILD = """
import json, sys, time
from footprint.api import Engine
from footprint.report.excel import build_workbook
bom, out, rules = sys.argv[1], sys.argv[2], sys.argv[3:]
assessment = Engine().assess(bom, rules=rules)
start, cpu = time.perf_counter(), time.process_time()
build_workbook(assessment).save(out)
print(json.dumps({"workbook": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""


def generate(path: Path, products: int, lines: int) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("BOM")
    sheet.append(HEADER)
    for p in range(products):
        for i in range(lines):
            name, quantity, unit, dataset, stage = PARTS[(p + i) % len(PARTS)]
            recycled = 0.2 if i % 3 == 0 and unit in ("kg", "g") else None
            sheet.append([f"P{p:05d}", f"L{i:05d}", None, f"{name} {i}", quantity * (1 + p % 7),
                          unit, dataset, stage, recycled])  # fmt: skip
    workbook.save(path)
    return products * lines


def extract(commit: str, folder: Path) -> Path:
    command = ["git", "-C", str(ROOT), "archive", commit, "src", "datasets", "templates"]
    archive = subprocess.run(command, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def child(src: Path, bom: Path, out: Path, script: str = CHILD) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    rules = [str(ROOT / r) for r in RULES]
    done = subprocess.run([sys.executable, "-c", script, str(bom), str(out), *rules], env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise SystemExit(f"baseline failed:\n{done.stderr}")
    times = json.loads(done.stdout.strip().splitlines()[-1])
    return float(times["workbook"]), float(times["cpu"])


def figures(path: Path) -> tuple[Counter[float], int]:
    """Every number in the workbook (a multiset) and the count of text cells; dates left out
    (each run has its own creation time).  Layout may differ between the two writers (sheets,
    unit spelling); the figures may not."""
    workbook = load_workbook(path, read_only=True)
    numbers: Counter[float] = Counter()
    texts = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, int | float):
                    numbers[float(value)] += 1
                elif isinstance(value, str):
                    texts += 1
    return numbers, texts


def compare(new: Path, old: Path) -> str:
    (a, texts_a), (b, texts_b) = figures(new), figures(old)
    extra, missing = sum((a - b).values()), sum((b - a).values())
    same = "the same" if a == b else f"DIFFERENT (+{extra} / -{missing})"
    if a != b:  # which values: e.g. a row of zeros one writer has and the other not
        same += (f"; most common extra {(a - b).most_common(3)}, "
                 f"missing {(b - a).most_common(3)}")  # fmt: skip
    return (f"numbers: {sum(a.values()):,} here, {sum(b.values()):,} in the baseline: {same}; "
            f"text cells {texts_a:,} / {texts_b:,}")  # fmt: skip


def timed(label: str, function):  # type: ignore[no-untyped-def]
    """Wall and CPU seconds: under a shared machine's load the CPU time is the closer guide
    to what an idle machine takes.  Returns the result and the CPU seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label:<44} {seconds:8.2f} s  (CPU {cpu:.2f} s)", flush=True)
    return result, cpu


def run(
    folder: Path,
    label: str,
    products: int,
    lines: int,
    baselines: dict[str, Path],
    html: bool,
    html_baseline: Path | None = None,
) -> None:
    from footprint.api import Engine
    from footprint.report.excel import build_workbook

    bom = folder / f"{label}.xlsx"
    n = generate(bom, products, lines)
    print(f"{label}: {products:,} products × {lines:,} lines = {n:,} lines; "
          f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    rules = [ROOT / r for r in RULES]
    assessment, _ = timed("read + link + compute (Engine.assess)",
                          lambda: Engine().assess(bom, rules=rules))  # fmt: skip
    out = folder / f"{label}.out"
    out.mkdir()
    _, j = timed("JSON", lambda: assessment.to_json(out / "r.json"))
    _, w = timed("workbook (this tree)", lambda: build_workbook(assessment).save(out / "r.xlsx"))
    print(f"  {'workbook file':<44} {(out / 'r.xlsx').stat().st_size / 1e6:8.2f} MB")
    if html:
        _, h = timed("HTML", lambda: assessment.to_html(out / "r.html"))
        print(f"  {'all outputs (JSON + workbook + HTML), CPU':<44} {j + w + h:8.2f} s")
        if html_baseline is not None:  # the HTML report of --html-baseline, same BOM file
            old_html = folder / f"{label}.baseline.html"
            seconds, cpu = child(html_baseline, bom, old_html, html_figures.CHILD)
            print(f"  {'HTML (baseline, child process)':<44} {seconds:8.2f} s  (CPU {cpu:.2f} s)"
                  f"  {cpu / h:.1f}× this tree's CPU time")  # fmt: skip
            print(f"  {html_figures.compare(out / 'r.html', old_html)}", flush=True)
    for commit, src in baselines.items():
        old = folder / f"{label}.{commit}.xlsx"
        seconds, cpu = child(src, bom, old)
        print(f"  {f'workbook (baseline {commit}, child process)':<44} {seconds:8.2f} s  "
              f"(CPU {cpu:.2f} s)  {cpu / w:.1f}× this tree's CPU time")  # fmt: skip
        print(f"  {compare(out / 'r.xlsx', old)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--lines-per-product", type=int, default=3)
    parser.add_argument("--big-lines", type=int, default=10000)
    parser.add_argument("--baseline", default="807fb55,0043523", help="commits, comma-separated")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML report")
    parser.add_argument("--html-baseline", default="0043523",
                        help="commit whose HTML report is the HTML step's baseline "
                             "('none': none; --no-baseline is the workbook's)")  # fmt: skip
    args = parser.parse_args()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores; {uptime}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        commits = [] if args.no_baseline else [c for c in args.baseline.split(",") if c]
        baselines = {c: extract(c, folder / f"baseline-{c}") for c in commits}
        html_baseline = (None if args.no_html or args.html_baseline == "none"
                         else extract(args.html_baseline, folder / "html-baseline"))  # fmt: skip
        if args.products:
            run(folder, "many", args.products, args.lines_per_product, baselines,
                not args.no_html, html_baseline)  # fmt: skip
        if args.big_lines:
            run(folder, "big", 1, args.big_lines, baselines, not args.no_html, html_baseline)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"end: {uptime}")


if __name__ == "__main__":
    main()
