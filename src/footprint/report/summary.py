"""What both reports say about a product at a glance: compliance status and top lines.

Only reading: every figure comes from the ``Assessment`` unchanged; these helpers choose and
order, they never compute new numbers.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from footprint.model import STAGES, Check, CheckStatus, LineResult, ProductResult, Stage

Status = Literal["green", "amber", "red", "none"]

STATUS_ORDER: tuple[CheckStatus, ...] = ("fail", "insufficient data", "pass", "not applicable")

STAGE_LABELS: dict[Stage, str] = {stage: stage.value.capitalize() for stage in STAGES}

MIN_RECYCLED_CONTENT = "min_recycled_content"  # the rule kind of recycled-content targets


def compliance_status(product: ProductResult) -> Status:
    """Red if any check fails, amber if any lacks data, green if all pass or do not apply."""
    statuses = {check.status for check in product.checks}
    if not statuses:
        return "none"
    if "fail" in statuses:
        return "red"
    if "insufficient data" in statuses:
        return "amber"
    return "green"


def check_counts(product: ProductResult) -> str:
    """'1 fail, 1 insufficient data, 2 pass' in a fixed order; '' without checks."""
    counts = Counter(check.status for check in product.checks)
    return ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])


def top_lines(product: ProductResult, n: int = 10) -> list[LineResult]:
    """The ``n`` lines with the largest contribution (by magnitude; credits count too)."""
    contributing = [line for line in product.lines if line.climate_change.total != 0]
    contributing.sort(key=lambda line: abs(line.climate_change.total), reverse=True)
    return contributing[:n]


SHARE_UNITS = ("share", "fraction")  # units of a check whose figures are shares of 1


def is_share(unit: str | None) -> bool:
    return unit in SHARE_UNITS


def sorted_checks(checks: list[Check]) -> list[Check]:
    """Failures first, then missing data, passes, and rules that do not apply."""
    return sorted(checks, key=lambda check: STATUS_ORDER.index(check.status))


def recycled_content_checks(product: ProductResult) -> list[Check]:
    return [check for check in product.checks if check.kind == MIN_RECYCLED_CONTENT]


def product_label(product: ProductResult) -> str:
    return f"{product.id} — {product.name}" if product.name else product.id
