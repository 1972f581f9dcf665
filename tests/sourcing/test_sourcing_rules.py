"""The sourcing rule kinds on the cobalt BOM (conftest), statuses and values worked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from footprint import assess

SOURCE = "source: {regulation: test policy}"


@pytest.fixture(scope="module")
def engine():
    from footprint import Engine

    return Engine()


def rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(f"title: test\nrules:\n{body}", encoding="utf-8")
    return path


def checks(result):
    return {c.rule: c for c in result.products[0].checks}


def test_required_fields_fails_naming_the_two_lines(engine, cobalt_bom, tmp_path):
    body = f"""  - id: co-trace
    title: cobalt lines give smelter and certification
    kind: required_fields
    fields: [smelter_id, certification]
    elements: [Co]
    {SOURCE}
"""
    check = checks(assess(cobalt_bom, engine=engine, rules=[rules(tmp_path, body)]))["co-trace"]
    # c2 has no certification, c4 neither a smelter id nor a certification: 2 of 4 lines
    assert check.status == "fail"
    assert check.value == 2 and check.limit == 0
    assert [(d.line, d.note) for d in check.drivers] == [
        ("c2", "missing certification"),
        ("c4", "missing smelter_id, certification"),
    ]


HHI = f"""  - id: hhi
    title: cobalt HHI
    kind: max_hhi
    element: Co
    limit: LIMIT
    {SOURCE}
"""


def test_max_hhi_is_insufficient_data_when_unknown_origin_could_swing_it(
    engine, cobalt_bom, tmp_path
):
    # without a register c4 (0.5 kg) has no country: HHI between 4,100 and 5,400
    check = checks(
        assess(cobalt_bom, engine=engine, rules=[rules(tmp_path, HHI.replace("LIMIT", "5000"))])
    )["hhi"]
    assert check.status == "insufficient data"
    assert check.value == pytest.approx(10.25 / 20.25 * 10_000)  # known-origin HHI 5,061.7
    assert "4100" in check.explanation.replace(",", "") and "5400" in check.explanation.replace(
        ",", ""
    )
    assert [d.line for d in check.drivers][0] == "c4"  # the line without a country first
    # a limit above the highest possible HHI passes, one below the lowest fails
    high = checks(
        assess(cobalt_bom, engine=engine, rules=[rules(tmp_path, HHI.replace("LIMIT", "5400"))])
    )
    low = checks(
        assess(cobalt_bom, engine=engine, rules=[rules(tmp_path, HHI.replace("LIMIT", "4000"))])
    )
    assert high["hhi"].status == "pass" and low["hhi"].status == "fail"


def test_max_hhi_with_the_register_filling_the_country(engine, cobalt_bom, register, tmp_path):
    # c4 takes CN from S2: CD 3, CN 1.5, AU 0.5 of 5 → 60² + 30² + 10² = 4,600
    result = assess(
        cobalt_bom,
        engine=engine,
        suppliers=register,
        rules=[rules(tmp_path, HHI.replace("LIMIT", "4500"))],
    )
    check = checks(result)["hhi"]
    assert check.status == "fail" and check.value == pytest.approx(4600)
    assert check.margin == pytest.approx(-100)


CERTIFIED = f"""  - id: cert
    title: certified cobalt
    kind: valid_certification
    element: Co
    limit: 0.6
    {SOURCE}
"""


@pytest.mark.parametrize(
    ("day", "status", "value"), [(date(2026, 6, 30), "pass", 0.7), (date(2026, 7, 1), "fail", 0.0)]
)
def test_valid_certification_on_the_end_date_and_the_day_after(
    engine, cobalt_bom, register, tmp_path, day, status, value
):
    # S1 (c1 3 kg + c3 0.5 kg of 5) holds RMI RMAP valid until 2026-06-30 inclusive
    result = assess(
        cobalt_bom, engine=engine, suppliers=register, as_of=day, rules=[rules(tmp_path, CERTIFIED)]
    )
    check = checks(result)["cert"]
    assert check.status == status and check.value == pytest.approx(value)


def test_valid_certification_without_a_register_is_insufficient_data(engine, cobalt_bom, tmp_path):
    check = checks(assess(cobalt_bom, engine=engine, rules=[rules(tmp_path, CERTIFIED)]))["cert"]
    assert check.status == "insufficient data"
    assert "no supplier register was given" in check.explanation


SMELTERS = f"""  - id: smelters
    title: approved smelters
    kind: approved_smelters
    element: Co
    limit: LIMIT
    {SOURCE}
"""


@pytest.mark.parametrize(("limit", "status"), [(0.8, "pass"), (0.85, "insufficient data"),
                                               (0.95, "fail")])  # fmt: skip
def test_approved_smelters(engine, cobalt_bom, tmp_path, limit, status):
    # CID001 (c1 3 kg) and CID002 (c2 1 kg) are listed: 4 of 5 kg; c3's CID003 is not;
    # c4 (0.5 kg) gives no smelter id, so the share is 0.8 to 0.9
    listed = tmp_path / "approved.txt"
    listed.write_text("CID001\nCID002\n", encoding="utf-8")
    result = assess(
        cobalt_bom,
        engine=engine,
        approved_smelters=listed,
        rules=[rules(tmp_path, SMELTERS.replace("LIMIT", str(limit)))],
    )
    check = checks(result)["smelters"]
    assert check.status == status and check.value == pytest.approx(0.8)


def test_approved_smelters_without_a_list(engine, cobalt_bom, tmp_path):
    result = assess(
        cobalt_bom, engine=engine, rules=[rules(tmp_path, SMELTERS.replace("LIMIT", str(0.5)))]
    )
    check = checks(result)["smelters"]
    assert check.status == "insufficient data"
    assert "no approved-smelter list was given" in check.explanation


@pytest.mark.parametrize(("older", "limit", "status", "value"),
                         [(0, 1, "fail", 2), (0, 2, "pass", 2), (60, 0, "fail", 1),
                          (89, 0, "pass", 0)])  # fmt: skip
def test_max_open_corrective_actions(
    engine, cobalt_bom, register, tmp_path, older, limit, status, value
):
    # on 2026-03-31 S2 has CA-1 (open 89 days) and CA-3 (30 days) open; CA-2 closed
    body = f"""  - id: ca
    title: open actions
    kind: max_open_corrective_actions
    older_than_days: {older}
    limit: {limit}
    {SOURCE}
"""
    result = assess(
        cobalt_bom,
        engine=engine,
        suppliers=register,
        as_of=date(2026, 3, 31),
        rules=[rules(tmp_path, body)],
    )
    check = checks(result)["ca"]
    assert check.status == status and check.value == value


def test_the_example_sourcing_set(engine, cobalt_bom, register):
    result = assess(
        cobalt_bom,
        engine=engine,
        suppliers=register,
        as_of=date(2026, 3, 31),
        rules=["example-company-sourcing"],
    )
    found = checks(result)
    assert found["cobalt-traceability"].status == "fail"  # c2 and c4
    assert found["cobalt-single-country"].status == "fail"  # CD 3 of 5 kg = 60 % > 50 %
    assert found["cobalt-hhi"].status == "pass"  # 4,600 ≤ 5,000
    assert found["cobalt-approved-smelters"].status == "insufficient data"  # no list given
    assert found["cobalt-certified"].status == "fail"  # S1 3.5 of 5 kg = 70 % < 80 %
    assert found["corrective-actions"].status == "pass"  # none open more than 90 days
    assert found["3tg-traceability"].status == "not applicable"


def test_a_supplier_missing_from_the_register_is_a_warning_naming_it(engine, tmp_path, register):
    bom = tmp_path / "other.csv"
    bom.write_text(
        "id,quantity,unit,dataset,country,supplier\nx1,1,kg,metal-cobalt,CD,NOPE\n",
        encoding="utf-8",
    )
    result = assess(bom, engine=engine, suppliers=register)
    (warning,) = [w for w in result.warnings if "register" in w.message]
    assert warning.row == 2 and warning.column == "supplier"
    assert 'supplier "NOPE" of line x1 is not in the supplier register' in warning.message
    assert "counts as unknown, not as certified" in warning.message
    (card,) = result.products[0].sourcing.suppliers
    assert card.in_register is False and "not in the supplier register" in card.flags


def test_element_mass_from_a_chemistry_and_unknown_composition_blocks_element_rules(
    engine, tmp_path
):
    # 10 kg NMC811 cathode (chemistry column): Co = 10 × 58.933 × 0.1 / 97.28 = 0.6058 kg
    # (spec §10.2 holdout H8); a 1 kg line of a whole Li-ion cell whose dataset gives no
    # composition may hold Co: no element rule on Co can pass or fail
    from footprint.composition import chemistry_shares

    cathode = tmp_path / "cathode.csv"
    cathode.write_text(
        "id,quantity,unit,dataset,chemistry,active_material,country,supplier\n"
        "cam,10,kg,material-steel-primary,NMC811,yes,FI,S1\n",
        encoding="utf-8",
    )
    result = assess(cathode, engine=engine, high_risk_countries=_risk(tmp_path))
    (co,) = [s for s in result.products[0].sourcing.elements if s.subject == "Co"]
    assert co.mass_kg == pytest.approx(10 * chemistry_shares("NMC811")["Co"])
    assert co.mass_kg == pytest.approx(0.6058, abs=5e-5)
    assert co.by_country == pytest.approx({"FI": co.mass_kg})

    body = HHI.replace("LIMIT", "10000")
    with_cell = tmp_path / "with-cell.csv"
    with_cell.write_text(
        cathode.read_text(encoding="utf-8") + "pack,1,kg,material-battery-li-ion,,,CN,S2\n",
        encoding="utf-8",
    )
    check = checks(assess(with_cell, engine=engine, rules=[rules(tmp_path, body)]))["hhi"]
    assert check.status == "insufficient data"
    assert "pack" in check.explanation and "may include Co" in check.explanation


def _risk(folder):
    path = folder / "risk.txt"
    path.write_text("CD\n", encoding="utf-8")
    return path


def test_an_hhi_limit_off_the_scale_is_refused_with_its_line(tmp_path):
    from footprint.compliance import load_rule_sets
    from footprint.errors import RuleError

    path = rules(tmp_path, HHI.replace("LIMIT", "0.45"))
    assert load_rule_sets([path])[0].rules[0].limit == 0.45  # a fraction is on the scale...
    path = rules(tmp_path, HHI.replace("LIMIT", "45000"))
    with pytest.raises(RuleError) as caught:
        load_rule_sets([path])
    (line,) = str(caught.value).splitlines()
    assert "rule 'hhi' (#1)" in line and "0–10,000 scale" in line


@pytest.mark.parametrize(("standards", "value"), [("[RMI RMAP]", 0.7), ("[IRMA, ASI]", 0.0)])
def test_valid_certification_by_standard(engine, cobalt_bom, register, tmp_path, standards, value):
    # S1 (3.5 of 5 kg of Co) holds RMI RMAP only: it counts for RMAP, not for IRMA or ASI
    body = CERTIFIED.replace("    limit: 0.6\n", f"    limit: 0.6\n    standards: {standards}\n")
    result = assess(
        cobalt_bom,
        engine=engine,
        suppliers=register,
        as_of=date(2026, 6, 30),
        rules=[rules(tmp_path, body)],
    )
    check = checks(result)["cert"]
    assert check.value == pytest.approx(value)
    assert check.status == ("pass" if value >= 0.6 else "fail")
