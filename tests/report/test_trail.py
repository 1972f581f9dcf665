"""The audit trail: every line of every bundled example recomputed from its workbook alone.

The workbook is written by the CLI and read back with openpyxl; nothing from the assessment
objects is used.  Per line: Quantity × Products per FU × Factor (Lines sheet) = the line's
figure, on every part; the dataset cell's hyperlink leads to the dataset's own row on Data
sources, whose factor is the one the line used; the lines add up to the product total on the
Summary sheet (a CFF product: to its cut-off total on the Circularity sheet, which the
"Cut-off figure" column holds per line).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from footprint.cli import main

PARTS = {  # factor column → figure column
    "Factor per unit (kg CO2-eq)": "Climate change per FU (kg CO2-eq)",
    "Factor fossil": "Fossil",
    "Factor biogenic": "Biogenic",
    "Factor land use change": "Land use change",
    "Factor not split": "Not split",
}


def _examples(examples_dir: Path) -> list[Path]:
    files = sorted(p for p in examples_dir.iterdir() if p.suffix in (".xlsx", ".csv"))
    return [p for p in files if not p.name.endswith(".products.csv")]


def _table(ws: Any, header_row: int = 1) -> list[dict[str, Any]]:
    rows = ws.iter_rows(min_row=header_row, values_only=False)
    header = [c.value for c in next(rows)]
    return [{h: c for h, c in zip(header, row, strict=False) if h} for row in rows]


def _summary_totals(ws: Any) -> dict[str, float]:
    """Product id → 'Climate change' on the Summary sheet (products side by side)."""
    cells = list(ws.iter_rows(values_only=True))
    head = next(r for r in cells if r and r[0] == "Figure")
    total = next(r for r in cells if r and r[0] == "Climate change")
    return {pid: total[i] for i, pid in enumerate(head) if i >= 2 and pid}


def _cut_off_totals(ws: Any) -> dict[str, float]:
    cells = list(ws.iter_rows(values_only=True))
    for n, row in enumerate(cells):
        if row and "Product total, cut-off" in row:
            column = row.index("Product total, cut-off")
            totals = {}
            for below in cells[n + 1 :]:
                if not below or not isinstance(below[column], float):
                    break  # the end of that table
                totals[below[0]] = below[column]
            return totals
    return {}


@pytest.fixture(scope="module")
def workbooks(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("trail")
    paths = []
    for bom in _examples(examples_dir):
        path = out / f"{bom.stem}.xlsx"
        with pytest.raises(SystemExit) as done:
            main(["assess", str(bom), "--xlsx", str(path), "-q"])
        assert done.value.code in (0, None), bom
        paths.append(path)
    return paths


def test_every_line_recomputes_from_the_workbook_alone(workbooks: list[Path]) -> None:
    recomputed_lines = 0
    for path in workbooks:
        wb = openpyxl.load_workbook(path)
        lines = _table(wb["Lines"])
        sources = wb["Data sources"]
        source_header = [c.value for c in sources[1]]
        summary = _summary_totals(wb["Summary"])
        # the CFF per product (its cut-off totals) is a sheet of its own after Circularity
        cut_off = _cut_off_totals(wb["CFF"]) if "CFF" in wb.sheetnames else {}
        sums: dict[str, float] = {}
        for line in lines:
            product = line["Product"].value
            dataset = line["Dataset"]
            if dataset.value is None:  # an assembly line: no factor, no figure
                assert line["Factor per unit (kg CO2-eq)"].value is None
                assert line["Climate change per FU (kg CO2-eq)"].value == 0
                continue
            amount = line["Quantity"].value * line["Products per FU"].value
            changed = line.get("Note") is not None and line["Note"].value  # by the CFF
            for factor_header, figure_header in PARTS.items():
                figure = line[figure_header].value
                if changed:  # the cut-off figure is kept beside the CFF figure
                    if factor_header != "Factor per unit (kg CO2-eq)":
                        continue
                    figure = line["Cut-off figure (kg CO2-eq)"].value
                expected = amount * line[factor_header].value
                assert expected == pytest.approx(figure, rel=1e-12, abs=1e-15), (
                    path.name, product, line["Line"].value, figure_header,
                )  # fmt: skip
            # the hyperlink leads to this dataset's row on Data sources, with the same factor
            link = dataset.hyperlink
            assert link is not None and link.location, (path.name, dataset.value)
            sheet, _, cell = link.location.rpartition("!")
            assert sheet == "'Data sources'"
            target = sources[cell].row
            row = {h: c.value for h, c in zip(source_header, sources[target], strict=True)}
            assert row["Dataset"] == dataset.value
            assert row["Factor per unit (kg CO2-eq, with its inputs)"] == pytest.approx(
                line["Factor per unit (kg CO2-eq)"].value, rel=1e-15
            )
            assert row["Unit"] == line["Unit"].value
            sums[product] = (
                sums.get(product, 0.0) + amount * line["Factor per unit (kg CO2-eq)"].value
            )
            recomputed_lines += 1
        for product, total in sums.items():
            expected = cut_off.get(product, summary[product])
            assert math.isclose(total, expected, rel_tol=1e-12), (path.name, product)
        assert sums.keys() == summary.keys(), path.name
    assert recomputed_lines > 60  # every example's lines, not an empty loop


def test_data_sources_give_the_row_in_the_source_and_a_real_link(workbooks: list[Path]) -> None:
    seen_row_ids = set()
    for path in workbooks:
        sources = _table(openpyxl.load_workbook(path)["Data sources"])
        for row in sources:
            url = row["URL"].value
            assert url and row["URL"].hyperlink is not None, (path.name, row["Dataset"].value)
            assert row["URL"].hyperlink.target == url
            assert row["Table / row in source"].value, row["Dataset"].value
            assert row["GWP basis"].value and row["Licence"].value and row["Year"].value
            seen_row_ids.add(row["Table / row in source"].value)
    # the identifiers the issue names, as the shipped rows write them
    assert "Material use, row 19_504_5104_15_1" in seen_row_ids  # DESNZ row id, aluminium
    assert any(r.startswith("Table S38, ") for r in seen_row_ids)  # Nuss & Eckelman's table
    assert any(r.startswith("Taiwan (TWN), ") for r in seen_row_ids)  # OWID country-year
