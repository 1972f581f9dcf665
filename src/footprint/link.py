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

import numpy as np

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
    recipes: dict[tuple[str | None, str, float | None], _Recipe | None] = {}
    for product in products:
        lines = []
        try:
            flat_lines = flatten(product)
        except FootprintError as error:
            problems.extend(error.problems)
            continue
        for flat in flat_lines:
            result = None
            if flat.depth == 0 and not flat.is_assembly:  # the common line: linked by recipe
                result = _linked_by_recipe(flat.line, recipes, catalog, external)
            if result is None:
                result = _link_line(flat, catalog, external, problems)
            if result is not None:
                lines.append(result)
        linked.append(LinkedProduct(product, lines))
    if problems:
        raise BomError(cap_problems(problems))
    return linked


def _linked_by_recipe(
    line: BomLine,
    recipes: dict[tuple[str | None, str, float | None], _Recipe | None],
    catalog: DatasetLookup,
    external: ExternalResolver | None,
) -> LinkedLine | None:
    """A top-level leaf line linked with the recipe of its (dataset, unit, mass per piece),
    worked out once: what ``_link_line`` gives it.  None when it needs ``_link_line`` (no
    recipe, or a quantity or result ``_link_line`` reports as a problem)."""
    key = (line.dataset, line.unit, line.mass_per_piece_kg)
    if key in recipes:
        recipe = recipes[key]
    else:
        recipe = recipes[key] = _recipe(key, catalog, external)
    quantity = line.quantity * 1.0  # × the multiplier of a top-level line, as _link_line
    if recipe is None or not math.isfinite(quantity) or quantity < 0:
        return None
    amount = quantity * recipe.factor
    if recipe.bom_mass_factor:
        mass: float | None = quantity * recipe.bom_mass_factor
    else:
        mass = amount * recipe.dataset_mass_factor if recipe.dataset_mass_factor else None
    if not math.isfinite(amount) or (mass is not None and not math.isfinite(mass)):
        return None
    target = recipe.target
    record = target if isinstance(target, Dataset) else None
    activity = target if isinstance(target, ExternalActivity) else None
    return LinkedLine(
        line, line.id, 0, 1.0, False, recipe.dataset, amount, recipe.unit, mass, record, activity
    )


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


@dataclass(frozen=True)
class LinkedColumns:
    """The lines with a dataset of many one-level products, linked column by column (what
    ``Engine.footprint_table`` needs): per line its product, id, stage, dataset (as
    ``LinkedLine.dataset``), amount in the dataset's unit and that unit; ``codes`` numbers
    each line's (dataset, unit) and ``targets`` holds, per code, the catalog record or the
    Brightway activity."""

    product: list[str]
    line: list[str]
    stage: list[str]
    dataset: list[str]
    amount: np.ndarray
    unit: list[str]
    reference_flow: np.ndarray
    codes: np.ndarray
    targets: list[Dataset | ExternalActivity]


def link_columns(
    products: Sequence[Product],
    catalog: DatasetLookup,
    *,
    external: ExternalResolver | None = None,
) -> LinkedColumns | None:
    """``link_products`` for the common shape — one-level products whose lines all name a
    dataset, in units convertible by a factor, no mass per piece — without a ``LinkedLine``
    per line: each distinct (dataset, unit) is resolved once and the amounts converted as
    arrays (``quantity × factor``, the multiplication ``units.convert`` makes).  None when
    any product or line is of another shape or any line has a problem: then
    ``link_products`` links them (and names the problems)."""
    lines: list[BomLine] = []
    for product in products:
        if any(line.parent is not None for line in product.lines):
            return None
        if len({line.id for line in product.lines}) != len(product.lines):
            return None
        lines.extend(product.lines)
    code_of: dict[tuple[str | None, str, float | None], int] = {}
    codes = [
        code_of.setdefault((line.dataset, line.unit, line.mass_per_piece_kg), len(code_of))
        for line in lines
    ]
    recipes = [_recipe(key, catalog, external) for key in code_of]
    if any(recipe is None for recipe in recipes):
        return None
    resolved = [r for r in recipes if r is not None]
    code = np.asarray(codes, dtype=np.int64)
    quantity = np.fromiter((line.quantity for line in lines), dtype=np.float64, count=len(lines))
    with np.errstate(over="ignore", invalid="ignore"):
        amount = quantity * np.array([r.factor for r in resolved])[code]
        bom_mass = quantity * np.array([r.bom_mass_factor for r in resolved])[code]
        dataset_mass = amount * np.array([r.dataset_mass_factor for r in resolved])[code]
    finite = (
        np.isfinite(quantity).all()
        and (quantity >= 0).all()
        and np.isfinite(amount).all()
        and np.isfinite(bom_mass).all()
        and np.isfinite(dataset_mass).all()
    )
    if not finite:
        return None
    stage_value = {stage: stage.value for stage in {line.stage for line in lines}}
    return LinkedColumns(
        product=[p.id for p in products for _ in p.lines],
        line=[line.id for line in lines],
        stage=[stage_value[line.stage] for line in lines],
        dataset=[resolved[c].dataset for c in codes],
        amount=amount,
        unit=[resolved[c].unit for c in codes],
        reference_flow=np.fromiter(
            (p.reference_flow for p in products for _ in p.lines), np.float64, len(lines)
        ),
        codes=code,
        targets=[r.target for r in resolved],
    )


@dataclass(frozen=True)
class _Recipe:
    dataset: str
    unit: str
    factor: float
    bom_mass_factor: float  # 0 when the BOM unit is not a mass (only checked: finite)
    dataset_mass_factor: float
    target: Dataset | ExternalActivity


def _recipe(
    key: tuple[str | None, str, float | None],
    catalog: DatasetLookup,
    external: ExternalResolver | None,
) -> _Recipe | None:
    """How the lines of one (dataset, BOM unit, mass per piece) link, as ``_link_line`` would
    link them; None when they need ``_link_line`` (or it would report a problem)."""
    written, bom_unit, per_piece = key
    reference = (written or "").strip()
    if not reference or per_piece is not None:
        return None
    target: Dataset | ExternalActivity | None = None
    if BRIGHTWAY_SEPARATOR in reference:
        target = external.resolve(reference) if external is not None else None
        if target is None:
            return None
        dataset, unit = written, target.unit
    elif reference in catalog:
        target = catalog.get(reference)
        dataset, unit = target.id, target.unit
    else:
        return None
    try:
        factor = units.convert(1.0, bom_unit, unit)  # 1 × the factor: no other path without
    except FootprintError:  # a mass per piece
        return None
    bom_mass = units.to_kg(1.0, bom_unit) if _is_mass(bom_unit) else 0.0
    dataset_mass = units.to_kg(1.0, unit) if not bom_mass and _is_mass(unit) else 0.0
    assert dataset is not None
    return _Recipe(dataset, unit, factor, bom_mass, dataset_mass, target)
