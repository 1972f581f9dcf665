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
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, Protocol

import numpy as np

from footprint import units
from footprint.errors import BomError, FootprintError, Problem, cap_problems
from footprint.model import BomLine, Dataset, Product, Stage, is_waste_treatment

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


class LinkedProduct:
    """A product and its lines, linked: ``lines``, one ``LinkedLine`` each, in BOM order.

    A one-level product whose lines all link by a recipe (``link_products``) is held as
    ``columns`` (``RecipeLines``) instead; its ``lines`` are then built when first asked for
    (the engine reads the columns, and a million ``LinkedLine`` objects are never made)."""

    __slots__ = ("product", "columns", "_lines")

    def __init__(
        self,
        product: Product,
        lines: list[LinkedLine] | None = None,
        *,
        columns: RecipeLines | None = None,
    ) -> None:
        if (lines is None) == (columns is None):
            raise ValueError("give the lines or their columns")
        self.product = product
        self.columns = columns
        self._lines = lines

    @property
    def lines(self) -> list[LinkedLine]:
        if self._lines is None:
            assert self.columns is not None
            self._lines = self.columns.linked_lines()
        return self._lines

    def __len__(self) -> int:
        return len(self.columns) if self.columns is not None else len(self.lines)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LinkedProduct):
            return NotImplemented
        return self.product == other.product and self.lines == other.lines

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LinkedProduct({self.product.id!r}, {len(self)} lines)"

    def lines_linking(self, keep: Callable[[Dataset], bool]) -> list[LinkedLine]:
        """The lines linked to a catalog record for which ``keep`` is true (for columns: only
        those lines are built)."""
        if self.columns is None or self._lines is not None:
            return [ln for ln in self.lines if ln.record is not None and keep(ln.record)]
        return self.columns.linked_lines(keep)

    @property
    def mass_kg(self) -> float | None:
        """Mass of one product: its leaf lines that are masses, not counting waste treatments
        (an end-of-life line of 23 kg treats the product's own 23 kg).  None when none is."""
        if self.columns is not None:
            masses = self.columns.product_masses()
        else:
            masses = [
                ln.mass_kg
                for ln in self.lines
                if not ln.is_assembly
                and ln.mass_kg is not None
                and not is_waste_treatment(ln.line.stage, ln.dataset)
            ]
        return sum(masses) if masses else None


class RecipeTable(list["Recipe"]):
    """The recipes of one ``link_products`` call, shared by its ``RecipeLines``."""

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[Callable[[Dataset], bool], np.ndarray] = {}

    def kept(self, keep: Callable[[Dataset], bool]) -> np.ndarray:
        """Per recipe: does it link a catalog record that ``keep`` keeps (asked once)."""
        known = self._kept.get(keep)
        if known is None:
            known = self._kept[keep] = np.fromiter(
                (isinstance(r.target, Dataset) and keep(r.target) for r in self), bool, len(self)
            )
        return known


@dataclass(frozen=True, slots=True)
class RecipeLines:
    """The lines of a one-level product, linked column by column: line ``k`` is ``bom[k]``,
    linked by ``recipes[codes[k]]`` (a table shared by the products of one ``link_products``
    call); ``amount`` and ``mass_kg`` (no mass where ``has_mass`` is false) per line, the
    figures ``_linked_by_recipe`` gives each line."""

    bom: Sequence[BomLine]
    codes: np.ndarray
    recipes: RecipeTable
    amount: np.ndarray
    mass_kg: np.ndarray
    has_mass: np.ndarray
    counted: np.ndarray  # has a mass that is the product's (not a waste treatment)
    quantity: np.ndarray  # as on the BOM
    fields: Mapping[str, list[Any]]  # ``BOM_FIELDS`` → the lines' values, read once

    def __len__(self) -> int:
        return len(self.bom)

    def linked_lines(self, keep: Callable[[Dataset], bool] | None = None) -> list[LinkedLine]:
        """The ``LinkedLine`` of every line (``keep``: only of lines whose catalog record it
        keeps)."""
        recipes = self.recipes
        codes = self.codes.tolist()
        wanted: Iterable[int] = range(len(codes))
        if keep is not None:
            wanted = np.flatnonzero(recipes.kept(keep)[self.codes]).tolist()
        amount, mass, has_mass = self.amount.tolist(), self.mass_kg.tolist(), self.has_mass.tolist()
        lines = []
        for k in wanted:
            line, recipe = self.bom[k], recipes[codes[k]]
            target = recipe.target
            lines.append(
                LinkedLine(
                    line, line.id, 0, 1.0, False, recipe.dataset, amount[k], recipe.unit,
                    mass[k] if has_mass[k] else None,
                    target if isinstance(target, Dataset) else None,
                    target if isinstance(target, ExternalActivity) else None,
                )
            )  # fmt: skip
        return lines

    def product_masses(self) -> list[float]:
        """The masses ``LinkedProduct.mass_kg`` adds: lines with a mass, waste treatments
        left out, in BOM order."""
        return self.mass_kg[self.counted].tolist()


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
    by_columns = _recipe_columns(products, catalog, external)
    recipes: dict[tuple[str | None, str, float | None], Recipe | None] = {}
    for index, product in enumerate(products):
        columns = by_columns.get(index)
        if columns is not None:
            linked.append(LinkedProduct(product, columns=columns))
            continue
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


def _one_level(product: Product) -> bool:
    lines = product.lines
    return (
        bool(lines)
        and all(line.parent is None for line in lines)
        and len({line.id for line in lines}) == len(lines)
    )


#: the BOM line fields ``RecipeLines.fields`` holds, read in one pass over the lines
BOM_FIELDS = (
    "id", "name", "quantity", "unit", "stage", "country", "supplier", "smelter_id",
    "certification", "extra", "circularity.recycled_content", "source.row",
)  # fmt: skip
_KEY_FIELDS = ("dataset", "mass_per_piece_kg")  # with "unit": a line's recipe
_CHUNK = 4096


def _bom_fields(lines: Sequence[BomLine]) -> dict[str, list[Any]]:
    """``BOM_FIELDS`` and ``_KEY_FIELDS`` of every line, each field of a line read once (from
    the line's field dict: pydantic keeps a model's fields there; nested ones from theirs)."""
    top = [name for name in (*_KEY_FIELDS, *BOM_FIELDS) if "." not in name]
    nested = [name.partition(".") for name in BOM_FIELDS if "." in name]
    holders = list(dict.fromkeys(outer for outer, _, _ in nested))
    by_key, by_name = itemgetter(*top, *holders), attrgetter(*top, *holders)
    values: list[list[Any]] = [[] for _ in (*top, *holders)]
    for start in range(0, len(lines), _CHUNK):  # a chunk of rows at a time: little memory
        chunk = lines[start : start + _CHUNK]
        try:
            rows = list(map(by_key, map(vars, chunk)))
        except KeyError:  # a line built without a field (``model_construct``): by attribute
            rows = list(map(by_name, chunk))
        for column, part in zip(values, zip(*rows, strict=True), strict=True):
            column.extend(part)
    fields: dict[str, list[Any]] = dict(zip([*top, *holders], values, strict=True))
    for outer, _, inner in nested:
        fields[f"{outer}.{inner}"] = list(map(attrgetter(inner), fields[outer]))
    for outer in holders:
        del fields[outer]
    return fields


def _recipe_columns(
    products: Sequence[Product], catalog: DatasetLookup, external: ExternalResolver | None
) -> dict[int, RecipeLines]:
    """``RecipeLines`` of every one-level product whose lines all link by a recipe of their
    (dataset, unit, mass per piece) with finite figures, by position in ``products``: the
    lines of all of them linked at once, each recipe worked out once, amounts and masses
    computed as arrays with the multiplications ``_linked_by_recipe`` makes.  The others
    (another shape, a line without a recipe, a problem to name) are left to the line path."""
    chosen = [k for k, product in enumerate(products) if _one_level(product)]
    if not chosen:
        return {}
    lines = [line for k in chosen for line in products[k].lines]
    n = len(lines)
    fields = _bom_fields(lines)
    datasets, bom_units = fields.pop("dataset"), fields["unit"]
    per_piece = fields.pop("mass_per_piece_kg")
    code_of: dict[tuple[str | None, str, float | None], int] = {}
    table = RecipeTable()
    code = np.empty(n, dtype=np.int64)  # -1 (no recipe): the sentinel ending each array below
    for start in range(0, n, _CHUNK):
        part = slice(start, start + _CHUNK)
        keys = list(zip(datasets[part], bom_units[part], per_piece[part], strict=True))
        for key in dict.fromkeys(keys):
            if key not in code_of:
                recipe = _recipe(key, catalog, external)
                code_of[key] = -1 if recipe is None else len(table)
                if recipe is not None:
                    table.append(recipe)
        code[part] = list(map(code_of.__getitem__, keys))
    quantity = np.fromiter(fields["quantity"], dtype=np.float64, count=n)
    factor = np.array([r.factor for r in table] + [np.nan])[code]
    bom_mass = np.array([r.bom_mass_factor for r in table] + [0.0])[code]
    dataset_mass = np.array([r.dataset_mass_factor for r in table] + [0.0])[code]
    with np.errstate(over="ignore", invalid="ignore"):
        amount = quantity * factor
        mass = np.where(bom_mass != 0, quantity * bom_mass, amount * dataset_mass)
    has_mass = (bom_mass != 0) | (dataset_mass != 0)
    good = (code >= 0) & np.isfinite(quantity) & (quantity >= 0) & np.isfinite(amount)
    good &= ~has_mass | np.isfinite(mass)
    end_of_life = np.fromiter(map(Stage.END_OF_LIFE.__eq__, fields["stage"]), bool, n)
    eol_dataset = np.array([r.dataset.startswith("eol-") for r in table] + [False])[code]
    counted = has_mass & ~(end_of_life | eol_dataset)
    linked = {}
    start = 0
    for k in chosen:
        stop = start + len(products[k].lines)
        if good[start:stop].all():
            part = slice(start, stop)
            linked[k] = RecipeLines(
                products[k].lines, code[part], table, amount[part], mass[part],
                has_mass[part], counted[part], quantity[part],
                {name: values[part] for name, values in fields.items()},
            )  # fmt: skip
        start = stop
    return linked


def _linked_by_recipe(
    line: BomLine,
    recipes: dict[tuple[str | None, str, float | None], Recipe | None],
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
    ``Engine.footprint_table`` needs): per line its product, id, stage (its value), dataset
    (as ``LinkedLine.dataset``), amount in the dataset's unit and that unit (object arrays of
    ``str`` for the texts); ``codes`` numbers each line's (dataset, unit) and ``targets``
    holds, per code, the catalog record or the Brightway activity."""

    product: np.ndarray
    line: np.ndarray
    stage: np.ndarray
    dataset: np.ndarray
    amount: np.ndarray
    unit: np.ndarray
    reference_flow: np.ndarray
    codes: np.ndarray
    targets: list[Dataset | ExternalActivity]


# what ``link_columns`` reads of a line (from its field dict: one look-up a field)
_LINE_FIELDS = ("parent", "id", "quantity", "unit", "dataset", "mass_per_piece_kg", "stage")


def link_columns(
    products: Sequence[Product],
    catalog: DatasetLookup,
    *,
    external: ExternalResolver | None = None,
) -> LinkedColumns | None:
    """``link_products`` for the common shape — one-level products whose lines all name a
    dataset, in units convertible by a factor, no mass per piece — without a ``LinkedLine``
    per line: the lines' fields are read once into columns, each distinct (dataset, unit) is
    resolved once (the lines numbered by ``pandas.factorize``) and the amounts converted as
    arrays (``quantity × factor``, the multiplication ``units.convert`` makes).  None when
    any product or line is of another shape or any line has a problem: then
    ``link_products`` links them (and names the problems)."""
    import pandas as pd

    counts = np.fromiter((len(p.lines) for p in products), np.int64, len(products))
    if not counts.sum():  # no lines: empty columns (as empty lists, a table of float64)
        empty = np.empty(0)
        codes = np.empty(0, np.intp)
        return LinkedColumns(empty, empty, empty, empty, empty, empty, empty, codes, [])
    read = itemgetter(*_LINE_FIELDS)
    try:
        rows = map(read, map(vars, itertools.chain.from_iterable(p.lines for p in products)))
        parents, ids, quantities, bom_units, datasets, per_piece, stages = zip(*rows, strict=True)
    except KeyError:  # a line built without a field (``model_construct``)
        return None
    n = len(ids)
    if parents.count(None) != n or per_piece.count(None) != n:
        return None  # an assembly, or pieces of a per-mass dataset: ``link_products``
    ends = np.cumsum(counts).tolist()
    if any(len(set(ids[a:b])) != b - a for a, b in zip([0, *ends], ends, strict=False)):
        return None  # a line id repeated within a product
    dataset_code, written = pd.factorize(np.fromiter(datasets, object, n))
    unit_code, bom_unit = pd.factorize(np.fromiter(bom_units, object, n))
    if (dataset_code < 0).any() or (unit_code < 0).any():
        return None  # a line without a dataset
    code, keys = pd.factorize(dataset_code * len(bom_unit) + unit_code)  # per (dataset, unit)
    pairs = divmod(keys, len(bom_unit))
    recipes = [
        _recipe((written[d], bom_unit[u], None), catalog, external)
        for d, u in zip(*pairs, strict=True)
    ]
    if any(recipe is None for recipe in recipes):
        return None
    resolved = [r for r in recipes if r is not None]
    quantity = np.fromiter(quantities, np.float64, n)
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
    # stages are ``Stage`` members: numbered by identity (an enum's hash is Python code)
    stage_code, distinct = pd.factorize(np.fromiter(map(id, stages), np.intp, n))
    first = [int(np.argmax(stage_code == k)) for k in range(len(distinct))]
    stage_value = np.array([stages[i].value for i in first], dtype=object)
    return LinkedColumns(
        product=np.repeat(np.array([p.id for p in products], dtype=object), counts),
        line=np.fromiter(ids, object, n),
        stage=stage_value[stage_code],
        dataset=np.array([r.dataset for r in resolved], dtype=object)[code],
        amount=amount,
        unit=np.array([r.unit for r in resolved], dtype=object)[code],
        reference_flow=np.repeat(
            np.fromiter((p.reference_flow for p in products), np.float64, len(products)), counts
        ),
        codes=code,
        targets=[r.target for r in resolved],
    )


@dataclass(frozen=True)
class Recipe:
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
) -> Recipe | None:
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
    factors = _unit_factors(bom_unit, unit)
    if factors is None:
        return None
    assert dataset is not None
    return Recipe(dataset, unit, *factors, target)


@lru_cache(maxsize=4096)
def _unit_factors(bom_unit: str, unit: str) -> tuple[float, float, float] | None:
    """A recipe's factors from a BOM unit to a dataset's unit (a handful of pairs over
    millions of lines): 1 × the conversion factor, the BOM unit's kg (0: not a mass) and,
    when that is 0, the dataset unit's kg; None when the units do not convert by a factor."""
    try:
        factor = units.convert(1.0, bom_unit, unit)  # 1 × the factor: no other path without
    except FootprintError:  # a mass per piece
        return None
    bom_mass = units.to_kg(1.0, bom_unit) if _is_mass(bom_unit) else 0.0
    dataset_mass = units.to_kg(1.0, unit) if not bom_mass and _is_mass(unit) else 0.0
    return factor, bom_mass, dataset_mass
