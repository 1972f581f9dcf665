"""Benchmark: read and validate a 100,000-line BOM workbook.

    python benchmarks/read_bom.py [--lines 100000] [--repeat 3]

A workbook is generated into a temporary folder (10 products × 100 assemblies × 99 parts, with
mixed units, units inside cells, pieces with a mass per piece, shares written "35 %").
Timed on the same file, in the same run:

- ``footprint.read_bom`` — read with python-calamine, parse, validate, build the models;
- baseline: openpyxl ``read_only`` merely iterating every cell value (no validation at all).

Target: ``read_bom`` ≤ 3 s for 100,000 lines.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

from footprint.bom import read_bom

HEADER = [
    "product", "id", "parent", "name", "quantity", "unit", "dataset", "stage",
    "mass_per_piece", "recycled_content", "country", "supplier",
]  # fmt: skip
PARTS = [
    ("Bracket", 0.25, "kg", "material-steel-primary", None, "20 %"),
    ("Cover", "120 g", None, "material-aluminium-primary", None, 0.35),
    ("Screw", 4, "pcs", "material-steel-primary", "3.2 g", None),
    ("Cable", 35, "g", "metal-copper", None, None),
    ("Housing", 0.4, "lb", "material-pp-primary", None, None),
]


def generate(path: Path, lines: int) -> int:
    """Write a BOM of about ``lines`` lines; return the number written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("BOM")
    sheet.append(HEADER)
    written = 0
    products = 10
    per_assembly = 99
    assemblies = max(1, lines // (products * (per_assembly + 1)))
    for p in range(products):
        product = f"P{p:03d}"
        for a in range(assemblies):
            assembly = f"A{a:04d}"
            sheet.append([product, assembly, None, f"Assembly {a}", 1, "piece", None, None,
                          None, None, "DE", None])  # fmt: skip
            written += 1
            for i in range(per_assembly):
                name, quantity, unit, dataset, mass_per_piece, recycled = PARTS[i % len(PARTS)]
                stage = "manufacturing" if i == per_assembly - 1 else None
                if stage:
                    quantity, unit, dataset = 0.5, "kWh", "electricity-grid-DE"
                    mass_per_piece = recycled = None
                sheet.append([product, f"{assembly}-{i:02d}", assembly, name, quantity, unit,
                              dataset, stage, mass_per_piece, recycled, "CN", "ACME"])  # fmt: skip
                written += 1
    workbook.save(path)
    return written


def time_it(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
        del result  # freeing the result is not part of reading
    return times


def openpyxl_read_only(path: Path) -> int:
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for row in workbook["BOM"].iter_rows(values_only=True):
        for _ in row:
            count += 1
    workbook.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bom-100k.xlsx"
        start = time.perf_counter()
        lines = generate(path, args.lines)
        print(f"generated {lines:,} lines ({path.stat().st_size / 1024**2:.1f} MB) "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        assert sum(len(p.lines) for p in read_bom(path)) == lines
        ours = time_it(lambda: read_bom(path), args.repeat)
        baseline = time_it(lambda: openpyxl_read_only(path), args.repeat)
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.2f}, "
          f"Python {platform.python_version()}")  # fmt: skip
    for label, times in (
        ("footprint.read_bom (calamine + validation)", ours),
        ("openpyxl read_only, iterate values only", baseline),
    ):
        best = min(times)
        print(f"{label:45s} best {best:6.2f} s  {lines / best:10,.0f} rows/s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})")  # fmt: skip
    verdict = "meets" if min(ours) <= 3.0 else "MISSES"
    print(f"target ≤ 3 s for 100,000 lines: {verdict}")


if __name__ == "__main__":
    main()
