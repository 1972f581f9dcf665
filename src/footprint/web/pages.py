"""The HTML pages, built as plain strings: every user-supplied text goes through ``esc``.

Pages carry no inline script (the Content-Security-Policy forbids it): charts travel as
JSON in ``<script type="application/json">`` blocks that ``/static/app.js`` draws with the
locally served plotly.js.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from footprint import __version__
from footprint.errors import Problem
from footprint.model import STAGES, Assessment, Check, ProductResult
from footprint.report.summary import STATUS_ORDER, is_share, no_verdict_note, sorted_checks

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from footprint.compliance.rules import RuleSet

TOP_LINES = 10


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def number(value: float | None, unit: str | None = None) -> str:
    """A figure an engineer reads at a glance: about four significant digits."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    size = abs(value)
    if size == 0:
        text = "0"
    elif size >= 1000:
        text = f"{value:,.0f}"
    elif size >= 10:
        text = f"{value:,.1f}"
    elif size >= 0.01:
        text = f"{value:.3f}"
    else:
        text = f"{value:.2e}"
    return f"{text} {esc(unit)}" if unit else text


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def page(title: str, body: str, head: str = "") -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<title>{esc(title)} · footprint</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css">
<script src="/static/plotly.min.js" defer></script>
<script src="/static/app.js" defer></script>
<script src="/static/sortable.js" defer></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/">footprint</a>
  <span class="tagline">PEF climate footprint, circularity and compliance of a bill of
  materials</span>
  <nav><a href="/compare">Compare BOMs</a>
  <a href="/template/bom-template.xlsx">BOM template</a><a href="/docs">API</a></nav>
</header>
<main>
{body}
</main>
<footer>footprint {esc(__version__)} · EF 3.1 climate change · results are kept for a limited
time and are reachable only through their own link</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# The upload form
# --------------------------------------------------------------------------------------------


def upload_page(
    rule_sets: Sequence[RuleSet],
    *,
    max_upload_text: str,
    problems: Sequence[Problem] = (),
    headline: str | None = None,
    chosen_rules: Iterable[str] = (),
    as_of: str = "",
    ready: bool = True,
    indicators: str = "climate",
    hotspots: bool = False,
) -> str:
    chosen = set(chosen_rules)
    boxes = "\n".join(
        f"""<label class="rule" title="{esc(r.description or "")}"><input type="checkbox"
name="rules" value="{esc(r.name)}"{" checked" if r.name in chosen else ""}><span>
<strong>{esc(r.title)}</strong><small>{esc(first_sentence(r.description or r.name))}</small>
</span></label>"""
        for r in rule_sets
    )
    if not rule_sets:
        boxes = '<p class="muted">No rule sets are available on this server.</p>'
    notice = (
        ""
        if ready
        else '<p class="notice">The calculation engine is still starting; try again shortly.</p>'
    )
    return page(
        "Assess a bill of materials",
        f"""<div class="upload-layout"><section class="card upload">
<h1>Assess a bill of materials</h1>
<p class="lead">Upload a BOM workbook (.xlsx) or a CSV file. You get the EF 3.1 climate
footprint per product, split by life-cycle stage and by BOM line, circularity figures and
the checks of the rule sets you choose — on screen and as an Excel workbook.
Start from the <a href="/template/bom-template.xlsx">BOM template</a>.</p>
{notice}
{problems_block(problems, headline)}
<form id="assess-form" method="post" action="/" enctype="multipart/form-data">
  <div class="field">
    <label for="file">Bill of materials <span class="req">required</span></label>
    <input id="file" name="file" type="file" accept=".xlsx,.csv" required>
    <small>.xlsx or .csv, up to {esc(max_upload_text)}</small>
  </div>
  <div class="field">
    <label for="datasets">Your own datasets <span class="opt">optional</span></label>
    <input id="datasets" name="datasets" type="file" accept=".xlsx,.csv">
    <small>Emission factors your BOM refers to by id, in the shape of the shipped library</small>
  </div>
  <div class="field">
    <label for="suppliers">Supplier register <span class="opt">optional</span></label>
    <input id="suppliers" name="suppliers" type="file" accept=".xlsx,.csv">
    <small>Adds the sourcing picture: origin, concentration, certificates, supplier
    scorecards (<a href="/template/supplier-template.xlsx">register template</a>)</small>
  </div>
  <div class="field">
    <label for="approved_smelters">Approved smelters <span class="opt">optional</span></label>
    <input id="approved_smelters" name="approved_smelters" type="file" accept=".csv">
    <small>A .csv of your approved smelter ids, one a row (footprint ships none)</small>
  </div>
  <div class="field">
    <label for="high_risk_countries">High-risk countries <span class="opt">optional</span></label>
    <input id="high_risk_countries" name="high_risk_countries" type="file" accept=".csv">
    <small>A .csv of ISO country codes, one a row (footprint ships none)</small>
  </div>
  <fieldset class="field">
    <legend>Rule sets to check</legend>
    <p id="rules-hint" class="muted" aria-live="polite" hidden></p>
    <div class="rules">{boxes}</div>
  </fieldset>
  <div class="field">
    <label for="as_of">Assess as of <span class="opt">optional</span></label>
    <input id="as_of" name="as_of" type="date" value="{esc(as_of)}">
    <small>Which phase of a regulation applies when a product has no placed-on-market date
    (default: today)</small>
  </div>
{indicator_fields(indicators, hotspots)}
  <button type="submit" id="assess-button">Assess</button>
  <span class="busy" id="busy" hidden>Assessing…</span>
  {progress_block(None)}
</form>
</section>
{bom_help()}
</div>""",
    )


def progress_block(status: dict[str, object] | None) -> str:
    """The progress bar of a job: hidden on the form until ``/static/app.js`` starts a job;
    shown with the job's own figures on its page (``status``: ``Job.status()``)."""
    if status is None:
        fraction, message, hidden, job = 0.0, "Uploading…", " hidden", ""
    else:
        fraction = float(status["fraction"])  # type: ignore[arg-type]
        message, hidden = str(status["message"]), ""
        job = f' data-job="{esc(status["id"])}"'
    return f"""<div class="progress" id="progress"{hidden}{job}>
<progress id="progress-bar" max="1" value="{fraction:.4f}">{fraction * 100:.0f} %</progress>
<p id="progress-text" aria-live="polite">{esc(message)}</p>
</div>"""


def job_page(status: dict[str, object]) -> str:
    """A running job: its progress, refreshed by the script (or, without it, every 2 s)."""
    name = status.get("bom_name") or "your BOM"
    return page(
        f"Assessing {name}",
        f"""<section class="card upload"><h1>Assessing {esc(name)}</h1>
<p class="muted">The result appears here when it is ready.</p>
{progress_block(status)}</section>""",
        head='\n<noscript><meta http-equiv="refresh" content="2"></noscript>',
    )


INDICATOR_CHOICES = (
    ("climate", "Climate change (EF 3.1)"),
    ("ef31", "EF 3.1 profile: 16 impact categories and the single score"),
    ("ef31+ced", "EF 3.1 profile and cumulative energy demand"),
)


def indicator_fields(chosen: str, hotspots: bool) -> str:
    """The indicator selector and the hotspots box of the upload form."""
    options = "".join(
        f'<option value="{esc(value)}"{" selected" if value == chosen else ""}>{esc(label)}'
        "</option>"
        for value, label in INDICATOR_CHOICES
    )
    return f"""  <div class="field">
    <label for="indicators">Indicators</label>
    <select id="indicators" name="indicators">{options}</select>
    <small>The shipped datasets characterise climate change (and the energy demand of 64
    metals) only: other categories then show "not covered" and the single score "partial".
    A Brightway background (ecoinvent, EF datasets) covers every category.</small>
  </div>
  <div class="field">
    <label class="rule"><input type="checkbox" id="hotspots" name="hotspots"
value="1"{" checked" if hotspots else ""}><span><strong>PEF most relevant</strong><small>the
categories, life-cycle stages, processes and elementary flows that make up 80 %
(one more solve per assessment)</small></span></label>
  </div>"""


def first_sentence(text: str, limit: int = 150) -> str:
    """The gist of a description for a checkbox label (the whole text is its tooltip)."""
    # a full stop after 40 characters ends the first sentence ("Art. 8" does not)
    stop = next((m.start() for m in re.finditer(r"\.\s", text) if m.start() >= 40), len(text))
    sentence = text[:stop].rstrip(".")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


BOM_COLUMNS = (
    ("product", "product id, when the file holds several products"),
    ("id", "line id, unique within its product"),
    ("parent", "id of the assembly the line belongs to"),
    ("quantity", 'a number, or "12 g" with its unit'),
    ("unit", "g, kg, piece, kWh, t*km, m2 …"),
    ("dataset", "id from the dataset library or your file"),
    ("stage", "raw materials, manufacturing, distribution, use, end of life"),
)


def bom_help() -> str:
    rows = "".join(f"<dt>{esc(name)}</dt><dd>{esc(text)}</dd>" for name, text in BOM_COLUMNS)
    return f"""<aside class="card help">
<h2>What the BOM needs</h2>
<p class="muted">One row per BOM line on a sheet named <code>BOM</code> (or one CSV).
Optional sheet <code>Products</code>: name, functional unit, category, placed-on-market date.</p>
<dl>{rows}</dl>
<p><a href="/template/bom-template.xlsx">Download the template</a> ·
<a href="/api/datasets">dataset library (JSON)</a></p>
</aside>"""


def problems_block(problems: Sequence[Problem], headline: str | None) -> str:
    if not problems and not headline:
        return ""
    rows = "\n".join(
        f"<tr><td>{esc(p.file)}</td><td>{esc(p.sheet)}</td><td>{esc(p.row)}</td>"
        f"<td>{esc(p.column)}</td><td>{esc(p.message)}</td></tr>"
        for p in problems
    )
    table = (
        f"""<table class="problems"><thead><tr><th>File</th><th>Sheet</th><th>Row</th>
<th>Column</th><th>What to fix</th></tr></thead><tbody>{rows}</tbody></table>"""
        if problems
        else ""
    )
    return f"""<div class="errors" id="errors" role="alert">
<h2>{esc(headline or "The upload could not be assessed")}</h2>
{table}
</div>"""


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


def result_page(
    assessment: Assessment,
    figures: dict[str, go.Figure],
    *,
    result_id: str,
    bom_name: str,
) -> str:
    base = f"/results/{esc(result_id)}"
    meta = [f"method {esc(assessment.method.name)}"]
    if assessment.as_of:
        meta.append(f"as of {esc(assessment.as_of.isoformat())}")
    if assessment.rule_sets:
        meta.append(f"rule sets {esc(', '.join(assessment.rule_sets))}")
    body = f"""<section class="card result-head">
<div>
<h1>Footprint of {esc(bom_name)}</h1>
<p class="muted">{count(len(assessment.products), "product")} · {" · ".join(meta)}</p>
</div>
<div class="downloads">
<a class="button" id="download-xlsx" href="{base}/footprint.xlsx"
 download="{esc(download_name(bom_name, "xlsx"))}">Excel workbook</a>
<a class="button secondary" href="{base}/footprint.json"
 download="{esc(download_name(bom_name, "json"))}">JSON</a>
<a class="button secondary" href="{base}/footprint-report.html"
 download="{esc(download_name(bom_name, "html"))}">HTML report</a>
<a class="button ghost" href="/">Assess another BOM</a>
</div>
</section>
{rules_notice(assessment)}
{summary_table(assessment.products)}
{figures_block(figures)}
{"".join(product_details(p, i) for i, p in enumerate(assessment.products))}
{warnings_block(assessment)}
{datasets_block(assessment)}"""
    return page(f"Footprint of {bom_name}", body)


DOWNLOAD_SUFFIXES = {"xlsx": "-footprint.xlsx", "json": "-footprint.json", "html": "-report.html"}


def rules_notice(assessment: Assessment) -> str:
    """No rule set chosen: say so, and name the shipped rule sets for the products' categories
    (a missing check is never shown as compliant)."""
    if assessment.rule_sets:
        return ""
    from footprint.compliance import list_rule_sets
    from footprint.compliance.categories import rule_set_categories

    categories = {p.category for p in assessment.products if p.category}
    fitting = [r.name for r in list_rule_sets() if rule_set_categories(r) & categories]
    hint = (
        f"For the categories of these products ({', '.join(sorted(categories))}) the rule sets "
        f"{', '.join(fitting)} apply: assess again with them ticked."
        if fitting
        else "No shipped rule set covers these products' categories."
    )
    return (
        '<section class="card"><p class="notice" id="no-rules">No rule set was chosen, so '
        f"nothing was checked. {esc(hint)}</p></section>"
    )


def download_name(bom_name: str, kind: str) -> str:
    """A download named after the BOM it came from: pack.xlsx → pack-footprint.xlsx."""
    stem = re.sub(r"\.(xlsx|xlsm|csv|tsv|txt)$", "", bom_name.rsplit("/", 1)[-1], flags=re.I)
    stem = re.sub(r'[\x00-\x1f"\\/:*?<>|]+', "_", stem).strip(" .") or "footprint"
    return stem[:100] + DOWNLOAD_SUFFIXES[kind]


def summary_table(products: Sequence[ProductResult]) -> str:
    unit = products[0].climate_change.unit if products else "kg CO2-eq"
    head = "".join(f"<th>{esc(str(stage).capitalize())}</th>" for stage in STAGES)
    rows = []
    for p in products:
        stages = "".join(f"<td class='num'>{number(p.by_stage[s].total)}</td>" for s in STAGES)
        circ = p.circularity
        recycled = circ.recycled_content.share if circ else None
        mci = circ.mci.mci if circ and circ.mci else None
        rows.append(
            f"""<tr><th scope="row">{esc(p.name or p.id)}
<small>{esc(p.functional_unit or "")}</small></th>
<td class="num total">{number(p.climate_change.total)}</td>{stages}
<td class="num">{number(p.mass_kg)}</td><td class="num">{percent(recycled)}</td>
<td class="num">{number(mci)}</td><td>{checks_summary(p.checks)}</td></tr>"""
        )
    return f"""<section class="card">
<h2>Summary</h2>
<div class="scroll"><table class="summary" id="summary">
<thead><tr><th>Product</th><th>Climate change<small>{esc(unit)} per functional unit</small></th>
{head}<th>Mass<small>kg</small></th><th>Recycled content</th><th>MCI</th><th>Checks</th>
</tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</section>"""


def checks_summary(checks: Sequence[Check]) -> str:
    if not checks:
        return '<span class="muted">none chosen</span>'
    counts: dict[str, int] = {}
    for check in checks:
        counts[check.status] = counts.get(check.status, 0) + 1
    badges = " ".join(
        f'<span class="badge {status_class(status)}">{counts[status]} {esc(status)}</span>'
        for status in STATUS_ORDER
        if counts.get(status)
    )
    note = no_verdict_note(checks)  # neutral: never read as a pass
    if note:
        badges += f' <span class="muted">{esc(note)}</span>'
    return badges


def status_class(status: str) -> str:
    return {
        "pass": "pass",
        "fail": "fail",
        "not applicable": "na",
        "insufficient data": "warn",
        "declared": "declared",
        "indicator": "indicator",
    }.get(status, "na")


def figure_json(figure: go.Figure) -> str:
    """Plotly JSON safe inside a script element (no "</script>" can close it early)."""
    import plotly.io as pio

    from footprint.report.figures import figure_dict

    text = str(pio.to_json(figure_dict(figure), validate=False))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


FIGURE_KINDS = {
    "stages": "by life-cycle stage",
    "bom": "by BOM line",
    "materials": "by material",
    "cff": "Circular Footprint Formula",
    "recycled_content": "recycled content",
    "compliance": "checks",
}


def caption(name: str) -> str:
    """ "pack/bom" → "pack: by BOM line"; "portfolio" stays."""
    product, _, kind = name.rpartition("/")
    return f"{product}: {FIGURE_KINDS.get(kind, kind)}" if product else name.capitalize()


def figures_block(figures: dict[str, go.Figure]) -> str:
    # tables read better as HTML (the checks are below): keep the charts only
    charts = {
        name: fig
        for name, fig in figures.items()
        if not fig.data or any(trace.type != "table" for trace in fig.data)
    }
    if not charts:
        return ""
    blocks = "\n".join(
        f"""<figure class="chart"><div class="plot" id="figure-{i}"></div>
<script type="application/json" data-figure="figure-{i}">{figure_json(fig)}</script>
<figcaption>{esc(caption(name))}</figcaption></figure>"""
        for i, (name, fig) in enumerate(charts.items())
    )
    return f"""<section class="card"><h2>Charts</h2><div class="charts">{blocks}</div></section>"""


def product_details(p: ProductResult, index: int = 0) -> str:
    return f"""<section class="card product">
<h2>{esc(p.name or p.id)}</h2>
{checks_table(p.checks)}
{sourcing_block(p, index)}
{impacts_block(p, index)}
{lines_table(p)}
</section>"""


def sourcing_block(p: ProductResult, index: int) -> str:
    """The product's sourcing section (origin chart, concentration, scorecards), if computed."""
    if p.sourcing is None:
        return ""
    from footprint.report.sourcing import SOURCING_STYLE, origin_figure, sourcing_section

    chart = chart_block(origin_figure(p.sourcing), f"sourcing-figure-{index}")
    return (
        f'<style>{SOURCING_STYLE}</style><h3 id="sourcing-{index}">Sourcing</h3>'
        + sourcing_section(p.sourcing, chart)
    )


def chart_block(figure: go.Figure | None, div_id: str) -> str:
    """A chart of a product section, drawn by app.js from its JSON ("" without a figure)."""
    if figure is None:
        return ""
    return f"""<figure class="chart"><div class="plot" id="{div_id}"></div>
<script type="application/json" data-figure="{div_id}">{figure_json(figure)}</script>
</figure>"""


def impacts_block(p: ProductResult, index: int) -> str:
    """The product's EF 3.1 profile (chart, single score, most relevant), if computed."""
    if p.impacts is None:
        return ""
    from footprint.report.impact_report import IMPACTS_STYLE, impacts_section, profile_figure

    chart = chart_block(profile_figure(p), f"impacts-figure-{index}")
    return (
        f'<style>{IMPACTS_STYLE}</style><h3 id="impacts-{index}">EF 3.1 profile</h3>'
        + impacts_section(p, chart)
    )


def checks_table(checks: Sequence[Check]) -> str:
    """Failures first, then missing data, then passes; rules that do not apply folded away."""
    if not checks:
        return ""
    ordered = sorted_checks(list(checks))
    applying = [c for c in ordered if c.status != "not applicable"]
    others = [c for c in ordered if c.status == "not applicable"]
    parts = ["<h3>Checks</h3>"]
    if applying:
        parts.append(_checks_rows(applying))
    else:
        parts.append('<p class="muted">No rule applies to this product.</p>')
    if others:
        parts.append(
            f"<details><summary>{count(len(others), 'rule')} that do not apply</summary>"
            f"{_checks_rows(others)}</details>"
        )
    return "".join(parts)


def _figure_of(check: Check, value: float | None) -> str:
    return percent(value) if is_share(check.unit) else number(value)


def _unit_of(check: Check) -> str:
    return "" if is_share(check.unit) else esc(check.unit or "")


def _checks_rows(checks: Sequence[Check]) -> str:
    rows = "\n".join(
        f"""<tr class="{status_class(c.status)}"><td><span class="badge {status_class(c.status)}">
{esc(c.status)}</span></td><td>{esc(c.title)}<small>{esc(c.rule_set)} · {esc(c.source.regulation)}
{esc(c.source.article or "")}</small></td><td class="num">{_figure_of(c, c.value)}</td>
<td class="num">{_figure_of(c, c.limit)}</td><td>{_unit_of(c)}</td>
<td class="num">{_figure_of(c, c.margin)}</td><td>{esc(c.explanation)}</td></tr>"""
        for c in checks
    )
    return f"""<div class="scroll"><table class="checks">
<thead><tr><th>Status</th><th>Rule</th><th>Value</th><th>Limit</th><th>Unit</th><th>Margin</th>
<th>Why</th></tr></thead><tbody>{rows}</tbody></table></div>"""


def lines_table(p: ProductResult) -> str:
    leaves = [line for line in p.lines if line.dataset]
    top = sorted(leaves, key=lambda line: abs(line.climate_change.total), reverse=True)[:TOP_LINES]
    if not top:
        return ""
    rows = "\n".join(
        f"""<tr><td>{esc(line.path)}<small>{esc(line.name or "")}</small></td>
<td>{esc(line.dataset_name or line.dataset)}</td><td>{esc(str(line.stage))}</td>
<td class="num">{number(line.quantity)} {esc(line.unit)}</td>
<td class="num">{number(line.climate_change.total)}</td>
<td class="num">{percent(line.share)}</td></tr>"""
        for line in top
    )
    return f"""<h3>Largest contributions</h3><div class="scroll"><table class="lines">
<thead><tr><th>BOM line</th><th>Dataset</th><th>Stage</th><th>Quantity per product</th>
<th>{esc(p.climate_change.unit)}</th><th>Share</th></tr></thead><tbody>{rows}</tbody></table></div>"""


def warnings_block(assessment: Assessment) -> str:
    if not assessment.warnings:
        return ""
    items = "\n".join(
        f"<li><span class='where'>{esc(where(w.file, w.sheet, w.row, w.column, w.product))}</span>"
        f"{esc(w.message)}</li>"
        for w in assessment.warnings
    )
    return f"""<section class="card warnings"><h2>Warnings</h2><ul>{items}</ul></section>"""


def where(*parts: object) -> str:
    labels = ("", "sheet ", "row ", "column ", "product ")
    text = ", ".join(f"{label}{part}" for label, part in zip(labels, parts, strict=True) if part)
    return f"{text}: " if text else ""


def datasets_block(assessment: Assessment) -> str:
    if not assessment.datasets:
        return ""
    rows = "\n".join(
        f"<tr><td>{esc(d.id)}</td><td>{esc(d.name)}</td><td>{esc(d.unit)}</td>"
        f"<td>{esc(d.source or '')}</td><td>{esc(d.license or '')}</td>"
        f"<td>{esc(d.year or '')}</td></tr>"
        for d in assessment.datasets
    )
    return f"""<section class="card"><details><summary>Datasets used
({len(assessment.datasets)})</summary><div class="scroll"><table class="datasets"><thead><tr>
<th>Id</th><th>Name</th><th>Unit</th><th>Source</th><th>Licence</th><th>Year</th></tr></thead>
<tbody>{rows}</tbody></table></div></details></section>"""


def not_found_page() -> str:
    return page(
        "Result not found",
        """<section class="card"><h1>This result is not available</h1>
<p>Results are kept for a limited time only. <a href="/">Assess a BOM again</a>.</p></section>""",
    )
