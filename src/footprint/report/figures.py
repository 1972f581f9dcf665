"""Plotly figures of an assessment, for notebooks and for the HTML report.

Every user-supplied string is HTML-escaped before it reaches plotly: plotly renders a subset
of HTML in labels and hover text, and a BOM line named ``<b>…`` or ``<a href=…>`` must show as
typed.  Plotly decodes the entities again when it draws, so escaped text reads normally.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from footprint.model import STAGES, Assessment, ProductResult, Stage
from footprint.report.summary import STAGE_LABELS, is_share, recycled_content_checks

STAGE_COLOURS: dict[Stage, str] = {
    Stage.RAW_MATERIALS: "#4472C4",
    Stage.MANUFACTURING: "#ED7D31",
    Stage.DISTRIBUTION: "#A5A5A5",
    Stage.USE: "#FFC000",
    Stage.END_OF_LIFE: "#70AD47",
}
STATUS_COLOURS = {
    "pass": "#2E7D32",
    "fail": "#C62828",
    "insufficient data": "#F9A825",
    "not applicable": "#9E9E9E",
}
SUB_INDICATORS = (("fossil", "Fossil"), ("biogenic", "Biogenic"), ("luluc", "Land use change"))
LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 60, "r": 30, "t": 60, "b": 50},
    "height": 420,
    "font": {"family": "Segoe UI, Helvetica, Arial, sans-serif", "size": 13},
}


def esc(text: object) -> str:
    """A user string made safe for plotly's HTML-like labels."""
    return html.escape("" if text is None else str(text), quote=True)


def _unit(product: ProductResult) -> str:
    return f"{product.climate_change.unit} per FU"


def stage_figure(product: ProductResult) -> go.Figure:
    """Climate change by PEF life-cycle stage, stacked by sub-indicator."""
    stages = [s for s in STAGES if s in product.by_stage]
    labels = [STAGE_LABELS[s] for s in stages]
    fig = go.Figure()
    for field, name in SUB_INDICATORS:
        fig.add_bar(
            x=labels,
            y=[getattr(product.by_stage[s], field) for s in stages],
            name=name,
            hovertemplate="%{x}<br>" + name + ": %{y:.4g}<extra></extra>",
        )
    fig.add_scatter(
        x=labels,
        y=[product.by_stage[s].total for s in stages],
        mode="markers+text",
        text=[f"{product.by_stage[s].total:.3g}" for s in stages],
        textposition="top center",
        marker={"symbol": "line-ew-open", "size": 30, "color": "#222"},
        name="Total",
        hovertemplate="%{x}<br>Total: %{y:.4g}<extra></extra>",
    )
    fig.update_layout(
        **LAYOUT,
        barmode="relative",
        title=f"{esc(product.id)}: climate change by life-cycle stage",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        yaxis_title=_unit(product),
        xaxis_title=f"total {product.climate_change.total:.4g} {_unit(product)}",
    )
    return fig


def bom_figure(product: ProductResult) -> go.Figure:
    """Sunburst of the BOM tree, each ring sized by its lines' footprint.

    Credits (negative contributions) cannot be drawn as areas; they are listed in the title.
    Under the CFF a line's figure is its CFF figure; the hover text adds its cut-off figure.
    """
    paths = {line.path for line in product.lines}
    root = "\u0000product"  # cannot collide with a line path read from a spreadsheet
    ids, parents, labels, values, hover = [root], [""], [esc(product.id)], [0.0], [""]
    credits = 0.0
    for line in product.lines:
        parent = _parent_path(line.path, paths)
        total = line.climate_change.total
        credits += min(total, 0.0)
        ids.append(line.path)
        parents.append(parent if parent is not None else root)
        labels.append(esc(line.name or line.id))
        values.append(max(total, 0.0))
        cut_off = line.climate_change_cut_off
        hover.append(
            f"{esc(line.path)}<br>{esc(line.dataset_name or line.dataset or 'assembly')}"
            f"<br>{total:.4g} {esc(_unit(product))} ({line.share:.1%} of product)"
            + (f"<br>cut-off: {cut_off.total:.4g}; {esc(line.note)}" if cut_off else "")
        )
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=labels,
            values=values,
            branchvalues="remainder",
            hovertext=hover,
            hoverinfo="text",
            insidetextorientation="radial",
        )
    )
    note = f"; credits of {credits:.3g} not drawn" if credits < 0 else ""
    fig.update_layout(**LAYOUT, title=f"{esc(product.id)}: footprint by BOM line{note}")
    fig.update_layout(height=520)
    return fig


def _parent_path(path: str, paths: set[str]) -> str | None:
    """The longest other line path that this path extends: its assembly."""
    best: str | None = None
    for candidate in paths:
        if (
            candidate != path
            and path.startswith(candidate + " / ")
            and (best is None or len(candidate) > len(best))
        ):
            best = candidate
    return best


def cff_figure(product: ProductResult) -> go.Figure | None:
    """Waterfall of the Circular Footprint Formula's parts; None without a CFF result."""
    cff = product.circularity.cff if product.circularity else None
    if cff is None:
        return None
    steps = [
        ("Virgin material (1−R1)·Ev", sum(line.virgin for line in cff.lines)),
        ("Recycled input R1·(…)", sum(line.recycled_input for line in cff.lines)),
        ("Recycling credit (1−A)·R2·(…)", sum(line.recycling_credit for line in cff.lines)),
        ("Energy recovery (1−B)·R3·(…)", cff.energy_part),
        ("Disposal (1−R2−R3)·ED", cff.disposal_part),
    ]
    fig = go.Figure(
        go.Waterfall(
            x=[label for label, _ in steps] + ["CFF total, material lines"],
            y=[value for _, value in steps] + [cff.total],
            measure=["relative"] * len(steps) + ["total"],
            text=[f"{value:.3g}" for _, value in steps] + [f"{cff.total:.3g}"],
            textposition="outside",
            connector={"line": {"color": "#888"}},
            decreasing={"marker": {"color": "#70AD47"}},
            increasing={"marker": {"color": "#C0504D"}},
            totals={"marker": {"color": "#4472C4"}},
            hovertemplate="%{x}: %{y:.4g}<extra></extra>",
        )
    )
    fig.update_layout(
        **LAYOUT,
        title=f"{esc(product.id)}: Circular Footprint Formula",
        yaxis_title=_unit(product),
        xaxis_title=f"product total {cff.cff_total:.4g} with the CFF, "
        f"{cff.cut_off_total:.4g} with cut-off",
        showlegend=False,
    )
    return fig


def recycled_content_figure(product: ProductResult) -> go.Figure | None:
    """Recycled content against the targets that apply; by material when no target applies."""
    checks = [c for c in recycled_content_checks(product) if c.limit is not None]
    if checks:
        as_share = all(c.unit is None or is_share(c.unit) for c in checks)
        labels = [esc(c.title) for c in checks]
        fig = go.Figure()
        fig.add_bar(
            x=labels,
            y=[c.value for c in checks],
            marker_color=[STATUS_COLOURS[c.status] for c in checks],
            name="Recycled content",
            showlegend=False,
            text=[esc(c.status) for c in checks],
            textposition="auto",
            hovertemplate="%{x}: %{y:.3~%}<extra></extra>" if as_share else None,
        )
        fig.add_scatter(
            x=labels,
            y=[c.limit for c in checks],
            mode="markers",
            marker={"symbol": "line-ew-open", "size": 40, "line": {"width": 3}, "color": "#222"},
            name="Target",
            hovertemplate="%{x} target: %{y:.3~%}<extra></extra>" if as_share else None,
        )
        for label, check in zip(labels, checks, strict=True):
            if check.value is None:
                fig.add_annotation(x=label, y=0, text="no data", showarrow=False, yshift=12)
        title = f"{esc(product.id)}: recycled content against targets"
        yaxis = {"tickformat": ".0%", "rangemode": "tozero"} if as_share else {}
    else:
        rc = product.circularity.recycled_content if product.circularity else None
        if rc is None or not rc.by_material:
            return None
        fig = go.Figure(
            go.Bar(
                x=[esc(m) for m in rc.by_material],
                y=list(rc.by_material.values()),
                marker_color="#4472C4",
                hovertemplate="%{x}: %{y:.3~%}<extra></extra>",
            )
        )
        title = f"{esc(product.id)}: recycled content by material (no target applies)"
        yaxis = {"tickformat": ".0%", "rangemode": "tozero"}
    fig.update_layout(**LAYOUT, title=title, yaxis=yaxis)
    return fig


def compliance_table_figure(product: ProductResult) -> go.Figure | None:
    """The product's checks as a table (for notebooks; the HTML report uses an HTML table)."""
    if not product.checks:
        return None
    checks = product.checks
    header = ["Rule", "Status", "Value", "Limit", "Unit", "Margin", "Regulation"]
    cells = [
        [esc(c.title) for c in checks],
        [esc(c.status) for c in checks],
        ["" if c.value is None else f"{c.value:.4g}" for c in checks],
        ["" if c.limit is None else f"{c.limit:.4g}" for c in checks],
        [esc(c.unit) for c in checks],
        ["" if c.margin is None else f"{c.margin:.4g}" for c in checks],
        [esc(" ".join(filter(None, (c.source.regulation, c.source.article)))) for c in checks],
    ]
    colours = [STATUS_COLOURS[c.status] for c in checks]
    fig = go.Figure(
        go.Table(
            header={"values": header, "fill_color": "#305496", "font": {"color": "white"}},
            cells={
                "values": cells,
                "font": {"color": [["#222"] * len(checks), colours] + [["#222"] * len(checks)] * 5},
            },
        )
    )
    fig.update_layout(**LAYOUT, title=f"{esc(product.id)}: compliance checks")
    return fig


def portfolio_figure(assessment: Assessment) -> go.Figure | None:
    """Products side by side, stacked by life-cycle stage; None for a single product."""
    products = assessment.products
    if len(products) < 2:
        return None
    names = [esc(p.id) for p in products]
    fig = go.Figure()
    for stage in STAGES:
        fig.add_bar(
            x=names,
            y=[p.by_stage[stage].total if stage in p.by_stage else 0.0 for p in products],
            name=STAGE_LABELS[stage],
            marker_color=STAGE_COLOURS[stage],
            hovertemplate="%{x}<br>" + STAGE_LABELS[stage] + ": %{y:.4g}<extra></extra>",
        )
    units = {p.climate_change.unit for p in products}
    fig.update_layout(
        **LAYOUT,
        barmode="relative",
        title="Portfolio: climate change per functional unit by life-cycle stage",
        yaxis_title=f"{' / '.join(sorted(units))} per FU",
    )
    return fig


def product_figures(product: ProductResult) -> dict[str, go.Figure]:
    """The figures of one product that have something to show, by kind."""
    candidates = {
        "stages": stage_figure(product),
        "bom": bom_figure(product),
        "cff": cff_figure(product),
        "recycled_content": recycled_content_figure(product),
        "compliance": compliance_table_figure(product),
    }
    return {kind: fig for kind, fig in candidates.items() if fig is not None}


def assessment_figures(assessment: Assessment) -> dict[str, go.Figure]:
    """All figures, keyed ``"<product id>/<kind>"`` and ``"portfolio"`` for several products."""
    figures: dict[str, go.Figure] = {}
    portfolio = portfolio_figure(assessment)
    if portfolio is not None:
        figures["portfolio"] = portfolio
    for product in assessment.products:
        for kind, fig in product_figures(product).items():
            figures[f"{product.id}/{kind}"] = fig
    return figures
