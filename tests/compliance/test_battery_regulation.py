"""H6 battery cases (spec §7): Art. 8 phases by placing-on-market date, Art. 7 per kWh."""

from __future__ import annotations

from datetime import date

import pytest

from footprint.compliance import evaluate_checks, load_rule_sets
from footprint.model import CircularityParameters, Stage


@pytest.fixture
def battery(build):
    """75 kWh usable, 60 full cycles a year, 8 years; 6 000 kg CO2-eq over its life cycle.

    Cathode active material 100 kg (Co 20 %, Ni 60 %, Li 7 %), 16 % recycled; electrolyte
    20 kg with Li 5 %, none recycled and not active material; a 1 kg lead tab, 85 % recycled.
    By hand, over the active materials (the cathode only):
        Co 100 × 0.20 = 20 kg, recycled 20 × 0.16 / 20 = 0.16
        Li 100 × 0.07 =  7 kg, recycled 0.16 (the electrolyte's 1 kg Li is left out)
        Ni 100 × 0.60 = 60 kg, recycled 0.16
    and over the battery: Pb 1 kg, recycled 0.85.
    """
    catalog = build.Catalog()
    catalog.add("ds-cathode", {"Co": 0.2, "Ni": 0.6, "Li": 0.07})
    catalog.add("ds-electrolyte", {"Li": 0.05})
    catalog.add("ds-lead-tab", {"Pb": 1.0})
    lines = [
        build.line("cathode", mass=100.0, cc=4000.0, recycled_content=0.16),
        build.line("electrolyte", mass=20.0, cc=500.0),
        build.line("lead-tab", mass=1.0, cc=100.0, recycled_content=0.85),
        build.line("assembly", mass=None, cc=1400.0, stage=Stage.MANUFACTURING),
    ]

    def make(category: str, placed: date, electrolyte_active: bool = False):
        return build.product(
            lines,
            category=category,
            placed=placed,
            usable_capacity_kwh=75.0,
            cycles_per_year=60.0,
            service_life_years=8.0,
            bom={
                "cathode": CircularityParameters(recycled_content=0.16),
                "lead-tab": CircularityParameters(recycled_content=0.85),
            },
            bom_fields={
                "cathode": {"active_material": True},
                "electrolyte": {"active_material": electrolyte_active},
            },
        )

    return make, catalog


def checks_by_rule(product, result, catalog, as_of=None):
    rules = load_rule_sets(["eu-battery-regulation"])
    return {
        c.rule: c for c in evaluate_checks(result, product, rules, catalog=catalog, as_of=as_of)
    }


def test_ev_battery_placed_2032_meets_the_first_phase(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2032, 1, 1)), catalog)
    for rule, (share, minimum) in {
        "art8-cobalt": (0.16, 0.16),
        "art8-lead": (0.85, 0.85),
        "art8-lithium": (0.16, 0.06),
        "art8-nickel": (0.16, 0.06),
    }.items():
        assert checks[rule].status == "pass"
        assert checks[rule].value == pytest.approx(share)
        assert checks[rule].limit == pytest.approx(minimum)
        assert checks[rule].margin == pytest.approx(share - minimum, abs=1e-12)
    assert "2031-08-18" in checks["art8-cobalt"].explanation
    assert "placed on the market 2032-01-01" in checks["art8-cobalt"].explanation
    assert "active materials (20 kg Co)" in checks["art8-cobalt"].explanation
    assert checks["art8-cobalt"].source.article == "Art. 8(2) and 8(3)"
    # LMT-only rules do not concern an EV battery
    assert checks["art8-cobalt-lmt"].status == "not applicable"


def test_ev_battery_placed_2037_falls_short_on_cobalt(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2037, 1, 1)), catalog)
    assert checks["art8-cobalt"].status == "fail"
    assert checks["art8-cobalt"].limit == pytest.approx(0.26)
    assert checks["art8-cobalt"].margin == pytest.approx(0.16 - 0.26)
    assert checks["art8-cobalt"].margin_percent == pytest.approx(-0.10 / 0.26 * 100)
    assert checks["art8-lithium"].status == "pass"  # 0.16 against 0.12
    assert checks["art8-nickel"].status == "pass"  # 0.16 against 0.15
    assert checks["art8-nickel"].margin == pytest.approx(0.01)
    assert checks["art8-lead"].status == "pass"


def test_failing_cobalt_check_names_the_line_with_most_virgin_cobalt(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2037, 1, 1)), catalog)
    drivers = checks["art8-cobalt"].drivers
    # cathode: 100 kg × 0.20 Co × (1 − 0.16) = 16.8 kg
    assert [d.line for d in drivers] == ["cathode"]
    assert drivers[0].value == pytest.approx(16.8)
    assert drivers[0].unit == "kg"


def test_electrolyte_lithium_counts_only_when_marked_active_material(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2037, 1, 1), True), catalog)
    # (7 kg × 0.16 + 1 kg × 0) / 8 kg = 0.14
    assert checks["art8-lithium"].value == pytest.approx(1.12 / 8)
    assert checks["art8-lithium"].status == "pass"


def test_lmt_battery_placed_2032_is_not_yet_bound(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("lmt-battery", date(2032, 1, 1)), catalog)
    for rule in ("art8-cobalt-lmt", "art8-lead-lmt", "art8-lithium-lmt", "art8-nickel-lmt"):
        assert checks[rule].status == "not applicable"
        assert "Not yet binding" in checks[rule].explanation
        assert "2036-08-18" in checks[rule].explanation
    assert checks["art8-cobalt"].status == "not applicable"  # the EV/industrial/SLI rule


def test_carbon_footprint_per_kwh_is_declared_without_a_maximum(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2032, 1, 1)), catalog)
    check = checks["art7-carbon-footprint-ev"]
    # E_total = 75 kWh × 60 cycles/yr × 8 yr = 36 000 kWh; 6 000 kg CO2-eq / 36 000 kWh
    assert check.value == pytest.approx(6000 / 36000)
    assert check.value == pytest.approx(0.1667, abs=1e-4)
    assert check.limit is None and check.margin is None
    assert check.status == "declared"
    assert "No legal maximum adopted yet" in check.explanation
    assert "36,000 kWh" in check.explanation and "draft delegated act" in check.explanation
    assert check.unit == "kg CO2-eq/kWh"
    # by the Regulation's stages (Annex II point 4): raw materials 4 600, production 1 400
    assert check.by_stage == pytest.approx(
        {
            "raw material acquisition and pre-processing": 4600 / 36000,
            "main product production": 1400 / 36000,
            "distribution": 0.0,
            "end of life and recycling": 0.0,
        }
    )
    assert "use stage not included" in check.explanation
    # top lines in the same unit: the cathode carries 4 000 / 36 000
    assert check.drivers[0].line == "cathode"
    assert check.drivers[0].value == pytest.approx(4000 / 36000)


def test_art7_cycles_default_by_vehicle_category_and_user_values_win(build):
    """Draft DA defaults: M1/N1 60, L 20, M2/M3/N2/N3 250 full cycles a year (spec §10.3)."""
    rules = load_rule_sets(["eu-battery-regulation"])
    lines = [build.line("cells", mass=10.0, cc=300.0)]
    for category, cycles in (("M1", 60), ("N1", 60), ("L", 20), ("M2", 250), ("N3", 250)):
        product, result = build.product(
            lines, category="ev-battery", usable_capacity_kwh=10.0, service_life_years=5.0,
            vehicle_category=category,
        )  # fmt: skip
        (check,) = [c for c in evaluate_checks(result, product, rules) if c.rule.endswith("-ev")]
        assert check.value == pytest.approx(300 / (10 * cycles * 5)), category
        assert f"default for vehicle category {category}" in check.explanation
    # H9 (spec §10.3): L, 10 kWh, 20 FEqC/yr, 5 years → 1 000 kWh; 300 kg → 0.30 kg/kWh
    product, result = build.product(
        lines, category="ev-battery", usable_capacity_kwh=10.0, service_life_years=5.0,
        vehicle_category="L",
    )  # fmt: skip
    (check,) = [c for c in evaluate_checks(result, product, rules) if c.rule.endswith("-ev")]
    assert check.value == pytest.approx(0.30)
    product, result = build.product(
        lines, category="ev-battery", usable_capacity_kwh=10.0, service_life_years=5.0,
        vehicle_category="L", cycles_per_year=30.0,
    )  # fmt: skip
    (check,) = [c for c in evaluate_checks(result, product, rules) if c.rule.endswith("-ev")]
    assert check.value == pytest.approx(300 / 1500)  # the user's 30 cycles win
    product, result = build.product(
        lines, category="ev-battery", usable_capacity_kwh=10.0, vehicle_category="M1"
    )
    (check,) = [c for c in evaluate_checks(result, product, rules) if c.rule.endswith("-ev")]
    assert check.status == "insufficient data" and "service_life_years" in check.explanation


def test_carbon_footprint_excludes_the_use_stage(build):
    lines = [
        build.line("cells", mass=10.0, cc=300.0),
        build.line("charging", mass=None, cc=700.0, stage=Stage.USE),
    ]
    product, result = build.product(lines, category="ev-battery", energy_kwh=1000.0)
    rules = load_rule_sets(["eu-battery-regulation"])
    (check,) = [c for c in evaluate_checks(result, product, rules) if c.rule.endswith("-ev")]
    assert check.value == pytest.approx(300 / 1000)
    assert [d.line for d in check.drivers] == ["cells"]


def test_without_energy_the_per_kwh_footprint_is_insufficient_data(build):
    product, result = build.product([build.line("cells", cc=300.0)], category="ev-battery")
    rules = load_rule_sets(["eu-battery-regulation"])
    (check,) = [c for c in evaluate_checks(result, product, rules) if c.rule.endswith("-ev")]
    assert check.status == "insufficient data"
    assert "E_total" in check.explanation


def test_lithium_ion_battery_without_lead_is_not_applicable_for_lead(build, battery):
    make, catalog = battery
    catalog.add("ds-lead-tab", {"Sn": 1.0})  # the tab is tin here: no line holds lead
    checks = checks_by_rule(*make("ev-battery", date(2032, 1, 1)), catalog)
    assert checks["art8-lead"].status == "not applicable"
    assert "no line of the product contains Pb" in checks["art8-lead"].explanation


def test_before_2031_the_recycled_content_minimums_are_not_yet_binding(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2030, 6, 1)), catalog)
    assert checks["art8-cobalt"].status == "not applicable"
    assert "Not yet binding" in checks["art8-cobalt"].explanation
