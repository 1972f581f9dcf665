"""Benchmark: where a 16,000-line BOM spends its time between upload and result page.

    python benchmarks/web_result.py [--assemblies 160] [--parts 99] [--skip baseline,xlsx]

One product of 160 assemblies × 99 parts + the assemblies = 16,000 lines (the shape of the
issue-15 report: "a 16,000-line BOM took 122 s"). Timed, in the same run and on the same
assessment: reading + linking + computing (``Engine.assess``), every figure of the result page
(``Assessment.figures``), the page itself, and the three downloads. The baseline is the BOM
sunburst's former parent lookup (each line's assembly found by scanning every other line's
path: quadratic), copied below verbatim and run on the same lines, against the lookup per
path level that replaced it.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

HEADER = ["product", "id", "parent", "name", "quantity", "unit", "dataset", "stage"]
PARTS = [
    ("Bracket", 0.25, "kg", "material-steel-primary"),
    ("Cover", 0.12, "kg", "material-aluminium-primary"),
    ("Cable", 35, "g", "metal-copper"),
    ("Housing", 0.4, "lb", "material-pp-primary"),
]


def generate(path: Path, assemblies: int, parts: int) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("BOM")
    sheet.append(HEADER)
    written = 0
    for a in range(assemblies):
        sheet.append(["big", f"A{a:04d}", None, f"Assembly {a}", 1, "piece", None, None])
        written += 1
        for i in range(parts):
            name, quantity, unit, dataset = PARTS[i % len(PARTS)]
            sheet.append(["big", f"A{a:04d}-{i:02d}", f"A{a:04d}", name, quantity, unit, dataset,
                          None])  # fmt: skip
            written += 1
    workbook.save(path)
    return written


def scan_parent_path(path: str, paths: set[str]) -> str | None:
    """Baseline: the lookup report/figures.py used before (every path scanned per line)."""
    best: str | None = None
    for candidate in paths:
        if (
            candidate != path
            and path.startswith(candidate + " / ")
            and (best is None or len(candidate) > len(best))
        ):
            best = candidate
    return best


class StageClock:
    """The time from each stage the assessment announces to the next (its ``stages``)."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.started.setdefault(stage, time.perf_counter())
        self.started["(end)"] = time.perf_counter()

    def print(self) -> None:
        marks = list(self.started.items())
        ends = {name: at for name, at in marks}
        ordered = [name for name, _at in marks if name != "(end)"]
        for name, following in zip(ordered, [*ordered[1:], "(end)"], strict=True):
            print(f"  stage {name:<45} {ends[following] - ends[name]:8.2f} s", flush=True)


def timed(label: str, function: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = function()
    print(f"{label:<52} {time.perf_counter() - start:8.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assemblies", type=int, default=160)
    parser.add_argument("--parts", type=int, default=99)
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated steps not to run: baseline (the quadratic scan: minutes at "
        "16,000 lines), xlsx (the workbook download: engineer xlsx's benchmarks/workbook*.py)",
    )
    args = parser.parse_args()
    skip = {step.strip() for step in args.skip.split(",") if step.strip()}

    from footprint.api import Engine
    from footprint.report.figures import _parent_path
    from footprint.web.pages import result_page

    print(f"{platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        bom = Path(folder) / "big.xlsx"
        lines = generate(bom, args.assemblies, args.parts)
        print(f"{lines:,} lines")
        engine = Engine()
        timed("engine start (Brightway project, unit scores)", lambda: engine.unit_score(
            "material-steel-primary"))  # fmt: skip
        stages = StageClock()
        assessment = timed(
            "read + link + compute (Engine.assess)", lambda: engine.assess(bom, stages=stages)
        )
        stages.print()
        product = assessment.products[0]  # type: ignore[attr-defined]
        paths = {line.path for line in product.lines}
        new = timed("parent lookups, per path level (now)", lambda: [
            _parent_path(line.path, paths) for line in product.lines])  # fmt: skip
        if "baseline" not in skip:
            old = timed("parent lookups, scanning every path (baseline)", lambda: [
                scan_parent_path(line.path, paths) for line in product.lines])  # fmt: skip
            assert new == old, "the two lookups must find the same assemblies"
        figures = timed("every figure of the result page", assessment.figures)  # type: ignore[attr-defined]
        timed("result page HTML", lambda: result_page(
            assessment, figures, result_id="x", bom_name="big.xlsx"))  # type: ignore[arg-type]  # fmt: skip
        for kind, write in (("json", "to_json"), ("xlsx", "to_excel"), ("html", "to_html")):
            if kind in skip:
                continue
            out = Path(folder) / f"big.{kind}"
            timed(f"download {kind}", lambda w=write, o=out: getattr(assessment, w)(o))


if __name__ == "__main__":
    main()
