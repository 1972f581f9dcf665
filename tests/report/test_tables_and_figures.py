"""The tidy DataFrame and the plotly figures read the assessment faithfully."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from footprint.model import STAGES, Assessment, ClimateChange, Stage
from footprint.report.figures import (
    assessment_figures,
    bom_figure,
    cff_figure,
    recycled_content_figure,
    stage_figure,
)


def test_dataframe_is_product_by_line_by_indicator(assessment: Assessment):
    frame = assessment.to_dataframe()
    n_lines = sum(len(p.lines) for p in assessment.products)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 5 * n_lines
    assert set(frame["indicator"]) == {
        "climate change",
        "climate change, fossil",
        "climate change, biogenic",
        "climate change, land use and land use change",
        "climate change, not split",
    }
    totals = frame[frame["indicator"] == "climate change"]
    for product in assessment.products:
        mine = totals[totals["product"] == product.id]
        # the lines of a product add up to its total (hand check with an exact sum)
        assert math.fsum(mine["value"]) == math.fsum(
            line.climate_change.total for line in product.lines
        )
        assert math.isclose(mine["value"].sum(), product.climate_change.total, rel_tol=1e-12)
        by_stage = mine.groupby("stage")["value"].sum()
        # Under the CFF the raw-material lines nmc and housing carry their end-of-life parts
        # (credit + energy + disposal: −0.7 + 0 + 0.05 and 4.6 + 0 + 0.12 = 4.07 by hand), which
        # by_stage shows under end of life; a cut-off product's lines match its stages.
        moved = 4.07 if product.eol_model == "cff" else 0.0
        for stage in STAGES:
            expected = product.by_stage[stage].total
            if stage == Stage.RAW_MATERIALS:
                expected += moved
            elif stage == Stage.END_OF_LIFE:
                expected -= moved
            assert math.isclose(by_stage.get(stage.value, 0.0), expected, abs_tol=1e-12)
        cut_off = mine["value_cut_off"]
        if product.eol_model == "cff":
            cff = product.circularity.cff
            assert math.isclose(cut_off.sum(), cff.cut_off_total, rel_tol=1e-12)
        else:
            assert cut_off.isna().all()
    nmc = frame[(frame["line"] == "nmc") & (frame["indicator"] == "climate change, fossil")]
    assert nmc["value"].item() == 0.1 + 0.2 + 54.45
    assert nmc["value_cut_off"].item() == 0.1 + 0.2 + 61.3
    assert nmc["note"].item().startswith("CFF figure of nmc811")
    assert math.isnan(nmc["share_of_product"].item())  # a share of the total only
    assert nmc["extra.batch"].item() == "@SUM(A1)"
    assert frame["value"].dtype == "float64" and frame["row"].dtype == "Int64"


def test_figures_for_notebooks(assessment: Assessment):
    figures = assessment.figures()
    assert set(figures) == {
        "portfolio",
        "BP-48V/stages",
        "BP-48V/bom",
        "BP-48V/materials",
        "BP-48V/cff",
        "BP-48V/recycled_content",
        "BP-48V/compliance",
        "CH-65W/stages",
        "CH-65W/bom",
        "CH-65W/materials",
        "CH-65W/recycled_content",
        "CH-65W/compliance",
    }
    assert all(isinstance(f, go.Figure) for f in figures.values())
    one = assessment.model_copy(update={"products": assessment.products[:1]})
    assert "portfolio" not in assessment_figures(one)


def test_stage_figure_shows_each_stage_and_sub_indicator(assessment: Assessment):
    battery = assessment.products[0]
    fig = stage_figure(battery)
    fossil = next(t for t in fig.data if t.name == "Fossil")
    assert list(fossil.y) == [battery.by_stage[s].fossil for s in STAGES]
    total = next(t for t in fig.data if t.name == "Total")
    assert list(total.y) == [battery.by_stage[s].total for s in STAGES]
    # only the parts the data have are drawn: no legend entry for a series of zeros
    drawn = {t.name for t in fig.data}
    for field, name in (("biogenic", "Biogenic"), ("luluc", "Land use change")):
        has = any(getattr(battery.by_stage[s], field) for s in STAGES)
        assert (name in drawn) == has, name
    assert not any(t.name.startswith("Not split") for t in fig.data)  # everything is split here
    unsplit = battery.model_copy(
        update={"by_stage": {s: ClimateChange(total=1.0, not_split=1.0) for s in STAGES}}
    )
    names = [t.name for t in stage_figure(unsplit).data]
    assert names == ["Not split (no fossil/biogenic split in the data)", "Total"]


def test_bom_sunburst_follows_the_tree_and_escapes_names(assessment: Assessment):
    trace = bom_figure(assessment.products[0]).data[0]
    parent = dict(zip(trace.ids, trace.parents, strict=True))
    assert parent["cells / nmc"] == "cells"
    assert parent["cells / graphite"] == "cells"
    assert parent["housing"] == parent["cells"] == trace.ids[0]
    # under the CFF a line's hover text shows its cut-off figure too
    hover = dict(zip(trace.ids, trace.hovertext, strict=True))
    assert f"cut-off: {0.1 + 0.2 + 61.3 + 0.7:.4g}" in hover["cells / nmc"]
    # the end-of-life line counts 0 under the CFF: no area; no hover text lets markup through
    assert "eol" not in hover
    assert all("<script>" not in text for text in hover.values())
    assert "not drawn" not in bom_figure(assessment.products[0]).layout.title.text
    # a credit line (the end-of-life line under cut-off) cannot be an area: named in the title
    battery = assessment.products[0]
    lines = [
        ln.model_copy(update={"climate_change": ln.climate_change_cut_off})
        if ln.id == "eol"
        else ln
        for ln in battery.lines
    ]
    credit = bom_figure(battery.model_copy(update={"lines": lines}))
    assert min(credit.data[0].values) >= 0
    assert "credits of -2.8 not drawn" in credit.layout.title.text
    labels = " ".join(trace.labels)
    assert "<script>" not in labels and "&lt;script&gt;" in labels


def test_cff_waterfall_steps_add_up_to_the_cff_total(assessment: Assessment):
    battery = assessment.products[0]
    trace = cff_figure(battery).data[0]
    cff = battery.circularity.cff
    assert list(trace.measure) == ["relative"] * 5 + ["total"]
    # hand sums of the fixture: virgin 54.0 + 10.1, recycled 2.1 + 4.2, credit -0.7 + 4.6
    assert list(trace.y[:3]) == pytest.approx([64.1, 6.3, 3.9], rel=1e-12)
    assert math.isclose(sum(trace.y[:5]), cff.total, rel_tol=1e-12)
    assert cff_figure(assessment.products[1]) is None  # the charger has no CFF


def test_recycled_content_against_targets(assessment: Assessment):
    battery, charger = assessment.products
    bars, targets = recycled_content_figure(battery).data
    assert list(targets.x) == [0.16, 0.07, 0.06]  # the limits of the three element rules
    assert list(bars.x) == [0.16, 0.06, 0]  # nickel has no data: no bar, and it says so
    # lithium 6 % against 7 %: the gap is 1 point, by hand
    assert list(bars.text) == ["16.0%", "6.0%; gap 1.0 points", "no data"]
    assert list(bars.marker.color) == ["#2E7D32", "#C62828", "#F9A825"]
    no_targets = charger.model_copy(update={"checks": []})
    (by_material,) = recycled_content_figure(no_targets).data
    assert list(by_material.y) == [0.3]
