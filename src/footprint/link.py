"""Linking: BOM lines → datasets, with every amount in its dataset's reference unit.

A line's ``dataset`` is either a catalog id or ``<database>::<activity code>`` for any activity
of the Brightway project (resolved through an ``ExternalResolver``, which the engine provides).
Each product is flattened (assembly multipliers applied), each line's quantity in one product
is converted with pint into the dataset's reference unit, and its mass in kg is computed where
it is a mass (or pieces with a mass per piece).

All problems of all products are raised together as one ``BomError`` — they are located on BOM
rows (file, sheet, row, column ``dataset`` / ``unit`` / ``quantity``), even when the cause is a
dataset's unit.  Unknown ids come with the closest ids as suggestions.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from footprint import units
from footprint.errors import BomError, FootprintError, Problem, cap_problems
from footprint.model import BomLine, Dataset, Product, is_waste_treatment

BRIGHTWAY_SEPARATOR = "::"


@dataclass(frozen=True)
class ExternalActivity:
    """An activity of the Brightway project named by ``<database>::<code>``."""

    reference: str
    database: str
    code: str
    name: str
    unit: str  # canonical pint unit of the activity's reference product


class ExternalResolver(Protocol):
    def resolve(self, reference: str) -> ExternalActivity | None: ...

    def suggest(self, reference: str) -> list[str]: ...


class DatasetLookup(Protocol):
    """What linking needs of a catalog (``footprint.catalog.Catalog`` provides it)."""

    def __contains__(self, dataset_id: object) -> bool: ...

    def get(self, dataset_id: str) -> Dataset: ...

    def suggest(self, dataset_id: str, n: int = 3) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class LinkedLine:
    """One flattened BOM line, resolved and converted; amounts are per one product."""

    line: BomLine
    path: str
    depth: int
    multiplier: float
    is_assembly: bool
    dataset: str | None  # the reference as written on the BOM (None: an assembly alone)
    amount: float  # quantity × multiplier, in ``unit``
    unit: str  # the dataset's reference unit (the BOM unit when there is no dataset)
    mass_kg: float | None
    record: Dataset | None = None  # the catalog record when the dataset is from the catalog
    activity: ExternalActivity | None = None  # the Brightway activity for ``db::code``

    @property
    def dataset_name(self) -> str | None:
        if self.record is not None:
            return self.record.name
        return self.activity.name if self.activity is not None else None


@dataclass(frozen=True, slots=True)
class LinkedProduct:
    product: Product
    lines: list[LinkedLine]

    @property
    def mass_kg(self) -> float | None:
        """Mass of one product: its leaf lines that are masses, not counting waste treatments
        (an end-of-life line of 23 kg treats the product's own 23 kg).  None when none is."""
        masses = [
            ln.mass_kg
            for ln in self.lines
            if not ln.is_assembly
            and ln.mass_kg is not None
            and not is_waste_treatment(ln.line.stage, ln.dataset)
        ]
        return sum(masses) if masses else None


def link_products(
    products: Sequence[Product],
    catalog: DatasetLookup,
    *,
    external: ExternalResolver | None = None,
) -> list[LinkedProduct]:
    """Link every line of every product; raise one ``BomError`` listing every problem."""
    from footprint.bom.hierarchy import flatten

    problems: list[Problem] = []
    linked: list[LinkedProduct] = []
    for product in products:
        lines = []
        try:
            flat_lines = flatten(product)
        except FootprintError as error:
            problems.extend(error.problems)
            continue
        for flat in flat_lines:
            result = _link_line(flat, catalog, external, problems)
            if result is not None:
                lines.append(result)
        linked.append(LinkedProduct(product, lines))
    if problems:
        raise BomError(cap_problems(problems))
    return linked


def _path_text(path: Any) -> str:
    if isinstance(path, str):
        return path
    return " / ".join(str(p) for p in path)


def _where(line: BomLine, column: str) -> dict[str, Any]:
    return {
        "file": line.source.file,
        "sheet": line.source.sheet,
        "row": line.source.row,
        "column": column,
    }


def _link_line(
    flat: Any,
    catalog: DatasetLookup,
    external: ExternalResolver | None,
    problems: list[Problem],
) -> LinkedLine | None:
    line: BomLine = flat.line
    quantity = line.quantity * flat.multiplier
    if not math.isfinite(quantity) or quantity < 0:
        problems.append(
            Problem(
                f"quantity {line.quantity!r} is not a finite number ≥ 0",
                **_where(line, "quantity"),
            )
        )
        return None
    common: dict[str, Any] = {
        "line": line,
        "path": _path_text(flat.path),
        "depth": int(flat.depth),
        "multiplier": float(flat.multiplier),
        "is_assembly": bool(flat.is_assembly),
        "dataset": line.dataset,
    }
    mass = _mass_kg(quantity, line)
    reference = (line.dataset or "").strip()
    if not reference:
        if flat.is_assembly:
            return LinkedLine(**common, amount=quantity, unit=line.unit, mass_kg=mass)
        problems.append(
            Problem(
                "a line without sub-lines needs a dataset (a catalog id, or "
                "<database>::<activity code> of the Brightway project)",
                **_where(line, "dataset"),
            )
        )
        return None
    record: Dataset | None = None
    activity: ExternalActivity | None = None
    if BRIGHTWAY_SEPARATOR in reference:
        activity = external.resolve(reference) if external is not None else None
        if activity is None:
            hints = external.suggest(reference) if external is not None else []
            problems.append(Problem(_unknown(reference, hints), **_where(line, "dataset")))
            return None
        unit = activity.unit
    elif reference in catalog:
        record = catalog.get(reference)
        common["dataset"] = record.id  # an alias (a PACT product id) links its dataset
        unit = record.unit
    else:
        problems.append(
            Problem(_unknown(reference, catalog.suggest(reference)), **_where(line, "dataset"))
        )
        return None
    try:
        amount = units.convert(
            quantity,
            line.unit,
            unit,
            mass_per_piece_kg=line.mass_per_piece_kg,
            where=_where(line, "unit"),
        )
    except FootprintError as error:
        problems.extend(
            dataclasses.replace(p, message=f"{p.message} (dataset {reference!r})")
            for p in error.problems
        )
        return None
    if mass is None and _is_mass(unit):
        mass = units.to_kg(amount, unit)
    if not math.isfinite(amount) or (mass is not None and not math.isfinite(mass)):
        problems.append(
            Problem(
                f"quantity {line.quantity:g} {line.unit} is too large: in "
                f"{unit if not math.isfinite(amount) else 'kg'} it is beyond about 1.8e308, the "
                "largest number a computer holds; check the quantity and its unit",
                **_where(line, "quantity"),
            )
        )
        return None
    return LinkedLine(
        **common, amount=amount, unit=unit, mass_kg=mass, record=record, activity=activity
    )


# a BOM names a handful of units over millions of lines: pint's dimensionality test once each
_is_mass = lru_cache(maxsize=1024)(units.is_mass)
_is_count = lru_cache(maxsize=1024)(units.is_count)


def _mass_kg(quantity: float, line: BomLine) -> float | None:
    if _is_mass(line.unit):
        return units.to_kg(quantity, line.unit)
    if _is_count(line.unit) and line.mass_per_piece_kg is not None:
        return units.convert(quantity, line.unit, "piece") * line.mass_per_piece_kg
    return None


def _unknown(reference: str, hints: Iterable[str]) -> str:
    hints = list(hints)
    tip = f" (did you mean {', '.join(repr(h) for h in hints)}?)" if hints else ""
    if BRIGHTWAY_SEPARATOR in reference:
        return f"{reference!r} is not an activity of the Brightway project{tip}"
    return f"{reference!r} is not a known dataset id{tip}"
