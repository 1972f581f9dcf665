"""Evaluating rule sets for one product: which rules apply, which limit is in force, the status.

Order of the questions, each answered in the check's explanation:
1. Does the rule concern this product's category?   no → not applicable;
   the product has no category → insufficient data
2. Is the reference date inside the rule's ``placed_on_market`` range?   no → not applicable
3. Which limit is in force on that date?   none yet → not applicable ("not yet binding")
4. Can the figure be computed?   the product has none of it → not applicable; data missing →
   insufficient data
5. Has a limit been set?   ``limit: null`` → not applicable, with the value reported
6. value against limit (both ends included) → pass / fail, with the margin and the drivers.

The reference date is the product's ``placed_on_market``, else ``as_of``, else today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from footprint.compliance.measures import MEASURES, SHARE_UNIT, DatasetLookup, Inputs
from footprint.compliance.rules import MAXIMUM_KINDS, SHARE_KINDS, DateRange, Phase, Rule, RuleSet
from footprint.compliance.sourcing_measures import SOURCING_MEASURES
from footprint.model import Check, CheckStatus, Product, ProductResult

# Figures computed in floating point may land a hair off an exact limit (0.16 as 0.1599…);
# within this relative tolerance a value counts as equal to the limit.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ReferenceDate:
    day: date
    origin: str

    def describe(self) -> str:
        return f"{self.origin} {self.day.isoformat()}"


def reference_date(
    product: Product, as_of: date | None, today: date | None = None
) -> ReferenceDate:
    """The date that selects the limit in force, and where it came from."""
    if product.placed_on_market is not None:
        return ReferenceDate(product.placed_on_market, "placed on the market")
    if as_of is not None:
        return ReferenceDate(as_of, "assessment date (as of)")
    return ReferenceDate(today or date.today(), "today, as the product has no placed_on_market,")


def evaluate_checks(
    result: ProductResult,
    product: Product,
    rule_sets: Sequence[RuleSet],
    *,
    as_of: date | None = None,
    catalog: DatasetLookup | None = None,
) -> list[Check]:
    """One ``Check`` per rule of every rule set, in the order the rule sets list them."""
    inputs = Inputs(result=result, product=product, catalog=catalog)
    when = reference_date(product, as_of)
    return [
        _evaluate(rule, rule_set, inputs, when) for rule_set in rule_sets for rule in rule_set.rules
    ]


def _evaluate(rule: Rule, rule_set: RuleSet, inputs: Inputs, when: ReferenceDate) -> Check:
    def check(status: CheckStatus, explanation: str, **figures: object) -> Check:
        return Check(
            rule=rule.id,
            rule_set=rule_set.name,
            title=rule.title,
            kind=rule.kind,
            status=status,
            source=rule.source,
            explanation=explanation,
            **figures,
        )

    category = inputs.product.category
    wanted = rule.applies_to.categories
    if wanted and category is None:
        return check(
            "insufficient data",
            f"The rule applies to products of category {_or(wanted)}, "
            "but this product has no category (set it on the Products sheet).",
        )
    if wanted and category not in wanted:
        return check(
            "not applicable",
            f"The rule applies to products of category {_or(wanted)}, not {category}.",
        )
    window = rule.applies_to.placed_on_market
    if window is not None and not window.contains(when.day):
        return check(
            "not applicable",
            f"The rule covers products placed on the market {_window(window)}; "
            f"date used: {when.describe()}.",
        )
    phase = _phase_in_force(rule, when.day)
    if rule.schedule and phase is None:
        first = rule.schedule[0]
        return check(
            "not applicable",
            f"Not yet binding: the first limit ({_show(first.limit, _unit_of(rule))}) applies "
            f"from {first.from_.isoformat()}; date used: {when.describe()}.",
        )
    limit = phase.limit if phase is not None else rule.limit
    measure = (MEASURES.get(rule.kind) or SOURCING_MEASURES[rule.kind])(rule, inputs)
    if measure.absent is not None:
        return check("not applicable", f"Not applicable: {measure.absent}.")
    if measure.missing is not None or measure.value is None:
        return check(
            "insufficient data",
            f"Cannot compute the {measure.subject}: {measure.missing}.",
            drivers=measure.drivers,
        )
    value, unit = measure.value, measure.unit
    in_force = f" in force from {phase.from_.isoformat()}" if phase is not None else ""
    maximum = rule.kind in MAXIMUM_KINDS or rule.kind == "required_fields"
    word = "maximum" if maximum else "minimum"
    if limit is None:
        split = "; ".join(
            f"{label} {_show(part, unit)}" for label, part in measure.by_stage.items()
        )
        return check(
            "declared",
            f"Declared value, no verdict: {measure.subject} is {_show(value, unit)}"
            + (f" (by stage: {split}; use stage not included)" if split else "")
            + f". No legal {word} adopted yet{in_force} (date used: {when.describe()}).",
            value=value,
            unit=unit,
            drivers=measure.drivers,
            by_stage=measure.by_stage,
        )
    margin = (limit - value) if maximum else (value - limit)
    if abs(margin) <= _TOLERANCE * max(abs(limit), abs(value), 1e-12):
        margin = 0.0
    status: CheckStatus = "pass" if margin >= 0 else "fail"
    if measure.bounds is not None and len({_passes(b, limit, maximum) for b in measure.bounds}) > 1:
        low, high = measure.bounds
        return check(
            "insufficient data",
            f"{_capital(measure.subject)} is {_show(value, unit)}, but could be anywhere from "
            f"{_show(low, unit)} to {_show(high, unit)} because {measure.unknown}: against a "
            f"{word} of {_show(limit, unit)}{in_force} it could pass or fail "
            f"(date used: {when.describe()}).",
            value=value,
            limit=limit,
            unit=unit,
            drivers=measure.drivers,
        )
    figures: dict[str, Any] = {
        "value": value,
        "limit": limit,
        "unit": unit,
        "margin": margin,
        "margin_percent": (margin / limit * 100) if limit else None,
    }
    if rule.informative:
        return check(
            "indicator",
            f"Indicator, not a product obligation: {measure.subject} is {_show(value, unit)} "
            f"against the {word} benchmark of {_show(limit, unit)}{in_force} (date used: "
            f"{when.describe()}): {_margin_words(margin, unit, maximum, 'benchmark')}.",
            drivers=measure.drivers if margin < 0 else [],
            **figures,
        )
    explanation = (
        f"{_capital(measure.subject)} is {_show(value, unit)} against a {word} of "
        f"{_show(limit, unit)}{in_force} (date used: {when.describe()}): {status}, "
        f"{_margin_words(margin, unit, maximum)}."
    )
    return check(
        status,
        explanation,
        drivers=measure.drivers if (status == "fail" or rule.kind == "max_footprint") else [],
        **figures,
    )


def _passes(value: float, limit: float, maximum: bool) -> bool:
    slack = _TOLERANCE * max(abs(limit), abs(value) if value != float("inf") else 0.0, 1e-12)
    return value <= limit + slack if maximum else value >= limit - slack


def _phase_in_force(rule: Rule, day: date) -> Phase | None:
    in_force = [phase for phase in rule.schedule if phase.from_ <= day]
    return in_force[-1] if in_force else None


def _unit_of(rule: Rule) -> str:
    if rule.kind in SHARE_KINDS:
        return SHARE_UNIT
    return ""


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return "none set"
    if unit == SHARE_UNIT:
        return f"{value * 100:.4g} %"
    if unit == "lines":
        return f"{value:.0f} line{'s' if value != 1 else ''}"
    return f"{value:.4g} {unit}".rstrip()


def _margin_words(margin: float, unit: str, maximum: bool, limit: str = "limit") -> str:
    """'exceeds the maximum limit by 3 kg', '2 kg below the maximum limit', '5 percentage
    points short of the minimum limit', 'exactly at the limit'."""
    if margin == 0:
        return f"exactly at the {limit}"
    amount = (
        f"{abs(margin) * 100:.4g} percentage points"
        if unit == SHARE_UNIT
        else _show(abs(margin), unit)
    )
    word = "maximum" if maximum else "minimum"
    if maximum:
        if margin > 0:
            return f"{amount} below the {word} {limit}"
        return f"exceeds the {word} {limit} by {amount}"
    if margin > 0:
        return f"{amount} above the {word} {limit}"
    return f"{amount} short of the {word} {limit}"


def _or(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _window(window: DateRange) -> str:
    start, end = window.from_, window.until
    if start and end:
        return f"from {start.isoformat()} to {end.isoformat()}"
    if start:
        return f"from {start.isoformat()}"
    return f"until {end.isoformat()}" if end else "at any date"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
