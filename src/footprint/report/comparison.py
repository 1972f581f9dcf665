"""Reports of a ``Comparison``: the workbook and the offline HTML report.

Workbook sheets: Comparison (per pair, base and alternative side by side with the deltas, the
lines that explain most of the difference and the checks that change), Line changes (every
line of every pair, tidy), Check changes (every check of every pair, tidy).  HTML: per pair the
same tables, a grouped bar chart per stage and a waterfall from the base to the alternative by
line.  Every figure is the comparison's own value.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from footprint.comparison import CheckChange, Comparison, LineDelta, ProductComparison, ValueDelta
from footprint.io import atomic_path, write_text_atomic
from footprint.model import STAGES
from footprint.report import _xlsx as x
from footprint.report._xlsx import Column, Value
from footprint.report.figure_embed import plotly_scripts
from footprint.report.figures import LAYOUT, STAGE_COLOURS, esc
from footprint.report.html import STYLE, _figure, _status, _table, e, num, share
from footprint.report.summary import STAGE_LABELS, is_share
from footprint.suggestions import SensitivityCase, Suggestions

SHEETS = ("Comparison", "Line changes", "Check changes")
TOP_LINES = 10
WATERFALL_LINES = 12


def _title(pair: ProductComparison) -> str:
    return f"{pair.base.label} · {pair.base.id} → {pair.alternative.label} · {pair.alternative.id}"


def _fu(pair: ProductComparison) -> str:
    return pair.base.functional_unit or "1 product"


def _figures(pair: ProductComparison) -> list[tuple[str, str, ValueDelta, str]]:
    """(figure, unit, before/after/delta, number format) for the side-by-side table."""
    from footprint.comparison import value_delta

    cc = pair.climate_change
    per_fu = f"{(cc.before or cc.after or cc.delta).unit} per FU"

    def climate(before: object, after: object, field: str) -> ValueDelta:
        return value_delta(
            getattr(before, field) if before is not None else None,
            getattr(after, field) if after is not None else None,
        )

    rows = [("Climate change", per_fu, climate(cc.before, cc.after, "total"), x.KG_CO2)]
    for stage in STAGES:
        d = pair.by_stage[stage]
        rows.append(
            (f"  {STAGE_LABELS[stage]}", per_fu, climate(d.before, d.after, "total"), x.KG_CO2)
        )
    for field, label in (
        ("fossil", "Fossil"),
        ("biogenic", "Biogenic"),
        ("luluc", "Land use change"),
        ("not_split", "Not split"),
    ):
        rows.append((f"  {label}", per_fu, climate(cc.before, cc.after, field), x.KG_CO2))
    circ = pair.circularity
    rows += [
        ("Mass of one product", "kg", pair.mass_kg, x.MASS),
        ("Recycled content", "share of mass", circ.recycled_share, x.SHARE),
        ("  post-consumer", "share of mass", circ.post_consumer_share, x.SHARE),
        *(
            (f"  recycled {element}", "share of element", d, x.SHARE)
            for element, d in circ.by_element.items()
        ),
        ("Material Circularity Indicator", "0 … 1", circ.mci, x.INDEX),
        *((i.name, f"{i.unit} per FU", i.value, x.GENERAL) for i in pair.impacts),
    ]
    if pair.single_score is not None:
        rows.append(("EF 3.1 single score", "Pt per FU", pair.single_score, x.GENERAL))
    return rows


# --------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------


def write_comparison_workbook(comparison: Comparison, path: Path) -> Path:
    workbook = build_comparison_workbook(comparison)
    with atomic_path(Path(path)) as tmp:
        workbook.save(tmp)
    return Path(path)


def build_comparison_workbook(comparison: Comparison) -> Workbook:
    workbook = x.ReportWorkbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEETS[0]
    footer = f"footprint {comparison.tool_version}, {comparison.created:%Y-%m-%d %H:%M}"
    _comparison_sheet(sheet, comparison, footer)
    _line_sheet(workbook.create_sheet(SHEETS[1]), comparison, footer)
    _check_sheet(workbook.create_sheet(SHEETS[2]), comparison, footer)
    return workbook


def _comparison_sheet(ws: Worksheet, comparison: Comparison, footer: str) -> None:
    x.put(ws, 1, 1, "Comparison of products per functional unit").font = x.TITLE_FONT
    x.put(
        ws,
        2,
        1,
        f"Method: {comparison.method.name}; base: {comparison.base}; "
        f"alternatives: {', '.join(comparison.alternatives)}",
    )
    row = 4
    figure_columns = [
        Column("Figure", width=34),
        Column("Unit", width=20),
        Column("Base", x.GENERAL, width=16),
        Column("Alternative", x.GENERAL, width=16),
        Column("Difference", x.GENERAL, width=16),
        Column("Difference %", x.PERCENT_POINTS, width=13),
    ]
    for pair in comparison.pairs:
        x.put(ws, row, 1, _title(pair)).font = x.SECTION_FONT
        x.put(ws, row + 1, 1, f"Functional unit: {_fu(pair)}")
        row += 2
        for note in pair.notes:
            x.put(ws, row, 1, f"Note: {note}")
            row += 1
        figures = _figures(pair)
        rows: list[list[Value]] = [
            [label, unit, d.before, d.after, d.delta, d.percent] for label, unit, d, _ in figures
        ]
        formats = [{2: fmt, 3: fmt, 4: fmt} for *_, fmt in figures]
        row = x.write_table(ws, row, figure_columns, rows, row_formats=formats) + 2
        ranked = pair.ranked_lines(TOP_LINES)
        x.put(ws, row, 1, "Lines that explain most of the difference").font = x.LABEL_FONT
        row = x.write_table(ws, row + 1, _ranked_columns(), [_ranked_row(d) for d in ranked]) + 2
        changed = pair.changed_checks()
        x.put(ws, row, 1, "Checks whose status changes").font = x.LABEL_FONT
        if changed:
            row = x.write_table(ws, row + 1, _check_columns(), [_check_row(c) for c in changed])
        else:
            x.put(ws, row + 1, 1, "none" if pair.checks else "no rules applied")
            row += 1
        row += 3
    for item in comparison.unmatched:
        x.put(ws, row, 1, f"Only in {item.label} ({item.side}): product {item.id}")
        row += 1
    x.fit_columns(ws, figure_columns, [])
    x.print_setup(ws, footer=footer)


def _ranked_columns() -> list[Column]:
    return [
        Column("Rank", x.GENERAL),
        Column("Line path"),
        Column("Status"),
        Column("What changed"),
        Column("Difference (kg CO2-eq per FU)", x.KG_CO2),
        Column("Share of the difference", x.SHARE),
    ]


def _ranked_row(d: LineDelta) -> list[Value]:
    side = d.after or d.before
    assert side is not None
    return [
        d.rank,
        side.path,
        d.status,
        ", ".join(d.changed_fields),
        d.climate_change.delta.total,
        d.share_of_difference,
    ]


def _check_columns() -> list[Column]:
    return [
        Column("Rule set"),
        Column("Rule"),
        Column("Title", width=30, wrap=True),
        Column("Status before"),
        Column("Status after"),
        Column("Value before", x.GENERAL),
        Column("Value after", x.GENERAL),
        Column("Limit before", x.GENERAL),
        Column("Limit after", x.GENERAL),
        Column("Margin before", x.GENERAL),
        Column("Margin after", x.GENERAL),
        Column("Unit"),
    ]


def _check_row(c: CheckChange) -> list[Value]:
    return [
        c.rule_set,
        c.rule,
        c.title,
        c.status_before,
        c.status_after,
        c.value.before,
        c.value.after,
        c.limit.before,
        c.limit.after,
        c.margin.before,
        c.margin.after,
        c.unit,
    ]


def _line_sheet(ws: Worksheet, comparison: Comparison, footer: str) -> None:
    columns = [
        Column("Base"),
        Column("Alternative"),
        Column("Product"),
        Column("Line path"),
        Column("Status"),
        Column("Matched by"),
        Column("What changed"),
        Column("Dataset before"),
        Column("Dataset after"),
        Column("Quantity before", x.GENERAL),
        Column("Quantity after", x.GENERAL),
        Column("Unit"),
        Column("Recycled content before", x.SHARE),
        Column("Recycled content after", x.SHARE),
        Column("Country before"),
        Column("Country after"),
        Column("Climate change before (kg CO2-eq per FU)", x.KG_CO2),
        Column("Climate change after", x.KG_CO2),
        Column("Difference", x.KG_CO2),
        Column("Share of the difference", x.SHARE),
        Column("Rank", x.GENERAL),
    ]
    rows: list[list[Value]] = []
    for pair in comparison.pairs:
        for d in pair.lines:
            b, a = d.before, d.after
            side = a or b
            assert side is not None
            cc = d.climate_change
            rows.append(
                [
                    pair.base.label,
                    pair.alternative.label,
                    pair.base.id,
                    side.path,
                    d.status,
                    d.matched_by,
                    ", ".join(d.changed_fields),
                    b.dataset if b else None,
                    a.dataset if a else None,
                    b.quantity if b else None,
                    a.quantity if a else None,
                    side.unit,
                    b.recycled_content if b else None,
                    a.recycled_content if a else None,
                    b.country if b else None,
                    a.country if a else None,
                    cc.before.total if cc.before else None,
                    cc.after.total if cc.after else None,
                    cc.delta.total,
                    d.share_of_difference,
                    d.rank,
                ]
            )
    x.tidy_table(ws, columns, rows, footer)


def _check_sheet(ws: Worksheet, comparison: Comparison, footer: str) -> None:
    columns = [Column("Base"), Column("Alternative"), Column("Product"), *_check_columns()]
    rows = [
        [pair.base.label, pair.alternative.label, pair.base.id, *_check_row(c)]
        for pair in comparison.pairs
        for c in pair.checks
    ]
    x.tidy_table(ws, columns, rows, footer)


# --------------------------------------------------------------------------------------------
# Figures and HTML
# --------------------------------------------------------------------------------------------


def stage_comparison_figure(pair: ProductComparison) -> go.Figure:
    """Climate change per stage, base and alternative side by side (grouped bars)."""
    labels = [STAGE_LABELS[s] for s in STAGES]
    fig = go.Figure()
    for name, side, colour in (
        (pair.base.label, "before", "#A5A5A5"),
        (pair.alternative.label, "after", "#305496"),
    ):
        values = [
            getattr(pair.by_stage[s], side).total if getattr(pair.by_stage[s], side) else None
            for s in STAGES
        ]
        fig.add_bar(
            x=labels,
            y=values,
            name=esc(name),
            marker_color=colour,
            hovertemplate="%{x}<br>" + esc(name) + ": %{y:.4g}<extra></extra>",
        )
    fig.update_layout(
        **LAYOUT,
        barmode="group",
        title=f"{esc(pair.base.id)}: climate change per stage",
        yaxis_title="kg CO2-eq per FU",
    )
    return fig


def waterfall_figure(pair: ProductComparison, n: int = WATERFALL_LINES) -> go.Figure:
    """From the base total to the alternative's, step by step through the lines that changed
    most; the rest of the lines as one step."""
    cc = pair.climate_change
    ranked = pair.ranked_lines()
    shown = ranked[:n]
    rest = sum(d.climate_change.delta.total for d in ranked[n:])
    labels = [esc(pair.base.label)]
    values = [cc.before.total if cc.before else 0.0]
    measures = ["absolute"]
    for d in shown:
        side = d.after or d.before
        assert side is not None
        labels.append(esc(f"{side.path} ({d.status})"))
        values.append(d.climate_change.delta.total)
        measures.append("relative")
    if ranked[n:]:
        labels.append(f"{len(ranked) - n} other lines")
        values.append(rest)
        measures.append("relative")
    labels.append(esc(pair.alternative.label))
    values.append(0.0)
    measures.append("total")
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=values,
            measure=measures,
            decreasing={"marker": {"color": STAGE_COLOURS[STAGES[4]]}},
            increasing={"marker": {"color": "#C62828"}},
            totals={"marker": {"color": "#305496"}},
            hovertemplate="%{x}: %{y:.4g}<extra></extra>",
        )
    )
    fig.update_layout(
        **LAYOUT,
        title=f"{esc(pair.base.id)}: from {esc(pair.base.label)} to {esc(pair.alternative.label)}",
        yaxis_title="kg CO2-eq per FU",
        showlegend=False,
    )
    return fig


def comparison_figures(comparison: Comparison) -> dict[str, go.Figure]:
    figures: dict[str, go.Figure] = {}
    for k, pair in enumerate(comparison.pairs, 1):
        figures[f"pair-{k}/stages"] = stage_comparison_figure(pair)
        figures[f"pair-{k}/waterfall"] = waterfall_figure(pair)
    return figures


def write_comparison_html(comparison: Comparison, path: Path) -> Path:
    return write_text_atomic(Path(path), render_comparison_html(comparison))


def _value(d: ValueDelta, fmt: str) -> list[str]:
    if fmt == x.SHARE:
        pp = "" if d.delta is None else f"{100 * d.delta:+.1f} pp"
        return [share(d.before), share(d.after), pp, ""]
    pct = "" if d.percent is None else f"{d.percent:+.1f} %"
    delta = "" if d.delta is None else f"{d.delta:+,.4g}"
    return [num(d.before), num(d.after), delta, pct]


def pair_tables(pair: ProductComparison) -> str:
    """The side-by-side figures, the ranked lines and the check changes of one pair (HTML)."""
    rows = [[e(label), e(unit), *_value(d, fmt)] for label, unit, d, fmt in _figures(pair)]
    headers = ["Figure", "Unit", e(pair.base.label), e(pair.alternative.label), "Δ", "Δ %"]
    parts = [_table(headers, rows, numeric={2, 3, 4, 5})]
    ranked = pair.ranked_lines(TOP_LINES)
    parts.append("<h3>Lines that explain most of the difference</h3>")
    if ranked:
        line_rows = []
        for d in ranked:
            side = d.after or d.before
            assert side is not None
            line_rows.append(
                [
                    str(d.rank),
                    e(side.path),
                    e(d.status),
                    e(", ".join(d.changed_fields)),
                    f"{d.climate_change.delta.total:+,.4g}",
                    share(d.share_of_difference),
                ]
            )
        parts.append(
            _table(
                ["#", "Line", "Status", "What changed", "Δ kg CO2-eq per FU", "Share of Δ"],
                line_rows,
                numeric={0, 4, 5},
            )
        )
    else:
        parts.append("<p>No line changes the result.</p>")
    parts.append("<h3>Check changes</h3>")
    parts.append(check_changes_table(pair.checks))
    return "".join(parts)


def check_changes_table(checks: Sequence[CheckChange]) -> str:
    if not checks:
        return "<p>No rules applied.</p>"
    shown = [c for c in checks if c.status_changed or c.margin.delta]
    if not shown:
        return "<p>No check changes status or margin.</p>"

    def fmt(c: CheckChange, v: float | None) -> str:
        return share(v) if is_share(c.unit) else num(v)

    rows = [
        [
            e(c.title) + f"<br><small>{e(c.rule_set)} / {e(c.rule)}</small>",
            (_status(c.status_before) if c.status_before else "–")
            + " → "
            + (_status(c.status_after) if c.status_after else "–"),
            fmt(c, c.value.before),
            fmt(c, c.value.after),
            fmt(c, c.limit.after),
            fmt(c, c.margin.before),
            fmt(c, c.margin.after),
        ]
        for c in shown
    ]
    headers = [
        "Rule",
        "Status",
        "Value before",
        "Value after",
        "Limit",
        "Margin before",
        "Margin after",
    ]
    return _table(headers, rows, numeric={2, 3, 4, 5, 6})


def render_comparison_html(comparison: Comparison) -> str:
    ids: Iterator[str] = (f"figure-{n}" for n in itertools.count(1))
    title = "Comparison of products"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{STYLE}</style>",
        plotly_scripts(),
        "</head><body><header>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">Method: {e(comparison.method.name)} · base {e(comparison.base)} · '
        f"alternatives {e(', '.join(comparison.alternatives))} · footprint "
        f"{e(comparison.tool_version)}</p>",
        "</header><main>",
    ]
    for k, pair in enumerate(comparison.pairs, 1):
        parts += [
            f'<section id="pair-{k}"><h2>{e(_title(pair))}</h2>',
            f"<p>Per functional unit: {e(_fu(pair))}</p>",
            *(f'<p class="note">{e(note)}</p>' for note in pair.notes),
            '<div class="charts">',
            _figure(stage_comparison_figure(pair), next(ids)),
            _figure(waterfall_figure(pair), next(ids)),
            "</div>",
            pair_tables(pair),
            "</section>",
        ]
    if comparison.unmatched:
        rows = [[e(u.label), e(u.side), e(u.id)] for u in comparison.unmatched]
        parts.append(
            "<section><h2>Products without a counterpart</h2>"
            + _table(["From", "Side", "Product"], rows, numeric=set())
            + "<p>Give --pair OLD-ID=NEW-ID to compare them.</p></section>"
        )
    parts += ["</main></body></html>"]
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------


def write_suggestions_workbook(report: Suggestions, path: Path) -> Path:
    """Sheets Suggestions (ranked swaps with their effects) and Sensitivity (±10 points R1)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Suggestions"
    footer = f"footprint {report.tool_version}, {report.created:%Y-%m-%d %H:%M}"
    x.put(sheet, 1, 1, "Suggestions: like-for-like factor swaps").font = x.TITLE_FONT
    x.put(sheet, 2, 1, report.statement)
    columns = [
        Column("Product"),
        Column("Rank", x.GENERAL),
        Column("Line path"),
        Column("Kind"),
        Column("Dataset now"),
        Column("Dataset suggested"),
        Column("Suggested dataset name", width=30, wrap=True),
        Column("Total now (kg CO2-eq per FU)", x.KG_CO2),
        Column("Total after", x.KG_CO2),
        Column("Saving", x.KG_CO2),
        Column("Saving %", x.PERCENT_POINTS),
        Column("Recycled content now", x.SHARE),
        Column("Recycled content after", x.SHARE),
        Column("MCI after", x.INDEX),
        Column("Checks that change", width=40, wrap=True),
    ]
    rows: list[list[Value]] = [
        [
            p.product,
            s.rank,
            s.path,
            s.kind,
            s.dataset_before,
            s.dataset_after,
            s.dataset_after_name,
            s.total_before,
            s.total_after,
            s.saving,
            s.saving_percent,
            s.recycled_share.before,
            s.recycled_share.after,
            s.mci.after,
            "; ".join(
                f"{c.rule}: {c.status_before} → {c.status_after}, margin "
                f"{num(c.margin.before)} → {num(c.margin.after)}"
                for c in s.checks
            ),
        ]
        for p in report.products
        for s in p.suggestions
    ]
    last = x.write_table(sheet, 4, columns, rows)
    x.fit_columns(sheet, columns, rows)
    sheet.freeze_panes = "A5"
    sheet.auto_filter.ref = f"A4:{sheet.cell(row=max(last, 5), column=len(columns)).coordinate}"
    x.print_setup(sheet, title_rows="4:4", footer=footer)
    sensitivity_columns = [
        Column("Product"),
        Column("Line path"),
        Column("Material"),
        Column("Recycled content used", x.SHARE),
        Column("R1 − 10 points", x.SHARE),
        Column("Total change at −10", x.KG_CO2),
        Column("R1 + 10 points", x.SHARE),
        Column("Total change at +10", x.KG_CO2),
        Column("Recycled-content checks at −10 / +10", width=50, wrap=True),
    ]

    def checks_text(case: SensitivityCase | None) -> str:
        if case is None:
            return "–"
        return ", ".join(f"{c.rule} {c.status_after} ({num(c.value.after)})" for c in case.checks)

    sensitivity: list[list[Value]] = [
        [
            p.product,
            s.path,
            s.material,
            s.recycled_content,
            s.minus.recycled_content if s.minus else None,
            s.minus.total_delta if s.minus else None,
            s.plus.recycled_content if s.plus else None,
            s.plus.total_delta if s.plus else None,
            f"−10: {checks_text(s.minus)}; +10: {checks_text(s.plus)}",
        ]
        for p in report.products
        for s in p.sensitivity
    ]
    x.tidy_table(workbook.create_sheet("Sensitivity"), sensitivity_columns, sensitivity, footer)
    with atomic_path(Path(path)) as tmp:
        workbook.save(tmp)
    return Path(path)
