"""The Monte Carlo results in the reports: the Uncertainty sheet of the workbook and the
distributions chart of the HTML report (one box per product from its percentiles, each
footprint limit per functional unit drawn on it), and the table of every sampled check's
failing probability.  Reads ``Assessment.uncertainty`` only."""

from __future__ import annotations

from html import escape
from typing import Any

import plotly.graph_objects as go
from openpyxl import Workbook

from footprint.model import Assessment
from footprint.report import _xlsx as x
from footprint.report._xlsx import Column, Value

SHEET = "Uncertainty"
PER_FU = "kg CO2-eq per functional unit"
STATISTICS = ("mean", "median", "sd", "p2_5", "p25", "p75", "p97_5")
COLUMNS = [
    Column("Product"),
    Column("Figure", width=16),
    Column("Mean", x.GENERAL),
    Column("Median", x.GENERAL),
    Column("Standard deviation", x.GENERAL),
    Column("2.5th percentile", x.GENERAL),
    Column("25th percentile", x.GENERAL),
    Column("75th percentile", x.GENERAL),
    Column("97.5th percentile", x.GENERAL),
]


def add_uncertainty_sheet(workbook: Workbook, assessment: Assessment, footer: str) -> None:
    """Add the Uncertainty sheet when the assessment has Monte Carlo results."""
    result = assessment.uncertainty
    if result is None:
        return
    ws = workbook.create_sheet(SHEET)
    rows: list[list[Value]] = []
    for product in result.products:
        figures = [("total", product.total), *sorted(product.by_stage.items())]
        for label, stats in figures:
            rows.append([product.product, label, *(getattr(stats, s) for s in STATISTICS)])
    last = x.write_table(ws, 1, COLUMNS, rows)
    ws.freeze_panes = "A2"
    x.fit_columns(ws, COLUMNS, rows)
    x.print_setup(ws, title_rows="1:1", footer=footer)
    row = last + 3
    x.put(ws, row, 1, "Probability that a check fails").font = x.SECTION_FONT
    check_columns = [
        Column("Product"),
        Column("Rule", width=30),
        Column("Limit", x.GENERAL),
        Column("Unit", width=18),
        Column("P(fail)", x.SHARE),
        Column("P(pass)", x.SHARE),
        Column("Value 2.5th percentile", x.GENERAL),
        Column("Value 97.5th percentile", x.GENERAL),
        Column("Inputs that varied", width=60, wrap=True),
    ]
    check_rows: list[list[Value]] = [
        [
            p.product,
            c.rule,
            c.limit,
            c.unit,
            c.probability_fail,
            c.probability_pass,
            c.value.p2_5 if c.value else None,
            c.value.p97_5 if c.value else None,
            "; ".join(c.varied) or "none: the value is fixed",
        ]
        for p in result.products
        for c in p.checks
    ]
    check_rows += [
        [p.product, rule, None, None, None, None, None, None, why]
        for p in result.products
        for rule, why in p.not_sampled.items()
    ]
    last = x.write_table(ws, row + 1, check_columns, check_rows or [["none"] + [None] * 8])
    row = last + 3
    x.put(ws, row, 1, "Lines that drive the variance").font = x.SECTION_FONT
    driver_columns = [
        Column("Product"),
        Column("Line", width=20),
        Column("Squared rank correlation with the total", x.SHARE, width=14),
    ]
    driver_rows: list[list[Value]] = [
        [p.product, line, rho] for p in result.products for line, rho in p.drivers.items()
    ]
    last = x.write_table(ws, row + 1, driver_columns, driver_rows or [["none", None, None]])
    row = last + 3
    x.put(ws, row, 1, "Where each distribution comes from").font = x.SECTION_FONT
    source_rows: list[list[Value]] = [[k, v] for k, v in result.distributions.items()]
    last = x.write_table(
        ws,
        row + 1,
        [Column("Dataset", width=30), Column("Distribution", width=60, wrap=True)],
        source_rows,
    )
    last = _mci_section(ws, last + 3, assessment)
    x.put(
        ws,
        last + 2,
        1,
        f"{result.iterations} iterations, seed {result.seed}; {result.indicator} (the MCI: 0–1).",
    )
    if not_sampled_indicators(assessment):
        x.put(ws, last + 3, 1, not_sampled_indicators(assessment))


MCI_COLUMNS = [
    Column("Product"),
    Column("Mean", x.GENERAL),
    Column("Median", x.GENERAL),
    Column("Standard deviation", x.GENERAL),
    Column("2.5th percentile", x.GENERAL),
    Column("97.5th percentile", x.GENERAL),
    Column("Inputs that varied", width=60, wrap=True),
]


def _mci_rows(assessment: Assessment) -> list[list[Value]]:
    """One row per product with an MCI: its statistics, or why it is not sampled."""
    rows: list[list[Value]] = []
    for p in assessment.uncertainty.products if assessment.uncertainty else []:
        if p.mci is None:
            continue
        v = p.mci.value
        if v is None:
            rows.append([p.product, None, None, None, None, None, p.mci.not_sampled])
            continue
        varied = "; ".join(p.mci.varied) or "none: the MCI is fixed"
        rows.append([p.product, v.mean, v.median, v.sd, v.p2_5, v.p97_5, varied])
    return rows


def _mci_section(ws: Any, row: int, assessment: Assessment) -> int:
    """The MCI's statistics per product (Material Circularity Indicator, 0–1)."""
    x.put(ws, row, 1, "Material Circularity Indicator (0–1)").font = x.SECTION_FONT
    rows = _mci_rows(assessment)
    return x.write_table(ws, row + 1, MCI_COLUMNS, rows or [["none"] + [None] * 6])


def uncertainty_figure(assessment: Assessment) -> go.Figure | None:
    """One box per product (2.5 / 25 / 50 / 75 / 97.5th percentiles), limits as markers."""
    spec = uncertainty_spec(assessment)
    return None if spec is None else go.Figure(spec)


def uncertainty_spec(assessment: Assessment) -> dict[str, Any] | None:
    """``uncertainty_figure`` as plain plotly JSON (no graph objects: their validation costs
    ~30 ms a trace).  Product ids and rule names are HTML-escaped: plotly renders a subset of
    HTML in trace names and axis labels, and decodes the entities when it draws."""
    result = assessment.uncertainty
    if result is None:
        return None
    traces: list[dict[str, Any]] = []
    for product in result.products:
        stats = product.total
        name = escape(product.product)
        traces.append(
            {
                "boxpoints": False,
                "hovertemplate": "%{x}<extra></extra>",
                "lowerfence": [stats.p2_5],
                "mean": [stats.mean],
                "median": [stats.median],
                "name": name,
                "orientation": "h",
                "q1": [stats.p25],
                "q3": [stats.p75],
                "showlegend": False,
                "upperfence": [stats.p97_5],
                "type": "box",
            }
        )
        for check in product.checks:
            if check.kind != "footprint" or check.unit not in (None, PER_FU):
                continue  # a share, or a limit per kg / per kWh: not on this axis
            traces.append(
                {
                    "marker": {"color": "#C00000", "size": 18, "symbol": "line-ns-open"},
                    "mode": "markers",
                    "name": f"{escape(check.rule)}: P(fail) {check.probability_fail:.1%}",
                    "x": [check.limit],
                    "y": [name],
                    "type": "scatter",
                }
            )
    layout = {
        "title": {
            "text": f"Climate change per functional unit, {result.iterations} Monte Carlo "
            "iterations (whiskers: 2.5th and 97.5th percentiles)"
        },
        "xaxis": {"title": {"text": "kg CO2-eq per functional unit"}},
        "height": 160 + 60 * len(result.products),
        "margin": {"l": 120, "r": 20, "t": 60, "b": 50},
    }
    return {"data": traces, "layout": layout}


def uncertainty_table(assessment: Assessment) -> str:
    """HTML table of every sampled check's failing probability, and the checks not sampled."""
    result = assessment.uncertainty
    if result is None:
        return ""
    rows = []
    for product in result.products:
        for check in product.checks:
            unit = check.unit or ""
            spread = (
                f"{_show(check.value.p2_5, unit)} – {_show(check.value.p97_5, unit)}"
                if check.value
                else "—"
            )
            rows.append(
                f"<tr><td>{escape(product.product)}</td><td>{escape(check.rule)}</td>"
                f"<td>{escape(_show(check.limit, unit))}</td><td>{escape(spread)}</td>"
                f"<td>{check.probability_fail:.1%}</td><td>{check.probability_pass:.1%}</td>"
                f"<td>{escape('; '.join(check.varied) or 'none: the value is fixed')}</td></tr>"
            )
        for rule, why in product.not_sampled.items():
            rows.append(
                f"<tr><td>{escape(product.product)}</td><td>{escape(rule)}</td>"
                f'<td colspan="5">{escape(why)}</td></tr>'
            )
    mci = _mci_table(assessment) + _not_sampled_note(assessment)
    if not rows:
        return mci
    return (
        "<table><caption>Probability that each check fails (Monte Carlo, "
        f"{result.iterations} iterations, seed {result.seed}; value: its 2.5th – 97.5th "
        "percentile)</caption><thead><tr><th>Product</th><th>Rule</th><th>Limit</th>"
        "<th>Value 95 %</th><th>P(fail)</th><th>P(pass)</th><th>Inputs that varied</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + mci
    )


def not_sampled_indicators(assessment: Assessment) -> str:
    """What the Monte Carlo did not sample, in words ('' when every chosen indicator was)."""
    result = assessment.uncertainty
    if result is None or not result.not_sampled_indicators:
        return ""
    return (
        f"Sampled: {result.indicator} only; not sampled (no uncertainty given): "
        f"{', '.join(result.not_sampled_indicators)}."
    )


def _not_sampled_note(assessment: Assessment) -> str:
    text = not_sampled_indicators(assessment)
    return f'<p class="note">{escape(text)}</p>' if text else ""


def _mci_table(assessment: Assessment) -> str:
    """HTML table of each product's MCI over the iterations."""
    cells = []
    for row in _mci_rows(assessment):
        product, mean, median, _sd, low, high, varied = row
        if mean is None:
            cells.append(
                f"<tr><td>{escape(str(product))}</td>"
                f'<td colspan="3">{escape(str(varied))}</td></tr>'
            )
            continue
        cells.append(
            f"<tr><td>{escape(str(product))}</td><td>{mean:.3f}</td>"
            f"<td>{low:.3f} – {high:.3f}</td><td>{escape(str(varied))}</td></tr>"
        )
    if not cells:
        return ""
    return (
        "<table><caption>Material Circularity Indicator (0–1) over the Monte Carlo iterations"
        "</caption><thead><tr><th>Product</th><th>Mean</th><th>2.5th – 97.5th percentile</th>"
        "<th>Inputs that varied</th></tr></thead><tbody>" + "".join(cells) + "</tbody></table>"
    )


def _show(value: float, unit: str) -> str:
    if unit == "fraction":
        return f"{value * 100:.4g} %"
    return f"{value:.4g} {unit}".rstrip()
