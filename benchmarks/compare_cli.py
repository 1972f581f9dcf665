"""Benchmark: ``footprint compare A.xlsx B.xlsx`` of two 10,000-line BOM revisions, end to end.

    python benchmarks/compare_cli.py            # --lines 10000 --baseline 0043523 --repeat 5

The two revisions are ``benchmarks/design.py``'s (``revisions``: steel, aluminium, copper, PP,
cobalt lines with recycled content on every third, grid electricity, lorry freight; B swaps the
dataset of 5 % of the lines, changes the quantity of 5 %, removes 1 % and adds 1 %), written as
BOM workbooks (a BOM and a Products sheet, as a user's file) into a temporary folder.  The
same command — ``footprint compare A.xlsx B.xlsx --rules eu-battery-regulation`` — is timed in
fresh processes taking turns, with this checkout's code and with the code of ``--baseline`` (a
git revision extracted with ``git archive``), warm: each has its own Brightway, cache and
bytecode folders, filled by two untimed runs.  Reports the median and range of the wall time
and of the CPU time of the process (on a shared machine the CPU time is the steadier figure).

Checked in the same run: both versions write the same comparison JSON (``--json``, untimed
runs; the ``created`` line left out) — the same bytes.

Target (issue 17): < 2 s warm.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from design import revisions  # noqa: E402  # the two revisions the design benchmark compares
from warm_start import _environments, _extract, _run  # noqa: E402  # a revision's code; a timed fresh process

from footprint.model import Product  # noqa: E402

BASELINE = "0043523"  # main before circularity was evaluated per group of lines
BOM_HEADER = ["product", "id", "name", "quantity", "unit", "dataset", "stage", "recycled_content"]
PRODUCTS_HEADER = ["product", "functional_unit", "category"]


def write_bom(product: Product, path: Path) -> None:
    """The product as a BOM workbook (BOM and Products sheets)."""
    workbook = Workbook(write_only=True)
    bom = workbook.create_sheet("BOM")
    bom.append(BOM_HEADER)
    for line in product.lines:
        bom.append(
            [
                product.id,
                line.id,
                line.name,
                line.quantity,
                line.unit,
                line.dataset,
                line.stage.value,
                line.circularity.recycled_content,
            ]
        )
    products = workbook.create_sheet("Products")
    products.append(PRODUCTS_HEADER)
    products.append([product.id, product.functional_unit, product.category])
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the baseline")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="footprint-compare-bench-"))
    boms = [work / "A.xlsx", work / "B.xlsx"]
    for product, path in zip(revisions(args.lines), boms, strict=True):
        write_bom(product, path)
    contenders = {
        "this checkout": ROOT / "src",
        f"baseline {args.baseline}": _extract(args.baseline, work / "baseline"),
    }
    envs = _environments(work, contenders)
    command = ["compare", *map(str, boms), "--rules", "eu-battery-regulation"]
    digests = {}
    for i, (name, src) in enumerate(contenders.items()):  # untimed: project, caches, JSON
        _run(src, envs[name], command)
        out = work / f"comparison-{i}.json"
        _run(src, envs[name], [*command, "--json", str(out)])
        kept = [line for line in out.read_bytes().splitlines() if b'"created":' not in line]
        digests[name] = hashlib.sha256(b"\n".join(kept)).hexdigest()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    cpu_times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.repeat):
        for name, src in contenders.items():
            seconds, cpu_seconds, _output = _run(src, envs[name], command)
            times[name].append(seconds)
            cpu_times[name].append(cpu_seconds)
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"{args.lines:,} lines a revision, {args.repeat} runs each")  # fmt: skip
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        cpu = cpu_times[name]
        print(
            f"{name:<24} wall median {medians[name]:.2f} s (min {min(values):.2f}, max "
            f"{max(values):.2f}); CPU median {statistics.median(cpu):.2f} s (min {min(cpu):.2f}, "
            f"max {max(cpu):.2f})"
        )
    ours, baseline = medians.values()
    same = len(set(digests.values())) == 1
    print(f"footprint compare: {baseline / ours:.1f}× faster than the baseline; target < 2 s: "
          f"{'met' if ours < 2 else 'MISSED'}; same comparison JSON bytes: {same} "
          f"({next(iter(digests.values()))[:16]}…)")  # fmt: skip
    if not same:
        sys.exit(f"the two versions write different comparisons: {digests}")


if __name__ == "__main__":
    main()
