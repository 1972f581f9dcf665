"""H6 battery cases (spec §7): Art. 8 phases by placing-on-market date, Art. 7 per kWh."""

from __future__ import annotations

from datetime import date

import pytest

from footprint.compliance import evaluate_checks, load_rule_sets
from footprint.model import Circularity, CircularityParameters, RecycledContent, Stage

DECLARED = {"Co": 0.16, "Pb": 0.85, "Li": 0.06, "Ni": 0.06}  # H6 declared recycled shares


@pytest.fixture
def battery(build):
    """75 kWh usable, 60 full cycles a year, 8 years; 6 000 kg CO2-eq over its life cycle."""
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
    circularity = Circularity(recycled_content=RecycledContent(by_element=dict(DECLARED)))

    def make(category: str, placed: date):
        return build.product(
            lines,
            category=category,
            placed=placed,
            usable_capacity_kwh=75.0,
            cycles_per_year=60.0,
            service_life_years=8.0,
            bom={"cathode": CircularityParameters(recycled_content=0.16)},
            result_fields={"circularity": circularity},
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
    for rule, share in {"art8-cobalt": 0.16, "art8-lead": 0.85, "art8-lithium": 0.06}.items():
        assert checks[rule].status == "pass"
        assert checks[rule].limit == pytest.approx(share)
        assert checks[rule].margin == pytest.approx(0.0)  # declared exactly at the minimum
    assert checks["art8-nickel"].status == "pass"
    assert "2031-08-18" in checks["art8-cobalt"].explanation
    assert "placed on the market 2032-01-01" in checks["art8-cobalt"].explanation
    assert checks["art8-cobalt"].source.article == "Art. 8(2) and 8(3)"
    # LMT-only rules do not concern an EV battery
    assert checks["art8-cobalt-lmt"].status == "not applicable"


def test_ev_battery_placed_2037_falls_short_on_cobalt_lithium_nickel(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2037, 1, 1)), catalog)
    expected = {
        "art8-cobalt": ("Co", 0.26),
        "art8-lithium": ("Li", 0.12),
        "art8-nickel": ("Ni", 0.15),
    }
    for rule, (element, minimum) in expected.items():
        check = checks[rule]
        assert check.status == "fail"
        assert check.limit == pytest.approx(minimum)
        assert check.margin == pytest.approx(DECLARED[element] - minimum)
    assert checks["art8-cobalt"].margin == pytest.approx(-0.10)
    assert checks["art8-cobalt"].margin_percent == pytest.approx(-0.10 / 0.26 * 100)
    assert checks["art8-lithium"].margin == pytest.approx(-0.06)
    assert checks["art8-nickel"].margin == pytest.approx(-0.09)
    assert checks["art8-lead"].status == "pass"


def test_failing_lithium_check_names_the_lines_with_most_virgin_lithium(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2037, 1, 1)), catalog)
    drivers = checks["art8-lithium"].drivers
    # cathode: 100 kg × 0.07 Li × (1 − 0.16) = 5.88 kg; electrolyte: 20 × 0.05 × 1 = 1.0 kg
    assert [d.line for d in drivers] == ["cathode", "electrolyte"]
    assert drivers[0].value == pytest.approx(5.88)
    assert drivers[1].value == pytest.approx(1.0)
    assert drivers[0].unit == "kg"


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
    assert check.status == "not applicable"
    assert "no legal maximum adopted yet" in check.explanation
    assert "36,000 kWh" in check.explanation
    assert check.unit == "kg CO2-eq/kWh"
    # top lines in the same unit: the cathode carries 4 000 / 36 000
    assert check.drivers[0].line == "cathode"
    assert check.drivers[0].value == pytest.approx(4000 / 36000)


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
    product, result = make("ev-battery", date(2032, 1, 1))
    assert result.circularity is not None
    result.circularity.recycled_content.by_element.pop("Pb")
    checks = checks_by_rule(product, result, catalog)
    assert checks["art8-lead"].status == "not applicable"
    assert "contains no Pb" in checks["art8-lead"].explanation


def test_before_2031_the_recycled_content_minimums_are_not_yet_binding(battery):
    make, catalog = battery
    checks = checks_by_rule(*make("ev-battery", date(2030, 6, 1)), catalog)
    assert checks["art8-cobalt"].status == "not applicable"
    assert "Not yet binding" in checks["art8-cobalt"].explanation
