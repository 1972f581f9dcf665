"""The sourcing picture of one product, and of a portfolio of products.

compute_sourcing(result, catalog, inputs, day) → (SourcingResult, warnings)
portfolio_sourcing(results, catalog, inputs, day) → SourcingResult  (no scorecards)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from footprint.model import Product, ProductResult, Warning_
from footprint.sourcing.measures import DatasetLookup, measure_lines, sourced_lines
from footprint.sourcing.results import SourcingResult
from footprint.sourcing.scorecards import scorecards
from footprint.suppliers import SourcingInputs


def _name(path: str | None) -> str | None:
    """A file by its name, as problems name files (a web upload's folder is temporary)."""
    return None if path is None else Path(path).name


def _frame(inputs: SourcingInputs, day: date) -> SourcingResult:
    return SourcingResult(
        assessed_on=day,
        expiring_within_days=inputs.expiring_within_days,
        register_file=_name(inputs.register.file if inputs.register else None),
        approved_smelters_file=_name(inputs.approved_smelters_file),
        high_risk_countries_file=_name(inputs.high_risk_countries_file),
    )


def compute_sourcing(
    result: ProductResult,
    product: Product | None,
    catalog: DatasetLookup | None,
    inputs: SourcingInputs,
    day: date,
) -> tuple[SourcingResult, list[Warning_]]:
    """``product``: the BOM lines behind the result (their composition and chemistry)."""
    lines, without_mass, warnings = sourced_lines(result, product, catalog, inputs, day)
    out = _frame(inputs, day)
    out.elements, out.materials = measure_lines(lines, inputs)
    out.suppliers = scorecards(result, lines, [*out.elements, *out.materials], inputs, day)
    out.lines_without_composition = [i.line.id for i in lines if not i.composition]
    out.composition_unknown = {i.label: sorted(i.may_carry) for i in lines if i.may_carry}
    out.lines_without_mass = without_mass
    if out.lines_without_composition:
        out.notes.append(
            f"{len(out.lines_without_composition)} material line(s) have no known element "
            "composition (no BOM composition or chemistry, none in the dataset): they are in "
            "the material figures and the scorecards, not in any element figure"
        )
    return out, warnings


def portfolio_sourcing(
    results: Sequence[ProductResult],
    products: Sequence[Product | None],
    catalog: DatasetLookup | None,
    inputs: SourcingInputs,
    day: date,
) -> SourcingResult:
    """Element and material figures over one unit of each product (the BOM gives no volumes)."""
    lines = []
    for result, product in zip(results, products, strict=True):
        found, _without_mass, _warnings = sourced_lines(
            result, product, catalog, inputs, day, qualified=True
        )
        lines.extend(found)
    out = _frame(inputs, day)
    out.elements, out.materials = measure_lines(lines, inputs)
    out.composition_unknown = {i.label: sorted(i.may_carry) for i in lines if i.may_carry}
    out.notes.append(
        f"portfolio of {len(results)} products: one unit of each (the BOM gives no sales "
        "volumes), masses summed"
    )
    return out
