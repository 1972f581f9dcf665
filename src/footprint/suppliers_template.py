"""The supplier register template: ``footprint template --suppliers OUT.xlsx``.

Three sheets (Suppliers, Certifications, Corrective actions) with one fictional example each,
every header explained in a comment, and an Instructions sheet.  The example suppliers are
invented (ids EX-…); footprint ships no real supplier, smelter or certificate data.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from footprint.bom.template import _fill, save_workbook

SUPPLIER_HEADERS: dict[str, str] = {
    "id": "Supplier or facility id: what BOM lines write in their supplier column. Required, "
    "unique.",
    "name": "Company or facility name.",
    "country": "ISO 3166 alpha-2 country of the facility, e.g. CD, FI. A BOM line without a "
    "country of origin takes this one.",
    "facility_type": "mine, concentrator, smelter/refiner, precursor plant, cathode plant, anode "
    "plant, cell plant, pack plant, component plant, recycler, trader or other.",
    "smelter_id": "Smelter or refiner identifier (e.g. an RMI CID). BOM lines that name no "
    "supplier join the register by it.",
    "last_audit_date": "Date of the last audit, YYYY-MM-DD.",
    "last_audit_result": "Result of the last audit as the audit states it (e.g. conformant, "
    "minor non-conformities).",
    "certification": "One certificate in this row (more on the Certifications sheet): the "
    "standard, e.g. RMI RMAP, IRMA, ASI, ResponsibleSteel, ISO 14001.",
    "certification_scope": "What the certificate covers (site, material, chain of custody).",
    "certificate_id": "The certificate's number.",
    "certified_from": "First day the certificate is valid, YYYY-MM-DD.",
    "certified_until": "Last day the certificate is valid (included), YYYY-MM-DD. Required with "
    "a certification.",
    "energy_intensity [kWh/kg]": "A declared indicator. Every column the register does not know "
    "is a declared indicator: a number with its unit, in the header [unit] or in the cell "
    '("12 kWh/kg").',
    "notes": "Free text, carried along.",
}
CERTIFICATION_HEADERS: dict[str, str] = {
    "supplier": "Supplier id from the Suppliers sheet. Required.",
    "standard": "Certification standard, e.g. RMI RMAP, IRMA, ASI. Required.",
    "scope": "What the certificate covers.",
    "certificate_id": "The certificate's number.",
    "valid_from": "First day the certificate is valid, YYYY-MM-DD.",
    "valid_until": "Last day the certificate is valid (included), YYYY-MM-DD. Required.",
}
ACTION_HEADERS: dict[str, str] = {
    "supplier": "Supplier id from the Suppliers sheet. Required.",
    "id": "The corrective action's reference.",
    "description": "The finding and what is to be done.",
    "opened": "Date the action was raised, YYYY-MM-DD. Required.",
    "due": "Date it is due, YYYY-MM-DD.",
    "closed": "Date it was closed, YYYY-MM-DD; blank = still open.",
}

EXAMPLE_SUPPLIERS: list[dict[str, Any]] = [
    {"id": "EX-REFINER-1", "name": "Example cobalt refinery (fictional)", "country": "FI",
     "facility_type": "smelter/refiner", "smelter_id": "EX-CID-0001",
     "last_audit_date": "2026-03-15", "last_audit_result": "conformant",
     "certification": "RMI RMAP", "certification_scope": "cobalt refining",
     "certificate_id": "EX-0001", "certified_from": "2025-07-01",
     "certified_until": "2027-06-30", "energy_intensity [kWh/kg]": 11.5},
    {"id": "EX-CELLS-1", "name": "Example cell plant (fictional)", "country": "PL",
     "facility_type": "cell plant", "last_audit_date": "2025-11-02",
     "last_audit_result": "minor non-conformities", "energy_intensity [kWh/kg]": "28 kWh/kg"},
]  # fmt: skip
EXAMPLE_CERTIFICATIONS: list[dict[str, Any]] = [
    {"supplier": "EX-CELLS-1", "standard": "ISO 14001", "scope": "site", "certificate_id":
     "EX-14001-7", "valid_from": "2024-01-01", "valid_until": "2026-12-31"},
]  # fmt: skip
EXAMPLE_ACTIONS: list[dict[str, Any]] = [
    {"supplier": "EX-CELLS-1", "id": "CA-1", "description": "Waste water sampling records "
     "incomplete", "opened": "2025-11-02", "due": "2026-02-01"},
]  # fmt: skip

INSTRUCTIONS = [
    "footprint supplier register template",
    "",
    "Sheet Suppliers: one row per supplier or facility. BOM lines name a supplier by its id "
    "(BOM column supplier) or, when they name none, by smelter_id.",
    "Sheet Certifications (optional): more certificates, one a row. A certificate is valid "
    "from valid_from to valid_until, both days included.",
    "Sheet Corrective actions (optional): one a row; an action without a closed date is open.",
    "Every Suppliers column footprint does not know is a declared indicator and needs a unit.",
    "Use it with:  footprint assess bom.xlsx --suppliers suppliers.xlsx "
    "[--approved-smelters smelters.txt] [--high-risk-countries countries.txt]",
    "The example rows are fictional: replace them with your own suppliers.",
]


def supplier_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Suppliers"
    _fill(sheet, list(SUPPLIER_HEADERS), SUPPLIER_HEADERS, EXAMPLE_SUPPLIERS)
    for title, headers, rows in (
        ("Certifications", CERTIFICATION_HEADERS, EXAMPLE_CERTIFICATIONS),
        ("Corrective actions", ACTION_HEADERS, EXAMPLE_ACTIONS),
    ):
        _fill(workbook.create_sheet(title), list(headers), headers, rows)
    notes = workbook.create_sheet("Instructions")
    notes.column_dimensions["A"].width = 110
    for index, text in enumerate(INSTRUCTIONS, start=1):
        notes.cell(row=index, column=1, value=text)
    notes["A1"].font = Font(bold=True, size=14)
    return workbook


def supplier_template_bytes() -> bytes:
    buffer = io.BytesIO()
    supplier_workbook().save(buffer)
    return buffer.getvalue()


def write_supplier_template(path: Path) -> Path:
    return save_workbook(supplier_workbook(), path)
