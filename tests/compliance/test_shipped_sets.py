"""Each shipped rule set applied to a product it concerns, figures worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from footprint.compliance import evaluate_checks, load_rule_sets
from footprint.model import (
    Circularity,
    CircularityParameters,
    DataQualityResult,
    RecycledContent,
    Stage,
)


def checks(name, product, result, **kwargs):
    return {c.rule: c for c in evaluate_checks(result, product, load_rule_sets([name]), **kwargs)}


def test_ppwr_pet_tray_2030_and_2040(build):
    # post-consumer share of the plastic: (0.03 kg × 0.40 + 0.01 kg × 0.10) / 0.04 = 0.325
    lines = [
        build.line("tray", mass=0.03, material="pet"),
        build.line("lid", mass=0.01, material="pp"),
        build.line("label", mass=0.005, material="paper"),
    ]
    content = RecycledContent(by_material_post_consumer={"pet": 0.40, "pp": 0.10, "paper": 0.9})
    make = lambda placed: build.product(  # noqa: E731
        lines,
        category="packaging-plastic-pet-contact",
        placed=placed,
        result_fields={"circularity": Circularity(recycled_content=content)},
    )
    in_2030 = checks("eu-ppwr-plastic-packaging", *make(date(2030, 1, 1)))
    check = in_2030["art7-1a-pet-contact-sensitive"]
    assert check.value == pytest.approx(0.325) and check.limit == pytest.approx(0.30)
    assert check.status == "pass" and check.margin == pytest.approx(0.025)
    assert in_2030["art7-1b-contact-sensitive-other"].status == "not applicable"
    in_2040 = checks("eu-ppwr-plastic-packaging", *make(date(2040, 6, 1)))
    check = in_2040["art7-1a-pet-contact-sensitive"]
    assert check.status == "fail" and check.margin == pytest.approx(0.325 - 0.50)
    # virgin plastic: tray 0.03 kg (no post-consumer R1 on the line), lid 0.01 kg
    assert [d.line for d in check.drivers] == ["tray", "lid"]


def test_weee_small_it_recovery_and_recycling(build):
    # R2: (0.1 × 0.8 + 0.3 × 0.4) / 0.4 = 0.5; R2 + R3: (0.08 + 0.3 × 0.7) / 0.4 = 0.725
    lines = [build.line("pcb", mass=0.1), build.line("case", mass=0.3, material="abs")]
    product, result = build.product(
        lines,
        category="weee-6-small-it",
        placed=date(2026, 1, 1),
        bom={
            "pcb": CircularityParameters(eol_recycling_rate=0.8),
            "case": CircularityParameters(eol_recycling_rate=0.4, eol_energy_recovery_rate=0.3),
        },
    )
    found = checks("eu-weee-recovery", product, result)
    assert found["weee-6-recovery"].value == pytest.approx(0.725)
    assert found["weee-6-recovery"].status == "fail"  # 75 %
    assert found["weee-6-recovery"].margin == pytest.approx(-0.025)
    assert found["weee-6-recycling"].value == pytest.approx(0.5)
    assert found["weee-6-recycling"].status == "fail"  # 55 %
    assert found["weee-5-recycling"].status == "not applicable"


def test_crma_flags_cobalt_concentration_in_a_battery(build, catalog):
    catalog.add("ds-cathode", {"Co": 0.2, "Ni": 0.6})
    lines = [
        build.line("cathode-a", mass=80.0, dataset="ds-cathode", country="CD"),
        build.line("cathode-b", mass=20.0, dataset="ds-cathode", country="FI"),
    ]
    product, result = build.product(lines, category="ev-battery")
    found = checks("eu-crma-supply-concentration", product, result, catalog=catalog)
    # Co: CD 16 kg of 20 kg = 0.80 > 0.65; FI (EU) is not a third country
    # an EU-wide benchmark, not a product obligation: an indicator, never a product fail
    assert found["crma-cobalt"].value == pytest.approx(0.80)
    assert found["crma-cobalt"].status == "indicator"
    assert "exceeds the maximum benchmark by 15 percentage points" in (
        found["crma-cobalt"].explanation
    )
    assert found["crma-nickel"].status == "indicator"
    assert found["crma-copper"].status == "not applicable"


def test_example_company_set_on_an_aluminium_product(build, catalog):
    catalog.add("ds-alu", {"Al": 1.0})
    catalog.add("ds-solder", {"Sn": 1.0})
    lines = [
        build.line("body", mass=2.0, cc=40.0, dataset="ds-alu", material="aluminium"),
        build.line("solder", mass=0.01, cc=0.5, dataset="ds-solder", country="MY"),
        build.line("assembly", mass=None, cc=9.5, stage=Stage.MANUFACTURING, dataset="ds-power"),
    ]
    catalog.add("ds-power", {})
    product, result = build.product(
        lines,
        category="weee-5-small",
        placed=date(2027, 3, 1),
        result_fields={
            "circularity": Circularity(
                recycled_content=RecycledContent(by_material={"aluminium": 0.35})
            ),
            "data_quality": DataQualityResult(dqr=2.45),
        },
    )
    found = checks("example-company", product, result, catalog=catalog)
    assert found["footprint-small-electronics"].value == pytest.approx(50.0)  # 40 + 0.5 + 9.5
    assert found["footprint-small-electronics"].status == "pass"
    assert found["footprint-ev-battery-per-kwh"].status == "not applicable"
    assert found["recycled-aluminium"].status == "pass"  # 0.35 ≥ 0.30 in 2027
    assert found["recycled-aluminium"].margin == pytest.approx(0.05)
    assert found["data-quality"].status == "pass"
    tg = found["3tg-traceability"]
    assert tg.status == "fail" and [d.line for d in tg.drivers] == ["solder"]
    assert tg.drivers[0].note == "missing smelter_id"
