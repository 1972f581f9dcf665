"""The Monte Carlo columns of a BOM: a line's ``quantity_tolerance`` and the ranges of recycled
content, its post-consumer part and the end-of-life rates (on a BOM line or a Products row),
read and checked when the file is read, whether or not a Monte Carlo runs.

    quantity_tolerance                      "±5 %"      BOM lines only
    recycled_content_range                  "15–25 %"   R1
    recycled_content_post_consumer_range    "5–10 %"    the post-consumer part of R1
    eol_recycling_rate_range                "0.6–0.8"   R2
    eol_energy_recovery_rate_range          "5-10%"     R3

A range needs the row's own value of its parameter (the value the footprint and the checks
use), inside the range.  Combinations that a draw could break are refused when the file is
read: R2 + R3 ≤ 100 % and R1 + FU ≤ 100 %, R2 + CU ≤ 100 % at the high ends of the ranges,
and the post-consumer range at or below R1 (its low end, when R1 is a range too), so that no
draw of the Monte Carlo is an impossible product.

Without a Monte Carlo (no ``--iterations``) nothing here changes a figure; the reader then
warns, per product, that the columns were given but not sampled
(``MONTE_CARLO_NOT_SAMPLED``), and the Monte Carlo removes that warning when it runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from footprint.bom.columns import RANGE_COLUMNS, normalise_key
from footprint.model import Product, Warning_

TOLERANCE_COLUMN = "quantity_tolerance"
MONTE_CARLO_NOT_SAMPLED = "monte-carlo-inputs-not-sampled"  # Warning_.code

_RANGE_KEYS = {normalise_key(name): name for name in RANGE_COLUMNS}
_TOLERANCE_KEY = normalise_key(TOLERANCE_COLUMN)
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^\s*{_NUMBER}\s*(%?)\s*(?:–|—|-|\.\.|to)\s*{_NUMBER}\s*(%?)\s*$", re.I)
_TOLERANCE = re.compile(r"^\s*(?:±|\+/-|\+-)?\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")
_EPS = 1e-12


def parse_range(text: object) -> tuple[float, float]:
    """A share range as fractions: "15–25 %", "15 % – 25 %", "0.15-0.25" → (0.15, 0.25)."""
    match = _RANGE.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a range; write it as 15–25 % or 0.15–0.25")
    low, high = (float(match.group(i).replace(",", ".")) for i in (1, 3))
    if match.group(2) or match.group(4):
        low, high = low / 100, high / 100
    elif high > 1:
        raise ValueError(f"{text!r}: shares are fractions (0.15–0.25) or percentages (15–25 %)")
    if high > 1:
        raise ValueError(f"{text!r}: a share cannot exceed 100 %")
    if not low < high:
        raise ValueError(f"{text!r}: the low end must be below the high end")
    return low, high


def show_range(low: float, high: float) -> str:
    return f"{low * 100:.4g}–{high * 100:.4g} %"


def parse_tolerance(text: object) -> float:
    """A quantity tolerance as a fraction: "±5 %", "5%", "0.05" → 0.05."""
    match = _TOLERANCE.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a tolerance (e.g. ±5 %)")
    value = float(match.group(1)) / (100 if match.group(2) else 1)
    if not 0 <= value < 1:
        raise ValueError(f"{text!r}: a tolerance must be below 100 %")
    return value


def is_monte_carlo_column(header: str) -> bool:
    key = normalise_key(header)
    return key == _TOLERANCE_KEY or key in _RANGE_KEYS


@dataclass(frozen=True)
class RowRange:
    """One range of a row: uniform between ``low`` and ``high``, around the row's value."""

    parameter: str  # recycled_content, recycled_content_post_consumer, eol_… (the value's column)
    header: str  # the range's column as written
    low: float
    high: float
    declared: float


@dataclass
class RowInputs:
    """The Monte Carlo cells of one row, checked: ranges by parameter, the tolerance, and the
    problems as (column as written, message)."""

    ranges: dict[str, RowRange]
    tolerance: float | None
    problems: list[tuple[str, str]]


def row_inputs(
    extra: Mapping[str, object], values: Mapping[str, float | None], label: str, owner: str
) -> RowInputs:
    """Read and check a row's Monte Carlo cells.  ``extra``: the row's passed-through cells
    (header → value), ``values``: its own circularity parameters, ``label``: "line X" or
    "product X" (the start of each message), ``owner``: "line" or "product"."""
    found: dict[str, RowRange] = {}
    problems: list[tuple[str, str]] = []
    tolerance: float | None = None
    for header, text in extra.items():
        if text is None or text == "":
            continue
        column = _canonical(header)
        if column is None:
            continue
        if column == TOLERANCE_COLUMN:
            if owner != "line":
                problems.append(
                    (header, f"{label}: {TOLERANCE_COLUMN} is a column of the BOM sheet's lines "
                     "(the quantity of a line), not of the Products sheet")
                )  # fmt: skip
                continue
            parsed = _parsed(parse_tolerance, text)
            if isinstance(parsed, str):
                problems.append((header, f"{label}: {parsed}"))
            else:
                tolerance = parsed
            continue
        parameter = RANGE_COLUMNS[column]
        bounds = _parsed(parse_range, text)
        if isinstance(bounds, str):
            problems.append((header, f"{label}: {bounds}"))
            continue
        low, high = bounds
        declared = values.get(parameter)
        if declared is None:
            problems.append(
                (header, f"{label}: {header} {text!r} needs the {owner}'s own {parameter} "
                 "(the value the footprint and the checks use), inside the range")
            )  # fmt: skip
            continue
        if not low - _EPS <= declared <= high + _EPS:
            problems.append(
                (header, f"{label}: {parameter} {declared * 100:.4g} % lies outside its range "
                 f"{show_range(low, high)}")
            )  # fmt: skip
            continue
        found[parameter] = RowRange(parameter, header, low, high, float(declared))
    if found:
        problems.extend(_combinations(found, values, label))
    for problem in problems:  # a row with a bad combination keeps none of its ranges
        found = {p: r for p, r in found.items() if r.header != problem[0]}
    return RowInputs(found, tolerance, problems)


def _combinations(
    found: dict[str, RowRange], values: Mapping[str, float | None], label: str
) -> list[tuple[str, str]]:
    """Sums a draw could push past 100 %, and a post-consumer part above R1."""

    def high(name: str) -> float:
        ranged = found.get(name)
        return ranged.high if ranged else (values.get(name) or 0.0)

    problems = []
    for first, second, text in (
        ("eol_recycling_rate", "eol_energy_recovery_rate", "R2 and R3"),
        ("recycled_content", "reuse_share", "R1 and FU (reuse_share)"),
        ("eol_recycling_rate", "eol_reuse_rate", "R2 and CU (eol_reuse_rate)"),
    ):
        if first not in found and second not in found:
            continue
        total = high(first) + high(second)
        if total > 1 + _EPS:
            header = (found.get(second) or found[first]).header
            problems.append(
                (header, f"{label}: {text} could add up to {total * 100:.4g} % at the high "
                 f"ends of their ranges; {text.split(' (')[0].replace(' and ', ' + ')} must "
                 "stay ≤ 100 %")
            )  # fmt: skip
    post = found.get("recycled_content_post_consumer")
    if post is not None:
        r1 = found.get("recycled_content")
        ceiling = r1.low if r1 else values.get("recycled_content")
        if ceiling is not None and post.high > ceiling + _EPS:
            which = "the low end of R1's range" if r1 else "R1"
            problems.append(
                (post.header, f"{label}: the post-consumer range reaches {post.high * 100:.4g} "
                 f"%, above {which} ({ceiling * 100:.4g} %); the post-consumer part of the "
                 "recycled content cannot exceed it")
            )  # fmt: skip
    return problems


@lru_cache(maxsize=256)
def _canonical(header: str) -> str | None:
    """The Monte Carlo column a header is (None: another column); headers repeat per row."""
    key = normalise_key(header)
    return TOLERANCE_COLUMN if key == _TOLERANCE_KEY else _RANGE_KEYS.get(key)


@lru_cache(maxsize=4096)
def _parsed_text(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except ValueError as error:
        return str(error)


def _parsed(parse: Any, value: object) -> Any:
    """``parse(value)``, or its error message; the same cell text (``±5 %`` on every line) is
    parsed once."""
    return _parsed_text(parse, value) if isinstance(value, str) else _parsed_text(parse, str(value))


def given_columns(extra: Mapping[str, object]) -> list[str]:
    """The Monte Carlo columns a row fills (canonical names)."""
    found = []
    for header, value in extra.items():
        if value is None or value == "":
            continue
        name = _canonical(header)
        if name is not None:
            found.append(name)
    return found


def monte_carlo_warnings(products: Sequence[Product]) -> list[Warning_]:
    """One warning per product whose rows give Monte Carlo columns: given, but not sampled
    unless a Monte Carlo runs (which removes the warning, ``without_not_sampled``)."""
    warnings = []
    for product in products:
        where: dict[str, list[str]] = {}
        for column in given_columns(product.extra):
            where.setdefault(column, []).append("the Products row")
        for line in product.lines:
            for column in given_columns(line.extra):
                where.setdefault(column, []).append(f"line {line.id}")
        if not where:
            continue
        parts = [f"{column} on {_some(places)}" for column, places in where.items()]
        warnings.append(
            Warning_(
                message=f"{'; '.join(parts)}: given but not sampled, no Monte Carlo was run; "
                "the figures and checks use the declared values (footprint assess … "
                "--iterations N samples them)",
                product=product.id,
                file=product.source.file,
                sheet=product.source.sheet,
                code=MONTE_CARLO_NOT_SAMPLED,
                subjects=sorted(where),
            )
        )
    return warnings


def without_not_sampled(warnings: Sequence[Warning_]) -> list[Warning_]:
    """The warnings less the "given but not sampled" ones (a Monte Carlo ran)."""
    return [w for w in warnings if w.code != MONTE_CARLO_NOT_SAMPLED]


def _some(places: list[str], shown: int = 5) -> str:
    if len(places) <= shown:
        return ", ".join(places)
    return f"{', '.join(places[:shown])} … ({len(places)} rows)"
