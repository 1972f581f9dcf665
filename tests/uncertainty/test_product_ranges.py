"""Ranges on the Products sheet (one draw per product, moving every line that takes the
product's value) and of the post-consumer share, against hand-computed probabilities and
spreads (within standard errors computed here); the Monte Carlo columns checked when the BOM
is read, with or without --iterations, and a BOM with ranges that is not sampled says so."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

# no DQR, no distribution: the datasets stay fixed, only the ranges move
DATASETS = """id,name,unit,climate_change,material,uncertainty_type
pr-pet,PET granulate,kg,3,pet,
pr-al,aluminium sheet,kg,10,aluminium,none
"""

N = 4000

RULES = """name: pr-company
title: Company recycled-content rules
categories: [pr-tray]
rules:
  - id: pet-min
    title: Recycled PET
    kind: min_recycled_content
    materials: [pet]
    limit: 0.32
    applies_to: {categories: [pr-tray]}
    source: {regulation: Company rule}
  - id: pet-post-consumer
    title: Post-consumer recycled PET
    kind: min_recycled_content
    materials: [pet]
    basis: post-consumer
    limit: 0.12
    applies_to: {categories: [pr-tray]}
    source: {regulation: Company rule}
"""

# lid and base take the product's R1 (one draw moves both); rim has its own R1 0.5 (fixed).
# Post-consumer: the lid's own 0.1 in 5–15 %, base and rim their own 0.15 and 0.3 (fixed).
TRAY_BOM = """id,parent,name,quantity,unit,dataset,stage,recycled_content,\
recycled_content_post_consumer,recycled_content_post_consumer_range
tray,,Tray,1,piece,,,,,
lid,tray,Lid,1,kg,pr-pet,raw materials,,0.1,5–15 %
base,tray,Base,1,kg,pr-pet,raw materials,,0.15,
rim,tray,Rim,2,kg,pr-pet,raw materials,0.5,0.3,
"""
TRAY_PRODUCTS = """product,name,category,recycled_content,recycled_content_range
tray,Tray,pr-tray,0.2,10–30 %
"""

# two aluminium lines without R1 of their own under the CFF, the product's R1 20–40 %
CAN_BOM = """id,parent,name,quantity,unit,dataset,stage
can,,Can,1,piece,,
body,can,Body,2,kg,pr-al,raw materials
lid,can,Lid,1,kg,pr-al,raw materials
"""
CAN_PRODUCTS = """product,name,eol_model,recycled_content,recycled_content_range
can,Can,cff,0.3,20–40 %
"""


# MCI: a's own R1 range 10–30 %, b's own R1 0; both take the product's R2 40–60 % (one draw)
CUP_BOM = """id,parent,name,quantity,unit,dataset,stage,recycled_content,recycled_content_range,\
reuse_share,eol_reuse_rate
cup,,Cup,1,piece,,,,,,
a,cup,A,1,kg,pr-pet,raw materials,0.2,10–30 %,0,0
b,cup,B,1,kg,pr-pet,raw materials,0,,0,0
"""
CUP_PRODUCTS = """product,name,eol_recycling_rate,eol_recycling_rate_range
cup,Cup,0.5,40–60 %
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, write_bom) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("product-ranges")
    (folder / "pr-datasets.csv").write_text(DATASETS, encoding="utf-8")
    (folder / "pr-rules.yaml").write_text(RULES, encoding="utf-8")
    return {
        "datasets": folder / "pr-datasets.csv",
        "rules": folder / "pr-rules.yaml",
        "tray": write_bom(folder, "tray", TRAY_BOM, TRAY_PRODUCTS),
        "can": write_bom(folder, "can", CAN_BOM, CAN_PRODUCTS),
        "cup": write_bom(folder, "cup", CUP_BOM, CUP_PRODUCTS),
    }


@pytest.fixture(scope="module")
def engine(files):
    import footprint

    return footprint.Engine([files["datasets"]])


def _binomial_error(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def test_products_sheet_range_moves_the_lines_that_take_the_products_value(
    engine, files, assess_and_simulate
):
    """R1 of lid and base = one draw U ~ U(0.1, 0.3) (the Products row), the rim's own 0.5:
    value = (1·U + 1·U + 2·0.5) / 4 = U/2 + 0.25, below 0.32 when U < 0.14: P = 0.04/0.2 = 0.2.
    (Two independent draws would give P(mean of two < 0.14) = 2·0.2² = 0.08.)
    Post-consumer: (1·V + 1·0.15 + 2·0.3) / 4 with V ~ U(0.05, 0.15) below 0.12 when
    V < −0.27: never; the deterministic value 0.2125 passes, and so does every draw."""
    assessment, result = assess_and_simulate(
        engine, files["tray"], [files["rules"]], iterations=N, seed=3
    )
    deterministic = {c.rule: c for c in assessment.products[0].checks}
    assert deterministic["pet-min"].value == pytest.approx(0.35)  # (0.2 + 0.2 + 1.0) / 4
    checks = {c.rule: c for c in result.products[0].checks}
    expected = 0.2
    assert abs(checks["pet-min"].probability_fail - expected) < 4 * _binomial_error(expected, N)
    assert checks["pet-min"].varied == [
        "base: R1 10–30 % (Products row) (not the footprint: cut-off model)",
        "lid: R1 10–30 % (Products row) (not the footprint: cut-off model)",
    ]
    # the value is U/2 + 0.25: its sd is 0.2/√12/2
    sd = 0.2 / math.sqrt(12) / 2
    assert abs(checks["pet-min"].value.sd - sd) < 4 * sd * math.sqrt(0.8 / (4 * N))
    post = checks["pet-post-consumer"]
    assert post.probability_fail == 0
    assert post.varied == ["lid: R1 post-consumer 5–15 % (not the footprint: cut-off model)"]
    assert post.value.mean == pytest.approx(0.2125, abs=4 * 0.1 / math.sqrt(12 * N) / 4)
    assert post.value.p2_5 == pytest.approx((0.05 + 0.0025 + 0.15 + 0.6) / 4, abs=0.002)


def test_products_sheet_range_under_the_cff_moves_both_lines_together(
    engine, files, assess_and_simulate
):
    """Both lines take R1 from the Products row: one draw, so their CFF figures are perfectly
    correlated: sd = (2 + 1) kg · |c1| · 0.2/√12, c1 = −Ev + A·Erecycled + (1 − A)·Ev·Qsin/Qp
    (PEF Annex I); independent draws would give √(2² + 1²)·|c1|·0.2/√12."""
    assessment, result = assess_and_simulate(engine, files["can"], [], iterations=N, seed=2)
    cff_lines = assessment.products[0].circularity.cff.lines
    assert {c.parameters["R1"].origin for c in cff_lines} == {"product"}
    e = {k: v.value for k, v in cff_lines[0].parameters.items()}
    c1 = -e["Ev"] + e["A"] * e["Erecycled"] + (1 - e["A"]) * e["Ev"] * e.get("Qsin/Qp", 1.0)
    assert c1 != 0
    sd = 3 * abs(c1) * 0.2 / math.sqrt(12)
    product = result.products[0]
    assert abs(product.total.sd - sd) < 4 * sd * math.sqrt(0.8 / (4 * N))
    deterministic = assessment.products[0].climate_change.total
    assert abs(product.total.mean - deterministic) < 4 * sd / math.sqrt(N)
    assert product.ranges == {
        "body": "R1 20–40 % (Products row)",
        "lid": "R1 20–40 % (Products row)",
    }


def test_bad_products_sheet_ranges_one_line_each_without_iterations(run_cli, files, tmp_path):
    """The Monte Carlo columns are checked when the file is read: exit 2 without --iterations."""
    bom = tmp_path / "bad.csv"
    bom.write_text(
        "product,id,parent,name,quantity,unit,dataset,stage,recycled_content,"
        "recycled_content_post_consumer,recycled_content_post_consumer_range,quantity_tolerance\n"
        "p1,a,,A,1,kg,pr-pet,raw materials,0.2,0.1,5–25 %,\n"
        "p1,b,,B,1,kg,pr-pet,raw materials,,,,5 percent\n"
        "p2,c,,C,1,kg,pr-pet,raw materials,,,,\n"
        "p3,d,,D,1,kg,pr-pet,raw materials,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.products.csv").write_text(
        "product,recycled_content,recycled_content_range,eol_recycling_rate,"
        "eol_recycling_rate_range,quantity_tolerance\n"
        "p1,0.2,30–10 %,,,\n"
        "p2,,10–30 %,0.5,,±5 %\n"
        "p3,0.2,10–30 %,0.5,40-60 %,\n",
        encoding="utf-8",
    )
    result = run_cli("assess", str(bom), "--datasets", str(files["datasets"]))
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    expected = [
        ("bad.products.csv, row 2", "recycled_content_range", "the low end must be below"),
        ("bad.products.csv, row 3", "recycled_content_range", "needs the product's own recycled"),
        ("bad.products.csv, row 3", "quantity_tolerance", "is a column of the BOM sheet's lines"),
        ("bad.csv, row 2", "recycled_content_post_consumer_range", "above R1 (20 %)"),
        ("bad.csv, row 3", "quantity_tolerance", "is not a tolerance"),
    ]
    assert len(errors) == len(expected), result.stderr
    for where, column, text in expected:
        assert any(where in e and f"column {column}" in e and text in e for e in errors), (
            where,
            column,
            text,
            errors,
        )
    assert "Traceback" not in result.stderr
    assert "p3" not in result.stderr  # its ranges are good


def test_ranges_without_iterations_say_they_were_not_sampled(run_cli, files, tmp_path):
    out = tmp_path / "tray.json"
    result = run_cli(
        "assess", str(files["tray"]), "--datasets", str(files["datasets"]), "--rules",
        str(files["rules"]), "--json", str(out), "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    warnings = [w for w in json.loads(out.read_text())["warnings"] if w.get("code")]
    (warning,) = [w for w in warnings if w["code"] == "monte-carlo-inputs-not-sampled"]
    assert warning["product"] == "tray"
    assert warning["subjects"] == [
        "recycled_content_post_consumer_range", "recycled_content_range",
    ]  # fmt: skip
    assert "recycled_content_range on the Products row" in warning["message"]
    assert "recycled_content_post_consumer_range on line lid" in warning["message"]
    assert "given but not sampled" in warning["message"]
    sampled = run_cli(
        "assess", str(files["tray"]), "--datasets", str(files["datasets"]), "--rules",
        str(files["rules"]), "--json", str(out), "--quiet", "--iterations", "200",
    )  # fmt: skip
    assert sampled.returncode == 0, sampled.stderr
    document = json.loads(out.read_text())
    codes = [w.get("code") for w in document["warnings"]]
    assert "monte-carlo-inputs-not-sampled" not in codes
    assert document["uncertainty"]["products"][0]["ranges"]["lid"].startswith("R1 10–30 %")


def test_mci_sampled_when_its_inputs_have_ranges(engine, files, assess_and_simulate):
    """EMF 2015 with EC = EF = 1 (none given: assumed), FU = CU = 0, X = 1 (F = 0.9), M = 2 kg:
    V = (1 − FRa) + 1, W = 2·(1 − CR), LFI = (V + W)/(2M) = 1 − FRa/4 − CR/2,
    MCI = 1 − 0.9·LFI = 0.1 + 0.225·FRa + 0.45·CR; FRa ~ U(0.1, 0.3), CR ~ U(0.4, 0.6) one
    draw for both lines: mean 0.37, sd = √(0.225² + 0.45²)·0.2/√12 (independent CR per line
    would give √(0.225² + 2·0.225²)·0.2/√12)."""
    assessment, result = assess_and_simulate(engine, files["cup"], [], iterations=N, seed=9)
    assert assessment.products[0].circularity.mci.mci == pytest.approx(0.37)  # 0.1+0.045+0.225
    mci = result.products[0].mci
    assert mci is not None and mci.not_sampled is None
    sd = math.sqrt(0.225**2 + 0.45**2) * 0.2 / math.sqrt(12)
    assert abs(mci.value.mean - 0.37) < 4 * sd / math.sqrt(N)
    assert abs(mci.value.sd - sd) < 4 * sd * math.sqrt(0.8 / (4 * N))
    assert mci.varied == [
        "a: R1 10–30 % (not the footprint: cut-off model)",
        "a: R2 40–60 % (Products row) (not the footprint: cut-off model)",
        "b: R2 40–60 % (Products row) (not the footprint: cut-off model)",
    ]
    # the extremes of a sum of two uniforms: within its support
    low = 0.1 + 0.225 * 0.1 + 0.45 * 0.4
    assert low < mci.value.p2_5 < mci.value.p97_5 < 0.1 + 0.225 * 0.3 + 0.45 * 0.6


def test_reports_show_the_mci_over_the_iterations(engine, files, assess_and_simulate, tmp_path):
    import openpyxl

    from footprint.model import json_schema

    assessment, result = assess_and_simulate(engine, files["cup"], [], iterations=300, seed=1)
    with_mc = assessment.model_copy(update={"uncertainty": result})
    document = json.loads(with_mc.to_json())
    mci = document["uncertainty"]["products"][0]["mci"]
    assert mci["value"]["mean"] == result.products[0].mci.value.mean
    assert "Material Circularity Indicator" in json.dumps(json_schema())
    sheet = openpyxl.load_workbook(with_mc.to_excel(tmp_path / "cup.xlsx"))["Uncertainty"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "Material Circularity Indicator (0–1)")
    assert rows[start + 2][:2] == ["cup", mci["value"]["mean"]]
    assert "a: R1 10–30 %" in rows[start + 2][6]
    page = with_mc.to_html(tmp_path / "cup.html").read_text(encoding="utf-8")
    assert "Material Circularity Indicator (0–1) over the Monte Carlo iterations" in page
    assert f"<td>{mci['value']['mean']:.3f}</td>" in page


def test_mci_without_varying_inputs_is_its_value(engine, tmp_path, write_bom, assess_and_simulate):
    """Nothing moves the MCI (no range, no tolerance): exactly the assessed MCI, sd 0, and
    ``varied`` empty — not sampling noise."""
    bom = write_bom(
        tmp_path,
        "plain",
        "id,parent,name,quantity,unit,dataset,stage,recycled_content,eol_recycling_rate\n"
        "cup,,Cup,1,piece,,,,\n"
        "a,cup,A,1,kg,pr-pet,raw materials,0.2,0.5\n",
        "product,name\ncup,Cup\n",
    )
    assessment, result = assess_and_simulate(engine, bom, [], iterations=200, seed=1)
    assessed = assessment.products[0].circularity.mci.mci
    assert assessed == pytest.approx(1 - 0.9 * ((1 - 0.2) + (1 - 0.5)) / 2)  # EMF 2015, X = 1
    mci = result.products[0].mci
    assert mci.varied == [] and mci.value.sd == 0 and mci.value.p2_5 == assessed


def test_mci_not_sampled_where_a_drawn_recycled_content_meets_ef_zero(
    engine, tmp_path, write_bom, assess_and_simulate
):
    """EF = 0 is a valid share and harmless while FR = 0 (WF = 0, EMF 2015), but WF = M·(1 −
    EF)·FR/EF is undefined once a draw gives FR > 0: the MCI is reported not sampled, with
    why, instead of a made-up EF."""
    bom = write_bom(
        tmp_path,
        "ef-zero",
        "id,parent,name,quantity,unit,dataset,stage,recycled_content,recycled_content_range,"
        "recycling_efficiency_feedstock,eol_recycling_rate\n"
        "cup,,Cup,1,piece,,,,,,\n"
        "a,cup,A,1,kg,pr-pet,raw materials,0,0–30 %,0,0.5\n",
        "product,name\ncup,Cup\n",
    )
    assessment, result = assess_and_simulate(engine, bom, [], iterations=200, seed=1)
    assert assessment.products[0].circularity.mci.mci == pytest.approx(1 - 0.9 * (1 + 0.5) / 2)
    mci = result.products[0].mci
    assert mci.value is None
    assert mci.not_sampled is not None and "EF = 0" in mci.not_sampled
