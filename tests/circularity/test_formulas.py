"""The pure formulas against published and hand-worked cases (pef-and-regulations.md §7)."""

from __future__ import annotations

import pytest

from footprint.circularity import MaterialMass, MciFlow, cff_terms, mci, recycled_content, utility


def test_h1_glass_tutorial_example() -> None:
    # kleis-technology/lcaac CFF tutorial (glass): published result 1.38 kg CO2-eq/kg.
    terms = cff_terms(
        a=0.2, b=0, r1=0, r2=0, r3=0, qsin_qp=1, qsout_qp=1,
        ev=1.3, erecycled=1.07, erecycling_eol=1.07, ev_star=1.3, eer=2.03,
        lhv=0, xer_heat=0.31, xer_elec=0.101, ese_heat=5.5e-6, ese_elec=2.9e-4, ed=0.08,
    )  # fmt: skip
    assert terms.virgin == pytest.approx(1.30)
    assert terms.recycled_input == 0
    assert terms.recycling_credit == 0
    assert terms.energy == 0
    assert terms.disposal == pytest.approx(0.08)
    assert terms.total == pytest.approx(1.38)


def test_h2_ecobalyse_recycling_term() -> None:
    # Ecobalyse M3 example: (1 − 0.8)·0.05·(0.44 − 1.82·0.3) = −0.00106 mPt.
    terms = cff_terms(
        a=0.8, r1=0, r2=0.05, r3=0, qsin_qp=1, qsout_qp=0.3,
        ev=0, erecycled=0, erecycling_eol=0.44, ev_star=1.82, ed=0,
    )  # fmt: skip
    assert terms.recycling_credit == pytest.approx(-0.00106)


def test_h3_all_five_terms() -> None:
    terms = cff_terms(
        a=0.5, b=0, r1=0.3, r2=0.4, r3=0.35, qsin_qp=0.9, qsout_qp=0.9,
        ev=2.5, erecycled=1.0, erecycling_eol=0.6, ev_star=2.5, eer=2.2,
        lhv=22, xer_heat=0.2, xer_elec=0.1, ese_heat=0.08, ese_elec=0.12, ed=0.1,
    )  # fmt: skip
    assert terms.virgin == pytest.approx(0.7 * 2.5)  # 1.75
    assert terms.recycled_input == pytest.approx(0.3 * (0.5 * 1.0 + 0.5 * 2.5 * 0.9))  # 0.4875
    assert terms.recycling_credit == pytest.approx(0.5 * 0.4 * (0.6 - 2.5 * 0.9))  # −0.33
    assert terms.energy == pytest.approx(0.35 * (2.2 - 22 * 0.2 * 0.08 - 22 * 0.1 * 0.12))
    assert terms.disposal == pytest.approx(0.25 * 0.1)  # 0.025
    assert terms.total == pytest.approx(2.4869)
    assert terms.raw_materials == pytest.approx(1.75 + 0.4875)
    assert terms.end_of_life == pytest.approx(-0.33 + 0.5544 + 0.025)


def test_h5a_mci() -> None:
    flow = MciFlow(mass_kg=1, recycled_share=0.3, recycling_rate=0.5,
                   efficiency_eol=0.8, efficiency_feedstock=0.9)  # fmt: skip
    result = mci(flow, x=1.5)
    # V 0.7; W0 0.5; WC 0.1; WF 0.1·0.3/0.9; W = 0.5 + (WF + WC)/2; LFI = (V+W)/(2 + (WF−WC)/2)
    wf = 0.1 * 0.3 / 0.9
    w = 0.5 + (wf + 0.1) / 2
    lfi = (0.7 + w) / (2 + (wf - 0.1) / 2)
    assert result.virgin_kg == pytest.approx(0.7)
    assert result.unrecoverable_waste_kg == pytest.approx(0.566667, abs=1e-6)
    assert result.linear_flow_index == pytest.approx(0.644068, abs=1e-6)
    assert result.utility_factor == pytest.approx(0.6)
    assert result.mci == pytest.approx(1 - lfi * 0.6)
    assert result.mci == pytest.approx(0.613559, abs=1e-6)


def test_h5b_mci_with_reuse() -> None:
    flow = MciFlow(mass_kg=10, recycled_share=0.25, reuse_share=0.05, recycling_rate=0.6,
                   reuse_rate=0.1, efficiency_eol=0.85, efficiency_feedstock=0.75)  # fmt: skip
    x, notes = utility(lifetime=2, lifetime_average=1, intensity=0.8, intensity_average=1)
    assert x == pytest.approx(1.6) and notes == []
    result = mci(flow, x)
    assert result.virgin_kg == pytest.approx(7.0)
    assert result.unrecoverable_waste_kg == pytest.approx(3.866667, abs=1e-6)
    assert result.linear_flow_index == pytest.approx(10.866667 / 19.966667, abs=1e-6)
    assert result.mci == pytest.approx(0.693865, abs=1e-6)


def test_mci_fully_linear_average_utility_is_0_1() -> None:
    result = mci(MciFlow(mass_kg=3), x=1.0)
    assert result.linear_flow_index == pytest.approx(1.0)
    assert result.mci == pytest.approx(0.1)


def test_mci_clamped_at_zero() -> None:
    # Fully linear at half the average utility: 1 − 1·1.8 < 0.
    assert mci(MciFlow(mass_kg=1), x=0.5).mci == 0.0


def test_mci_fully_restorative_is_1() -> None:
    flow = MciFlow(mass_kg=2, recycled_share=1, recycling_rate=1,
                   efficiency_eol=1, efficiency_feedstock=1)  # fmt: skip
    result = mci(flow)
    assert result.linear_flow_index == pytest.approx(0.0)
    assert result.mci == pytest.approx(1.0)


def test_mci_no_recycled_feedstock_ignores_ef() -> None:
    # FR = 0: WF = 0 even with EF = 0 (no 0/0).  V 1, W0 0.5, WC 0.5·0.5·1 = 0.25.
    flow = MciFlow(mass_kg=1, recycling_rate=0.5, efficiency_eol=0.5, efficiency_feedstock=0)
    result = mci(flow)
    w = 0.5 + 0.25 / 2
    assert result.mci == pytest.approx(1 - (1 + w) / (2 - 0.25 / 2) * 0.9)


def test_mci_missing_utility_figures_count_as_one_with_a_note() -> None:
    x, notes = utility(lifetime=5, lifetime_average=None)
    assert x == 1.0
    assert len(notes) == 1 and "L/Lav = 1" in notes[0] and "U/Uav = 1" in notes[0]


def test_element_recycled_content_by_hand() -> None:
    # Cathode 2 kg, 20 % Co, R1 0.1; cobalt salt 0.5 kg, 30 % Co, R1 0.5 (0.2 post-consumer).
    content = recycled_content(
        [
            MaterialMass(2.0, 0.1, None, 0.5, "cathode", {"Co": 0.2, "Ni": 0.6}),
            MaterialMass(0.5, 0.5, 0.2, 0.0, "cobalt", {"Co": 0.3}),
            MaterialMass(1.5, 0.0, None, 0.8, "aluminium", {}),
        ]
    )
    co_mass = 2.0 * 0.2 + 0.5 * 0.3  # 0.55 kg
    assert content.element_mass_kg["Co"] == pytest.approx(co_mass)
    assert content.by_element["Co"] == pytest.approx((0.4 * 0.1 + 0.15 * 0.5) / co_mass)
    assert content.by_element_post_consumer["Co"] == pytest.approx(0.15 * 0.2 / co_mass)
    assert content.by_element["Ni"] == pytest.approx(0.1)
    assert content.share == pytest.approx((0.2 + 0.25 + 0) / 4.0)
    assert content.post_consumer_share == pytest.approx(0.5 * 0.2 / 4.0)
    assert content.recyclable_share == pytest.approx((2.0 * 0.5 + 1.5 * 0.8) / 4.0)
    assert content.by_material == pytest.approx({"cathode": 0.1, "cobalt": 0.5, "aluminium": 0.0})
