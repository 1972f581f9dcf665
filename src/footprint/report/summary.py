"""What both reports say about a product at a glance: compliance status and top lines.

Only reading: every figure comes from the ``Assessment`` unchanged; these helpers choose and
order, they never compute new numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Literal

from footprint.model import STAGES, Check, CheckStatus, LineResult, ProductResult, Stage

Status = Literal["green", "amber", "red", "neutral", "none"]

STATUS_ORDER: tuple[CheckStatus, ...] = (
    "fail",
    "insufficient data",
    "pass",
    "declared",
    "indicator",
    "not applicable",
)

NOT_COVERED = "no rule of the chosen rule sets covers this product: no verdict"

STAGE_LABELS: dict[Stage, str] = {stage: stage.value.capitalize() for stage in STAGES}

MIN_RECYCLED_CONTENT = "min_recycled_content"  # the rule kind of recycled-content targets


def compliance_status(product: ProductResult) -> Status:
    """Red if any check fails, amber if any lacks data, green if at least one passes and
    none fails or lacks data; neutral when no check gives a verdict (no rule covers the
    product, or only declared values and indicators); none without checks.  A product that no
    rule covers is never green."""
    statuses = {check.status for check in product.checks}
    if not statuses:
        return "none"
    if "fail" in statuses:
        return "red"
    if "insufficient data" in statuses:
        return "amber"
    if "pass" in statuses:
        return "green"
    return "neutral"


def no_verdict_note(checks: Sequence[Check]) -> str | None:
    """Why checks give no verdict at all (neutral), or None when some check does."""
    statuses = {check.status for check in checks}
    if not statuses or statuses & {"pass", "fail", "insufficient data"}:
        return None
    if statuses == {"not applicable"}:
        return NOT_COVERED
    return "no verdict: the rules that cover this product only declare values or inform"


def check_counts(product: ProductResult) -> str:
    """'1 fail, 1 insufficient data, 2 pass' in a fixed order; '' without checks; and
    says so when no rule covers the product."""
    counts = Counter(check.status for check in product.checks)
    text = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
    note = no_verdict_note(product.checks)
    if note:
        text += f" ({note})"
    return text


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
