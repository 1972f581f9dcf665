"""Benchmark: comparing two BOM revisions, and suggestions for one BOM.

    python benchmarks/design.py [--compare-lines 10000] [--suggest-lines 1000] [--repeat 3]

Products are built in memory from the shipped datasets (steel, aluminium, copper, PP, cobalt
lines with recycled content on every third, grid electricity, lorry freight), assessed against
the EU Battery Regulation rule set with a warm engine (unit scores cached).  Timed, warm, best
of ``--repeat``:

- compare: ``compare_assessments`` of revision A and revision B (B: 5 % of the lines swap
  dataset, 5 % change quantity, 1 % removed, 1 % added) — against the baseline of assessing
  the two revisions (``Engine.assess_products``), which ``footprint compare`` also does;
- suggestions: ``product_suggestions`` for an assessed product (10 lines, 3 swaps per line,
  ±10-point sensitivity of 10 lines) — against the baseline of the brute force the test uses,
  a full assessment per evaluated swap, timed on 3 swaps and multiplied by the number of
  swaps and sensitivity cases the suggestions evaluated.

Target: each < 2 s warm.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from footprint.api import Engine, load_rules
from footprint.comparison import compare_assessments
from footprint.model import BomLine, CircularityParameters, Product, Stage
from footprint.suggestions import Alternatives, LineChanges, product_suggestions

PARTS = [
    ("material-steel-primary", "kg", Stage.RAW_MATERIALS),
    ("material-aluminium-primary", "kg", Stage.RAW_MATERIALS),
    ("metal-copper", "kg", Stage.RAW_MATERIALS),
    ("material-pp-primary", "kg", Stage.RAW_MATERIALS),
    ("electricity-grid-DE", "kWh", Stage.MANUFACTURING),
    ("freight-lorry-average", "t*km", Stage.DISTRIBUTION),
    ("metal-cobalt", "kg", Stage.RAW_MATERIALS),
]
SWAPS = {
    "material-steel-primary": "material-steel-recycled",
    "electricity-grid-DE": "electricity-grid-FR",
}


def _line(i: int, *, dataset: str | None = None, scale: float = 1.0) -> BomLine:
    part, unit, stage = PARTS[i % len(PARTS)]
    return BomLine(
        id=f"L{i}",
        name=f"part {i}",
        quantity=(0.1 + (i % 13) * 0.05) * scale,
        unit=unit,
        dataset=dataset or part,
        stage=stage,
        circularity=CircularityParameters(recycled_content=0.2 if i % 3 == 0 else None),
    )


def revisions(n: int) -> tuple[Product, Product]:
    a = [_line(i) for i in range(n)]
    b = []
    for i, line in enumerate(a):
        if i % 100 == 7:
            continue  # removed
        if i % 20 == 3 and line.dataset in SWAPS:
            b.append(_line(i, dataset=SWAPS[line.dataset]))
        elif i % 20 == 11:
            b.append(_line(i, scale=1.5))
        else:
            b.append(line)
    b += [_line(n + k) for k in range(n // 100)]  # added
    return (
        Product(id="P", functional_unit="1 unit", category="ev-battery", lines=a),
        Product(id="P", functional_unit="1 unit", category="ev-battery", lines=b),
    )


def best(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compare-lines", type=int, default=10_000)
    parser.add_argument("--suggest-lines", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = Engine()
    rules = load_rules(["eu-battery-regulation"])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")  # fmt: skip

    a, b = revisions(args.compare_lines)
    engine.assess_products([a, b], rule_sets=rules)  # warm: unit scores cached
    base = engine.assess_products([a], rule_sets=rules)
    alt = engine.assess_products([b], rule_sets=rules)
    assess_time = best(1, lambda: engine.assess_products([a, b], rule_sets=rules))
    compare_time = best(args.repeat, lambda: compare_assessments(base, [alt]))
    pair = compare_assessments(base, [alt]).pairs[0]
    statuses = ("changed", "added", "removed")
    counts = {s: sum(1 for d in pair.lines if d.status == s) for s in statuses}
    print(f"compare {args.compare_lines:,} lines: compare_assessments {compare_time:.3f} s "
          f"(baseline: assessing both revisions {assess_time:.2f} s); {counts}, "
          f"Δ total {pair.climate_change.delta.total:.4g}")  # fmt: skip

    product, _ = revisions(args.suggest_lines)
    result = engine.assess_products([product], rule_sets=rules).products[0]
    alternatives = Alternatives(engine.catalog)

    def suggest():  # type: ignore[no-untyped-def]
        return product_suggestions(
            engine, product, result, rule_sets=rules, alternatives=alternatives
        )

    report = suggest()
    suggest_time = best(args.repeat, suggest)
    calls = {"n": 0}
    original = LineChanges.changed

    def counting(self, line_id, update):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return original(self, line_id, update)

    LineChanges.changed = counting  # type: ignore[method-assign]
    suggest()
    LineChanges.changed = original  # type: ignore[method-assign]
    swapped = [
        product.model_copy(update={"lines": [
            ln.model_copy(update={"dataset": "material-steel-recycled"})
            if ln.id == f"L{k * 7}" else ln
            for ln in product.lines
        ]})
        for k in range(3)
    ]  # fmt: skip
    one = best(1, lambda: [engine.assess_products([p], rule_sets=rules) for p in swapped]) / 3
    print(f"suggestions for {args.suggest_lines:,} lines: {suggest_time:.3f} s "
          f"({len(report.suggestions)} suggestions, {len(report.sensitivity)} sensitivity lines, "
          f"{calls['n']} changes evaluated); baseline brute force {calls['n']} × {one:.2f} s = "
          f"{calls['n'] * one:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
