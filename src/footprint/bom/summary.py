"""Totals of a product's BOM: amounts per dimension, and the mass of its materials."""

from __future__ import annotations

from dataclasses import dataclass, field

from footprint.bom.hierarchy import FlatLine, flatten
from footprint.model import Product, Stage
from footprint.units import convert, dimension_name, is_count, is_mass

# the unit each dimension's total is reported in
_REPORT_UNITS: dict[str, str] = {
    "mass": "kg",
    "energy": "kWh",
    "mass × distance": "t*km",
    "count": "piece",
    "area": "cm**2",
    "volume": "l",
    "length": "m",
    "data size": "GB",
}


@dataclass
class ProductSummary:
    product: Product
    lines: int
    depth: int
    totals: dict[str, tuple[float, str]] = field(default_factory=dict)  # dimension → amount
    material_mass_kg: float = 0.0


def line_mass_kg(flat: FlatLine) -> float | None:
    """Mass of a line in one product, when its unit is a mass or pieces of known mass."""
    line = flat.line
    amount = line.quantity * flat.multiplier
    if is_mass(line.unit):
        return convert(amount, line.unit, "kg")
    if is_count(line.unit) and line.mass_per_piece_kg is not None:
        return convert(amount, line.unit, "kg", mass_per_piece_kg=line.mass_per_piece_kg)
    return None


def material_mass_kg(product: Product, flat: list[FlatLine] | None = None) -> float:
    """Mass of the product's materials: lines of the raw-materials stage that count themselves
    (leaves, and assemblies with a dataset), so end-of-life lines in kg are not added twice."""
    total = 0.0
    for item in flat if flat is not None else flatten(product):
        if item.line.stage is not Stage.RAW_MATERIALS or _only_a_container(item):
            continue
        mass = line_mass_kg(item)
        if mass is not None:
            total += mass
    return total


def _only_a_container(item: FlatLine) -> bool:
    return item.is_assembly and item.line.dataset is None


def summarise(product: Product) -> ProductSummary:
    flat = flatten(product)
    totals: dict[str, tuple[float, str]] = {}
    for item in flat:
        if _only_a_container(item):
            continue
        line = item.line
        mass = line_mass_kg(item)  # pieces of known mass are added to the mass
        if mass is not None:
            dimension, report_unit, amount = "mass", "kg", mass
        else:
            dimension = dimension_name(line.unit)
            report_unit = _REPORT_UNITS.get(dimension, line.unit)
            amount = convert(line.quantity * item.multiplier, line.unit, report_unit)
        previous = totals.get(dimension, (0.0, report_unit))[0]
        totals[dimension] = (previous + amount, report_unit)
    return ProductSummary(
        product=product,
        lines=len(flat),
        depth=max((item.depth for item in flat), default=0) + 1 if flat else 0,
        totals=totals,
        material_mass_kg=material_mass_kg(product, flat),
    )
