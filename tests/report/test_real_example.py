"""Real example BOMs, assessed by the engine, written to both reports."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl


def _numbers(node: object) -> set[float]:
    if isinstance(node, bool):
        return set()
    if isinstance(node, int | float):
        return {node}
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    found: set[float] = set()
    for value in values:
        found |= _numbers(value)
    return found


def test_example_boms_write_an_exact_workbook_and_a_report(examples_dir, tmp_path):
    from footprint.api import assess

    assessment = assess(
        [examples_dir / "ev-battery-module.xlsx", examples_dir / "smartphone.xlsx"],
        rules=["eu-battery-regulation"],
    )
    workbook = assessment.to_excel(tmp_path / "examples.xlsx")
    report = assessment.to_html(tmp_path / "examples.html")

    reference = _numbers(json.loads(assessment.to_json()))
    wb = openpyxl.load_workbook(workbook)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.value in reference, f"{ws.title}!{cell.coordinate}"
    header = [c.value for c in wb["Lines"][1]]
    product_col = header.index("Product")
    figure_col = header.index("Climate change per FU (kg CO2-eq)")
    lines = list(wb["Lines"].iter_rows(min_row=2, values_only=True))
    assert len(lines) == sum(len(p.lines) for p in assessment.products)
    cut_off_col = header.index("Cut-off figure (kg CO2-eq)")
    phone = assessment.product("phone-x1")
    module = assessment.product("ev-module-nmc811")
    assert (phone.eol_model, module.eol_model) == ("cut-off", "cff")
    # under either model a product's lines add up to its total, read back from the sheet
    for product in (phone, module):
        for column, field in (
            (figure_col, "total"),
            (header.index("Fossil"), "fossil"),
            (header.index("Biogenic"), "biogenic"),
            (header.index("Land use change"), "luluc"),
        ):
            lines_sum = math.fsum(r[column] for r in lines if r[product_col] == product.id)
            total = getattr(product.climate_change, field)
            assert math.isclose(lines_sum, total, rel_tol=1e-9, abs_tol=1e-12), (product.id, field)
    # the CFF product's cut-off column adds up to its cut-off total; the phone has none
    cut_off = math.fsum(r[cut_off_col] for r in lines if r[product_col] == module.id)
    assert math.isclose(cut_off, module.circularity.cff.cut_off_total, rel_tol=1e-9)
    assert all(r[cut_off_col] is None for r in lines if r[product_col] == phone.id)
    statuses = [r[5] for r in wb["Compliance"].iter_rows(min_row=2, values_only=True) if r[5]]
    assert statuses[: sum(len(p.checks) for p in assessment.products)] == [
        c.status for p in assessment.products for c in p.checks
    ]

    text = Path(report).read_text(encoding="utf-8")
    assert all(p.id in text for p in assessment.products)
    assert text.count('class="plotly-graph-div"') >= 1 + 2 * 3
