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
from operator import attrgetter
from typing import Any

import numpy as np
from pydantic import BaseModel

from footprint.errors import Problem

_NEVER_NON_FINITE = {str, int, bool, type(None)}
LARGEST = "about 1.8e308, the largest number a computer holds"


def parse_number(value: Any) -> float:
    """A cell's value as a finite float (a number, or text of one); ValueError otherwise
    (text that is not a number, a bool, inf or NaN)."""
    if isinstance(value, bool):
        raise ValueError
    number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    if not math.isfinite(number):
        raise ValueError
    return number


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


def _all_finite(values: list[Any]) -> bool:
    """True when no float anywhere in ``values`` (models, dicts, lists, tuples, walked through
    every field a model holds — a superset of what ``model_dump`` writes) is infinite or NaN.
    One pass without dumping: a list of models of one class is checked a field at a time (a
    column of floats at once with NumPy), and an object met again (lines of a group share
    their parameters) is not walked again."""
    seen: dict[int, Any] = {}  # the objects themselves kept too: an id is not reused
    stack = list(values)
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif isinstance(item, BaseModel | dict | list | tuple):
            if id(item) in seen:
                continue
            seen[id(item)] = item
            if isinstance(item, BaseModel):
                stack.extend(item.__dict__.values())
            elif isinstance(item, dict):
                stack.extend(item.values())
            elif len(item) > 1 and len(kinds := set(map(type, item))) == 1:
                first = item[0]
                if isinstance(first, BaseModel):  # one class: the same fields, column by column
                    for name in first.__dict__:
                        column = list(map(attrgetter(name), item))
                        kinds = set(map(type, column))
                        if kinds == {float}:
                            if not np.isfinite(np.array(column, dtype=float)).all():
                                return False
                        elif not kinds <= _NEVER_NON_FINITE:
                            stack.append(column)
                elif isinstance(first, dict):  # all their values as one list, each once
                    once = {id(v): v for each in item for v in each.values()}
                    stack.append(list(once.values()))
                elif not kinds <= _NEVER_NON_FINITE:
                    stack.extend(item)
            else:
                stack.extend(item)
    return True


def product_problems(results: Iterable[Any]) -> list[Problem]:
    """One problem per product whose own figures (lines excluded: they are checked as they
    are computed) are not finite, e.g. lines that are each finite but overflow when summed."""
    problems = []
    for result in results:
        if _all_finite([v for k, v in result.__dict__.items() if k != "lines"]):
            continue
        record = result.model_dump(exclude={"lines"})
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
