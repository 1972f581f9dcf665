"""No false green: unknown composition, unknown categories and uncovered products are said so.

Every figure below is worked out by hand in the test from the BOM rows and the formula
masses of spec pef-and-regulations.md §10.2.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from footprint.cli import main
from footprint.compliance import evaluate_checks, load_rule_sets
from footprint.compliance.categories import category_problems, closest_categories
from footprint.model import Product
from footprint.report.summary import NOT_COVERED, compliance_status

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def run(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0)


def _checks(path: Path) -> dict[str, dict]:
    return {c["rule"]: c for c in json.loads(path.read_text("utf-8"))["products"][0]["checks"]}


# -- missing composition -------------------------------------------------------------------


def test_a_whole_cell_of_unknown_composition_is_insufficient_data_never_absent(build):
    """The old e-bike: cells on a whole-battery dataset with no composition."""
    catalog = build.Catalog()
    catalog.datasets["material-battery-li-ion"] = _dataset(
        "material-battery-li-ion", "battery-li-ion"
    )
    lines = [build.line("cell", mass=2.72, dataset="material-battery-li-ion")]
    product, result = build.product(lines, category="lmt-battery", placed=date(2036, 9, 1))
    rules = load_rule_sets(["eu-battery-regulation"])
    checks = {c.rule: c for c in evaluate_checks(result, product, rules, catalog=catalog)}
    for rule, element in (("art8-cobalt-lmt", "Co"), ("art8-nickel-lmt", "Ni")):
        check = checks[rule]
        assert check.status == "insufficient data", check.explanation
        assert "cell" in check.explanation and "whole batteries or cells" in check.explanation
        assert "chemistry" in check.explanation and f"no {element}" not in check.explanation
    # lead is not among what a Li-ion cell may carry: that one is out of scope, and says why
    assert checks["art8-lead-lmt"].status == "not applicable"


def test_a_cobalt_line_without_composition_is_insufficient_data(build):
    catalog = build.Catalog()
    catalog.datasets["battery-cobalt"] = _dataset("battery-cobalt", "cobalt")
    lines = [build.line("co", mass=1.0, dataset="battery-cobalt")]
    product, result = build.product(
        lines, category="ev-battery", placed=date(2032, 1, 1),
        bom_fields={"co": {"active_material": True}},
    )  # fmt: skip
    rules = load_rule_sets(["eu-battery-regulation"])
    checks = {c.rule: c for c in evaluate_checks(result, product, rules, catalog=catalog)}
    assert checks["art8-cobalt"].status == "insufficient data"
    assert "lines co" in checks["art8-cobalt"].explanation
    assert 'composition column (element shares of the line, e.g. "Co 6.1 %' in (
        checks["art8-cobalt"].explanation
    )


def test_a_cobalt_line_not_marked_active_or_not_asks_for_it(build):
    catalog = build.Catalog()
    catalog.datasets["metal-cobalt"] = _dataset("metal-cobalt", "cobalt", {"Co": 1.0})
    lines = [build.line("co", mass=1.0, dataset="metal-cobalt")]
    product, result = build.product(lines, category="ev-battery", placed=date(2032, 1, 1))
    rules = load_rule_sets(["eu-battery-regulation"])
    checks = {c.rule: c for c in evaluate_checks(result, product, rules, catalog=catalog)}
    assert checks["art8-cobalt"].status == "insufficient data"
    assert "active_material column to yes or no" in checks["art8-cobalt"].explanation


def test_shipped_istrate_sulfates_carry_their_stoichiometric_metal_share():
    from footprint.catalog import load_catalog

    catalog = load_catalog([])
    # CoSO4·7H2O: 58.933 / (58.933 + 32.06 + 11×15.999 + 14×1.008) = 58.933 / 281.094
    cobalt = 58.933 / (58.933 + 32.06 + 11 * 15.999 + 14 * 1.008)
    # NiSO4·6H2O: 58.693 / (58.693 + 32.06 + 10×15.999 + 12×1.008) = 58.693 / 262.839
    nickel = 58.693 / (58.693 + 32.06 + 10 * 15.999 + 12 * 1.008)
    assert cobalt == pytest.approx(0.2097, abs=1e-4)  # spec §10.2: Co 20.97 %
    assert nickel == pytest.approx(0.2233, abs=1e-4)  # spec §10.2: Ni 22.33 %
    assert catalog.get("battery-cobalt").composition["Co"] == pytest.approx(cobalt, abs=1e-4)
    assert catalog.get("battery-nickel").composition["Ni"] == pytest.approx(nickel, abs=1e-4)
    # Li2CO3 and LiOH·H2O (spec §10.2: 18.79 % and 16.54 %), never 1.0 for a compound
    assert catalog.get("battery-lithium-carbonate-brine").composition["Li"] == pytest.approx(
        0.1879, abs=1e-4
    )
    assert catalog.get("battery-lithium-hydroxide-brine").composition["Li"] == pytest.approx(
        0.1654, abs=1e-4
    )


# -- the examples: Art. 8 verdicts by hand -------------------------------------------------


def test_e_bike_art8_verdicts_match_a_hand_computation(tmp_path: Path) -> None:
    out = tmp_path / "ebike.json"
    assert run("assess", str(EXAMPLES / "e-bike-battery.xlsx"), "--rules",
               "eu-battery-regulation", "--json", str(out)) == 0  # fmt: skip
    checks = _checks(out)
    # 40 cells × 24.5 g NMC811 = 0.98 kg cathode active material, 20 % recycled.
    # NMC811 LiNi0.8Mn0.1Co0.1O2, M = 6.94 + 0.8×58.693 + 0.1×54.938 + 0.1×58.933 + 2×15.999
    molar = 6.94 + 0.8 * 58.693 + 0.1 * 54.938 + 0.1 * 58.933 + 2 * 15.999
    assert molar == pytest.approx(97.280, abs=1e-3)  # spec §10.2
    cobalt_kg = 0.98 * 0.1 * 58.933 / molar  # 0.05937 kg
    lithium_kg = 0.98 * 6.94 / molar  # 0.06991 kg
    nickel_kg = 0.98 * 0.8 * 58.693 / molar  # 0.4730 kg
    # graphite anode: no Co/Li/Ni; the rest of the cell (electrolyte Li) and the nickel strip
    # are marked active_material no, so the recycled share is the cathode's 20 % for each.
    # LMT battery placed 2036-09-01: Art. 8(3) minima Co 26 %, Li 12 %, Ni 15 %.
    expected = {
        "art8-cobalt-lmt": ("fail", 0.26, cobalt_kg, "Co"),
        "art8-lithium-lmt": ("pass", 0.12, lithium_kg, "Li"),
        "art8-nickel-lmt": ("pass", 0.15, nickel_kg, "Ni"),
    }
    for rule, (status, minimum, kg, element) in expected.items():
        check = checks[rule]
        assert check["status"] == status, check["explanation"]
        assert check["value"] == pytest.approx(0.20)
        assert check["limit"] == pytest.approx(minimum)
        assert check["margin"] == pytest.approx(0.20 - minimum)
        assert f"({kg:.4g} kg {element})" in check["explanation"]
    assert checks["art8-lead-lmt"]["status"] == "not applicable"


def test_ev_module_art8_verdicts_match_a_hand_computation(tmp_path: Path) -> None:
    out = tmp_path / "ev.json"
    assert run("assess", str(EXAMPLES / "ev-battery-module.xlsx"), "--rules",
               "eu-battery-regulation", "--json", str(out)) == 0  # fmt: skip
    checks = _checks(out)
    # 24 cells; per cell: Co 28 g (R1 16 %), Ni 225 g (6 %), Li2CO3 150 g (6 %), all marked
    # active material; Li2CO3 Li share 2×6.94 / (2×6.94 + 12.011 + 3×15.999) = 0.18785
    li_share = round(2 * 6.94 / (2 * 6.94 + 12.011 + 3 * 15.999), 4)  # the dataset keeps 4 dp
    expected = {
        "art8-cobalt": (0.16, 0.16, 24 * 0.028, "Co"),
        "art8-nickel": (0.06, 0.06, 24 * 0.225, "Ni"),
        "art8-lithium": (0.06, 0.06, 24 * 0.150 * li_share, "Li"),
    }
    for rule, (value, minimum, kg, element) in expected.items():
        check = checks[rule]
        assert check["status"] == "pass", check["explanation"]  # placed 2032: Art. 8(2)
        assert check["value"] == pytest.approx(value)
        assert check["limit"] == pytest.approx(minimum)
        assert f"({kg:.4g} kg {element})" in check["explanation"]


# -- categories ----------------------------------------------------------------------------


def test_a_typo_category_exits_2_naming_file_sheet_row_column_and_close_names(
    tmp_path: Path, capsys
) -> None:
    bom = tmp_path / "typo.xlsx"
    workbook = openpyxl.load_workbook(EXAMPLES / "e-bike-battery.xlsx")
    sheet = workbook["Products"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("category") + 1, "LMT battery")
    workbook.save(bom)
    before = bom.read_bytes()
    for command in (["check", str(bom)], ["assess", str(bom), "--json", str(tmp_path / "o.json")]):
        assert run(*command) == 2
        err = capsys.readouterr().err
        assert "typo.xlsx, sheet Products, row 2, column category" in err
        assert "'LMT battery'" in err and "did you mean 'lmt-battery'" in err
        assert "Traceback" not in err
    assert not (tmp_path / "o.json").exists()
    assert bom.read_bytes() == before


def test_user_rule_files_add_categories(build, tmp_path: Path) -> None:
    own = build.rules(tmp_path, f"  - {{id: r, title: t, kind: max_dqr, limit: 3, "
                      f"applies_to: {{categories: [garden-tool]}}, {build.source}}}\n")  # fmt: skip
    product = Product(id="p", category="garden-tool")
    assert category_problems([product]) != []
    assert category_problems([product], [own]) == []
    assert closest_categories("weee 5 small", ["weee-5-small", "weee-6-small-it"])[0] == (
        "weee-5-small"
    )
    portable = Product(id="q", category="portable-battery")  # listed under `categories:`
    assert category_problems([portable]) == []


# -- a product no rule covers is neutral in the CLI, workbook, HTML and web page ------------


def test_a_product_no_rule_covers_is_neutral_everywhere(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    from footprint.model import Assessment
    from footprint.web.pages import checks_summary

    paths = {k: tmp_path / f"phone.{k}" for k in ("json", "xlsx", "html")}
    # the smartphone (weee-6-small-it) against the Battery Regulation: no rule concerns it
    args = ["assess", str(EXAMPLES / "smartphone.xlsx"), "--rules", "eu-battery-regulation"]
    for kind, path in paths.items():
        args += [f"--{kind}", str(path)]
    monkeypatch.setenv("COLUMNS", "400")  # the terminal table on one line per product
    assert run(*args) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "no rule of the chosen rule sets covers this product" in printed
    assessment = Assessment.model_validate_json(paths["json"].read_text("utf-8"))
    product = assessment.products[0]
    assert {c.status for c in product.checks} == {"not applicable"}
    assert compliance_status(product) == "neutral"
    ws = openpyxl.load_workbook(paths["xlsx"])["Summary"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 3) for r in range(1, 60) if ws.cell(r, 1).value}
    assert cells["Compliance"].value == "neutral"
    assert not cells["Compliance"].fill.fgColor.rgb.endswith("C6EFCE")  # not Excel's "Good"
    assert NOT_COVERED in cells["Checks"].value
    html = paths["html"].read_text("utf-8")
    assert 'class="status neutral"' in html and 'class="status green"' not in html
    assert NOT_COVERED.capitalize() in html
    assert NOT_COVERED in checks_summary(product.checks)


def _dataset(id: str, material: str, composition: dict[str, float] | None = None):
    from footprint.model import Dataset

    return Dataset(id=id, name=id, unit="kg", material=material, composition=composition or {})


def test_art7_is_declared_per_kwh_split_by_stage_in_json_and_workbook(tmp_path: Path) -> None:
    out, book = tmp_path / "ev.json", tmp_path / "ev.xlsx"
    assert run("assess", str(EXAMPLES / "ev-battery-module.xlsx"), "--rules",
               "eu-battery-regulation", "--json", str(out), "--xlsx", str(book)) == 0  # fmt: skip
    data = json.loads(out.read_text("utf-8"))["products"][0]
    check = _checks(out)["art7-carbon-footprint-ev"]
    assert check["status"] == "declared" and check["limit"] is None
    # E_total = 5.3 kWh × 120 cycles/yr × 10 yr = 6 360 kWh (Products sheet)
    stages = data["by_stage"]
    counted = ("raw materials", "manufacturing", "distribution", "end of life")
    assert check["value"] == pytest.approx(sum(stages[s]["total"] for s in counted) / 6360)
    labels = {
        "raw materials": "raw material acquisition and pre-processing",
        "manufacturing": "main product production",
        "distribution": "distribution",
        "end of life": "end of life and recycling",
    }
    for stage, label in labels.items():
        assert check["by_stage"][label] == pytest.approx(stages[stage]["total"] / 6360)
    ws = openpyxl.load_workbook(book)["Compliance"]
    rows = list(ws.iter_rows(values_only=False))
    header = [c.value for c in rows[0]]
    art7 = next(r for r in rows if r[header.index("Rule")].value == "art7-carbon-footprint-ev")
    assert art7[header.index("Status")].value == "declared"
    value = art7[header.index("Value")]
    # four significant digits: 0.03035 kg CO2-eq/kWh shows as 0.03035, not 0.0303
    assert 0.01 <= value.value < 0.1 and value.number_format == "0.00000"
    split = {r[2].value: r[3].value for r in rows if r[1].value == "art7-carbon-footprint-ev"
             and r[2].value in labels.values()}  # fmt: skip
    assert split == pytest.approx(check["by_stage"])
