"""Numbers that stay finite: an overflow (or NaN) is an input error naming the row, never a
``null`` total, an ``inf`` in the table or an MCI computed from infinity.

A quantity of 1e308 is a valid float; multiplied by a unit score or summed with another line
it is not.  The assessment checks every line's figures right after they are computed, and
every product's own figures (totals, stages, mass, circularity) before the result is built,
so all such problems are reported together, located like any other input problem.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pydantic_core

from footprint.errors import Problem

LARGEST = "about 1.8e308, the largest number a computer holds"


def line_problems(lines: Sequence[Any], figures: np.ndarray, indicator: str) -> list[Problem]:
    """One problem per linked line (``lines[i]`` has ``figures[i]``) whose figures are not
    finite: amount × unit score overflowed (or a score is NaN)."""
    bad = ~np.isfinite(figures).all(axis=1)
    problems = []
    for index in np.flatnonzero(bad):
        line = lines[int(index)]
        bom = line.line
        problems.append(
            bom.source.problem(
                f"quantity {bom.quantity:g} {bom.unit} gives a {indicator} footprint that is not "
                f"a finite number ({line.amount:g} {line.unit} × the unit score of "
                f"{line.dataset!r} is beyond {LARGEST}); check the quantity and its unit",
                column="quantity",
            )
        )
    return problems


def non_finite_fields(record: Any, prefix: str = "") -> Iterable[str]:
    """Dotted names of every float in a dumped model (dicts and lists) that is not finite."""
    if isinstance(record, float):
        if not math.isfinite(record):
            yield prefix or "value"
    elif isinstance(record, dict):
        for key, value in record.items():
            yield from non_finite_fields(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(record, list | tuple):
        for index, value in enumerate(record):
            yield from non_finite_fields(value, f"{prefix}[{index}]")


def _may_hold_non_finite(record: Any) -> bool:
    """False when no figure of a dumped result can be infinite or NaN: its JSON with
    non-finite numbers written as the bare tokens Infinity / NaN holds neither word.  A text
    that happens to contain one (a product named "NaN") only costs the full walk.  The record
    is plain Python (``model_dump``): serialising the models themselves would follow each
    model's own ``ser_json_inf_nan``, and plain pydantic models write null for inf and NaN."""
    text = pydantic_core.to_json(record, inf_nan_mode="constants")
    return b"Infinity" in text or b"NaN" in text


def product_problems(results: Iterable[Any]) -> list[Problem]:
    """One problem per product whose own figures (lines excluded: they are checked as they
    are computed) are not finite, e.g. lines that are each finite but overflow when summed."""
    problems = []
    for result in results:
        record = result.model_dump(exclude={"lines"})
        if not _may_hold_non_finite(record):
            continue
        fields = list(non_finite_fields(record))
        if fields:
            shown = ", ".join(fields[:5]) + (" …" if len(fields) > 5 else "")
            problems.append(
                Problem(
                    f"product {result.id}: {shown} {'is' if len(fields) == 1 else 'are'} not "
                    "finite (the lines add up to "
                    f"more than {LARGEST}); check the quantities and their units",
                    file=result.source_file,
                )
            )
    return problems
