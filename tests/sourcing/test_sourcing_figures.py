"""Sourcing figures of a cobalt BOM, against hand computations written here.

The BOM (conftest): cobalt lines c1 3 kg CD/S1, c2 1 kg CN/S2, c3 0.5 kg AU/S1 and c4 0.5 kg
with no country from S2 (metal-cobalt is 100 % Co), and a 2 kg steel can.
"""

from __future__ import annotations

from datetime import date

import pytest

from footprint import assess

# hand computation: total Co 3 + 1 + 0.5 + 0.5 = 5 kg; known origin 4.5 kg
HHI_KNOWN = ((3 / 4.5) ** 2 + (1 / 4.5) ** 2 + (0.5 / 4.5) ** 2) * 100**2  # 5061.73
HHI_LOWEST = 60**2 + 20**2 + 10**2  # unknown 0.5 kg spread thinly: 4,100
HHI_HIGHEST = 70**2 + 20**2 + 10**2  # unknown 0.5 kg all from CD (3.5 of 5): 5,400


@pytest.fixture(scope="module")
def engine():
    from footprint import Engine

    return Engine()


def cobalt(result):
    (co,) = [s for s in result.products[0].sourcing.elements if s.subject == "Co"]
    return co


def test_mass_by_country_and_supplier_and_hhi_without_a_register(engine, cobalt_bom, tmp_path):
    smelters = tmp_path / "approved.txt"
    smelters.write_text("smelter_id\nCID001\nCID002\n", encoding="utf-8")
    result = assess(cobalt_bom, engine=engine, approved_smelters=smelters)
    co = cobalt(result)
    assert co.mass_kg == pytest.approx(5.0)
    assert co.by_country == pytest.approx({"CD": 3.0, "CN": 1.0, "AU": 0.5, "unknown": 0.5})
    assert list(co.by_country)[-1] == "unknown"  # its own bucket, last, never dropped
    assert co.by_supplier == pytest.approx({"S1": 3.5, "S2": 1.5})
    assert co.top_country == "CD"
    assert co.top_country_share == pytest.approx(3 / 5)
    assert co.top_country_share_highest == pytest.approx(3.5 / 5)
    assert co.hhi == pytest.approx(HHI_KNOWN)
    assert co.hhi == pytest.approx(5061.728, abs=1e-3)
    assert co.hhi_lowest == pytest.approx(HHI_LOWEST)
    assert co.hhi_highest == pytest.approx(HHI_HIGHEST)
    # traceability: country + smelter id + certification on c1 (3 kg) and c3 (0.5 kg) only
    assert co.traceability == pytest.approx(3.5 / 5)
    gaps = {gap.line: gap.missing for gap in co.lacking}
    assert set(gaps) == {"c2", "c4"}
    assert gaps["c2"] == ["certification"]
    assert gaps["c4"][0] == "country" and len(gaps["c4"]) == 3
    # approved smelters: c1 CID001 3 kg + c2 CID002 1 kg = 4 of 5; c3 CID003 not listed;
    # c4 has no smelter id (0.5 kg cannot be judged)
    assert co.approved_smelters.value == pytest.approx(4 / 5)
    assert co.approved_smelters.highest == pytest.approx(4.5 / 5)
    assert co.approved_smelters.unknown_share == pytest.approx(0.5 / 5)
    # no register: no certificate can be judged, all 5 kg unknown
    assert co.certified.value == 0.0
    assert co.certified.unknown_share == pytest.approx(1.0)
    assert co.high_risk is None  # no list given: not computed, not zero
    steel = next(s for s in result.products[0].sourcing.materials if s.subject == "steel")
    assert steel.mass_kg == pytest.approx(2.0)


def test_register_fills_country_and_certificate_valid_on_its_end_date(engine, cobalt_bom, register):
    on_end = assess(cobalt_bom, engine=engine, suppliers=register, as_of=date(2026, 6, 30))
    co = cobalt(on_end)
    # c4 takes its supplier S2's country (CN) from the register: 1.5 kg CN, nothing unknown
    assert co.by_country == pytest.approx({"CD": 3.0, "CN": 1.5, "AU": 0.5})
    assert co.hhi == pytest.approx(60**2 + 30**2 + 10**2)  # 4,600
    # S1's RMAP certificate ends 2026-06-30, that day included: S1's 3.5 of 5 kg certified
    assert co.certified.value == pytest.approx(3.5 / 5)
    cards = {card.supplier: card for card in on_end.products[0].sourcing.suppliers}
    assert cards["S1"].certificate_status == "expiring"
    assert "certificate expires within 90 days" in cards["S1"].flags

    day_after = assess(cobalt_bom, engine=engine, suppliers=register, as_of=date(2026, 7, 1))
    assert cobalt(day_after).certified.value == 0.0
    cards = {card.supplier: card for card in day_after.products[0].sourcing.suppliers}
    assert cards["S1"].certificate_status == "expired"
    assert "certificate expired" in cards["S1"].flags


def test_scorecards(engine, cobalt_bom, register, tmp_path):
    risky = tmp_path / "high-risk.csv"
    risky.write_text("country\nCD\n", encoding="utf-8")
    result = assess(
        cobalt_bom,
        engine=engine,
        suppliers=register,
        high_risk_countries=risky,
        as_of=date(2026, 3, 31),
    )
    product = result.products[0]
    cards = {card.supplier: card for card in product.sourcing.suppliers}
    s1, s2, s3 = cards["S1"], cards["S2"], cards["S3"]
    material_mass = 3 + 1 + 0.5 + 0.5 + 2  # 7 kg
    assert s1.mass_kg == pytest.approx(3.5) and s1.mass_share == pytest.approx(3.5 / 7)
    assert s2.mass_share == pytest.approx(1.5 / material_mass)
    lines = {line.id: line for line in product.lines}
    s1_climate = lines["c1"].climate_change.total + lines["c3"].climate_change.total
    assert s1.climate_change == pytest.approx(s1_climate)
    assert s1.footprint_share == pytest.approx(s1_climate / product.climate_change.total)
    assert s1.energy_intensity == "11.5 kWh/kg"
    assert s1.recycled_share == 0.0  # no R1 declared on its lines
    assert s1.days_since_audit == (date(2026, 3, 31) - date(2026, 1, 15)).days  # 75
    assert s1.certificate_status == "valid"  # ends 2026-06-30: 91 days after 2026-03-31
    # S2: CA-1 opened 2026-01-01 and CA-3 2026-03-01 are open; CA-2 was closed 2026-02-01
    assert s2.open_corrective_actions == 2
    assert s2.oldest_open_action_days == (date(2026, 3, 31) - date(2026, 1, 1)).days  # 89
    assert s2.certificate_status == "none"
    assert "no valid certificate" in s2.flags
    assert "high-risk origin (CD)" in s1.flags
    assert "single source of steel" in s3.flags and "single source of Fe" not in s3.flags
    co = cobalt(result)
    assert co.high_risk.value == pytest.approx(3 / 5)  # CD 3 kg of 5; c4 takes CN from S2


def test_portfolio_sums_one_unit_of_each_product(engine, cobalt_bom, tmp_path):
    second = tmp_path / "second.csv"
    second.write_text(
        "product,id,quantity,unit,dataset,country,supplier\npack,p1,2,kg,metal-cobalt,CD,S9\n",
        encoding="utf-8",
    )
    result = assess([cobalt_bom, second], engine=engine, high_risk_countries=_list(tmp_path))
    (co,) = [s for s in result.sourcing.elements if s.subject == "Co"]
    assert co.by_country == pytest.approx({"CD": 5.0, "CN": 1.0, "AU": 0.5, "unknown": 0.5})
    assert {c.line for c in co.contributions} == {
        "cell/c1",
        "cell/c2",
        "cell/c3",
        "cell/c4",
        "pack/p1",
    }


def _list(folder):
    path = folder / "risk.txt"
    path.write_text("CD\n", encoding="utf-8")
    return path


def test_no_sourcing_figures_unless_asked(engine, cobalt_bom):
    result = assess(cobalt_bom, engine=engine)
    assert result.products[0].sourcing is None and result.sourcing is None


def test_the_origin_chart_holds_each_countrys_share_of_the_cobalt(engine, cobalt_bom, tmp_path):
    """Hand computation: of 5 kg Co, CD 3 kg = 60 %, CN 1 kg = 20 %, AU and unknown 0.5 kg =
    10 % each; countries largest first, unknown origin last."""
    from footprint.report.sourcing import origin_figure, origin_spec

    smelters = tmp_path / "approved.txt"
    smelters.write_text("smelter_id\nCID001\n", encoding="utf-8")
    sourcing = assess(cobalt_bom, engine=engine, approved_smelters=smelters).products[0].sourcing
    spec = origin_spec(sourcing)
    co = spec["data"][0]["y"].index("Co")
    shares = {t["name"]: (t["x"][co], t["customdata"][co]) for t in spec["data"]}
    assert list(shares) == ["CD", "CN", "AU", "unknown origin"]
    expected = {"CD": (60, 3), "CN": (20, 1), "AU": (10, 0.5), "unknown origin": (10, 0.5)}
    for name, (percent, kg) in expected.items():
        assert shares[name] == (pytest.approx(percent), pytest.approx(kg))
    figure = origin_figure(sourcing)  # the notebook API's figure draws the same bars
    assert [list(trace.x) for trace in figure.data] == [t["x"] for t in spec["data"]]
