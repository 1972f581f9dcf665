"""Workbook sheets of the EF 3.1 profile: "Impacts" (product × indicator) and "Most relevant".

Added by ``report.excel`` when a product has an impact profile (``--indicators`` other than
climate, or ``--hotspots``).  An indicator that is not covered is the text "not covered",
never 0; the single score says "partial" and what it lacks.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from footprint.model import Assessment, RelevantList
from footprint.report import _xlsx as x
from footprint.report._xlsx import Column, Value

NUMBER = "0.000E+00"
NOT_COVERED = "not covered"


def add_impact_sheets(workbook: Workbook, assessment: Assessment, footer: str) -> None:
    """The Impacts and (with hotspots) Most relevant sheets, when any product has a profile."""
    if not any(p.impacts is not None for p in assessment.products):
        return
    _impacts(workbook.create_sheet("Impacts"), assessment, footer)
    if any(p.impacts and p.impacts.most_relevant for p in assessment.products):
        _most_relevant(workbook.create_sheet("Most relevant"), assessment, footer)


def _impacts(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    columns = [
        Column("Product"),
        Column("Indicator"),
        Column("Method (Brightway)", width=40, wrap=True),
        Column("EF 3.1 category"),
        Column("Characterised per FU", NUMBER, width=14),
        Column("Unit", width=14),
        Column("Coverage"),
        Column("Lines covered", x.SHARE, width=10),
        Column("Climate change covered", x.SHARE, width=10),
        Column("Normalised (persons)", NUMBER, width=14),
        Column("Weighted (Pt)", NUMBER, width=14),
        Column("Weighted (µPt)", "0.00", width=14),
    ]
    rows: list[list[Value]] = []
    for product in assessment.products:
        profile = product.impacts
        if profile is None:
            continue
        for item in profile.indicators:
            covered = item.value is not None
            rows.append(
                [
                    product.id,
                    item.id,
                    " | ".join(item.method),
                    item.category,
                    item.value if covered else NOT_COVERED,
                    item.unit,
                    item.status,
                    item.line_share,
                    item.climate_share,
                    item.normalised if covered else (NOT_COVERED if item.category else None),
                    item.weighted if covered else (NOT_COVERED if item.category else None),
                    item.weighted * 1e6
                    if covered and item.weighted is not None
                    else (NOT_COVERED if item.category and not covered else None),
                ]
            )
        score = profile.single_score
        if score is not None:
            missing = "; ".join(f"{k}: {v}" for k, v in score.missing.items())
            rows.append(
                [
                    product.id,
                    "single score",
                    score.factors,
                    f"{len(score.included)} of 16 categories",
                    None,
                    "Pt",
                    score.status + (f" — {missing}" if missing else ""),
                    None,
                    None,
                    None,
                    score.value if score.value is not None else "not available",
                    score.micropoints,
                ]
            )
    x.tidy_table(ws, columns, rows, footer)


def _most_relevant(ws: Worksheet, assessment: Assessment, footer: str) -> None:
    columns = [
        Column("Product"),
        Column("Category"),
        Column("Level"),
        Column("Basis"),
        Column("Rank", width=6),
        Column("Item", width=44, wrap=True),
        Column("Stage"),
        Column("Database"),
        Column("Location / compartment", width=18),
        Column("Contribution", NUMBER, width=14),
        Column("Unit", width=14),
        Column("Share", x.SHARE, width=9),
        Column("Cumulative", x.SHARE, width=10),
    ]
    rows: list[list[Value]] = []

    def add(product: str, category: str, level: str, unit: str, kept: RelevantList | None) -> None:
        if kept is None:
            return
        for rank, item in enumerate(kept.items, start=1):
            rows.append(
                [
                    product, category, level, kept.basis, rank, item.name,
                    item.stage.value if item.stage else None, item.database,
                    item.location or item.compartment, item.value, unit, item.share,
                    item.cumulative,
                ]
            )  # fmt: skip

    for product in assessment.products:
        relevant = product.impacts.most_relevant if product.impacts else None
        if relevant is None:
            continue
        add(product.id, f"(all; {relevant.status})", "impact category", "Pt", relevant.categories)
        for hotspots in relevant.per_category:
            for level, kept in (
                ("life-cycle stage", hotspots.stages),
                ("life-cycle stage", hotspots.stages_net),
                ("process", hotspots.processes),
                ("process", hotspots.processes_net),
                ("process without the use stage", hotspots.processes_without_use),
                ("elementary flow", hotspots.flows),
            ):
                add(product.id, hotspots.indicator, level, hotspots.unit, kept)
            for process, kept in hotspots.flows_by_process.items():
                add(product.id, hotspots.indicator, f"flow of {process}", hotspots.unit, kept)
    x.tidy_table(ws, columns, rows, footer)
    rules = ws.max_row + 2
    x.put(ws, rules, 1, "Rules as implemented")
    for offset, rule in enumerate(_rules(assessment), start=1):
        x.put(ws, rules + offset, 1, rule)


def _rules(assessment: Assessment) -> list[str]:
    for product in assessment.products:
        if product.impacts and product.impacts.most_relevant:
            return list(product.impacts.most_relevant.rules)
    return []
