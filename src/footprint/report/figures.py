"""Plotly figures of an assessment, for notebooks and for the HTML report.

Every user-supplied string is HTML-escaped before it reaches plotly: plotly renders a subset
of HTML in labels and hover text, and a BOM line named ``<b>…`` or ``<a href=…>`` must show as
typed.  Plotly decodes the entities again when it draws, so escaped text reads normally.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go

from footprint.model import STAGES, Assessment, Check, LineResult, ProductResult, Stage
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
    "declared": "#305496",
    "indicator": "#6A5ACD",
}
SUB_INDICATORS = (
    ("fossil", "Fossil"),
    ("biogenic", "Biogenic"),
    ("luluc", "Land use change"),
    ("not_split", "Not split (no fossil/biogenic split in the data)"),
)
#: Every chart is drawn with this plotly template.  It is put into the figure's JSON when the
#: figure is written (``figure_dict``), not assigned to each figure: plotly validates a template
#: on every assignment (~30 ms a figure), which made reports of hundreds of products slow.
TEMPLATE = "plotly_white"
LAYOUT = {
    "margin": {"l": 60, "r": 30, "t": 60, "b": 50},
    "height": 420,
    "font": {"family": "Segoe UI, Helvetica, Arial, sans-serif", "size": 13},
}


LEGEND_BELOW = {"orientation": "h", "y": -0.22, "yanchor": "top", "x": 0}  # never on the title
OTHER_SHARE = 0.01  # lines below this share of the product's total join their siblings' "other"
ASSEMBLY_COLOUR, OTHER_COLOUR = "#D9D9D9", "#EEEEEE"


@lru_cache(maxsize=1)
def template_json() -> dict[str, Any]:
    """plotly's template as JSON, read from plotly's own file (building the template object
    loads plotly's validators first, a second of a report's time); the object as fallback."""
    import json
    from importlib.resources import files

    try:
        source = files("plotly") / "package_data" / "templates" / f"{TEMPLATE}.json"
        template: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        import plotly.io as pio

        template = pio.templates[TEMPLATE].to_plotly_json()
    return template


def figure_dict(fig: go.Figure | dict[str, Any]) -> dict[str, Any]:
    """The figure as plotly JSON data, drawn with footprint's template."""
    data: dict[str, Any] = fig if isinstance(fig, dict) else fig.to_plotly_json()
    data = {**data, "layout": {**data.get("layout", {}), "template": template_json()}}
    return data


Spec = dict[str, Any]
"""A figure as plotly JSON (``{"data": [traces], "layout": {...}}``), built from plain lists:
the HTML report writes these as they are (plotly.js draws them), ``go.Figure(spec)`` makes the
validated figure of the notebook API.  Building a ``go.Figure`` trace by trace costs ~30 ms a
figure in validation, which made reports of thousands of products take minutes."""


def _figure(spec: Spec) -> go.Figure:
    return go.Figure(spec)


def _title(text: str) -> dict[str, str]:
    return {"text": text}


def _axis(title: str | None = None, **settings: Any) -> dict[str, Any]:
    return {**settings, **({"title": _title(title)} if title is not None else {})}


def esc(text: object) -> str:
    """A user string made safe for plotly's HTML-like labels: ``<``, ``>`` and ``&`` as
    entities, so plotly makes no tag of it.  Quotes stay as they are: plotly decodes only a
    few named entities, and would show ``&quot;`` as those six characters."""
    return html.escape("" if text is None else str(text), quote=False)


def _unit(product: ProductResult) -> str:
    return f"{product.climate_change.unit} per FU"


def stage_figure(product: ProductResult) -> go.Figure:
    """Climate change by PEF life-cycle stage, stacked by sub-indicator."""
    return _figure(stage_spec(product))


def stage_spec(product: ProductResult) -> Spec:
    """``stage_figure`` as plotly JSON."""
    stages = [s for s in STAGES if s in product.by_stage]
    labels = [STAGE_LABELS[s] for s in stages]
    traces: list[dict[str, Any]] = []
    for field, name in SUB_INDICATORS:
        values = [getattr(product.by_stage[s], field) for s in stages]
        if not any(values):  # a part that is zero everywhere gets no bar and no legend entry
            continue
        traces.append({
            "type": "bar",
            "x": labels,
            "y": values,
            "name": name,
            "hovertemplate": "%{x}<br>" + name + ": %{y:.4g}<extra></extra>",
        })  # fmt: skip
    totals = [product.by_stage[s].total for s in stages]
    traces.append({
        "type": "scatter",
        "x": labels,
        "y": totals,
        "mode": "markers+text",
        "text": [f"{total:.3g}" for total in totals],
        "textposition": "top center",
        "marker": {"symbol": "line-ew-open", "size": 30, "color": "#222"},
        "name": "Total",
        "hovertemplate": "%{x}<br>Total: %{y:.4g}<extra></extra>",
    })  # fmt: skip
    layout = {
        **LAYOUT,
        "barmode": "relative",
        "title": _title(f"{esc(product.id)}: climate change by life-cycle stage"),
        "legend": LEGEND_BELOW,
        "yaxis": _axis(_unit(product)),
        "xaxis": _axis(f"total {product.climate_change.total:.4g} {_unit(product)}"),
    }
    return {"data": traces, "layout": layout}


def bom_figure(product: ProductResult) -> go.Figure:
    """Sunburst of the BOM tree: every ring is its lines' footprint, a parent exactly the sum
    of its children and its own figure (``branchvalues="total"``), coloured by stage; lines
    under 1 % of the product join an "other" wedge under their parent.

    Credits (negative contributions) cannot be drawn as areas; they are listed in the title.
    Under the CFF a line's figure is its CFF figure; the hover text adds its cut-off figure.
    """
    return _figure(bom_spec(product))


def bom_spec(product: ProductResult) -> Spec:
    """``bom_figure`` as plotly JSON."""
    tree = bom_tree(product)
    trace = {
        "type": "sunburst",
        "ids": tree.ids,
        "parents": tree.parents,
        "labels": tree.labels,
        "values": tree.values,
        "branchvalues": "total",
        "marker": {"colors": tree.colours},
        "hovertext": tree.hover,
        "hoverinfo": "text",
        "texttemplate": "%{label}<br>%{value:.3g} (%{percentRoot:.0%})",
        "insidetextorientation": "horizontal",
        "sort": False,
    }
    note = f"; credits of {tree.credits:.3g} not drawn" if tree.credits < 0 else ""
    key = {
        "text": _stage_key(tree.stages),
        "showarrow": False,
        "x": 0,
        "y": -0.08,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "top",
        "align": "left",
    }
    layout = {
        **LAYOUT,
        "title": _title(f"{esc(product.id)}: footprint by BOM line{note}"),
        "height": 560,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 70},
        "annotations": [key],
    }
    return {"data": [trace], "layout": layout}


def _stage_key(stages: list[Stage]) -> str:
    """The colour key of the sunburst (a sunburst has no legend)."""
    items = [f'<span style="color:{STAGE_COLOURS[s]}">■</span> {STAGE_LABELS[s]}' for s in stages]
    return "  ".join(items + ['<span style="color:#AAAAAA">■</span> assembly / other'])


class BomTree:
    """The sunburst's nodes: parallel lists, root first, every parent before its children."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.parents: list[str] = []
        self.labels: list[str] = []
        self.values: list[float] = []
        self.colours: list[str] = []
        self.hover: list[str] = []
        self.stages: list[Stage] = []
        self.credits = 0.0


ROOT = "\u0000product"  # cannot collide with a line path read from a spreadsheet


def bom_tree(product: ProductResult) -> BomTree:
    """The BOM as sunburst nodes; each value = the node's own positive figure + its children's."""
    paths = {line.path for line in product.lines}
    children: dict[str, list[LineResult]] = {}
    for line in product.lines:
        children.setdefault(_parent_path(line.path, paths) or ROOT, []).append(line)
    positive = sum(max(line.climate_change.total, 0.0) for line in product.lines)
    tree = BomTree()
    tree.credits = sum(min(line.climate_change.total, 0.0) for line in product.lines)
    unit = esc(_unit(product))
    by_path = {line.path: line for line in product.lines}
    sums: dict[str, float] = {}

    def subtree(path: str) -> float:
        if path not in sums:
            own = by_path.get(path)
            total = max(own.climate_change.total, 0.0) if own else 0.0
            sums[path] = total + sum(subtree(child.path) for child in children.get(path, []))
        return sums[path]

    def add(node: str, parent: str, label: str, value: float, colour: str, hover: str) -> None:
        tree.ids.append(node)
        tree.parents.append(parent)
        tree.labels.append(label)
        tree.values.append(value)
        tree.colours.append(colour)
        tree.hover.append(hover)

    def visit(path: str, value: float) -> None:
        kids = [(line, subtree(line.path)) for line in children.get(path, [])]
        small = [
            (line, v)
            for line, v in kids
            if v < OTHER_SHARE * positive and not children.get(line.path)
        ]
        if len(small) < 2:
            small = []
        bucketed = {line.path for line, _ in small}  # paths: comparing models is slow
        for line, v in kids:
            if line.path in bucketed or v <= 0:
                continue
            assembly = bool(children.get(line.path)) and line.dataset is None
            colour = ASSEMBLY_COLOUR if assembly else STAGE_COLOURS[line.stage]
            if not assembly and line.stage not in tree.stages:
                tree.stages.append(line.stage)
            add(line.path, path, esc(line.name or line.id), v, colour, _line_hover(line, v, unit))
            visit(line.path, v)
        if small:
            other = sum(v for _, v in small)
            names = ", ".join(esc(line.name or line.id) for line, _ in small[:8])
            more = f" and {len(small) - 8} more" if len(small) > 8 else ""
            add(
                f"{path}\u0000other",
                path,
                f"other ({len(small)} lines)",
                other,
                OTHER_COLOUR,
                f"{len(small)} lines under {OTHER_SHARE:.0%} each: {names}{more}"
                f"<br>{other:.4g} {unit} in all",
            )

    root_value = subtree(ROOT)
    add(ROOT, "", esc(product.id), root_value, "#FFFFFF", f"{root_value:.4g} {unit}")
    tree.stages = []
    visit(ROOT, root_value)
    tree.stages = [s for s in STAGES if s in tree.stages]
    return tree


def _line_hover(line: LineResult, value: float, unit: str) -> str:
    cut_off = line.climate_change_cut_off
    own = line.climate_change.total
    inside = f" (with its parts {value:.4g})" if abs(value - max(own, 0.0)) > 0 else ""
    return (
        f"{esc(line.path)}<br>{esc(line.dataset_name or line.dataset or 'assembly')}"
        f"<br>{STAGE_LABELS[line.stage]}: {own:.4g} {unit}{inside} ({line.share:.1%} of product)"
        + (f"<br>cut-off: {cut_off.total:.4g}; {esc(line.note)}" if cut_off else "")
    )


def _parent_path(path: str, paths: set[str]) -> str | None:
    """The longest other line path that this path extends: its assembly (a lookup per level,
    not a scan of every path, so that a 16,000-line BOM is drawn in moments)."""
    end = len(path)
    while (end := path.rfind(" / ", 0, end)) > 0:
        if path[:end] in paths:
            return path[:end]
    return None


def cff_figure(product: ProductResult) -> go.Figure | None:
    """Waterfall of the Circular Footprint Formula's parts; None without a CFF result."""
    spec = cff_spec(product)
    return None if spec is None else _figure(spec)


def cff_spec(product: ProductResult) -> Spec | None:
    """``cff_figure`` as plotly JSON."""
    cff = product.circularity.cff if product.circularity else None
    if cff is None:
        return None
    steps = [
        ("Virgin material<br>(1−R1)·Ev", sum(line.virgin for line in cff.lines)),
        ("Recycled input<br>R1·(A·Erec + …)", sum(line.recycled_input for line in cff.lines)),
        ("Recycling credit<br>(1−A)·R2·(…)", sum(line.recycling_credit for line in cff.lines)),
        ("Energy recovery<br>(1−B)·R3·(…)", cff.energy_part),
        ("Disposal<br>(1−R2−R3)·ED", cff.disposal_part),
    ]
    trace = {
        "type": "waterfall",
        "x": [label for label, _ in steps] + ["CFF total<br>material lines"],
        "y": [value for _, value in steps] + [cff.total],
        "measure": ["relative"] * len(steps) + ["total"],
        "text": [f"{value:.3g}" for _, value in steps] + [f"{cff.total:.3g}"],
        "textposition": "outside",
        "connector": {"line": {"color": "#888"}},
        "decreasing": {"marker": {"color": "#70AD47"}},
        "increasing": {"marker": {"color": "#C0504D"}},
        "totals": {"marker": {"color": "#4472C4"}},
        "hovertemplate": "%{x}: %{y:.4g}<extra></extra>",
    }
    layout = {
        **LAYOUT,
        "title": _title(f"{esc(product.id)}: Circular Footprint Formula"),
        "yaxis": _axis(_unit(product)),
        "xaxis": _axis(
            f"product total {cff.cff_total:.4g} with the CFF, {cff.cut_off_total:.4g} with cut-off",
            tickangle=0,
            automargin=True,
        ),
        "showlegend": False,
    }
    return {"data": [trace], "layout": layout}


def recycled_content_figure(product: ProductResult) -> go.Figure | None:
    """Recycled content as bars against the targets that apply, the gap written beside a
    shortfall; by material when no target applies."""
    spec = recycled_content_spec(product)
    return None if spec is None else _figure(spec)


def recycled_content_spec(product: ProductResult) -> Spec | None:
    """``recycled_content_figure`` as plotly JSON."""
    checks = [c for c in recycled_content_checks(product) if c.limit is not None]
    if checks:
        as_share = all(c.unit is None or is_share(c.unit) for c in checks)
        labels = [esc(c.title) for c in checks]
        bars: dict[str, Any] = {
            "type": "bar",
            "y": labels,
            "x": [c.value or 0.0 for c in checks],
            "orientation": "h",
            "marker": {"color": [STATUS_COLOURS[c.status] for c in checks]},
            "name": "Recycled content",
            "text": [_recycled_text(c, as_share) for c in checks],
            "textposition": "outside",
            "cliponaxis": False,
        }
        targets: dict[str, Any] = {
            "type": "scatter",
            "y": labels,
            "x": [c.limit for c in checks],
            "mode": "markers",
            "marker": {"symbol": "line-ns-open", "size": 26, "line": {"width": 3}, "color": "#222"},
            "name": "Target",
        }
        if as_share:
            bars["hovertemplate"] = "%{y}: %{x:.3~%}<extra></extra>"
            targets["hovertemplate"] = "%{y} target: %{x:.3~%}<extra></extra>"
        top = max([c.limit or 0.0 for c in checks] + [c.value or 0.0 for c in checks])
        axis = {"tickformat": ".0%"} if as_share else {}
        layout = {
            **LAYOUT,
            "title": _title(f"{esc(product.id)}: recycled content against targets"),
            "xaxis": {**axis, "range": [0, top * 1.35 or 1]},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": LEGEND_BELOW,
            "height": max(300, 90 + 48 * len(checks)),
        }
        return {"data": [bars, targets], "layout": layout}
    rc = product.circularity.recycled_content if product.circularity else None
    if rc is None or not rc.by_material:
        return None
    trace = {
        "type": "bar",
        "x": [esc(m) for m in rc.by_material],
        "y": list(rc.by_material.values()),
        "marker": {"color": "#4472C4"},
        "text": [f"{v:.1%}" for v in rc.by_material.values()],
        "textposition": "outside",
        "hovertemplate": "%{x}: %{y:.3~%}<extra></extra>",
    }
    title = f"{esc(product.id)}: recycled content by material (no target applies)"
    layout = {
        **LAYOUT,
        "title": _title(title),
        "yaxis": {"tickformat": ".0%", "rangemode": "tozero"},
    }
    return {"data": [trace], "layout": layout}


def _recycled_text(check: Check, as_share: bool) -> str:
    """The bar's label: value, and the gap to the target when short of it."""
    if check.value is None:
        return "no data"
    fmt = (lambda v: f"{v:.1%}") if as_share else (lambda v: f"{v:.3g}")
    text = fmt(check.value)
    if check.limit is not None and check.value < check.limit:
        gap = check.limit - check.value
        text += f"; gap {gap * 100:.1f} points" if as_share else f"; gap {fmt(gap)}"
    return text


def material_figure(product: ProductResult) -> go.Figure | None:
    """Climate change by material family, largest first; lines without a family are named so."""
    spec = material_spec(product)
    return None if spec is None else _figure(spec)


def material_spec(product: ProductResult) -> Spec | None:
    """``material_figure`` as plotly JSON."""
    totals: dict[str, float] = {}
    for line in product.lines:
        if line.climate_change.total == 0:
            continue
        key = line.material or (
            "no material family" if line.stage == Stage.RAW_MATERIALS else STAGE_LABELS[line.stage]
        )
        totals[key] = totals.get(key, 0.0) + line.climate_change.total
    if not totals:
        return None
    ordered = sorted(totals.items(), key=lambda item: abs(item[1]), reverse=True)
    total = product.climate_change.total
    trace = {
        "type": "bar",
        "y": [esc(name) for name, _ in ordered],
        "x": [value for _, value in ordered],
        "orientation": "h",
        "marker": {"color": "#4472C4"},
        "text": [f"{v:.3g} ({v / total:.0%})" if total else f"{v:.3g}" for _, v in ordered],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:.4g}<extra></extra>",
    }
    layout = {
        **LAYOUT,
        "title": _title(f"{esc(product.id)}: climate change by material"),
        "xaxis": _axis(_unit(product)),
        "yaxis": {"automargin": True, "autorange": "reversed"},
        "showlegend": False,
        "height": max(300, 110 + 26 * len(ordered)),
    }
    return {"data": [trace], "layout": layout}


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


def functional_unit_kind(product: ProductResult) -> str:
    """What a functional unit measures, figures left out: "1 chair used for 10 years" and
    "1 chair used for 15 years" are one kind; products of different kinds share no axis."""
    text = product.functional_unit or "1 product"
    return " ".join(re.sub(r"[\d.,]+", "#", text).split())


def portfolio_figure(assessment: Assessment) -> go.Figure | None:
    """Products side by side, stacked by life-cycle stage, one panel per functional-unit kind
    (a product's figure is per its own functional unit); None for a single product."""
    spec = portfolio_spec(assessment)
    return None if spec is None else _figure(spec)


PORTFOLIO_TOP = 50  # products per panel of the portfolio chart; the table lists them all


def portfolio_spec(assessment: Assessment) -> Spec | None:
    """``portfolio_figure`` as plotly JSON: a panel per functional-unit kind, of at most
    ``PORTFOLIO_TOP`` products (those with the largest climate change, named in its title)."""
    products = assessment.products
    if len(products) < 2:
        return None
    kinds: dict[str, list[ProductResult]] = {}
    for product in products:
        kinds.setdefault(functional_unit_kind(product), []).append(product)
    titles = []
    for kind, group in kinds.items():
        title = f"per {esc(kind)}"
        if len(group) > PORTFOLIO_TOP:  # a bar per product of thousands is pages tall
            kept = {id(p) for p in _largest(group, PORTFOLIO_TOP)}
            kinds[kind] = [p for p in group if id(p) in kept]  # in the assessment's order
            title += f" — top {PORTFOLIO_TOP} of {len(group):,} by climate change (see the table)"
        titles.append(title)
    layout = _panels(titles, min(0.12, 0.5 / len(kinds)))
    traces: list[dict[str, Any]] = []
    shown: set[Stage] = set()
    for row, group in enumerate(kinds.values(), 1):
        axis = "" if row == 1 else str(row)
        names = [esc(p.id) for p in group]
        for stage in STAGES:
            values = [p.by_stage[stage].total if stage in p.by_stage else 0.0 for p in group]
            if not any(values):
                continue
            traces.append(
                {
                    "type": "bar",
                    "x": values,
                    "y": names,
                    "orientation": "h",
                    "name": STAGE_LABELS[stage],
                    "legendgroup": stage.value,
                    "showlegend": stage not in shown,
                    "marker": {"color": STAGE_COLOURS[stage]},
                    "hovertemplate": "%{y}<br>" + STAGE_LABELS[stage] + ": %{x:.4g}<extra></extra>",
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
            shown.add(stage)
        layout[f"yaxis{axis}"]["automargin"] = True
    units = {p.climate_change.unit for p in products}
    last = "" if len(kinds) == 1 else str(len(kinds))
    layout[f"xaxis{last}"]["title"] = _title(f"{' / '.join(sorted(units))} per FU")
    layout.update(
        LAYOUT,
        barmode="relative",
        title=_title("Portfolio: climate change per functional unit by life-cycle stage"),
        legend=LEGEND_BELOW,
        height=160 + sum(60 + 34 * len(g) for g in kinds.values()),
    )
    return {"data": traces, "layout": layout}


def _largest(group: list[ProductResult], n: int) -> list[ProductResult]:
    """The ``n`` products with the largest climate change per FU (ties: the first listed)."""
    ranked = sorted(enumerate(group), key=lambda item: (-item[1].climate_change.total, item[0]))
    return [product for _, product in ranked[:n]]


def _panels(titles: list[str], spacing: float) -> dict[str, Any]:
    """The layout of ``make_subplots(rows=len(titles), cols=1, subplot_titles=titles,
    vertical_spacing=spacing)``: one panel per title, top to bottom, each with its title above
    it (the same arithmetic, without building plotly's objects)."""
    rows = len(titles)
    height = (1.0 - spacing * (rows - 1)) / rows
    heights = [height] * rows
    layout: dict[str, Any] = {"annotations": []}
    for r in range(rows):
        row = rows - 1 - r  # plotly's grid counts rows from the bottom
        start = sum(heights[:row]) + row * spacing
        end = start + heights[-1 - r]
        start = 0.0 if -0.01 < start < 0.0 else start
        end = 1.0 if 1.0 < end < 1.01 else end
        axis = "" if r == 0 else str(r + 1)
        layout[f"xaxis{axis}"] = {"anchor": f"y{axis}", "domain": [0.0, 1.0]}
        layout[f"yaxis{axis}"] = {"anchor": f"x{axis}", "domain": [start, end]}
        layout["annotations"].append(
            {
                "font": {"size": 16},
                "showarrow": False,
                "text": titles[r],
                "x": 0.5,
                "xanchor": "center",
                "xref": "paper",
                "y": end,
                "yanchor": "bottom",
                "yref": "paper",
            }
        )
    return layout


def product_figures(product: ProductResult) -> dict[str, go.Figure]:
    """The figures of one product that have something to show, by kind."""
    candidates = {
        "stages": stage_figure(product),
        "bom": bom_figure(product),
        "materials": material_figure(product),
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
