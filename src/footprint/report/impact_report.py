"""The EF 3.1 profile in the HTML report and on the web page: chart, single score, tables.

Shown only for a product that has an impact profile (``--indicators`` other than climate, or
``--hotspots``).  The chart is the weighted result of each of the 16 EF 3.1 categories in µPt
per functional unit; a category no line's dataset characterises is drawn as the words "not
covered" (never a bar of 0), a partly covered one says so on its bar.  The single score says
"partial" and names what it lacks.  With hotspots, the PEF most-relevant tables follow:
categories, then for each most relevant category its stages, processes (named as in their
database) and elementary flows, each with its share and cumulative share.

The fragment is shared by the HTML report (``report.html``) and the web page (``web.pages``);
the caller embeds the chart its own way (inline plotly or a JSON block).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go

from footprint.model import (
    ImpactProfile,
    IndicatorResult,
    ProductResult,
    RelevantItem,
    RelevantList,
)
from footprint.report.figures import LAYOUT, Spec, esc

NOT_COVERED = "not covered"
COVERED_COLOUR, PARTIAL_COLOUR = "#305496", "#8EA9DB"
IMPACTS_STYLE = """
.impacts .score { font-size: 1.1em; }
.impacts .score strong { font-size: 1.2em; }
.impacts .partial { background: #FFEB9C; color: #9C5700; border-radius: 3px; padding: 0 5px; }
.impacts .gap { color: #9C5700; font-style: italic; }
.impacts .table-wrap { overflow-x: auto; max-width: 100%; }
.impacts table.impact-indicators { min-width: 600px; }
.impacts table.impact-indicators td { overflow-wrap: normal; }
"""


def e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _num(value: float | None, spec: str = ",.4g") -> str:
    return "" if value is None else format(value, spec)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def categories(profile: ImpactProfile) -> list[IndicatorResult]:
    """The EF 3.1 categories of the profile (those with a weight), largest |weighted| first,
    the ones without a weighted result (not covered) last, in their table order."""
    found = [r for r in profile.indicators if r.category is not None]
    covered = sorted(
        (r for r in found if r.weighted is not None), key=lambda r: -abs(r.weighted or 0.0)
    )
    return covered + [r for r in found if r.weighted is None]


def profile_figure(product: ProductResult) -> go.Figure | None:
    """Weighted result per EF 3.1 category (µPt per FU) as horizontal bars; None when the
    product has no profile or the profile holds no EF 3.1 category.  A category that is not
    covered has no bar: its label says "not covered" (its value is unknown, not 0)."""
    spec = profile_spec(product)
    return None if spec is None else go.Figure(spec)


def profile_spec(product: ProductResult) -> Spec | None:
    """``profile_figure`` as plotly JSON (``figures.Spec``: no plotly objects to validate)."""
    profile = product.impacts
    if profile is None:
        return None
    rows = categories(profile)
    if not rows:
        return None
    rows = rows[::-1]  # plotly draws the first y at the bottom: largest on top
    labels = [_label(r) for r in rows]
    bars = {
        "type": "bar",
        "x": [r.weighted * 1e6 if r.weighted is not None else None for r in rows],
        "y": labels,
        "orientation": "h",
        "marker": {
            "color": [PARTIAL_COLOUR if r.status == "partial" else COVERED_COLOUR for r in rows]
        },
        "text": [_short(r.weighted * 1e6) if r.weighted is not None else "" for r in rows],
        "textposition": "auto",
        "customdata": [[_num(r.value), esc(r.unit), esc(r.status)] for r in rows],
        "hovertemplate": "%{y}<br>%{x:.4g} µPt<br>%{customdata[0]} %{customdata[1]}"
        " (%{customdata[2]})<extra></extra>",
        "showlegend": False,
    }
    layout = {
        **LAYOUT,
        "margin": {"l": 10, "r": 20, "t": 70, "b": 50},
        "height": 140 + sum(12 + 17 * (label.count("<br>") + 1) for label in labels),
        "title": {
            "text": f"{esc(product.id)}: EF 3.1 profile<br><sub>{_score_line(profile)}</sub>"
        },
        "xaxis": {"title": {"text": "weighted, µPt per FU"}},
        "bargap": 0.25,
        "yaxis": {"automargin": True, "categoryorder": "array", "categoryarray": labels},
    }
    return {"data": [bars], "layout": layout}


def _label(result: IndicatorResult, width: int = 22) -> str:
    """The category, wrapped for a narrow screen, with its coverage when not complete."""
    words, lines = esc(result.category).split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    if result.weighted is None:
        lines.append(f"({NOT_COVERED})")
    elif result.status == "partial":
        lines.append(f"(partial: {result.lines_covered} of {result.lines_with_dataset} lines)")
    return "<br>".join(lines)


def _short(value: float) -> str:
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _score_line(profile: ImpactProfile) -> str:
    score = profile.single_score
    if score is None or score.micropoints is None:
        return "single score not available"
    text = f"single score {_short(score.micropoints)} µPt"
    return text + (", partial" if score.status == "partial" else "")


# -- the HTML fragment ---------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], cls: str, numeric: set[int]
           ) -> str:  # fmt: skip
    from footprint.report.html import _table as table  # (report.html imports this module)

    return table(headers, rows, numeric, cls)


def single_score_text(profile: ImpactProfile) -> str:
    """The single score in Pt and µPt, with "partial" and what it lacks (HTML)."""
    score = profile.single_score
    if score is None:
        return ""
    if score.value is None:
        return (
            '<p class="score">EF 3.1 single score: <span class="partial">not available</span> '
            "— no EF 3.1 category is characterised by this product's datasets.</p>"
        )
    figure = (
        f"<strong>{_num(score.micropoints)} µPt</strong> ({_num(score.value, '.4g')} Pt) "
        "per functional unit"
    )
    if score.status == "complete":
        return f'<p class="score">EF 3.1 single score: {figure}, all 16 categories.</p>'
    by_reason: dict[str, list[str]] = {}
    for category, why in score.missing.items():
        by_reason.setdefault(why, []).append(category)
    lacking = "; ".join(
        f"{e(why)} ({len(names)}): {e(', '.join(names))}" for why, names in by_reason.items()
    )
    return (
        f'<p class="score">EF 3.1 single score: {figure} — <span class="partial">partial</span>, '
        f'{len(score.included)} of 16 categories summed.</p><p class="lacking">Lacking: '
        f"{lacking}.</p>"
    )


def impacts_section(product: ProductResult, figure_html: str = "") -> str:
    """The profile fragment of one product ("" without a profile); ``figure_html``: the
    chart (``profile_figure``) as the caller embeds it."""
    profile = product.impacts
    if profile is None:
        return ""
    parts = [
        '<div class="impacts">',
        single_score_text(profile),
        figure_html,
        f'<p class="note">{e(profile.basis)}. Normalised: global EF 3.1 normalisation factor per '
        "person; weighted: × the EF 3.1 weight; 1 Pt = one person's yearly impact. "
        f"{e(NOT_COVERED.capitalize())}: no line's dataset characterises the indicator (its "
        "value is unknown, not 0).</p>",
        "<h4>Indicators</h4>",
        _indicators_table(profile),
    ]
    if profile.most_relevant is not None:
        parts.append(_most_relevant(profile))
    parts.append("</div>")
    return "\n".join(parts)


def _indicators_table(profile: ImpactProfile) -> str:
    """Every chosen indicator: value with its unit, coverage, normalised and weighted."""

    def gap(result: IndicatorResult, text: str) -> str:
        return text if result.value is not None else f'<span class="gap">{e(NOT_COVERED)}</span>'

    def coverage(result: IndicatorResult) -> str:
        if result.status == NOT_COVERED:
            return f'<span class="gap">{e(NOT_COVERED)}</span>'
        detail = f"lines {_pct(result.line_share)}, climate change {_pct(result.climate_share)}"
        return f"{e(result.status)}<br><small>{e(detail)}</small>"

    rows = [
        [
            e(r.category or r.name) + (f"<br><small>{e(r.name)}</small>" if r.category else ""),
            gap(r, _num(r.value)) + f"<br><small>{e(r.unit)}</small>",
            coverage(r),
            gap(r, _num(r.normalised)) if r.category else "",
            gap(r, _num(r.weighted * 1e6 if r.weighted is not None else None)) if r.category
            else "",
        ]
        for r in profile.indicators
    ]  # fmt: skip
    headers = ["Indicator", "Per FU", "Coverage", "Normalised (persons)", "Weighted (µPt)"]
    return _table(headers, rows, "impact-indicators", numeric={1, 3, 4})


def _relevant_table(kept: RelevantList, unit: str, level: str, cls: str) -> str:
    """One most-relevant list: rank, item (under it its stage, database and location or
    compartment, as the database names them), contribution, share and cumulative share."""
    if not kept.items:
        why = "nothing to rank" if kept.candidates == 0 else "no positive net total to share"
        return f'<p class="muted">{e(level.capitalize())}: {e(why)}.</p>'

    def where(item: RelevantItem) -> str:
        found = [item.stage.value if item.stage else None, item.database,
                 item.location or item.compartment]  # fmt: skip
        text = " · ".join(str(part) for part in [*found, item.note] if part)
        return f"<br><small>{e(text)}</small>" if text else ""

    rows = [
        [str(rank), e(item.name) + where(item), _num(item.value), _pct(item.share),
         _pct(item.cumulative)]
        for rank, item in enumerate(kept.items, start=1)
    ]  # fmt: skip
    caption = (
        f"<small>{len(kept.items)} of {kept.candidates} {level}s with a contribution; "
        f"{e(unit)} per FU; {e(kept.basis)} basis (share = "
        + ("|x| / Σ|x|" if kept.basis == "absolute" else "x / Σx")
        + f", Σ = {_num(kept.total)})</small>"
    )
    headers = ["#", level.capitalize(), "Per FU", "Share", "Cumulative"]
    return caption + _table(headers, rows, cls, numeric={0, 2, 3, 4})


def _most_relevant(profile: ImpactProfile) -> str:
    relevant = profile.most_relevant
    assert relevant is not None
    threshold = _pct(relevant.threshold)
    parts = [
        f"<h4>Most relevant (PEF, cumulatively ≥ {e(threshold)})</h4>",
        f"<p>Status: {e(relevant.status)}"
        + (
            " — only characterised categories can be ranked, so the list may lack categories "
            "that are not covered."
            if relevant.status == "partial"
            else "."
        )
        + "</p>",
    ]
    if relevant.excluded_from_ranking:
        parts.append(
            f"<p>Left out of the category ranking by the rules [M]: "
            f"{e(', '.join(relevant.excluded_from_ranking))}.</p>"
        )
    if relevant.categories is not None:
        parts += [
            "<h5>Impact categories (share of the single score)</h5>",
            _relevant_table(_micropoints(relevant.categories), "µPt", "category",
                            "relevant-categories"),
        ]  # fmt: skip
    for hotspots in relevant.per_category:
        parts.append(f"<h5>{e(hotspots.name)} ({_num(hotspots.value)} {e(hotspots.unit)} per FU)"
                     "</h5>")  # fmt: skip
        parts.append(_relevant_table(hotspots.stages, hotspots.unit, "life-cycle stage",
                                     "relevant-stages"))  # fmt: skip
        if hotspots.processes is not None:
            parts.append(_relevant_table(hotspots.processes, hotspots.unit, "process",
                                         "relevant-processes"))  # fmt: skip
        if hotspots.processes_without_use is not None:
            parts.append(
                f"<p>The use stage makes up {_pct(hotspots.use_stage_share)} of this category: "
                "the processes ranked again without it [M]</p>"
                + _relevant_table(hotspots.processes_without_use, hotspots.unit, "process",
                                  "relevant-processes-without-use")
            )  # fmt: skip
        if hotspots.flows is not None:
            parts.append(_relevant_table(hotspots.flows, hotspots.unit, "elementary flow",
                                         "relevant-flows"))  # fmt: skip
        extra = [
            ("Stages, net basis", hotspots.stages_net, "life-cycle stage"),
            ("Processes, net basis", hotspots.processes_net, "process"),
        ]
        details = [
            f"<p>{e(title)}</p>" + _relevant_table(kept, hotspots.unit, level, "relevant-net")
            for title, kept, level in extra
            if kept is not None
        ]
        details += [
            f"<p>Elementary flows of {e(_process_name(hotspots.processes, key))}</p>"
            + _relevant_table(kept, hotspots.unit, "elementary flow", "relevant-process-flows")
            for key, kept in hotspots.flows_by_process.items()
        ]
        if details:
            parts.append(
                "<details><summary>Net basis and the elementary flows of each most relevant "
                "process</summary>" + "".join(details) + "</details>"
            )
    parts.append(
        "<details><summary>Rules applied</summary><ul>"
        + "".join(f"<li>{e(rule)}</li>" for rule in relevant.rules)
        + "</ul></details>"
    )
    return "\n".join(parts)


def _micropoints(kept: RelevantList) -> RelevantList:
    """The category list with its contributions in µPt (shares are unchanged)."""
    return kept.model_copy(
        update={
            "total": kept.total * 1e6,
            "items": [i.model_copy(update={"value": i.value * 1e6}) for i in kept.items],
        }
    )


def _process_name(processes: RelevantList | None, key: str) -> str:
    for item in processes.items if processes else []:
        if item.key == key:
            stage = f" ({item.stage.value})" if item.stage else ""
            return f"{item.name}{stage}"
    return key
