"""Ranges of recycled content and end-of-life rates in the Monte Carlo: failing probabilities of
recycled-content and end-of-life-rate checks against hand-computed fractions of the ranges
(within binomial standard errors computed here), the CFF figure's spread against the CFF's
own formula, and bad ranges as one line each."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

# no DQR and no distribution (the aluminium, which Nuss & Eckelman cover, declared fixed):
# the datasets stay fixed, only the ranges move
DATASETS = """id,name,unit,climate_change,material,uncertainty_type
rg-pet,PET granulate,kg,3,pet,
rg-cathode,cathode powder,kg,20,cobalt,
rg-al,aluminium sheet,kg,10,aluminium,none
"""

N = 4000

PET_RULES = """name: rg-company
title: Company recycled-content rules
categories: [rg-bottle]
rules:
  - id: pet-min
    title: Recycled PET
    kind: min_recycled_content
    materials: [pet]
    limit: 0.18
    applies_to: {categories: [rg-bottle]}
    source: {regulation: Company rule}
  - id: pet-recovery
    title: PET recovered at end of life
    kind: min_eol_recycling_rate
    materials: [pet]
    basis: recovery
    limit: 0.75
    applies_to: {categories: [rg-bottle]}
    source: {regulation: Company rule}
"""

PET_BOM = """id,parent,name,quantity,unit,dataset,stage,recycled_content,recycled_content_range,\
eol_recycling_rate,eol_recycling_rate_range,eol_energy_recovery_rate
bottle,,Bottle,1,piece,,,,,,,
body,bottle,Body,0.5,kg,rg-pet,raw materials,0.2,15–25 %,0.7,60-80%,0.1
"""

BATTERY_BOM = """id,parent,name,quantity,unit,dataset,stage,composition,active_material,\
recycled_content,recycled_content_range
pack,,Pack,1,piece,,,,,,
cathode-a,pack,Cathode A,2,kg,rg-cathode,raw materials,Co 10 %,yes,0.15,0–30 %
cathode-b,pack,Cathode B,1,kg,rg-cathode,raw materials,Co 20 %,yes,0.1,
"""

CFF_BOM = """id,parent,name,quantity,unit,dataset,stage,recycled_content,recycled_content_range,\
eol_recycling_rate,eol_recycling_rate_range
can,,Can,1,piece,,,,,,
sheet,can,Sheet,2,kg,rg-al,raw materials,0.3,20–40 %,0.6,0.5-0.7
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, write_bom) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ranges")
    (folder / "rg-datasets.csv").write_text(DATASETS, encoding="utf-8")
    (folder / "rg-rules.yaml").write_text(PET_RULES, encoding="utf-8")
    return {
        "datasets": folder / "rg-datasets.csv",
        "rules": folder / "rg-rules.yaml",
        "pet": write_bom(
            folder, "bottle", PET_BOM, "product,name,category\nbottle,Bottle,rg-bottle\n"
        ),
        "battery": write_bom(
            folder,
            "pack",
            BATTERY_BOM,
            "product,name,category,placed_on_market\npack,Pack,ev-battery,2032-01-01\n",
        ),
        "cff": write_bom(folder, "can", CFF_BOM, "product,name,eol_model\ncan,Can,cff\n"),
    }


@pytest.fixture(scope="module")
def engine(files):
    import footprint

    return footprint.Engine([files["datasets"]])


def _binomial_error(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def test_uniform_recycled_content_range_against_a_company_minimum(
    engine, files, assess_and_simulate
) -> None:
    """R1 ~ U(0.15, 0.25) against a minimum of 0.18: P(fail) = (0.18 − 0.15) / 0.10 = 0.3.
    R2 ~ U(0.6, 0.8) + R3 0.1 against a recovery minimum of 0.75: P(fail) = 0.05 / 0.2 = 0.25."""
    assessment, result = assess_and_simulate(
        engine, files["pet"], [files["rules"]], iterations=N, seed=4
    )
    deterministic = {c.rule: c for c in assessment.products[0].checks}
    assert deterministic["pet-min"].status == "pass"  # 0.2 ≥ 0.18
    assert deterministic["pet-recovery"].status == "pass"  # 0.8 ≥ 0.75
    checks = {c.rule: c for c in result.products[0].checks}
    for rule, expected in (("pet-min", 0.3), ("pet-recovery", 0.25)):
        check = checks[rule]
        assert check.kind == "share"
        assert abs(check.probability_fail - expected) < 4 * _binomial_error(expected, N), rule
        assert check.probability_pass == pytest.approx(1 - check.probability_fail)
    assert checks["pet-min"].varied == ["body: R1 15–25 % (not the footprint: cut-off model)"]
    assert checks["pet-recovery"].varied == ["body: R2 60–80 % (not the footprint: cut-off model)"]
    # the mean of a uniform share is its midpoint
    assert checks["pet-min"].value.mean == pytest.approx(0.2, abs=4 * 0.1 / math.sqrt(12 * N))
    assert result.products[0].ranges == {
        "body": "R1 15–25 % (not the footprint: cut-off model); "
        "R2 60–80 % (not the footprint: cut-off model)"
    }
    # under the cut-off model the footprint does not depend on R1/R2: it stays fixed
    assert result.products[0].total.sd == 0


def test_art8_cobalt_with_one_ranged_cathode(engine, files, assess_and_simulate) -> None:
    """Co share = (0.2 kg·U(0, 0.3) + 0.2 kg·0.1) / 0.4 kg = U/2 + 0.05 against the 2031
    minimum of 16 %: it fails when U < 0.22, P = 0.22 / 0.30."""
    assessment, result = assess_and_simulate(
        engine, files["battery"], ["eu-battery-regulation"], iterations=N, seed=8
    )
    deterministic = {c.rule: c for c in assessment.products[0].checks}
    assert deterministic["art8-cobalt"].value == pytest.approx(0.125)  # (0.03 + 0.02) / 0.4
    assert deterministic["art8-cobalt"].limit == pytest.approx(0.16)
    check = next(c for c in result.products[0].checks if c.rule == "art8-cobalt")
    expected = 0.22 / 0.30
    assert abs(check.probability_fail - expected) < 4 * _binomial_error(expected, N)
    assert check.varied == ["cathode-a: R1 0–30 % (not the footprint: cut-off model)"]
    assert check.value.p2_5 == pytest.approx(0.05 + 0.15 * 0.025, abs=0.004)
    # an Art. 8 check without a value (no lithium in the pack) says why it has no probability
    not_sampled = result.products[0].not_sampled
    assert "art8-lithium" in not_sampled and "no value" in not_sampled["art8-lithium"]


def test_cff_figure_moves_with_the_ranges(engine, files, assess_and_simulate) -> None:
    """Under the CFF the line's figure per FU is m·(c0 + c1·R1 + c2·R2) with
    c1 = −Ev + A·Erecycled + (1 − A)·Ev·Qsin/Qp and c2 = (1 − A)·(ErecyclingEoL − E*v·Qsout/Qp)
    − ED (PEF Annex I); R1 ~ U(0.2, 0.4), R2 ~ U(0.5, 0.7): sd = m·√(c1² + c2²)·0.2/√12."""
    assessment, result = assess_and_simulate(engine, files["cff"], [], iterations=N, seed=2)
    (cff_line,) = assessment.products[0].circularity.cff.lines
    e = {k: v.value for k, v in cff_line.parameters.items()}
    a, qsin, qsout = e["A"], e.get("Qsin/Qp", 1.0), e.get("Qsout/Qp", 1.0)
    c1 = -e["Ev"] + a * e["Erecycled"] + (1 - a) * e["Ev"] * qsin
    c2 = (1 - a) * (e["ErecyclingEoL"] - e["E*v"] * qsout) - e["ED"]
    assert c1 != 0 and c2 != 0
    sd = 2 * math.sqrt(c1**2 + c2**2) * 0.2 / math.sqrt(12)
    product = result.products[0]
    deterministic = assessment.products[0].climate_change.total
    # the ranges are centred on the declared values: the mean is the assessed figure
    assert abs(product.total.mean - deterministic) < 4 * sd / math.sqrt(N)
    # sd of a sum of uniforms: its standard error is about sd·√(0.8 / 4 / N) (kurtosis −1.2)
    assert abs(product.total.sd - sd) < 4 * sd * math.sqrt(0.8 / (4 * N)) + 1e-12
    assert product.ranges == {"sheet": "R1 20–40 %; R2 50–70 %"}
    assert set(product.drivers) == {"sheet"}


def test_bad_ranges_one_line_each(run_cli, files, tmp_path: Path) -> None:
    bom = tmp_path / "bad-ranges.csv"
    bom.write_text(
        "id,parent,name,quantity,unit,dataset,stage,recycled_content,recycled_content_range,"
        "eol_recycling_rate,eol_recycling_rate_range,eol_energy_recovery_rate,"
        "eol_energy_recovery_rate_range\n"
        "box,,Box,1,piece,,,,,,,,\n"
        "a,box,A,1,kg,rg-pet,raw materials,0.2,25–15 %,,,,\n"
        "b,box,B,1,kg,rg-pet,raw materials,0.2,about a fifth,,,,\n"
        "c,box,C,1,kg,rg-pet,raw materials,,10–20 %,,,,\n"
        "d,box,D,1,kg,rg-pet,raw materials,0.5,10–20 %,,,,\n"
        "e,box,E,1,kg,rg-pet,raw materials,,,0.7,60–80 %,0.2,20–30 %\n"
        "f,box,F,1,kg,rg-pet,raw materials,0.2,15–125 %,,,,\n",
        encoding="utf-8",
    )
    result = run_cli("assess", str(bom), "--datasets", str(files["datasets"]), "--iterations", "50")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 6, result.stderr
    expected = [
        ("row 3", "recycled_content_range", "the low end must be below the high end"),
        ("row 4", "recycled_content_range", "is not a range; write it as 15–25 %"),
        ("row 5", "recycled_content_range", "needs the line's own recycled_content"),
        ("row 6", "recycled_content_range", "recycled_content 50 % lies outside its range"),
        ("row 7", "eol_energy_recovery_rate_range", "R2 + R3 must stay ≤ 100 %"),
        ("row 8", "recycled_content_range", "a share cannot exceed 100 %"),
    ]
    for error, (row, column, text) in zip(errors, expected, strict=True):
        assert "bad-ranges.csv" in error and row in error and f"column {column}" in error
        assert text in error, error
    assert "Traceback" not in result.stderr


def test_ranges_reproducible_whatever_the_chunks(engine, files, assess_and_simulate) -> None:
    _, one = assess_and_simulate(engine, files["pet"], [files["rules"]], iterations=450, seed=5)
    _, three = assess_and_simulate(
        engine, files["pet"], [files["rules"]], iterations=450, seed=5, blocks_per_task=3
    )
    assert one == three
    _, other = assess_and_simulate(engine, files["pet"], [files["rules"]], iterations=450, seed=6)
    assert other.products[0].checks[0].value != one.products[0].checks[0].value


def test_progress_sees_every_task_complete(engine, files, assess_and_simulate) -> None:
    """The callback hears increasing counts up to the total (5 blocks of 100, one block per
    task → 5 draw tasks, then the product's summary: 6 tasks)."""
    heard: list[tuple[int, int]] = []
    assess_and_simulate(engine, files["pet"], [files["rules"]], iterations=450, seed=5,
                        blocks_per_task=1,
                        progress=lambda done, total: heard.append((done, total)))  # fmt: skip
    assert heard == [(i, 6) for i in range(1, 7)]


def test_reports_show_the_share_check_probabilities(
    engine, files, assess_and_simulate, tmp_path: Path
) -> None:
    import json

    import openpyxl

    from footprint.model import json_schema

    assessment, result = assess_and_simulate(
        engine, files["pet"], [files["rules"]], iterations=300, seed=1
    )
    with_mc = assessment.model_copy(update={"uncertainty": result})
    document = json.loads(with_mc.to_json())
    check = next(
        c for c in document["uncertainty"]["products"][0]["checks"] if c["rule"] == "pet-min"
    )
    assert check["kind"] == "share" and check["unit"] == "fraction"
    assert check["varied"] == ["body: R1 15–25 % (not the footprint: cut-off model)"]
    properties = json.dumps(json_schema())
    assert "recycled-content or end-of-life-rate check" in properties  # the schema says so
    sheet = openpyxl.load_workbook(with_mc.to_excel(tmp_path / "rg.xlsx"))["Uncertainty"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    found = next(r for r in rows if r[:2] == ["bottle", "pet-min"])
    assert found[4] == check["probability_fail"]
    assert found[8] == "body: R1 15–25 % (not the footprint: cut-off model)"
    page = with_mc.to_html(tmp_path / "rg.html").read_text(encoding="utf-8")
    assert "<td>pet-min</td><td>18 %</td>" in page
    assert f"<td>{check['probability_fail']:.1%}</td>" in page


def test_cli_progress_bar_follows_the_tasks() -> None:
    """The CLI's bar (on a terminal console) reaches the total the tasks report; quiet: none."""
    import io

    from rich.console import Console

    from footprint.cli.uncertainty_options import task_progress

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with task_progress(console) as advance:
        assert advance is not None
        for done in range(1, 4):
            advance(done, 3)
    assert "Monte Carlo tasks" in out.getvalue() and "3/3" in out.getvalue()
    with task_progress(Console(file=io.StringIO(), quiet=True)) as advance:
        assert advance is None


def test_monte_carlo_columns_are_not_called_unused(tmp_path: Path) -> None:
    """quantity_tolerance and the range columns are read by the Monte Carlo: the reader does
    not warn that they are "not a footprint column"; an unknown column still is."""
    from footprint.bom import read_bom_file

    bom = tmp_path / "mc-columns.csv"
    bom.write_text(
        "id,parent,name,quantity,unit,dataset,Quantity tolerance,recycled_content,"
        "R1 range,recycled content range,note\n"
        "box,,Box,1,piece,,,,,,\n"
        "a,box,A,1,kg,rg-pet,±5 %,0.2,,15–25 %,hello\n",
        encoding="utf-8",
    )
    warnings = [w.message for w in read_bom_file(bom).warnings]
    unused = [w for w in warnings if "is not a footprint column" in w]
    assert unused == [
        'column "R1 range" is not a footprint column; it is passed through to the outputs',
        'column "note" is not a footprint column; it is passed through to the outputs',
    ], warnings


def test_every_check_has_a_failing_probability_or_says_why_not(
    engine, files, assess_and_simulate
) -> None:
    """Under the shipped rule sets (together they use every rule kind) each check of the
    product gets a failing probability or a 'not sampled' reason naming why, never neither
    and never both; rule sets have no MCI rule kind, so the MCI has statistics and no limit."""
    from footprint.compliance.rules import RULE_KINDS

    names = [
        "eu-battery-regulation",
        "eu-crma-supply-concentration",
        "example-company-sourcing",
        "example-company",
        "eu-weee-recovery",
    ]
    assessment, result = assess_and_simulate(
        engine, files["battery"], names, iterations=200, seed=5
    )
    checks = assessment.products[0].checks
    assert {c.kind for c in checks} == set(RULE_KINDS)
    assert not any("mci" in kind for kind in RULE_KINDS)
    summary = result.products[0]
    sampled = {c.rule for c in summary.checks}
    assert "art8-cobalt" in sampled  # the range on cathode-a moves it
    for check in checks:
        assert (check.rule in sampled) != (check.rule in summary.not_sampled), check.rule
        if check.rule in summary.not_sampled:
            why = summary.not_sampled[check.rule]
            assert why.startswith(("not sampled: ", "insufficient data: ", "not applicable: "))
            assert "does not sample checks of this kind" not in why, (check.kind, why)
    assert "data-quality ratings have no distribution" in summary.not_sampled["data-quality"]
    assert summary.mci is not None and summary.mci.value is not None
