"""The uncertainty chart as plain plotly JSON: the same figure plotly's graph objects build
(the previous code's construction, kept here), and product ids and rule names inert in it and
in the HTML report."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import pytest

from tests.uncertainty.test_montecarlo import BOM, DATASETS, RULES

HOSTILE = '</script><script>alert(1)</script><b>bold</b><a href="x">&amp;'


@pytest.fixture(scope="module")
def with_mc(tmp_path_factory: pytest.TempPathFactory):
    import footprint
    from footprint.api import load_rules
    from footprint.uncertainty.montecarlo import simulate

    folder = tmp_path_factory.mktemp("mc-chart")
    (folder / "d.csv").write_text(DATASETS.format(ln5=math.log(5)), encoding="utf-8")
    (folder / "kit.csv").write_text(BOM, encoding="utf-8")
    (folder / "kit.products.csv").write_text(
        "product,name,category\nkit,Kit,test-kit\n", encoding="utf-8"
    )
    (folder / "r.yaml").write_text(RULES, encoding="utf-8")
    engine = footprint.Engine([folder / "d.csv"])
    assessment = engine.assess(folder / "kit.csv", rules=[folder / "r.yaml"])
    result = simulate(
        assessment, dict(engine.catalog.datasets), iterations=200, seed=3,
        rule_sets=load_rules([folder / "r.yaml"]),
    )  # fmt: skip
    product = result.products[0]
    checks = [c.model_copy(update={"rule": HOSTILE + "-rule"}) for c in product.checks]
    assert checks, "the kit has a footprint limit"
    hostile = product.model_copy(update={"product": HOSTILE, "checks": checks})
    result = result.model_copy(update={"products": [hostile]})
    return assessment.model_copy(update={"uncertainty": result})


def _graph_objects_figure(assessment):
    """The chart as the previous code built it with plotly's graph objects, user text escaped."""
    import plotly.graph_objects as go

    result = assessment.uncertainty
    figure = go.Figure()
    for product in result.products:
        stats = product.total
        name = html.escape(product.product)
        figure.add_trace(
            go.Box(
                name=name, q1=[stats.p25], median=[stats.median], q3=[stats.p75],
                lowerfence=[stats.p2_5], upperfence=[stats.p97_5], mean=[stats.mean],
                boxpoints=False, showlegend=False, hovertemplate="%{x}<extra></extra>",
                orientation="h",
            )
        )  # fmt: skip
        for check in product.checks:
            figure.add_trace(
                go.Scatter(
                    x=[check.limit], y=[name], mode="markers",
                    marker={"symbol": "line-ns-open", "size": 18, "color": "#C00000"},
                    name=f"{html.escape(check.rule)}: P(fail) {check.probability_fail:.1%}",
                )
            )  # fmt: skip
    figure.update_layout(
        title=f"Climate change per functional unit, {result.iterations} Monte Carlo iterations "
        "(whiskers: 2.5th and 97.5th percentiles)",
        xaxis_title="kg CO2-eq per functional unit",
        height=160 + 60 * len(result.products),
        margin={"l": 120, "r": 20, "t": 60, "b": 50},
    )
    return figure.to_plotly_json()


def test_spec_is_the_graph_objects_figure(with_mc) -> None:
    from footprint.report.uncertainty import uncertainty_spec

    expected = _graph_objects_figure(with_mc)
    expected["layout"].pop("template")
    spec = uncertainty_spec(with_mc)
    assert json.loads(json.dumps(spec)) == json.loads(json.dumps(expected))
    assert spec["data"][0]["name"] == html.escape(HOSTILE)


def test_hostile_ids_and_rules_are_inert_in_the_report(with_mc, tmp_path: Path) -> None:
    page = with_mc.to_html(tmp_path / "mc.html").read_text(encoding="utf-8")
    assert "alert(1)" in page  # the text is there ...
    assert "<script>alert(1)" not in page  # ... never as markup
    assert "<b>bold</b>" not in page and '<a href="x">' not in page
    start = page.index('<section id="uncertainty">')
    section = page[start : page.index("</section>", start)]
    data = section[section.index('type="application/json"') :]
    figure = json.loads(data[data.index(">") + 1 : data.index("</script>")])
    assert figure["data"][0]["name"] == html.escape(HOSTILE)  # plotly shows it as typed
    assert figure["data"][1]["name"].startswith(html.escape(HOSTILE + "-rule") + ": P(fail) ")
