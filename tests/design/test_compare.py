"""footprint compare: a pair of BOM revisions, every delta checked against hand arithmetic.

Revision B of the widget swaps the housing to recycled aluminium, removes the knob and raises
the frame's recycled content from 20 % to 50 %.  Factors (tests/design/conftest.py): virgin
aluminium 10, recycled aluminium 2, steel 3, PP 2.5 kg CO2-eq/kg; the French grid as shipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import openpyxl
import pytest

import footprint
from footprint.catalog import load_catalog
from footprint.cli import main
from footprint.comparison import comparison_schema
from footprint.errors import FootprintError
from footprint.model import STAGES, Stage
from footprint.report.summary import STAGE_LABELS

A = """product,id,name,quantity,unit,dataset,stage,recycled_content
widget,housing,Housing,2,kg,t-alu,raw materials,
widget,frame,Frame,1,kg,t-steel,raw materials,20 %
widget,knob,Knob,0.4,kg,t-pp,raw materials,
widget,power,Assembly power,4,kWh,electricity-grid-FR,manufacturing,
"""
B = """product,id,name,quantity,unit,dataset,stage,recycled_content
widget,housing,Housing,2,kg,t-alu-rec,raw materials,
widget,frame,Frame,1,kg,t-steel,raw materials,50 %
widget,power,Assembly power,4,kWh,electricity-grid-FR,manufacturing,
"""
PRODUCTS = "product,functional_unit\nwidget,{fu}\n"
REL = 1e-9


def _grid_fr() -> float:
    value = load_catalog().get("electricity-grid-FR").climate_change
    assert value is not None
    return value


@pytest.fixture
def pair_files(tmp_path: Path, boms) -> tuple[Path, Path]:
    a = boms.write(tmp_path, "widget-a", A, PRODUCTS.format(fu="1 widget"))
    b = boms.write(tmp_path, "widget-b", B, PRODUCTS.format(fu="1 widget"))
    return a, b


def test_pair_deltas_per_line_stage_total_and_checks(engine, rules, pair_files) -> None:
    a, b = pair_files
    comparison = footprint.compare(a, b, rules=[rules], engine=engine)
    assert [p.base.id for p in comparison.pairs] == ["widget"]
    pair = comparison.pairs[0]
    power = 4 * _grid_fr()
    a_total = 2 * 10 + 1 * 3 + 0.4 * 2.5 + power  # 24 + power
    b_total = 2 * 2 + 1 * 3 + power  # 7 + power
    cc = pair.climate_change
    assert cc.before.total == pytest.approx(a_total, rel=1e-6)
    assert cc.after.total == pytest.approx(b_total, rel=1e-6)
    assert cc.delta.total == pytest.approx(-17, rel=1e-6)
    assert cc.percent == pytest.approx(-1700 / a_total, rel=1e-6)
    # no sub-indicators given: all of it is "not split", none invented as fossil
    assert cc.delta.not_split == pytest.approx(-17, rel=1e-6) and cc.delta.fossil == 0
    # stages: everything but the grid line is raw materials
    rm = pair.by_stage[Stage.RAW_MATERIALS]
    assert (rm.before.total, rm.after.total) == (
        pytest.approx(24, rel=REL),
        pytest.approx(7, rel=REL),
    )
    assert pair.by_stage[Stage.MANUFACTURING].delta.total == pytest.approx(0, abs=1e-12)
    assert pair.by_stage[Stage.DISTRIBUTION].delta.total == 0
    # lines
    lines = {(d.before or d.after).id: d for d in pair.lines}
    housing, frame, knob, grid = lines["housing"], lines["frame"], lines["knob"], lines["power"]
    assert (housing.status, housing.matched_by, housing.changed_fields) == (
        "changed", "id", ["dataset"],
    )  # fmt: skip
    assert housing.climate_change.delta.total == pytest.approx(2 * 2 - 2 * 10, rel=REL)
    assert housing.share_of_difference == pytest.approx(16 / 17, rel=1e-6)
    assert housing.rank == 1
    assert (knob.status, knob.after, knob.rank) == ("removed", None, 2)
    assert knob.climate_change.delta.total == pytest.approx(-0.4 * 2.5, rel=REL)
    assert knob.share_of_difference == pytest.approx(1 / 17, rel=1e-6)
    assert (frame.status, frame.changed_fields, frame.rank) == (
        "changed",
        ["recycled_content"],
        None,
    )
    assert (frame.before.recycled_content, frame.after.recycled_content) == (0.2, 0.5)
    assert frame.climate_change.delta.total == 0  # cut-off: recycled content moves no figure
    assert (grid.status, grid.rank) == ("unchanged", None)
    assert sum(d.climate_change.delta.total for d in pair.lines) == pytest.approx(cc.delta.total)
    assert [d.rank for d in pair.ranked_lines()] == [1, 2]
    # circularity: mass-weighted R1 over housing, frame, knob
    rc = pair.circularity
    assert rc.recycled_share.before == pytest.approx((2 * 0 + 1 * 0.2 + 0.4 * 0) / 3.4, rel=REL)
    assert rc.recycled_share.after == pytest.approx((2 * 1 + 1 * 0.5) / 3, rel=REL)
    assert (rc.by_element["Fe"].before, rc.by_element["Fe"].after) == (
        pytest.approx(0.2), pytest.approx(0.5),
    )  # fmt: skip
    assert rc.by_element["Al"].delta == pytest.approx(1.0)
    assert pair.mass_kg.delta == pytest.approx(-0.4, rel=REL)
    # checks: iron share against 30 %, footprint against 23 kg CO2-eq
    checks = {c.rule: c for c in pair.checks}
    iron = checks["steel-recycled"]
    assert (iron.status_before, iron.status_after, iron.status_changed) == ("fail", "pass", True)
    assert iron.margin.before == pytest.approx(0.2 - 0.3, rel=REL)
    assert iron.margin.after == pytest.approx(0.5 - 0.3, rel=REL)
    ceiling = checks["ceiling"]
    assert (ceiling.status_before, ceiling.status_after) == ("fail", "pass")
    assert ceiling.margin.before == pytest.approx(23 - a_total, rel=1e-6)
    assert ceiling.margin.after == pytest.approx(23 - b_total, rel=1e-6)
    assert [c.rule for c in pair.changed_checks()] == ["steel-recycled", "ceiling"]


def test_lines_match_by_path_then_dataset(engine, tmp_path: Path, boms) -> None:
    renumbered = B.replace("widget,housing,Housing", "widget,h-200,Housing").replace(
        "widget,power,Assembly power", "widget,pw-9,Mains power"
    )
    a = boms.write(tmp_path, "a", A)
    b = boms.write(tmp_path, "b", renumbered)
    pair = footprint.compare(a, b, engine=engine).pairs[0]
    by_before = {d.before.id: d for d in pair.lines if d.before}
    assert (by_before["housing"].matched_by, by_before["housing"].after.id) == ("path", "h-200")
    assert (by_before["power"].matched_by, by_before["power"].after.id) == ("dataset", "pw-9")
    assert by_before["power"].status == "unchanged"
    assert by_before["knob"].status == "removed"
    assert not [d for d in pair.lines if d.status == "added"]


def test_different_functional_units_are_refused_or_normalised(engine, tmp_path: Path, boms) -> None:
    a = boms.write(tmp_path, "a", A, PRODUCTS.format(fu="1 widget"))
    b = boms.write(tmp_path, "b", B, PRODUCTS.format(fu="2 widgets"))
    with pytest.raises(FootprintError, match="different functional units"):
        footprint.compare(a, b, engine=engine)
    # B is per 2 widgets: half a B functional unit per widget
    pair = footprint.compare(a, b, engine=engine, fu_ratio=0.5).pairs[0]
    power = 4 * _grid_fr()
    assert pair.climate_change.after.total == pytest.approx(0.5 * (7 + power), rel=1e-6)
    housing = next(d for d in pair.lines if d.before and d.before.id == "housing")
    assert housing.climate_change.delta.total == pytest.approx(0.5 * 4 - 20, rel=REL)
    assert pair.fu_ratio == 0.5 and "multiplied by 0.5" in pair.notes[0]


def test_added_line_and_products_without_counterpart(engine, tmp_path: Path, boms) -> None:
    more = B + "widget,screws,Screws,0.1,kg,t-steel,raw materials,\n"
    more += "gadget,body,Body,1,kg,t-pp,raw materials,\n"
    a = boms.write(tmp_path, "a", A)
    b = boms.write(tmp_path, "b", more)
    comparison = footprint.compare(a, b, engine=engine)
    pair = comparison.pairs[0]
    screws = next(d for d in pair.lines if d.after and d.after.id == "screws")
    assert (screws.status, screws.before) == ("added", None)
    assert screws.climate_change.delta.total == pytest.approx(0.1 * 3, rel=REL)
    assert [(u.id, u.side) for u in comparison.unmatched] == [("gadget", "alternative")]


def _run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


def test_cli_compare_writes_json_valid_against_its_schema(
    engine, library: Path, rules: Path, pair_files, tmp_path: Path, capsys
) -> None:
    a, b = pair_files
    out = tmp_path / "out" / "cmp.json"
    argv = ["compare", str(a), str(b), "-d", str(library), "-r", str(rules), "--json", str(out)]
    assert _run([*argv, "--xlsx", str(tmp_path / "out" / "cmp.xlsx")]) == 0
    printed = capsys.readouterr().out
    assert "steel-recycled: fail → pass" in printed
    assert "1. housing [changed: dataset] -16 (94% of Δ)" in printed
    assert "2. knob [removed] -1 (6% of Δ)" in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(document, comparison_schema())
    assert document["pairs"][0]["climate_change"]["delta"]["total"] == pytest.approx(-17, rel=1e-6)
    assert _run(["compare", "--schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Comparison"


def test_cli_refuses_different_functional_units_with_one_line(
    engine, library: Path, tmp_path: Path, boms, capsys
) -> None:
    a = boms.write(tmp_path, "a", A, PRODUCTS.format(fu="1 widget"))
    b = boms.write(tmp_path, "b", B, PRODUCTS.format(fu="1 kg of widget"))
    out = tmp_path / "cmp.json"
    assert _run(["compare", str(a), str(b), "-d", str(library), "--json", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "different functional units" in err[0] and "--fu-ratio" in err[0]
    assert not out.exists()


def test_quantity_and_country_changes_are_named(engine, tmp_path: Path, boms) -> None:
    a_text = A.replace("recycled_content\n", "recycled_content,country\n").replace(",\n", ",,\n")
    a_text = a_text.replace("20 %\n", "20 %,\n")
    b_text = a_text.replace("widget,knob,Knob,0.4,", "widget,knob,Knob,0.6,").replace(
        "t-steel,raw materials,20 %,", "t-steel,raw materials,20 %,CN"
    )
    a = boms.write(tmp_path, "a", a_text)
    b = boms.write(tmp_path, "b", b_text)
    pair = footprint.compare(a, b, engine=engine).pairs[0]
    lines = {(d.before or d.after).id: d for d in pair.lines}
    knob, frame = lines["knob"], lines["frame"]
    assert (knob.status, knob.changed_fields) == ("changed", ["quantity"])
    assert (knob.before.quantity, knob.after.quantity) == (0.4, 0.6)
    assert knob.climate_change.delta.total == pytest.approx(0.2 * 2.5, rel=1e-6)
    assert (frame.status, frame.changed_fields) == ("changed", ["country"])
    assert (frame.before.country, frame.after.country) == (None, "CN")
    assert frame.climate_change.delta.total == 0  # same dataset: the factor does not move
    assert pair.climate_change.delta.total == pytest.approx(0.5, rel=1e-6)


def _embedded_figures(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/json" id="figure-\d+-data">(.*?)</script>', html)
    return [json.loads(text) for text in found]


def test_html_report_stage_bars_waterfall_and_check_changes(
    engine, library: Path, rules: Path, pair_files, tmp_path: Path
) -> None:
    a, b = pair_files
    html, xlsx = tmp_path / "cmp.html", tmp_path / "cmp.xlsx"
    argv = ["compare", str(a), str(b), "-d", str(library), "-r", str(rules)]
    assert _run([*argv, "--html", str(html), "--xlsx", str(xlsx)]) == 0
    text = html.read_text(encoding="utf-8")
    power = 4 * _grid_fr()
    a_total, b_total = 24 + power, 7 + power
    figures = _embedded_figures(text)
    assert len(figures) == 2
    # grouped bars: one trace per side, one bar per stage
    bars = figures[0]
    assert bars["layout"]["barmode"] == "group"
    assert [t["type"] for t in bars["data"]] == ["bar", "bar"]
    labels = [STAGE_LABELS[s] for s in STAGES]
    by_stage = [dict(zip(t["x"], t["y"], strict=True)) for t in bars["data"]]
    assert list(by_stage[0]) == labels
    expected_before = {Stage.RAW_MATERIALS: 24, Stage.MANUFACTURING: power}
    expected_after = {Stage.RAW_MATERIALS: 7, Stage.MANUFACTURING: power}
    for stage in STAGES:
        label = STAGE_LABELS[stage]
        assert by_stage[0][label] == pytest.approx(expected_before.get(stage, 0), rel=1e-6)
        assert by_stage[1][label] == pytest.approx(expected_after.get(stage, 0), rel=1e-6)
    # waterfall from A's total through housing (−16) and knob (−1) to B's total
    (fall,) = figures[1]["data"]
    assert fall["type"] == "waterfall"
    assert fall["measure"] == ["absolute", "relative", "relative", "total"]
    assert fall["x"][1:3] == ["housing (changed)", "knob (removed)"]
    assert fall["x"][0] == "widget-a.csv" and fall["x"][3] == "widget-b.csv"
    assert fall["y"][0] == pytest.approx(a_total, rel=1e-6)
    assert fall["y"][1:3] == [pytest.approx(2 * 2 - 2 * 10), pytest.approx(-0.4 * 2.5)]
    assert fall["y"][0] + sum(fall["y"][1:3]) == pytest.approx(b_total, rel=1e-6)
    # the check changes, status before → after and both margins
    checks = text.split("<h3>Check changes</h3>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", checks)
    iron = next(r for r in rows if "steel-recycled" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", iron)
    assert "fail</span> → <span" in cells[1] and cells[1].endswith("pass</span>")
    assert cells[2:7] == ["20.0%", "50.0%", "30.0%", "-10.0%", "20.0%"]
    ceiling = next(r for r in rows if "ceiling" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", ceiling)
    assert float(cells[5].replace(",", "")) == pytest.approx(23 - a_total, rel=1e-3)
    assert float(cells[6].replace(",", "")) == pytest.approx(23 - b_total, rel=1e-3)


def test_comparison_sheet_side_by_side_ranked_lines_and_changed_checks(
    engine, library: Path, rules: Path, pair_files, tmp_path: Path
) -> None:
    a, b = pair_files
    xlsx = tmp_path / "cmp.xlsx"
    argv = ["compare", str(a), str(b), "-d", str(library), "-r", str(rules)]
    assert _run([*argv, "--xlsx", str(xlsx)]) == 0
    workbook = openpyxl.load_workbook(xlsx)
    assert workbook.sheetnames[0] == "Comparison"
    rows = [[c.value for c in row] for row in workbook["Comparison"].iter_rows()]
    first = [r[0] for r in rows]
    power = 4 * _grid_fr()
    a_total, b_total = 24 + power, 7 + power
    total = rows[first.index("Climate change")]
    assert total[2:5] == [
        pytest.approx(a_total, rel=1e-6),
        pytest.approx(b_total, rel=1e-6),
        pytest.approx(-17, rel=1e-6),
    ]
    assert total[5] == pytest.approx(-1700 / a_total, rel=1e-6)
    raw = rows[first.index(f"  {STAGE_LABELS[Stage.RAW_MATERIALS]}")]
    assert raw[2:5] == [pytest.approx(24), pytest.approx(7), pytest.approx(-17)]
    start = first.index("Lines that explain most of the difference") + 2  # after the header
    ranked = [r[:6] for r in rows[start : start + 2]]
    assert ranked == [
        [1, "housing", "changed", "dataset", pytest.approx(-16), pytest.approx(16 / 17)],
        [2, "knob", "removed", None, pytest.approx(-1), pytest.approx(1 / 17)],
    ]
    assert rows[start + 2][0] in (None, "")
    start = first.index("Checks whose status changes") + 2
    changed = {r[1]: r for r in rows[start : start + 2]}
    iron, ceiling = changed["steel-recycled"], changed["ceiling"]
    assert iron[3:5] == ["fail", "pass"] and ceiling[3:5] == ["fail", "pass"]
    assert iron[9:11] == [pytest.approx(-0.1), pytest.approx(0.2)]
    assert ceiling[9:11] == [pytest.approx(23 - a_total, rel=1e-6), pytest.approx(23 - b_total)]


def test_cli_pair_compares_two_products_of_one_file_and_renamed_products(
    engine, library: Path, tmp_path: Path, boms, capsys
) -> None:
    both = A + B.split("\n", 1)[1].replace("widget,", "widget-c,")
    one = boms.write(tmp_path, "both", both)
    out = tmp_path / "pair.json"
    argv = ["compare", str(one), "-d", str(library), "--pair", "widget=widget-c"]
    assert _run([*argv, "--json", str(out)]) == 0
    (pair,) = json.loads(out.read_text(encoding="utf-8"))["pairs"]
    assert (pair["base"]["id"], pair["alternative"]["id"]) == ("widget", "widget-c")
    assert pair["climate_change"]["delta"]["total"] == pytest.approx(2 * 2 - 2 * 10 - 0.4 * 2.5)
    # two files, one product renamed: paired by id where ids agree, the renamed one only
    # with --pair (a single product on each side would be paired as the only products)
    gadget = "gadget,body,Body,1,kg,t-pp,raw materials,\n"
    a = boms.write(tmp_path, "a", A + gadget)
    c = boms.write(tmp_path, "c", B.replace("widget,", "widget-c,") + gadget)
    assert _run(["compare", str(a), str(c), "-d", str(library), "--json", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [(p["base"]["id"], p["paired_by"]) for p in document["pairs"]] == [("gadget", "id")]
    assert {(u["id"], u["side"]) for u in document["unmatched"]} == {
        ("widget", "base"), ("widget-c", "alternative"),
    }  # fmt: skip
    capsys.readouterr()
    argv = ["compare", str(a), str(c), "-d", str(library), "--pair", "widget=widget-c"]
    assert _run([*argv, "--json", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    pairs = {p["base"]["id"]: p for p in document["pairs"]}
    assert pairs["widget"]["alternative"]["id"] == "widget-c" and not document["unmatched"]
    assert pairs["widget"]["climate_change"]["delta"]["total"] == pytest.approx(-17, rel=1e-6)
    assert pairs["gadget"]["climate_change"]["delta"]["total"] == 0
    # a pair not written OLD=NEW: exit 2, one line naming the option
    capsys.readouterr()
    assert _run(["compare", str(a), str(c), "-d", str(library), "--pair", "widget"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--pair widget: write OLD-ID=NEW-ID" in err[0], err
