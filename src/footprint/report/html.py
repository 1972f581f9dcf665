"""The HTML report: one self-contained file (plotly.js embedded once) that works offline.

Per product: key figures, the stage chart, the BOM sunburst, the CFF waterfall, recycled
content against its targets, the compliance table and the largest contributions (for a product
under the CFF with each line's cut-off figure, and a note on how lines and stages relate); a
portfolio
comparison when there are several products; then data sources and warnings.  Every string
from the assessment is escaped, so a BOM cannot inject markup or script.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go

from footprint.io import write_text_atomic
from footprint.model import Assessment, Check, ProductResult
from footprint.report.basis import basis_text, not_all_ef31, split_text
from footprint.report.figure_embed import figure_html, plotly_scripts
from footprint.report.figures import (
    Spec,
    bom_spec,
    cff_spec,
    material_spec,
    portfolio_spec,
    recycled_content_spec,
    stage_spec,
)
from footprint.report.impact_report import IMPACTS_STYLE, impacts_section, profile_spec
from footprint.report.sourcing import SORT_SCRIPT, SOURCING_STYLE, origin_spec, sourcing_section
from footprint.report.summary import (
    NOT_COVERED,
    check_counts,
    compliance_status,
    is_share,
    product_label,
    sorted_checks,
    top_lines,
)
from footprint.report.uncertainty import uncertainty_spec, uncertainty_table
from footprint.sourcing.results import SourcingResult

MANY_PRODUCTS = 20  # more products than this: rendered lazily, listed in the portfolio table
FILTER_INPUT = (
    '<p><label>Filter products: <input type="search" id="product-filter" '
    'placeholder="id, name or functional unit" autocomplete="off"></label></p>'
)
FILTER_SCRIPT = """
function footprintFilterProducts() {
  var input = document.getElementById("product-filter");
  if (!input) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("#portfolio tbody tr"));
  input.addEventListener("input", function () {
    var query = input.value.trim().toLowerCase();
    rows.forEach(function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(query) >= 0 ? "" : "none";
    });
  });
}
"""

STYLE = """
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #222;
       background: #f6f7f9; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
@media (max-width: 600px) { header, main, footer { padding: 0 8px; }
  section { padding: 4px 10px 12px; } }
.table-wrap { overflow-x: auto; max-width: 100%; }
.charts > div { min-width: 0; overflow: hidden; }
td { overflow-wrap: anywhere; }
header { padding-top: 24px; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #305496; padding-bottom: 4px; margin-top: 1.6em; }
section { background: white; border-radius: 6px; padding: 8px 20px 20px; margin: 20px 0;
          box-shadow: 0 1px 3px rgba(0,0,0,0.12); }
.meta { color: #555; font-size: 0.92em; }
nav a { margin-right: 14px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px;
         margin: 12px 0; }
.fact { background: #f0f3f9; border-radius: 4px; padding: 8px 12px; }
.fact .label { font-size: 0.82em; color: #555; }
.fact .value { font-size: 1.25em; font-weight: 600; }
/* fixed tracks: plotly sizes each chart when its script runs, before later charts exist */
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
@media (max-width: 1000px) { .charts { grid-template-columns: minmax(0, 1fr); } }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 8px 0; }
th { background: #305496; color: white; text-align: left; padding: 5px 8px; }
td { border-bottom: 1px solid #ddd; padding: 4px 8px; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.status { font-weight: 600; border-radius: 3px; padding: 1px 6px; white-space: nowrap; }
.pass, .green { background: #C6EFCE; color: #006100; }
.fail, .red { background: #FFC7CE; color: #9C0006; }
.insufficient-data, .amber { background: #FFEB9C; color: #9C5700; }
.not-applicable, .none, .neutral { background: #eee; color: #555; }
.declared { background: #DDEBF7; color: #1F3864; }
.indicator { background: #E4DFEC; color: #3F3151; }
.note { background: #f0f3f9; border-left: 4px solid #305496; padding: 6px 12px; }
summary { cursor: pointer; color: #305496; margin: 6px 0; }
footer { color: #777; font-size: 0.85em; padding-bottom: 24px; }
/* a big portfolio: the browser lays out only the products near the screen */
body.many section.product { content-visibility: auto; contain-intrinsic-size: auto 2400px; }
"""


def e(text: object) -> str:
    """Escape anything for HTML text and attribute values; None becomes empty."""
    if text is None:
        return ""
    return _escaped(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 16)
def _escaped(text: str) -> str:
    """``html.escape``, remembered: a report of thousands of products repeats the same rule
    titles, statuses and explanations tens of thousands of times."""
    return html.escape(text, quote=True)


def num(value: float | int | None, spec: str = ",.4g") -> str:
    return "" if value is None else format(value, spec)


def share(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def write_html(assessment: Assessment, path: Path) -> Path:
    """Write the report to ``path`` whole or not at all; return the path."""
    return write_text_atomic(Path(path), render_html(assessment))


def render_html(assessment: Assessment) -> str:
    ids = (f"figure-{n}" for n in itertools.count(1))
    products = assessment.products
    title = "Product carbon footprint report"
    nav = [("portfolio", "Portfolio")] if len(products) > 1 else []
    if len(products) > MANY_PRODUCTS:  # a menu of thousands of links helps nobody: the table
        nav = [("portfolio", f"Products ({len(products):,}): table and filter")]
    else:
        nav += [(f"product-{i}", p.id) for i, p in enumerate(products, 1)]
    nav += [("data-sources", "Data sources"), ("warnings", "Warnings")]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{STYLE}{SOURCING_STYLE}{IMPACTS_STYLE}</style>",
        plotly_scripts(),
        f"<script>{SORT_SCRIPT}{FILTER_SCRIPT}\ndocument.addEventListener('DOMContentLoaded', "
        "function () { footprintSortTables(); footprintFilterProducts(); });</script>",
        "</head><body class=\"many\">" if len(products) > MANY_PRODUCTS else "</head><body>",
        "<header>",
        f"<h1>{e(title)}</h1>",
        _meta(assessment),
        "<nav>" + "".join(f'<a href="#{a}">{e(label)}</a>' for a, label in nav) + "</nav>",
        "</header><main>",
    ]
    portfolio = portfolio_spec(assessment)
    if portfolio is not None:
        parts += [
            '<section id="portfolio"><h2>Portfolio</h2>',
            *([FILTER_INPUT] if len(products) > MANY_PRODUCTS else []),
            _products_table(products),
            _figure(portfolio, next(ids)),
            "</section>",
        ]
    for i, product in enumerate(products, 1):
        parts.append(_product_section(product, f"product-{i}", ids))
    spread = uncertainty_spec(assessment)
    if spread is not None:  # Monte Carlo results (--iterations)
        parts += ['<section id="uncertainty"><h2>Uncertainty</h2>', _figure(spread, next(ids)),
                  uncertainty_table(assessment), "</section>"]
    if assessment.sourcing is not None:
        parts += [
            '<section id="portfolio-sourcing"><h2>Portfolio sourcing</h2>',
            *_sourcing(assessment.sourcing, next(ids)),
            "</section>",
        ]
    parts += [
        _data_sources(assessment),
        _warnings(assessment),
        "</main>",
        f"<footer>Generated by footprint {e(assessment.tool_version)} on "
        f"{e(assessment.created.isoformat(sep=' ', timespec='seconds'))}. "
        "The Excel workbook of the same assessment holds every figure to full precision."
        "</footer>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _meta(assessment: Assessment) -> str:
    method = assessment.method
    items = [
        f"Method: {e(method.name)} ({e(method.unit)} per functional unit)",
        f"created {e(assessment.created.isoformat(sep=' ', timespec='seconds'))}",
        f"footprint {e(assessment.tool_version)}",
    ]
    if assessment.brightway_project:
        items.append(f"Brightway project {e(assessment.brightway_project)}")
    if assessment.rule_sets:
        items.append(f"rule sets {e(', '.join(assessment.rule_sets))}")
    if assessment.as_of:
        items.append(f"rules as of {e(assessment.as_of.isoformat())}")
    return f'<p class="meta">{" · ".join(items)}</p>'


def _figure(fig: go.Figure | Spec, div_id: str) -> str:
    return figure_html(fig, div_id)


@lru_cache(maxsize=64)
def _status(status: str) -> str:
    return f'<span class="status {e(status.replace(" ", "-"))}">{e(status)}</span>'


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int], cls: str = ""
) -> str:
    """An HTML table (of class ``cls``); cells are already escaped or formatted by the caller."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    row_format = _row_format(len(headers), frozenset(numeric))
    body = "".join([row_format.format(*row) for row in rows])
    attrs = f' class="{e(cls)}"' if cls else ""
    table = f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>'  # scrolls by itself on a narrow screen


@lru_cache(maxsize=64)
def _row_format(columns: int, numeric: frozenset[int]) -> str:
    """A table row's template, ``str.format`` fills it with the row's cells (a cell holding
    braces is a value, not part of the template)."""
    cells = "".join(
        '<td class="num">{}</td>' if j in numeric else "<td>{}</td>" for j in range(columns)
    )
    return f"<tr>{cells}</tr>"


def _products_table(products: Sequence[ProductResult]) -> str:
    rows = [
        [
            f'<a href="#product-{i}">{e(p.id)}</a>',
            e(p.name),
            e(p.functional_unit),
            num(p.climate_change.total),
            e(p.climate_change.unit),
            share(p.circularity.recycled_content.share if p.circularity else None),
            _status(compliance_status(p)),
        ]
        for i, p in enumerate(products, 1)
    ]
    headers = [
        "Product",
        "Name",
        "Functional unit",
        "Climate change per FU",
        "Unit",
        "Recycled content",
        "Compliance",
    ]
    return _table(headers, rows, numeric={3, 5})


def _product_section(product: ProductResult, anchor: str, ids: Iterable[str]) -> str:
    id_iter = iter(ids)
    if not isinstance(product.lines, list):  # lines held as columns build their objects on
        product = product.model_copy(update={"lines": list(product.lines)})  # each pass: once
    circ = product.circularity
    facts = [
        ("Climate change", f"{num(product.climate_change.total)} {e(product.climate_change.unit)}"),
        ("Split", e(split_text(product.climate_change)) or "–"),
        (
            "GWP basis",
            e(basis_text(product) or "–")
            + (" <small>(not all EF 3.1)</small>" if not_all_ef31(product) else ""),
        ),
        ("Functional unit", e(product.functional_unit or "1 product")),
        ("Recycled content", share(circ.recycled_content.share if circ else None) or "–"),
        ("MCI", num(circ.mci.mci, ".3f") if circ and circ.mci else "–"),
        (
            "Compliance",
            _status(compliance_status(product))
            + (f" <small>{e(check_counts(product))}</small>" if product.checks else ""),
        ),
        (
            "Data quality (DQR)",
            (
                f"{num(product.data_quality.dqr, '.2f')} {e(product.data_quality.level)}"
                if product.data_quality and product.data_quality.dqr is not None
                else "–"
            ),
        ),
    ]
    figures = [
        fig
        for fig in (
            stage_spec(product),
            bom_spec(product),
            material_spec(product),
            cff_spec(product),
            recycled_content_spec(product),
        )
        if fig is not None
    ]
    parts = [
        f'<section id="{e(anchor)}" class="product">',
        f"<h2>{e(product_label(product))}</h2>",
        '<div class="facts">'
        + "".join(
            f'<div class="fact"><div class="label">{e(label)}</div>'
            f'<div class="value">{value}</div></div>'
            for label, value in facts
        )
        + "</div>",
        '<div class="charts">' + "".join(_figure(f, next(id_iter)) for f in figures) + "</div>",
        *_impacts(product, f"{anchor}-impacts", next(id_iter)),
        "<h3>Compliance</h3>",
        _compliance(product.checks),
        *(_sourcing(product.sourcing, next(id_iter)) if product.sourcing else []),
        "<h3>Largest contributions</h3>",
        _top_lines_table(product),
        "</section>",
    ]
    return "\n".join(parts)


CFF_LINES_NOTE = (
    "End-of-life model: Circular Footprint Formula. A material line's figure is its CFF figure, "
    "which includes its end of life (recycling credit, energy recovery, disposal), and an "
    "end-of-life line the CFF replaces counts 0, so the lines add up to the product total. The "
    "stage chart shows those end-of-life parts under End of life, so lines summed by their "
    "stage differ from the stage chart by exactly those parts."
)


def _sourcing(sourcing: SourcingResult, div_id: str) -> list[str]:
    figure = origin_spec(sourcing)
    chart = _figure(figure, div_id) if figure is not None else ""
    return ["<h3>Sourcing</h3>", sourcing_section(sourcing, chart)]


def _impacts(product: ProductResult, anchor: str, div_id: str) -> list[str]:
    """The EF 3.1 profile (chart, single score, indicators, most relevant), if computed."""
    if product.impacts is None:
        return []
    figure = profile_spec(product)
    chart = _figure(figure, div_id) if figure is not None else ""
    return [f'<h3 id="{e(anchor)}">EF 3.1 profile</h3>', impacts_section(product, chart)]


def _top_lines_table(product: ProductResult) -> str:
    """The largest contributions; under the CFF with each line's cut-off figure and a note."""
    cff = product.eol_model == "cff"
    headers = [
        "Line",
        "Name",
        "Dataset",
        "Quantity",
        "Unit",
        "Stage",
        f"{product.climate_change.unit} per FU",
        "Share",
        *(["Cut-off figure", "Note"] if cff else []),
    ]
    rows = (
        [
            e(line.path),
            e(line.name),
            e(line.dataset_name or line.dataset),
            num(line.quantity),
            e(line.unit),
            e(line.stage.value),
            num(line.climate_change.total),
            share(line.share),
            *(
                [num((line.climate_change_cut_off or line.climate_change).total), e(line.note)]
                if cff
                else []
            ),
        ]
        for line in top_lines(product, 15)
    )
    table = _table(headers, rows, numeric={3, 6, 7, 8})
    return f'<p class="note">{e(CFF_LINES_NOTE)}</p>{table}' if cff else table


def _compliance(checks: list[Check]) -> str:
    """Checks that apply first (failures on top); those that do not apply folded away."""
    if not checks:
        return "<p>No rules applied.</p>"
    applicable = [c for c in sorted_checks(checks) if c.status != "not applicable"]
    others = [c for c in checks if c.status == "not applicable"]
    if applicable:
        parts = [_checks_table(applicable)]
    else:
        parts = [f"<p>{e(NOT_COVERED.capitalize())}.</p>"]
    if others:
        parts.append(
            f"<details><summary>{len(others)} rules do not apply</summary>"
            f"{_checks_table(others)}</details>"
        )
    return "".join(parts)


def _checks_table(checks: Sequence[Check]) -> str:
    def value(figure: float | None, as_share: bool) -> str:
        return share(figure) if as_share else num(figure)

    rows = []
    for c in checks:
        as_share = is_share(c.unit)
        rows.append(
            [
                _rule_cell(c.title, c.rule_set, c.rule),
                _status(c.status),
                value(c.value, as_share),
                value(c.limit, as_share),
                "" if as_share else e(c.unit),
                value(c.margin, as_share),
                _source_cell(c.source.regulation, c.source.article),
                e(c.explanation)
                + "".join(
                    f"<br><small>driver: {e(d.path)} {num(d.value)} {e(d.unit)}"
                    f"{(' — ' + e(d.note)) if d.note else ''}</small>"
                    for d in c.drivers
                ),
            ]
        )
    headers = ["Rule", "Status", "Value", "Limit", "Unit", "Margin", "Source", "Explanation"]
    return _table(headers, rows, numeric={2, 3, 5})


@lru_cache(maxsize=1 << 12)
def _rule_cell(title: str, rule_set: str, rule: str) -> str:
    """A check's rule cell, made once per rule: thousands of products share a few rules."""
    return e(title) + f"<br><small>{e(rule_set)} / {e(rule)}</small>"


@lru_cache(maxsize=1 << 12)
def _source_cell(regulation: str | None, article: str | None) -> str:
    return e(" ".join(filter(None, (regulation, article))))


def _data_sources(assessment: Assessment) -> str:
    anchors = _dataset_anchors(assessment)
    rows = [
        [
            f'<span id="{anchors[d.id]}">{e(d.id)}</span>',
            e(d.name),
            e(d.unit),
            num(d.unit_score.total if d.unit_score else None, ".10g"),
            e(d.source),
            e(d.source_row),
            e(d.license),
            _web_link(d.url),
            e(d.year),
            e(d.geography),
            num(d.dqr, ".2f"),
            e(d.gwp_basis),
            e(d.notes),
        ]
        for d in assessment.datasets
    ]
    headers = [
        "Dataset", "Name", "Unit", "Factor per unit (kg CO2-eq, with its inputs)", "Source",
        "Table / row in source", "Licence", "URL", "Year", "Geography", "DQR", "GWP basis",
        "Notes",
    ]  # fmt: skip
    body = _table(headers, rows, numeric={3, 8, 10}) if rows else "<p>No datasets listed.</p>"
    return f'<section id="data-sources"><h2>Data sources</h2>{body}</section>'


def _dataset_anchors(assessment: Assessment) -> dict[str, str]:
    """Dataset id → the HTML id of its row in the data-sources table (ids may hold spaces)."""
    return {d.id: f"dataset-{n}" for n, d in enumerate(assessment.datasets, start=1)}


def _web_link(url: str | None) -> str:
    """A source URL as a link when it is a web address (a user's file may hold anything)."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return f'<a href="{e(url.strip())}" rel="noopener noreferrer">{e(url)}</a>'
    return e(url)


def _warnings(assessment: Assessment) -> str:
    rows = [
        [e(w.product), e(w.message), e(w.file), e(w.sheet), e(w.row), e(w.column)]
        for w in assessment.warnings
    ]
    headers = ["Product", "Warning", "File", "Sheet", "Row", "Column"]
    body = _table(headers, rows, numeric={4}) if rows else "<p>No warnings.</p>"
    return f'<section id="warnings"><h2>Warnings</h2>{body}</section>'
