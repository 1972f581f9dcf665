"""The supplier register and the sourcing lists a user gives: reading them, all problems together.

A register is a workbook (.xlsx) or CSV file, one row per supplier or facility, documented in
``docs/supplier-register.md`` (``footprint template --suppliers`` writes one):

    Suppliers           id, name, country, facility_type, smelter_id, last_audit_date,
                        last_audit_result, notes, an optional single certificate
                        (certification, certification_scope, certificate_id,
                        certified_from, certified_until), and any number of declared
                        indicators: every other column, a quantity with its unit
                        ("12 kWh/kg", or a number under "energy_intensity [kWh/kg]")
    Certifications      supplier, standard, scope, certificate_id, valid_from, valid_until
    Corrective actions  supplier, id, description, opened, due, closed

A CSV register is the Suppliers sheet; ``<name>.certifications.csv`` and
``<name>.corrective_actions.csv`` beside it, if present, are the other two.

BOM lines join the register by ``supplier`` (the register's ``id``) or, for lines that name
no supplier, by ``smelter_id``.  The approved-smelter list and the high-risk country list are
text or CSV files of ids, one per row (a header row naming the column is allowed); footprint
ships neither and invents neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from footprint.bom.columns import alias_table, normalise_key, split_header
from footprint.bom.countries import is_country_code, suggest_country_code
from footprint.bom.reader import _text
from footprint.bom.sheets import Cell, RawSheet
from footprint.errors import BomError, FootprintError, Problem, ProblemCollector
from footprint.units import parse_quantity, split_quantity

SHEETS = ("Suppliers", "Certifications", "Corrective actions")
CSV_COMPANIONS = {
    "Certifications": ".certifications.csv",
    "Corrective actions": ".corrective_actions.csv",
}

FACILITY_TYPES: dict[str, str] = {
    "mine": "mine",
    "concentrator": "concentrator",
    "smelter": "smelter/refiner",
    "refiner": "smelter/refiner",
    "refinery": "smelter/refiner",
    "smelterrefiner": "smelter/refiner",
    "precursorplant": "precursor plant",
    "cathodeplant": "cathode plant",
    "anodeplant": "anode plant",
    "cellplant": "cell plant",
    "packplant": "pack plant",
    "componentplant": "component plant",
    "recycler": "recycler",
    "trader": "trader",
    "other": "other",
}
SMELTER_TYPES = frozenset({"smelter/refiner"})

SUPPLIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("supplier", "supplier id", "supplier_id", "facility id", "vendor"),
    "name": ("supplier name", "facility name", "company"),
    "country": ("country of facility", "facility country", "location"),
    "facility_type": ("facility", "type", "facility type", "tier"),
    "smelter_id": ("smelter", "smelter id", "cid", "rmi cid"),
    "last_audit_date": ("last audit", "audit date", "last audited"),
    "last_audit_result": ("audit result", "last audit result"),
    "notes": ("note", "comment", "comments", "remarks"),
    "certification": ("standard", "certificate", "certification standard"),
    "certification_scope": ("scope", "certificate scope"),
    "certificate_id": ("certificate number", "certificate no"),
    "certified_from": ("valid from", "certificate valid from"),
    "certified_until": ("valid until", "certificate valid until", "expiry", "expires"),
}
CERTIFICATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "supplier": ("supplier id", "supplier_id", "id"),
    "standard": ("certification", "certificate", "scheme"),
    "scope": ("certificate scope",),
    "certificate_id": ("certificate number", "certificate no", "number"),
    "valid_from": ("from", "issued", "certified from"),
    "valid_until": ("until", "expiry", "expires", "certified until"),
}
ACTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "supplier": ("supplier id", "supplier_id"),
    "id": ("action", "action id", "car", "car id"),
    "description": ("finding", "issue", "title"),
    "opened": ("opened on", "raised", "date opened", "open date"),
    "due": ("due date", "deadline"),
    "closed": ("closed on", "date closed", "close date"),
}
_ALIASES = {
    "Suppliers": alias_table(SUPPLIER_COLUMNS),
    "Certifications": alias_table(CERTIFICATION_COLUMNS),
    "Corrective actions": alias_table(ACTION_COLUMNS),
}
_REQUIRED = {
    "Suppliers": ("id",),
    "Certifications": ("supplier", "standard", "valid_until"),
    "Corrective actions": ("supplier", "opened"),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Located(_Model):
    file: str | None = None
    sheet: str | None = None
    row: int | None = None


CertificateStatus = Literal["valid", "expiring", "expired", "not yet valid"]


class Certification(_Model):
    """One certificate of a supplier; valid from ``valid_from`` to ``valid_until``, both days
    included."""

    standard: str
    scope: str | None = None
    certificate_id: str | None = None
    valid_from: date | None = None
    valid_until: date
    source: Located = Field(default_factory=Located)

    def status_on(self, day: date, expiring_within_days: int) -> CertificateStatus:
        """Valid on ``day`` (expiring when it ends within ``expiring_within_days`` of it)."""
        if self.valid_from is not None and day < self.valid_from:
            return "not yet valid"
        if day > self.valid_until:
            return "expired"
        return "expiring" if (self.valid_until - day).days <= expiring_within_days else "valid"


class CorrectiveAction(_Model):
    id: str | None = None
    description: str | None = None
    opened: date
    due: date | None = None
    closed: date | None = None
    source: Located = Field(default_factory=Located)

    def is_open_on(self, day: date) -> bool:
        return self.opened <= day and (self.closed is None or self.closed > day)


class DeclaredIndicator(_Model):
    """A figure a supplier declares, e.g. energy intensity 12 kWh/kg, with its unit."""

    value: float
    unit: str


class Supplier(_Model):
    id: str
    name: str | None = None
    country: str | None = None
    facility_type: str | None = None
    smelter_id: str | None = None
    last_audit_date: date | None = None
    last_audit_result: str | None = None
    notes: str | None = None
    certifications: list[Certification] = Field(default_factory=list)
    corrective_actions: list[CorrectiveAction] = Field(default_factory=list)
    indicators: dict[str, DeclaredIndicator] = Field(default_factory=dict)
    source: Located = Field(default_factory=Located)


class SupplierRegister(_Model):
    file: str | None = None
    suppliers: list[Supplier] = Field(default_factory=list)

    def by_id(self) -> dict[str, Supplier]:
        return {s.id: s for s in self.suppliers}

    def by_smelter_id(self) -> dict[str, Supplier]:
        return {s.smelter_id: s for s in self.suppliers if s.smelter_id}


@dataclass
class SourcingInputs:
    """What the user gives for the sourcing picture; every part optional."""

    register: SupplierRegister | None = None
    approved_smelters: frozenset[str] | None = None
    approved_smelters_file: str | None = None
    high_risk_countries: frozenset[str] | None = None
    high_risk_countries_file: str | None = None
    expiring_within_days: int = 90  # the "expiring within 90 days"

    @property
    def given(self) -> bool:
        return any(
            x is not None for x in (self.register, self.approved_smelters, self.high_risk_countries)
        )


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_sourcing_inputs(
    suppliers: str | Path | None = None,
    approved_smelters: str | Path | None = None,
    high_risk_countries: str | Path | None = None,
) -> SourcingInputs:
    """The register and the two lists; raises ``BomError`` with every problem of every file."""
    problems: list[Problem] = []
    inputs = SourcingInputs()
    if suppliers is not None:
        try:
            inputs.register = read_supplier_register(suppliers)
        except FootprintError as error:
            problems.extend(error.problems)
    if approved_smelters is not None:
        try:
            inputs.approved_smelters = read_id_list(approved_smelters, "smelter id")
            inputs.approved_smelters_file = str(approved_smelters)
        except FootprintError as error:
            problems.extend(error.problems)
    if high_risk_countries is not None:
        try:
            inputs.high_risk_countries = read_id_list(
                high_risk_countries, "country code", _country_entry
            )
            inputs.high_risk_countries_file = str(high_risk_countries)
        except FootprintError as error:
            problems.extend(error.problems)
    if problems:
        raise BomError(problems)
    return inputs


def read_id_list(
    path: str | Path,
    what: str,
    check: Callable[[str], str | None] | None = None,
) -> frozenset[str]:
    """Ids from the first column of a text or CSV file; a first row that names the column
    (``smelter_id``, ``country``…) is skipped, ``#`` starts a comment."""
    path = Path(path)
    sheet = _read_csv_sheet(path, "list")
    found: set[str] = set()
    collector = ProblemCollector()
    for number, row in enumerate(sheet.rows, start=1):
        text = _text(row[0]) if row else None
        if text is None or text.startswith("#"):
            continue
        if number == 1 and normalise_key(text) in _LIST_HEADERS:
            continue
        if check is not None:
            message = check(text)
            if message is not None:
                collector.add(message, file=str(path), row=number, column=sheet_column(sheet))
                continue
            text = text.upper()
        found.add(text)
    collector.raise_if_any()
    if not found:
        collector.add(f"the list holds no {what}s", file=str(path))
        collector.raise_if_any()
    return frozenset(found)


_LIST_HEADERS = {
    normalise_key(h)
    for h in ("smelter_id", "smelter", "cid", "id", "country", "country code", "iso", "code")
}


def sheet_column(sheet: RawSheet) -> str | None:
    first = sheet.rows[0][0] if sheet.rows and sheet.rows[0] else None
    text = _text(first)
    return text if text is not None and normalise_key(text) in _LIST_HEADERS else None


def _country_entry(text: str) -> str | None:
    if is_country_code(text):
        return None
    code = suggest_country_code(text)
    hint = f'did you mean "{code}"?' if code else "write e.g. CD, CN, RU"
    return f'"{text}" is not an ISO 3166 alpha-2 country code ({hint})'


def read_supplier_register(path: str | Path) -> SupplierRegister:
    """The register of a workbook or CSV file; raises ``BomError`` listing every problem."""
    path = Path(path)
    sheets = _register_sheets(path)
    reader = _RegisterReader()
    suppliers = reader.suppliers(sheets["Suppliers"])
    if "Certifications" in sheets:
        reader.certifications(sheets["Certifications"], suppliers)
    if "Corrective actions" in sheets:
        reader.actions(sheets["Corrective actions"], suppliers)
    reader.problems.raise_if_any()
    return SupplierRegister(file=str(path), suppliers=list(suppliers.values()))


def _register_sheets(path: Path) -> dict[str, RawSheet]:
    display = str(path)
    if not path.is_file():
        raise BomError(Problem("file not found", file=display))
    if path.stat().st_size == 0:
        raise BomError(Problem("the file is empty (0 bytes)", file=display))
    if path.suffix.lower() == ".xlsx":
        return _xlsx_sheets(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        raise BomError(
            Problem("a supplier register is an .xlsx workbook or a .csv file", file=display)
        )
    sheets = {"Suppliers": _read_csv_sheet(path, "Suppliers")}
    stem = path.name[: -len(path.suffix)]
    for name, suffix in CSV_COMPANIONS.items():
        companion = path.with_name(stem + suffix)
        if companion.is_file():
            sheets[name] = _read_csv_sheet(companion, name)
    return sheets


def _read_csv_sheet(path: Path, name: str) -> RawSheet:
    from footprint.bom import sheets as bom_sheets

    if not path.is_file():
        raise BomError(Problem("file not found", file=str(path)))
    return bom_sheets._read_csv(path, str(path), name)


def _xlsx_sheets(path: Path) -> dict[str, RawSheet]:
    """The register's sheets, opened with the BOM reader's guards (zip bombs, damage)."""
    import zipfile

    import python_calamine

    from footprint.bom import sheets as bom_sheets

    display = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except bom_sheets._DAMAGED_ZIP:
        raise BomError(
            Problem("the file is corrupt (not a readable .xlsx zip)", file=display)
        ) from None
    with archive:
        bom_sheets._check_sizes(archive, display)
        paths = bom_sheets._sheet_xml_paths(archive)
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        except BaseException as error:  # calamine's errors and Rust panics
            bom_sheets._reraise_interrupts(error)
            raise BomError(
                Problem(f"the workbook is corrupt and cannot be read ({error})", file=display)
            ) from None
        found: dict[str, RawSheet] = {}
        with workbook:
            by_key = {normalise_key(n): n for n in workbook.sheet_names}
            for wanted in SHEETS:
                actual = by_key.get(normalise_key(wanted))
                if actual is not None:
                    found[wanted] = bom_sheets._read_xlsx_sheet(
                        workbook, archive, actual, paths.get(actual), display, wanted
                    )
            if "Suppliers" not in found:
                names = ", ".join(workbook.sheet_names) or "none"
                raise BomError(
                    Problem(
                        f"the workbook has no sheet named Suppliers (sheets found: {names})",
                        file=display,
                    )
                )
    return found


@dataclass(frozen=True)
class CertificateColumns:
    """Where a sheet keeps a certificate's scope and dates."""

    scope: str
    valid_from: str
    valid_until: str


@dataclass
class _Table:
    sheet: RawSheet
    columns: dict[str, int]
    headers: dict[str, str]
    units: dict[str, str | None]
    others: list[tuple[int, str, str | None]]  # (index, header, bracketed unit)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def cell(self, cells: list[Cell], name: str) -> Cell:
        index = self.columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def where(self, row: int, name: str) -> dict[str, Any]:
        return {
            "file": self.sheet.file,
            "sheet": self.sheet.label,
            "row": row,
            "column": self.headers.get(name, name),
        }

    def located(self, row: int) -> Located:
        return Located(file=self.sheet.file, sheet=self.sheet.label, row=row)


class _RegisterReader:
    def __init__(self) -> None:
        self.problems = ProblemCollector()

    def table(self, sheet: RawSheet) -> _Table | None:
        self.problems.extend(sheet.problems)
        where = {"file": sheet.file, "sheet": sheet.label}
        if not sheet.rows or not any(c is not None for c in sheet.rows[0]):
            self.problems.add(f"the {sheet.name} sheet has no header row (row 1)", **where)
            return None
        aliases = _ALIASES[sheet.name]
        columns: dict[str, int] = {}
        headers: dict[str, str] = {}
        units: dict[str, str | None] = {}
        others: list[tuple[int, str, str | None]] = []
        for index, cell in enumerate(sheet.rows[0]):
            header = _text(cell)
            if header is None:
                continue
            name, unit = split_header(header)
            canonical = aliases.get(normalise_key(name))
            if canonical is None:
                others.append((index, header, unit))
            elif canonical in columns:
                self.problems.add(
                    f'column "{header}" repeats column "{headers[canonical]}" (both mean '
                    f"{canonical}); keep one",
                    row=1,
                    column=header,
                    **where,
                )
            else:
                columns[canonical] = index
                headers[canonical] = header
                units[canonical] = unit
        missing = [name for name in _REQUIRED[sheet.name] if name not in columns]
        for name in missing:
            self.problems.add(
                f"missing required column {name} (row 1 must have a header {name})",
                row=1,
                column=name,
                **where,
            )
        if missing:
            return None
        rows = [
            (number, list(row))
            for number, row in enumerate(sheet.rows[1:], start=2)
            if any(c is not None for c in row)
        ]
        return _Table(sheet, columns, headers, units, others, rows)

    def at(
        self, table: _Table, cells: list[Cell], row: int, name: str, parse: Callable[[Cell], Any]
    ) -> Any:
        cell = table.cell(cells, name)
        if cell is None:
            return None
        try:
            return parse(cell)
        except FootprintError as error:
            for problem in error.problems:
                self.problems.add(problem.message, **table.where(row, name))
            return None

    # -- sheets ----------------------------------------------------------------------------

    def suppliers(self, sheet: RawSheet) -> dict[str, Supplier]:
        table = self.table(sheet)
        found: dict[str, Supplier] = {}
        if table is None:
            return found
        first_row: dict[str, int] = {}
        smelters: dict[str, tuple[str, int]] = {}
        for row, cells in table.rows:
            supplier_id = _text(table.cell(cells, "id"))
            if supplier_id is None:
                self.problems.add(
                    "id is empty; every supplier needs an id (what BOM lines write in their "
                    "supplier column)",
                    **table.where(row, "id"),
                )
                continue
            if supplier_id in first_row:
                self.problems.add(
                    f'duplicate supplier id "{supplier_id}" '
                    f"(first on row {first_row[supplier_id]})",
                    **table.where(row, "id"),
                )
                continue
            first_row[supplier_id] = row
            fields: dict[str, Any] = {"id": supplier_id, "source": table.located(row)}
            for name in ("name", "last_audit_result", "notes"):
                fields[name] = _text(table.cell(cells, name))
            fields["country"] = self.at(table, cells, row, "country", _country)
            fields["facility_type"] = self.at(table, cells, row, "facility_type", _facility_type)
            smelter = _text(table.cell(cells, "smelter_id"))
            if smelter is not None:
                if smelter in smelters and smelters[smelter][0] != supplier_id:
                    other, other_row = smelters[smelter]
                    self.problems.add(
                        f'smelter id "{smelter}" is also the smelter id of supplier "{other}" '
                        f"(row {other_row}); a smelter id names one facility",
                        **table.where(row, "smelter_id"),
                    )
                smelters.setdefault(smelter, (supplier_id, row))
            fields["smelter_id"] = smelter
            fields["last_audit_date"] = self.at(table, cells, row, "last_audit_date", _date)
            certificate = self.inline_certificate(table, cells, row)
            fields["certifications"] = [certificate] if certificate is not None else []
            fields["indicators"] = self.indicators(table, cells, row)
            found[supplier_id] = Supplier.model_validate(fields)
        if not table.rows:
            self.problems.add(
                "the Suppliers sheet has a header row but no suppliers",
                file=sheet.file,
                sheet=sheet.label,
            )
        return found

    def inline_certificate(
        self, table: _Table, cells: list[Cell], row: int
    ) -> Certification | None:
        standard = _text(table.cell(cells, "certification"))
        names = ("certification_scope", "certified_from", "certified_until")
        if standard is None:
            if any(table.cell(cells, n) is not None for n in names):
                self.problems.add(
                    "certificate dates or scope without a certification standard; write the "
                    "standard (e.g. RMI RMAP, IRMA, ASI) in the certification column",
                    **table.where(row, "certification"),
                )
            return None
        return self.certificate(table, cells, row, standard, CertificateColumns(*names))

    def certificate(
        self,
        table: _Table,
        cells: list[Cell],
        row: int,
        standard: str | None,
        columns: CertificateColumns,
    ) -> Certification | None:
        """A certificate from its cells, its dates checked; None (problems recorded) if bad."""
        start = self.at(table, cells, row, columns.valid_from, _date)
        end = self.at(table, cells, row, columns.valid_until, _date)
        if table.cell(cells, columns.valid_until) is None:
            self.problems.add(
                f"{columns.valid_until} is empty; write the certificate's end date "
                "(YYYY-MM-DD): its validity cannot be judged without it",
                **table.where(row, columns.valid_until),
            )
        if start is not None and end is not None and start > end:
            self.problems.add(
                f"{columns.valid_from} {start.isoformat()} is after {columns.valid_until} "
                f"{end.isoformat()}",
                **table.where(row, columns.valid_from),
            )
            return None
        if standard is None or end is None:
            return None
        return Certification(
            standard=standard,
            scope=_text(table.cell(cells, columns.scope)),
            certificate_id=_text(table.cell(cells, "certificate_id")),
            valid_from=start,
            valid_until=end,
            source=table.located(row),
        )

    def indicators(
        self, table: _Table, cells: list[Cell], row: int
    ) -> dict[str, DeclaredIndicator]:
        found: dict[str, DeclaredIndicator] = {}
        for index, header, unit in table.others:
            cell = cells[index] if index < len(cells) else None
            if cell is None:
                continue
            name = split_header(header)[0]
            where = {
                "file": table.sheet.file,
                "sheet": table.sheet.label,
                "row": row,
                "column": header,
            }
            try:
                number, cell_unit = split_quantity(cell, where=None)
                if cell_unit is None and unit is None:
                    self.problems.add(
                        f"{name} {_text(cell)} has no unit: a declared indicator needs one "
                        f'(write e.g. "{_text(cell)} kWh/kg", or put the unit in the header: '
                        f'"{name} [kWh/kg]")',
                        **where,
                    )
                    continue
                number, parsed = parse_quantity(cell, unit, where=None)
            except FootprintError as error:
                for problem in error.problems:
                    self.problems.add(
                        f"{name}: {problem.message} (a declared indicator is a number with a "
                        "unit; columns the register does not know are read as indicators)",
                        **where,
                    )
                continue
            found[re.sub(r"[\s\-.]+", "_", name.strip().lower())] = DeclaredIndicator(
                value=number, unit=parsed
            )
        return found

    def certifications(self, sheet: RawSheet, suppliers: dict[str, Supplier]) -> None:
        table = self.table(sheet)
        if table is None:
            return
        for row, cells in table.rows:
            supplier = self.owner(table, cells, row, suppliers)
            standard = _text(table.cell(cells, "standard"))
            if standard is None:
                self.problems.add(
                    "standard is empty (write e.g. RMI RMAP, IRMA, ASI, ISO 14001)",
                    **table.where(row, "standard"),
                )
            certificate = self.certificate(
                table,
                cells,
                row,
                standard,
                CertificateColumns("scope", "valid_from", "valid_until"),
            )
            if supplier is not None and certificate is not None:
                supplier.certifications.append(certificate)

    def actions(self, sheet: RawSheet, suppliers: dict[str, Supplier]) -> None:
        table = self.table(sheet)
        if table is None:
            return
        for row, cells in table.rows:
            supplier = self.owner(table, cells, row, suppliers)
            opened = self.at(table, cells, row, "opened", _date)
            if table.cell(cells, "opened") is None:
                self.problems.add(
                    "opened is empty; write the date the action was raised (YYYY-MM-DD)",
                    **table.where(row, "opened"),
                )
            due = self.at(table, cells, row, "due", _date)
            closed = self.at(table, cells, row, "closed", _date)
            if opened is not None and closed is not None and closed < opened:
                self.problems.add(
                    f"closed {closed.isoformat()} is before opened {opened.isoformat()}",
                    **table.where(row, "closed"),
                )
                continue
            if supplier is None or opened is None:
                continue
            supplier.corrective_actions.append(
                CorrectiveAction(
                    id=_text(table.cell(cells, "id")),
                    description=_text(table.cell(cells, "description")),
                    opened=opened,
                    due=due,
                    closed=closed,
                    source=table.located(row),
                )
            )

    def owner(
        self, table: _Table, cells: list[Cell], row: int, suppliers: dict[str, Supplier]
    ) -> Supplier | None:
        supplier_id = _text(table.cell(cells, "supplier"))
        if supplier_id is None:
            self.problems.add(
                "supplier is empty; write the id of a supplier of the Suppliers sheet",
                **table.where(row, "supplier"),
            )
            return None
        supplier = suppliers.get(supplier_id)
        if supplier is None:
            self.problems.add(
                f'supplier "{supplier_id}" is not on the Suppliers sheet',
                **table.where(row, "supplier"),
            )
        return supplier


def _country(value: Cell) -> str:
    text = _text(value) or ""
    message = _country_entry(text)
    if message is not None:
        raise BomError(Problem(message))
    return text.upper()


def _facility_type(value: Cell) -> str:
    text = _text(value) or ""
    key = "".join(ch for ch in text.lower() if ch.isalpha())
    known = FACILITY_TYPES.get(key)
    if known is None:
        valid = ", ".join(dict.fromkeys(FACILITY_TYPES.values()))
        raise BomError(Problem(f'"{text}" is not a facility type (write one of: {valid})'))
    return known


def _date(value: Cell) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value) or ""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BomError(
            Problem(f'"{text}" is not a date (write YYYY-MM-DD, e.g. 2026-03-31)')
        ) from None
