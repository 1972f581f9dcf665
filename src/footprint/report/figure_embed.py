"""Figures in a self-contained HTML page: plotly.js and the chart template once, each figure
as JSON beside its (empty) div, drawn in the browser.

A report of thousands of products holds tens of thousands of charts.  Drawing them all when
the page opens would take the browser minutes, and writing each one with plotly's own
``to_html`` repeats the template (~10 KB) in every figure.  So the page carries the template
once (``plotly_scripts``), every figure as compact JSON in a ``<script type="application/
json">`` beside its div (``figure_html``), and a small script that draws a figure when its div
comes near the viewport.  A page with only a few figures (up to ``EAGER_FIGURES``) draws them
all at once, as before; before printing, every figure not yet drawn is drawn.  Nothing is
loaded from the network.

JSON inside a script element is made inert: ``<``, ``>`` and ``&`` are written as ``\\u003c``
and so on, so no text in a figure (a product name ``</script><script>…``) can end the element.
"""

from __future__ import annotations

import json
import math
from typing import Any

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from footprint.report.figures import Spec, template_json

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
EAGER_FIGURES = 60  # up to this many figures on a page: all drawn when it opens

DRAW_SCRIPT = """
function footprintDrawFigures() {
  var templateText = document.getElementById("footprint-plotly-template").textContent;
  var config = JSON.parse(document.getElementById("footprint-plotly-config").textContent);
  var pending = Array.prototype.slice.call(document.querySelectorAll("div[data-figure]"));
  function draw(div) {
    if (div.hasAttribute("data-drawn")) { return; }
    div.setAttribute("data-drawn", "");
    var figure = JSON.parse(document.getElementById(div.id + "-data").textContent);
    figure.layout = figure.layout || {};
    figure.layout.template = JSON.parse(templateText);
    Plotly.newPlot(div, figure.data, figure.layout, config);
  }
  window.addEventListener("beforeprint", function () { pending.forEach(draw); });
  if (pending.length <= EAGER_FIGURES || !("IntersectionObserver" in window)) {
    pending.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
    });
  }, {rootMargin: "800px 0px"});
  pending.forEach(function (div) { observer.observe(div); });
}
document.addEventListener("DOMContentLoaded", footprintDrawFigures);
""".replace("EAGER_FIGURES", str(EAGER_FIGURES))


def script_json(data: Any) -> str:
    """JSON that cannot end the script element holding it."""
    text = _dumps(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _dumps(data: Any) -> str:
    try:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # numpy values or a non-finite number: plotly's encoder
        import plotly.io as pio  # writes them as JSON (NaN and inf as null)

        return str(pio.to_json(data, validate=False, pretty=False))


def plotly_scripts() -> str:
    """plotly.js, the chart template, the config and the drawing script, for the page head."""
    return (
        f'<script type="text/javascript">{get_plotlyjs()}</script>\n'
        '<script type="application/json" id="footprint-plotly-template">'
        f"{script_json(template_json())}</script>\n"
        '<script type="application/json" id="footprint-plotly-config">'
        f"{script_json(PLOTLY_CONFIG)}</script>\n"
        f"<script>{DRAW_SCRIPT}</script>"
    )


def figure_html(figure: go.Figure | Spec, div_id: str) -> str:
    """The figure's div (its height kept free, so the page does not jump when it is drawn)
    and its JSON; drawn by ``plotly_scripts``' script.  ``div_id`` must be unique and plain
    (the caller's own counter, never user text)."""
    spec: Spec = figure if isinstance(figure, dict) else figure.to_plotly_json()
    layout = dict(spec.get("layout") or {})
    layout.pop("template", None)  # the page's one template is used
    height = layout.get("height")
    finite = isinstance(height, int | float) and math.isfinite(height)
    size = f"height:{height:.0f}px" if finite else "height:100%"
    data = script_json({"data": spec.get("data", []), "layout": layout})
    return (
        f'<div id="{div_id}" class="plotly-graph-div" data-figure style="{size}; width:100%;">'
        f'</div><script type="application/json" id="{div_id}-data">{data}</script>'
    )
