"""Reading a BOM file into ``Product`` trees, reporting every problem of the file together.

The ``BOM`` sheet holds one row per line, the optional ``Products`` sheet one row per product
(the input-formats contract, §1).  Unknown columns are passed through in ``extra``.  Readers know
nothing of datasets: an unknown dataset id or a unit that does not fit its dataset is found
when the lines are linked to the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from footprint.bom.columns import (
    BOM_ALIASES,
    EOL_MODELS,
    MONTE_CARLO_COLUMNS,
    PRODUCT_ALIASES,
    STAGE_ALIASES,
    Column,
    normalise_key,
    split_header,
    stage_key,
)
from footprint.bom.countries import is_country_code, suggest_country_code
from footprint.bom.hierarchy import tree_problems
from footprint.bom.monte_carlo import monte_carlo_warnings, row_inputs
from footprint.bom.ranges import parameter_ranges
from footprint.bom.sheets import Cell, RawSheet, read_sheets
from footprint.bom.summary import material_mass_kg
from footprint.composition import (
    chemistry_names,
    closest_chemistries,
    find_chemistry,
    parse_composition,
    parse_yes_no,
)
from footprint.errors import BomError, FootprintError, Problem, ProblemCollector
from footprint.memory import cyclic_gc_paused
from footprint.model import (
    CIRCULARITY_PARAMETER_NAMES,
    BomLine,
    CircularityParameters,
    Product,
    Scalar,
    SourceRef,
    Stage,
    Warning_,
)
from footprint.units import (
    convert,
    dimension_name,
    is_count,
    is_mass,
    parse_number,
    parse_quantity,
    parse_unit,
    split_quantity,
)

T = TypeVar("T")

BOM_REQUIRED = ("id", "quantity", "dataset")
PRODUCTS_REQUIRED = ("product",)
# input-formats §1: a declared mass that differs from the BOM's by more than this is a warning
MASS_TOLERANCE = 0.05
_NOT_SHARES = {"cff_lhv"}  # LHV is MJ/kg, every other circularity parameter is a share
_TEXT_FIELDS = ("name", "country", "supplier", "smelter_id", "certification")
_MONTE_CARLO = frozenset(normalise_key(name) for name in MONTE_CARLO_COLUMNS)


@dataclass
class BomFile:
    """The products of one BOM file, and warnings that deserve a look."""

    path: Path
    products: list[Product]
    warnings: list[Warning_] = field(default_factory=list)


def read_bom(path: str | Path) -> list[Product]:
    """The products of a BOM workbook (.xlsx) or CSV file; raises ``BomError`` listing every
    problem of the file."""
    return read_bom_file(path).products


def read_bom_file(path: str | Path) -> BomFile:
    """Like ``read_bom``, also returning the file's warnings."""
    path = Path(path)
    with cyclic_gc_paused():
        sheets = read_sheets(path)
        bom = parse_sheets(sheets["BOM"], sheets.get("Products"), path=path)
        del sheets  # free the raw cells before the collector runs again
    return bom


def parse_sheets(bom: RawSheet, products: RawSheet | None, *, path: Path) -> BomFile:
    """Products from already-read sheets (the part of reading that knows no file formats)."""
    reader = _Reader(path)
    return reader.run(bom, products)


@dataclass
class _Table:
    sheet: RawSheet
    columns: dict[str, Column]
    unknown: list[Column]
    rows: list[tuple[int, list[Cell]]]  # (spreadsheet row number, cells padded to the header)
    index: dict[str, int] = field(default_factory=dict)
    circularity_columns: list[str] = field(default_factory=list)
    monte_carlo: bool = False  # a quantity_tolerance or *_range column (bom/monte_carlo.py)

    def __post_init__(self) -> None:
        self.index = {name: column.index for name, column in self.columns.items()}
        self.circularity_columns = [n for n in CIRCULARITY_PARAMETER_NAMES if n in self.columns]
        self.monte_carlo = any(normalise_key(c.header) in _MONTE_CARLO for c in self.unknown)

    def cell(self, cells: list[Cell], name: str) -> Cell:
        index = self.index.get(name)
        return None if index is None else cells[index]

    def where(self, row: int, name: str | None = None) -> dict[str, Any]:
        column = self.columns[name].header if name in self.columns else name
        return {"file": self.sheet.file, "sheet": self.sheet.label, "row": row, "column": column}


@dataclass
class _Line:
    """A BOM row after cell parsing, before the tree is known."""

    product: str | None
    row: int
    fields: dict[str, Any]
    stage: Stage | None
    unit_column: str


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems = ProblemCollector()
        self.warnings: list[Warning_] = []
        self.known_units: dict[str, str] = {}  # unit cell text → canonical unit
        self.excel_errors: list[Problem] = []  # error cells, which read as empty
        self.failed_units: dict[str, str] = {}  # unit cell text → why it is not a unit
        self.monte_carlo = False  # a sheet has Monte Carlo columns (bom/monte_carlo.py)

    # -- shared helpers --------------------------------------------------------------------

    def at(
        self, table: _Table, row: int, column: str, parse: Callable[..., T], *args: Any
    ) -> T | None:
        """Run one cell parser (its last argument is ``where``); a problem is recorded, located
        at ``row`` and ``column``, and ``None`` returned.  The location is built only then."""
        try:
            return parse(*args, None)
        except FootprintError as error:
            where = table.where(row, column)
            self.problems.extend(replace(problem, **where) for problem in error.problems)
            return None

    def warn(self, message: str, where: dict[str, Any], product: str | None = None) -> None:
        self.warnings.append(Warning_(message=message, product=product, **where))

    def table(
        self, sheet: RawSheet, aliases: dict[str, str], required: tuple[str, ...]
    ) -> _Table | None:
        self.problems.extend(sheet.problems)
        for message in sheet.warnings:
            self.warn(message, {"file": sheet.file})
        where = {"file": sheet.file, "sheet": sheet.label}
        first = next(
            (i for i, row in enumerate(sheet.rows) if any(c is not None for c in row)), None
        )
        if first is None:
            self.problems.add(f"the {sheet.name} sheet is empty", **where)
            return None
        if first != 0:
            self.problems.add("row 1 must hold the column headers (it is empty)", row=1, **where)
            return None
        columns: dict[str, Column] = {}
        unknown: list[Column] = []
        headers = [(i, _text(c) or "") for i, c in enumerate(sheet.rows[0]) if c is not None]
        exact = {normalise_key(split_header(h)[0]) for _, h in headers}
        shadowed: dict[str, str] = {}
        for index, header in headers:
            name, unit = split_header(header)
            key = normalise_key(name)
            canonical = aliases.get(key)
            column = Column(index=index, header=header, unit=unit)
            if canonical is not None and key != canonical and canonical in exact:
                # "Part number" beside "id": the exact name wins, the other is passed through
                shadowed[header] = canonical
                canonical = None
            if canonical is None:
                unknown.append(column)
            elif canonical in columns:
                self.problems.add(
                    f'column "{header}" repeats column "{columns[canonical].header}" '
                    f"(both mean {canonical}); keep one",
                    row=1,
                    column=header,
                    **where,
                )
            else:
                columns[canonical] = column
        for name in required:
            if name not in columns:
                self.problems.add(
                    f"missing required column {name} (row 1 must have a header {name})",
                    row=1,
                    column=name,
                    **where,
                )
        for column in unknown:
            meaning = shadowed.get(column.header)
            if meaning is None and normalise_key(column.header) in _MONTE_CARLO:
                continue  # read by the Monte Carlo (--iterations), not passed through unused
            reason = (
                f"could mean {meaning}, but column {meaning} is there"
                if meaning
                else "is not a footprint column"
            )
            self.warn(
                f'column "{column.header}" {reason}; it is passed through to the outputs',
                {**where, "row": 1, "column": column.header},
            )
        self.error_cells(sheet, columns, unknown)
        width = max(column.index for column in [*columns.values(), *unknown]) + 1 if headers else 0
        rows = [
            (number, row if len(row) >= width else [*row, *([None] * (width - len(row)))])
            for number, row in enumerate(sheet.rows[1:], start=2)
            if any(c is not None for c in row)
        ]
        if not rows:
            self.problems.add(f"the {sheet.name} sheet has a header row but no lines", **where)
        if any(name not in columns for name in required):
            return None
        return _Table(sheet, columns, unknown, rows)

    def error_cells(
        self, sheet: RawSheet, columns: dict[str, Column], unknown: list[Column]
    ) -> None:
        """Excel error values (read as empty) named as such: a problem in a column footprint
        reads, a warning in a column it passes through (the outputs show it empty)."""
        known = {column.index: column.header for column in columns.values()}
        passed = {column.index: column.header for column in unknown}
        for (row, index), (error, formula) in sorted(sheet.error_cells.items()):
            cause = (
                f"the formula ={formula} gives the Excel error {error}"
                if formula
                else f"the cell holds the Excel error {error}"
            )
            where = {"file": sheet.file, "sheet": sheet.label, "row": row}
            if index in known:
                problem = Problem(
                    f"{cause}, not a value; fix the formula in the source sheet (or type the "
                    "value)",
                    column=known[index],
                    **where,  # type: ignore[arg-type]
                )
                self.problems.extend([problem])
                self.excel_errors.append(problem)
            elif index in passed:
                self.warn(
                    f"{cause}; the column is passed through to the outputs, where the cell is "
                    "empty",
                    {**where, "column": passed[index]},
                )

    def circularity(self, table: _Table, cells: list[Cell], row: int) -> dict[str, float]:
        """The circularity parameters of a row, checked (pydantic builds the model later)."""
        values: dict[str, float] = {}
        for name in table.circularity_columns:
            cell = table.cell(cells, name)
            if cell is None:
                continue
            parse = _non_negative if name in _NOT_SHARES else _share
            value = self.at(table, row, name, parse, cell)
            if value is not None:
                values[name] = value
        r2 = values.get("eol_recycling_rate")  # R2
        r3 = values.get("eol_energy_recovery_rate")  # R3
        if r2 is not None and r3 is not None and r2 + r3 > 1.0 + 1e-12:
            self.problems.add(
                f"R2 + R3 = {r2:g} + {r3:g} is more than 1: a share of the waste cannot be both "
                "recycled and burnt",
                **table.where(row, "eol_energy_recovery_rate"),
            )
        r1 = values.get("recycled_content")  # R1
        post = values.get("recycled_content_post_consumer")
        if post is not None and r1 is not None and post > r1 + 1e-12:
            self.problems.add(
                f"post-consumer recycled content {post:g} is more than the recycled content "
                f"{r1:g} it is part of",
                **table.where(row, "recycled_content_post_consumer"),
            )
        for name, limits in parameter_ranges().items():  # e.g. A, allocation factor
            value = values.get(name)
            if value is not None and not limits.minimum <= value <= limits.maximum:
                self.warn(
                    f"{name} = {value:g} is outside {limits.minimum:g}–{limits.maximum:g}, the "
                    "range of the PEF method",
                    table.where(row, name),
                )
        return values

    def monte_carlo_cells(
        self, table: _Table, row: int, fields: dict[str, Any], label: str, owner: str
    ) -> None:
        """A row's quantity tolerance and ranges checked as it is read (with or without a
        Monte Carlo): a bad one is a problem naming its cell."""
        self.monte_carlo = True
        found = row_inputs(fields["extra"], fields["circularity"], label, owner)
        for header, message in found.problems:
            self.problems.add(message, **table.where(row, header))

    def extra(self, table: _Table, cells: list[Cell]) -> dict[str, Scalar]:
        extra: dict[str, Scalar] = {}
        for column in table.unknown:
            value = cells[column.index] if column.index < len(cells) else None
            extra[column.header] = _scalar(value)
        return extra

    # -- the Products sheet ----------------------------------------------------------------

    def read_products(self, sheet: RawSheet) -> dict[str, dict[str, Any]]:
        table = self.table(sheet, PRODUCT_ALIASES, PRODUCTS_REQUIRED)
        if table is None:
            return {}
        found: dict[str, dict[str, Any]] = {}
        for row, cells in table.rows:
            product_id = _text(table.cell(cells, "product"))
            if product_id is None:
                self.problems.add(
                    "product is empty; every row needs a product id", **table.where(row, "product")
                )
                continue
            if product_id in found:
                first = found[product_id]["source"].row
                self.problems.add(
                    f'product "{product_id}" is listed twice (first on row {first})',
                    **table.where(row, "product"),
                )
                continue
            found[product_id] = self.product_fields(table, cells, row)
        return found

    def product_fields(self, table: _Table, cells: list[Cell], row: int) -> dict[str, Any]:
        circularity = self.circularity(table, cells, row)
        fields: dict[str, Any] = {
            "source": SourceRef(file=table.sheet.file, sheet=table.sheet.label, row=row),
            "circularity": CircularityParameters(**circularity),
            "extra": self.extra(table, cells),
            "_where": table.where(row, "mass"),
        }
        if table.monte_carlo:
            label = f"product {_text(table.cell(cells, 'product'))}"
            self.monte_carlo_cells(
                table, row, {**fields, "circularity": circularity}, label, "product"
            )
        for name in ("name", "functional_unit", "category", "vehicle_category"):
            fields[name] = _text(table.cell(cells, name))
        numbers = (
            "lifetime",
            "lifetime_industry_average",
            "use_intensity",
            "use_intensity_industry_average",
            "cycles_per_year",
            "service_life_years",
        )
        for name in numbers:
            cell = table.cell(cells, name)
            if cell is not None:
                fields[name] = self.at(table, row, name, _non_negative, cell)
        cell = table.cell(cells, "reference_flow")
        if cell is not None:
            fields["reference_flow"] = self.at(table, row, "reference_flow", _positive, cell)
        for name, target, unit in (
            ("energy_kwh", "energy_kwh", "kWh"),
            ("usable_capacity_kwh", "usable_capacity_kwh", "kWh"),
            ("mass", "mass_kg", "kg"),
        ):
            cell = table.cell(cells, name)
            if cell is not None:
                default = table.columns[name].unit or unit
                fields[target] = self.at(table, row, name, _amount_in, cell, default, unit)
        cell = table.cell(cells, "placed_on_market")
        if cell is not None:
            fields["placed_on_market"] = self.at(table, row, "placed_on_market", _date, cell)
        cell = table.cell(cells, "eol_model")
        if cell is not None:
            model = EOL_MODELS.get(re.sub(r"[^a-z]", "", str(cell).lower()))
            if model is None:
                self.problems.add(
                    f'"{_text(cell)}" is not an end-of-life model (write cut-off or cff)',
                    **table.where(row, "eol_model"),
                )
            else:
                fields["eol_model"] = model
        return {k: v for k, v in fields.items() if v is not None}

    # -- the BOM sheet ---------------------------------------------------------------------

    def read_lines(self, table: _Table) -> list[_Line]:
        lines: list[_Line] = []
        quantity_unit = table.columns["quantity"].unit
        names = ("id", "parent", "dataset", "product", *_TEXT_FIELDS)
        blank = dict.fromkeys(names)
        text_columns = [(name, table.index[name]) for name in names if name in table.index]
        mass_per_piece: dict[Cell, float | None] = {}  # the same "3.2 g" on many rows
        file, sheet = table.sheet.file, table.sheet.label
        for row, cells in table.rows:
            fields: dict[str, Any] = {**blank, "source": {"file": file, "sheet": sheet, "row": row}}
            for name, index in text_columns:
                value = cells[index]
                fields[name] = value if type(value) is str else _text(value)
            if fields["id"] is None:
                self.problems.add(
                    "id is empty; every line needs an id, unique within its product",
                    **table.where(row, "id"),
                )
            unit_column = "quantity"
            quantity, unit = self.quantity(table, cells, row, quantity_unit)
            if unit is not None and table.cell(cells, "unit") is not None:
                unit_column = "unit"
            fields["quantity"], fields["unit"] = quantity, unit
            stage = self.stage(table, cells, row)
            cell = table.cell(cells, "mass_per_piece")
            if cell is not None:
                if cell not in mass_per_piece:
                    default = table.columns["mass_per_piece"].unit or "kg"
                    mass_per_piece[cell] = self.at(
                        table, row, "mass_per_piece", _mass_per_piece, cell, default
                    )
                    if mass_per_piece[cell] is None:
                        del mass_per_piece[cell]  # report every row that has it
                fields["mass_per_piece_kg"] = mass_per_piece.get(cell)
            country = fields["country"]
            if country is not None:
                if is_country_code(country):
                    fields["country"] = country.upper()
                else:
                    code = suggest_country_code(country)
                    hint = f'did you mean "{code}"?' if code else "write e.g. DE, CN, US"
                    self.problems.add(
                        f'"{country}" is not an ISO 3166 alpha-2 country code ({hint})',
                        **table.where(row, "country"),
                    )
            self.composition_fields(table, cells, row, fields)
            fields["circularity"] = self.circularity(table, cells, row)
            fields["extra"] = self.extra(table, cells)
            if table.monte_carlo:
                self.monte_carlo_cells(table, row, fields, f"line {fields['id']}", "line")
            product = fields.pop("product")
            lines.append(_Line(product, row, fields, stage, unit_column))
        return lines

    def composition_fields(
        self, table: _Table, cells: list[Cell], row: int, fields: dict[str, Any]
    ) -> None:
        """The ``composition``, ``chemistry`` and ``active_material`` cells of a row."""
        text = _text(table.cell(cells, "composition"))
        if text is not None:
            try:
                fields["composition"] = parse_composition(text)
            except ValueError as bad:
                self.problems.add(str(bad), **table.where(row, "composition"))
        text = _text(table.cell(cells, "chemistry"))
        if text is not None:
            chemistry = find_chemistry(text)
            if chemistry is None:
                close = closest_chemistries(text)
                hint = f"did you mean {' or '.join(close)}? " if close else ""
                self.problems.add(
                    f'"{text}" is not a known chemistry ({hint}known: '
                    f"{', '.join(chemistry_names())}); or give the line's element shares in "
                    "the composition column",
                    **table.where(row, "chemistry"),
                )
            else:
                fields["chemistry"] = chemistry.name
        text = _text(table.cell(cells, "active_material"))
        if text is not None:
            try:
                fields["active_material"] = parse_yes_no(text)
            except ValueError as bad:
                self.problems.add(
                    f"{bad}; write yes (the line is battery active material) or no",
                    **table.where(row, "active_material"),
                )

    def quantity(
        self, table: _Table, cells: list[Cell], row: int, header_unit: str | None
    ) -> tuple[float | None, str | None]:
        unit_cell = _text(table.cell(cells, "unit"))
        column_unit: str | None = None
        unit_failed = False
        if unit_cell is not None:
            column_unit = self.known_units.get(unit_cell)
            if column_unit is None:
                refused = self.failed_units.get(unit_cell)
                if refused is not None:  # the same typo again: the same message, no parsing
                    self.problems.add(refused, **table.where(row, "unit"))
                else:
                    before = len(self.problems.problems)
                    column_unit = self.at(table, row, "unit", _unit, unit_cell)
                    if column_unit is not None:
                        self.known_units[unit_cell] = column_unit
                    elif len(self.problems.problems) == before + 1:
                        self.failed_units[unit_cell] = self.problems.problems[-1].message
            unit_failed = column_unit is None
        elif header_unit is not None:
            column_unit = self.at(table, row, "quantity", _unit, header_unit)
            unit_failed = column_unit is None
        cell = table.cell(cells, "quantity")
        if cell is None:
            self.problems.add(
                "quantity is empty (write a number, e.g. 12, or 12 g)",
                **table.where(row, "quantity"),
            )
            return None, column_unit
        parsed = self.at(table, row, "quantity", _split_quantity, cell)
        if parsed is None:
            return None, column_unit
        number, cell_unit = parsed
        if number < 0:
            self.problems.add(
                f"quantity {_text(cell)} is negative (write 0 or more)",
                **table.where(row, "quantity"),
            )
        if (
            cell_unit is not None
            and unit_cell is not None
            and column_unit is not None
            and cell_unit != column_unit
        ):
            self.problems.add(
                f'"{_text(cell)}" has the unit {cell_unit} but column '
                f"{table.columns['unit'].header} says {column_unit}; write the unit in one place",
                **table.where(row, "quantity"),
            )
        unit = cell_unit or column_unit
        if unit is None and not unit_failed:
            self.problems.add(
                f"no unit: write it in the unit column or in the quantity cell "
                f"(e.g. {_text(cell)} kg)",
                **table.where(row, "unit" if "unit" in table.columns else "quantity"),
            )
        return number, unit

    def stage(self, table: _Table, cells: list[Cell], row: int) -> Stage | None:
        cell = _text(table.cell(cells, "stage"))
        if cell is None:
            return None
        stage = STAGE_ALIASES.get(stage_key(cell))
        if stage is None:
            valid = ", ".join(s.value for s in Stage)
            self.problems.add(
                f'"{cell}" is not a life-cycle stage (write one of: {valid})',
                **table.where(row, "stage"),
            )
        return stage

    # -- putting it together ---------------------------------------------------------------

    def raise_if_any(self) -> None:
        """Raise every problem; an Excel error cell is named once, not again as "empty"."""
        if self.excel_errors:
            cells = {(p.file, p.sheet, p.row, p.column) for p in self.excel_errors}
            self.problems.problems = [
                p
                for p in self.problems.problems
                if (p.file, p.sheet, p.row, p.column) not in cells or p in self.excel_errors
            ]
        self.problems.raise_if_any()

    def run(self, bom_sheet: RawSheet, products_sheet: RawSheet | None) -> BomFile:
        declared = self.read_products(products_sheet) if products_sheet is not None else {}
        table = self.table(bom_sheet, BOM_ALIASES, BOM_REQUIRED)
        if table is None:
            self.raise_if_any()
            return BomFile(self.path, [])
        lines = self.read_lines(table)
        grouped = self.group(table, lines, declared)
        products = []
        for product_id, product_lines in grouped.items():
            product = self.build_product(
                table, product_id, product_lines, declared.get(product_id, {})
            )
            if product is not None:
                products.append(product)
        for product_id, fields in declared.items():
            if product_id not in grouped:
                source = fields["source"]
                self.problems.add(
                    f'product "{product_id}" has no lines in the BOM sheet',
                    file=source.file,
                    sheet=source.sheet,
                    row=source.row,
                    column="product",
                )
        self.raise_if_any()
        self.cross_check_mass(products, declared)
        if self.monte_carlo:
            self.warnings.extend(monte_carlo_warnings(products))
        return BomFile(self.path, products, self.warnings)

    def group(
        self, table: _Table, lines: list[_Line], declared: dict[str, dict[str, Any]]
    ) -> dict[str, list[_Line]]:
        named = list(dict.fromkeys(line.product for line in lines if line.product is not None))
        fallback: str | None = None  # the product of lines that do not name one
        if len(named) == 1:
            fallback = named[0]
        elif not named and len(declared) <= 1:
            fallback = next(iter(declared), None) or self.path.stem
        elif not named and "product" not in table.columns:
            self.problems.add(
                f"missing column product: the Products sheet lists {len(declared)} products, so "
                "every BOM line must say which one it belongs to",
                file=table.sheet.file,
                sheet=table.sheet.label,
                row=1,
                column="product",
            )
            return {}
        several = ", ".join(named[:3] or list(declared)[:3])
        grouped: dict[str, list[_Line]] = {}
        for line in lines:
            product = line.product or fallback
            if product is None:
                self.problems.add(
                    f"product is empty; this file holds several products ({several}"
                    f"{' …' if max(len(named), len(declared)) > 3 else ''}), so every line must "
                    "name one",
                    **table.where(line.row, "product"),
                )
                continue
            grouped.setdefault(product, []).append(line)
        return grouped

    def build_product(
        self, table: _Table, product_id: str, lines: list[_Line], declared: dict[str, Any]
    ) -> Product | None:
        first_row: dict[str, int] = {}
        for line in lines:
            line_id = line.fields["id"]
            if line_id is None:
                continue
            if line_id in first_row:
                self.problems.add(
                    f'duplicate line id "{line_id}" in product {product_id} '
                    f"(first on row {first_row[line_id]})",
                    **table.where(line.row, "id"),
                )
            else:
                first_row[line_id] = line.row
        usable = [line for line in lines if line.fields["id"] is not None]
        ids = [line.fields["id"] for line in usable]
        parents = [line.fields["parent"] for line in usable]
        self.problems.extend(
            tree_problems(ids, parents, lambda i, column: table.where(usable[i].row, column))
        )
        parent_ids = {p for p in parents if p is not None}
        for line in usable:
            is_assembly = line.fields["id"] in parent_ids
            unit = line.fields["unit"]
            if is_assembly and unit is not None and not is_count(unit):
                self.problems.add(
                    f'line "{line.fields["id"]}" is an assembly (other lines name it as '
                    f"parent), so it is counted in pieces, not {unit} "
                    f"({dimension_name(unit)}); write piece",
                    **table.where(line.row, line.unit_column),
                )
            if not is_assembly and line.fields["dataset"] is None:
                self.problems.add(
                    f'line "{line.fields["id"]}" has no dataset and no lines below it; write a '
                    "dataset id (e.g. material-steel-primary)",
                    **table.where(line.row, "dataset"),
                )
            if is_assembly and line.fields["dataset"] is not None:
                self.warn(
                    f'line "{line.fields["id"]}" has lines below it and a dataset of its own: '
                    "both are counted",
                    table.where(line.row, "dataset"),
                    product_id,
                )
        if self.problems:  # the file will be refused: no need to build anything
            return None
        stages = _resolve_stages(usable)
        # nested values are plain dicts: one validation call per line builds the whole line
        for line, stage in zip(usable, stages, strict=True):
            line.fields["stage"] = stage
        bom_lines = [BomLine.model_validate(line.fields) for line in usable]
        fields = {k: v for k, v in declared.items() if not k.startswith("_")}
        fields.setdefault("source", SourceRef(file=table.sheet.file, sheet=table.sheet.label))
        return Product(id=product_id, lines=bom_lines, **fields)

    def cross_check_mass(
        self, products: list[Product], declared: dict[str, dict[str, Any]]
    ) -> None:
        for product in products:
            if product.mass_kg is None:
                continue
            bom_mass = material_mass_kg(product)
            declared_mass = product.mass_kg
            where = declared[product.id]["_where"]
            if bom_mass <= 0:
                if declared_mass > 0:
                    self.warn(
                        f"declared mass {declared_mass:g} kg cannot be checked: no raw-material "
                        "line of the BOM has a mass",
                        where,
                        product.id,
                    )
                continue
            difference = abs(declared_mass - bom_mass) / bom_mass
            if difference > MASS_TOLERANCE:
                self.warn(
                    f"declared mass {declared_mass:g} kg differs from the mass of the BOM's "
                    f"raw-material lines, {bom_mass:g} kg, by {difference * 100:.1f} % (more "
                    f"than {MASS_TOLERANCE * 100:g} %)",
                    where,
                    product.id,
                )


def _resolve_stages(lines: list[_Line]) -> list[Stage]:
    """A line's stage is its own, else its parent's; top-level lines default to raw materials."""
    by_id = {line.fields["id"]: index for index, line in enumerate(lines)}
    resolved: list[Stage | None] = [line.stage for line in lines]
    for index in range(len(lines)):
        chain = []
        node: int | None = index
        while node is not None and resolved[node] is None:
            chain.append(node)
            parent = lines[node].fields["parent"]
            node = by_id.get(parent) if parent is not None else None
        stage = resolved[node] if node is not None else Stage.RAW_MATERIALS
        for item in chain:
            resolved[item] = stage
    return [stage or Stage.RAW_MATERIALS for stage in resolved]


def _text(value: Cell) -> str | None:
    if value is None:
        return None
    if type(value) is str:  # the sheet readers strip text and turn "" into None
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _scalar(value: Cell) -> Scalar:
    if value is None or isinstance(value, str | float | int | bool):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _unit(text: str, where: dict[str, Any] | None) -> str:
    return parse_unit(text, where=where)


def _split_quantity(value: Cell, where: dict[str, Any] | None) -> tuple[float, str | None]:
    return split_quantity(value, where=where)


def _share(value: Cell, where: dict[str, Any] | None) -> float:
    """A share in [0, 1], written 0.35 or "35 %"."""
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        number = parse_number(text[:-1], where=where) / 100
    else:
        number = parse_number(value, where=where)
    if not 0.0 <= number <= 1.0:
        raise BomError(
            Problem(f"{_text(value)} is outside 0–1 (write a share such as 0.35 or 35 %)")
        )
    return number


def _non_negative(value: Cell, where: dict[str, Any] | None) -> float:
    number = parse_number(value, where=where)
    if number < 0:
        raise BomError(Problem(f"{_text(value)} is negative (write 0 or more)"))
    return number


def _positive(value: Cell, where: dict[str, Any] | None) -> float:
    number = parse_number(value, where=where)
    if number <= 0:
        raise BomError(Problem(f"{_text(value)} must be more than 0"))
    return number


def _amount_in(value: Cell, default_unit: str, target: str, where: dict[str, Any] | None) -> float:
    number, unit = parse_quantity(value, default_unit, where=where)
    if number < 0:
        raise BomError(Problem(f"{_text(value)} is negative (write 0 or more)"))
    return convert(number, unit, target, where=where)


def _mass_per_piece(value: Cell, default_unit: str, where: dict[str, Any] | None) -> float:
    number, unit = parse_quantity(value, default_unit, where=where)
    if not is_mass(unit):
        raise BomError(
            Problem(
                f"mass_per_piece must be a mass (e.g. 3.2 g), not {unit} ({dimension_name(unit)})",
            )
        )
    if number <= 0:
        raise BomError(Problem(f"mass_per_piece {_text(value)} must be more than 0"))
    return convert(number, unit, "kg")


def _date(value: Cell, where: dict[str, Any] | None) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise BomError(Problem(f'"{_text(value)}" is not a date (write e.g. 2030-01-01)')) from None
