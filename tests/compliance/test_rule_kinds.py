"""Every rule kind: pass, fail and exactly-at-the-limit cases, with figures worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from footprint.compliance import evaluate_checks, load_rule_sets
from footprint.model import (
    CffLine,
    CffParameter,
    CffResult,
    Circularity,
    CircularityParameters,
    DataQualityResult,
    RecycledContent,
    Stage,
)


def one(build, tmp_path, rule_yaml, product, result, **kwargs):
    rules = build.rules(tmp_path, rule_yaml)
    (check,) = evaluate_checks(result, product, [rules], **kwargs)
    return check


def footprint_rule(build, limit, basis="per functional unit", extra=""):
    return f"""  - id: fp
    title: footprint
    kind: max_footprint
    basis: {basis}
    limit: {limit}
    {build.source}
{extra}"""


# -------------------------------------------------------------------------- max_footprint


@pytest.fixture
def three_lines(build):
    # per functional unit: 60 + 30 + 10 = 100 kg CO2-eq; fossil 50 + 30 + 10 = 90
    lines = [
        build.line("frame", mass=3.0, cc=60.0, fossil=50.0),
        build.line("motor", mass=1.0, cc=30.0),
        build.line("truck", mass=None, cc=10.0, stage=Stage.DISTRIBUTION),
    ]
    return build.product(lines, reference_flow=2.0, result_fields={"reference_flow": 2.0})


@pytest.mark.parametrize(
    ("limit", "status", "margin", "margin_percent"),
    [
        (120, "pass", 20.0, 20 / 120 * 100),
        (100, "pass", 0.0, 0.0),
        (90, "fail", -10.0, -10 / 90 * 100),
    ],
)
def test_max_footprint_per_functional_unit(
    build, tmp_path, three_lines, limit, status, margin, margin_percent
):
    check = one(build, tmp_path, footprint_rule(build, limit), *three_lines)
    assert (check.status, check.value, check.limit) == (status, pytest.approx(100.0), limit)
    assert check.margin == pytest.approx(margin)
    assert check.margin_percent == pytest.approx(margin_percent)
    assert [d.line for d in check.drivers] == ["frame", "motor", "truck"]
    assert check.drivers[0].value == pytest.approx(60.0)


def test_max_footprint_per_kg_divides_one_product_by_its_mass(build, tmp_path, three_lines):
    # 100 per FU, reference flow 2 → 50 per product; mass 3 + 1 = 4 kg → 12.5 kg CO2-eq/kg
    check = one(build, tmp_path, footprint_rule(build, 12.5, "per kg"), *three_lines)
    assert check.value == pytest.approx(12.5)
    assert check.status == "pass" and check.margin == pytest.approx(0.0)
    check = one(build, tmp_path, footprint_rule(build, 12.0, "per kg"), *three_lines)
    assert check.status == "fail" and check.margin == pytest.approx(-0.5)


def test_max_footprint_fossil_indicator_and_stage_filter(build, tmp_path, three_lines):
    extra = "    indicator: fossil\n    stages: [raw materials]\n"
    check = one(build, tmp_path, footprint_rule(build, 80, extra=extra), *three_lines)
    assert check.value == pytest.approx(80.0)  # fossil of the raw-material lines: 50 + 30
    assert check.status == "pass"
    assert [d.line for d in check.drivers] == ["frame", "motor"]


def test_max_footprint_per_kwh_from_declared_energy(build, tmp_path):
    product, result = build.product([build.line("cells", cc=500.0)], energy_kwh=2000.0)
    check = one(build, tmp_path, footprint_rule(build, 0.2, "per kWh"), product, result)
    assert check.value == pytest.approx(0.25) and check.status == "fail"
    assert check.margin == pytest.approx(-0.05)


# -------------------------------------------------------------------- min_recycled_content


ALU_RULE = """  - id: alu
    title: recycled aluminium
    kind: min_recycled_content
    materials: [aluminium]
    schedule:
      - {from: 2026-01-01, limit: 0.30}
      - {from: 2030-01-01, limit: 0.32}
      - {from: 2035-01-01, limit: 0.50}
    %s
"""


@pytest.fixture
def aluminium(build):
    # R1 share = (2 × 0.5 + 3 × 0.2) / 5 = 1.6 / 5 = 0.32
    lines = [
        build.line("a", mass=2.0, material="aluminium", recycled_content=0.5),
        build.line("b", mass=3.0, material="aluminium", recycled_content=0.2),
        build.line("c", mass=4.0, material="steel", recycled_content=0.0),
    ]
    content = RecycledContent(by_material={"aluminium": 0.32, "steel": 0.0})
    return lambda placed: build.product(
        lines, placed=placed, result_fields={"circularity": Circularity(recycled_content=content)}
    )


@pytest.mark.parametrize(
    ("placed", "limit", "status", "margin"),
    [
        (date(2027, 1, 1), 0.30, "pass", 0.02),
        (date(2031, 1, 1), 0.32, "pass", 0.0),
        (date(2036, 1, 1), 0.50, "fail", -0.18),
    ],
)
def test_min_recycled_content_schedule(build, tmp_path, aluminium, placed, limit, status, margin):
    check = one(build, tmp_path, ALU_RULE % build.source, *aluminium(placed))
    assert check.value == pytest.approx(0.32)
    assert check.limit == pytest.approx(limit)
    assert check.status == status
    assert check.margin == pytest.approx(margin)


def test_failing_recycled_content_names_the_lines_with_most_virgin_mass(build, tmp_path, aluminium):
    check = one(build, tmp_path, ALU_RULE % build.source, *aluminium(date(2036, 1, 1)))
    # virgin aluminium: b 3 × 0.8 = 2.4 kg, a 2 × 0.5 = 1.0 kg; the steel line is not a driver
    assert [(d.line, d.value) for d in check.drivers] == [
        ("b", pytest.approx(2.4)),
        ("a", pytest.approx(1.0)),
    ]


def test_recycled_content_of_several_materials_is_mass_weighted(build, tmp_path):
    # post-consumer: (1 kg × 0.4 + 3 kg × 0.2) / 4 kg = 0.25
    lines = [
        build.line("bottle", mass=1.0, material="pet"),
        build.line("cap", mass=3.0, material="pp"),
    ]
    content = RecycledContent(
        by_material={"pet": 0.9, "pp": 0.9}, by_material_post_consumer={"pet": 0.4, "pp": 0.2}
    )
    product, result = build.product(
        lines, result_fields={"circularity": Circularity(recycled_content=content)}
    )
    rule = f"""  - id: pcr
    title: pcr
    kind: min_recycled_content
    materials: [pet, pp]
    basis: post-consumer
    limit: 0.25
    {build.source}
"""
    check = one(build, tmp_path, rule, product, result)
    assert check.value == pytest.approx(0.25) and check.status == "pass"


def test_recycled_content_without_the_material_or_without_results(build, tmp_path, aluminium):
    product, result = build.product([build.line("x", material="steel")])
    check = one(build, tmp_path, ALU_RULE % build.source, product, result, as_of=date(2027, 1, 1))
    assert check.status == "insufficient data"  # no circularity result at all
    result.circularity = Circularity()
    check = one(build, tmp_path, ALU_RULE % build.source, product, result, as_of=date(2027, 1, 1))
    assert check.status == "not applicable"
    assert "no line of aluminium" in check.explanation


# ----------------------------------------------------------------- min_eol_recycling_rate


def eol_rule(build, basis, limit):
    return f"""  - id: eol
    title: eol
    kind: min_eol_recycling_rate
    basis: {basis}
    limit: {limit}
    {build.source}
"""


@pytest.fixture
def eol_product(build):
    # recycling: (6 × 0.9 + 4 × 0.5) / 10 = 0.74; recovery: (6 × 0.9 + 4 × 0.8) / 10 = 0.86
    lines = [build.line("shell", mass=6.0), build.line("board", mass=4.0)]
    return build.product(
        lines,
        bom={
            "shell": CircularityParameters(eol_recycling_rate=0.9),
            "board": CircularityParameters(eol_recycling_rate=0.5, eol_energy_recovery_rate=0.3),
        },
    )


@pytest.mark.parametrize(
    ("basis", "limit", "status", "value"),
    [
        ("recycling", 0.74, "pass", 0.74),
        ("recycling", 0.80, "fail", 0.74),
        ("recovery", 0.85, "pass", 0.86),
        ("recovery", 0.90, "fail", 0.86),
    ],
)
def test_min_eol_rate(build, tmp_path, eol_product, basis, limit, status, value):
    check = one(build, tmp_path, eol_rule(build, basis, limit), *eol_product)
    assert check.value == pytest.approx(value)
    assert check.status == status
    assert check.margin == pytest.approx(value - limit, abs=1e-12)
    if status == "fail" and basis == "recycling":
        # mass not recycled: board 4 × 0.5 = 2.0 kg, shell 6 × 0.1 = 0.6 kg
        assert [(d.line, d.value) for d in check.drivers] == [
            ("board", pytest.approx(2.0)),
            ("shell", pytest.approx(0.6)),
        ]


def test_eol_rate_prefers_the_rate_the_cff_used(build, tmp_path, eol_product):
    product, result = eol_product
    used = {"R2": CffParameter(value=0.2, origin="product")}
    cff = CffResult(
        lines=[
            CffLine(
                line="shell",
                path="shell",
                material="abs",
                mass_kg=6.0,
                material_part=0,
                virgin=0,
                recycled_input=0,
                recycling_credit=0,
                energy_part=0,
                disposal_part=0,
                total=0,
                parameters=used,
            )
        ]
    )
    result.circularity = Circularity(cff=cff)
    check = one(build, tmp_path, eol_rule(build, "recycling", 0.5), product, result)
    assert check.value == pytest.approx((6 * 0.2 + 4 * 0.5) / 10)  # 0.32


def test_eol_rate_from_a_borrowed_default_is_insufficient_data(build, tmp_path, eol_product):
    """An R2 the CFF took from the (packaging) Annex C defaults gives no WEEE verdict."""
    product, result = eol_product
    source = "PEF Annex C v2.1 (packaging R2)"
    cff = CffResult(lines=[CffLine(
        line="shell", path="shell", material="abs", mass_kg=6.0, material_part=0, virgin=0,
        recycled_input=0, recycling_credit=0, energy_part=0, disposal_part=0, total=0,
        parameters={"R2": CffParameter(value=0.9, origin="default", source=source)},
    )])  # fmt: skip
    result.circularity = Circularity(cff=cff)
    check = one(build, tmp_path, eol_rule(build, "recycling", 0.5), product, result)
    assert check.status == "insufficient data"
    assert "lines shell is a material default" in check.explanation
    assert source in check.explanation and "declare eol_recycling_rate" in check.explanation


def test_eol_rate_without_r2_is_insufficient_data_naming_the_line(build, tmp_path):
    product, result = build.product(
        [build.line("shell", mass=6.0), build.line("board", mass=4.0)],
        bom={"shell": CircularityParameters(eol_recycling_rate=0.9)},
    )
    check = one(build, tmp_path, eol_rule(build, "recycling", 0.5), product, result)
    assert check.status == "insufficient data"
    assert "board" in check.explanation
    assert [d.line for d in check.drivers] == ["board"]


def test_eol_rate_falls_back_to_the_product_level_r2(build, tmp_path):
    product, result = build.product(
        [build.line("shell", mass=6.0)],
        circularity=CircularityParameters(eol_recycling_rate=0.6),
    )
    check = one(build, tmp_path, eol_rule(build, "recycling", 0.6), product, result)
    assert check.value == pytest.approx(0.6) and check.status == "pass"


# --------------------------------------------------------------- max_single_country_share


def country_rule(build):
    return f"""  - id: co-country
    title: cobalt concentration
    kind: max_single_country_share
    element: Co
    limit: 0.65
    ignore_countries: [FI]
    {build.source}
"""


def cobalt_product(build, catalog, countries, masses):
    catalog.add("ds-cobalt", {"Co": 0.5})
    lines = [
        build.line(f"l{i}", mass=m, dataset="ds-cobalt", country=c)
        for i, (c, m) in enumerate(zip(countries, masses, strict=True))
    ]
    lines.append(build.line("case", mass=50.0, country=None))  # no cobalt: ignored
    catalog.add("ds-case", {})
    return build.product(lines)


@pytest.mark.parametrize(
    ("masses", "status", "value"),
    [
        # Co: CD 13 × 0.5 = 6.5 kg, AU 3.5 × 0.5 = 1.75 kg, FI 3.5 × 0.5 = 1.75 kg → 6.5 / 10
        ((13.0, 3.5, 3.5), "pass", 0.65),
        # CD 14 × 0.5 = 7 kg of 7 + 1.5 + 1.5 = 10 kg → 0.70
        ((14.0, 3.0, 3.0), "fail", 0.70),
    ],
)
def test_single_country_share(build, tmp_path, catalog, masses, status, value):
    product, result = cobalt_product(build, catalog, ["CD", "AU", "FI"], masses)
    check = one(build, tmp_path, country_rule(build), product, result, catalog=catalog)
    assert check.value == pytest.approx(value)
    assert check.status == status
    assert "CD" in check.explanation
    if status == "fail":
        assert [(d.line, d.value) for d in check.drivers] == [("l0", pytest.approx(7.0))]


def test_ignored_countries_do_not_count_as_concentration(build, tmp_path, catalog):
    # FI 8 kg of 10 kg is ignored; the largest counted share is AU 1 / 10 = 0.1
    product, result = cobalt_product(build, catalog, ["FI", "AU", "CD"], (16.0, 2.0, 2.0))
    check = one(build, tmp_path, country_rule(build), product, result, catalog=catalog)
    assert check.value == pytest.approx(0.1) and check.status == "pass"


def test_single_country_share_needs_a_country_and_compositions(build, tmp_path, catalog):
    product, result = cobalt_product(build, catalog, ["CD", None], (1.0, 1.0))
    check = one(build, tmp_path, country_rule(build), product, result, catalog=catalog)
    assert check.status == "insufficient data"
    assert "l1" in check.explanation and [d.line for d in check.drivers] == ["l1"]
    check = one(build, tmp_path, country_rule(build), product, result)  # no catalog
    assert check.status == "insufficient data"
    product, result = build.product([build.line("case", mass=5.0, dataset="ds-case")])
    check = one(build, tmp_path, country_rule(build), product, result, catalog=catalog)
    assert check.status == "not applicable"


# ------------------------------------------------------------------------------- max_dqr


@pytest.mark.parametrize(
    ("dqr", "status", "margin"), [(2.45, "pass", 0.55), (3.0, "pass", 0.0), (3.2, "fail", -0.2)]
)
def test_max_dqr(build, tmp_path, dqr, status, margin):
    product, result = build.product(
        [build.line("x")], result_fields={"data_quality": DataQualityResult(dqr=dqr)}
    )
    rule = f"  - {{id: dqr, title: dqr, kind: max_dqr, limit: 3.0, {build.source[:-1]}}}}}\n"
    check = one(build, tmp_path, rule, product, result)
    assert (check.status, check.value) == (status, dqr)
    assert check.margin == pytest.approx(margin)


def test_max_dqr_without_a_rating(build, tmp_path):
    product, result = build.product([build.line("x")])
    rule = f"  - {{id: dqr, title: dqr, kind: max_dqr, limit: 3.0, {build.source[:-1]}}}}}\n"
    assert one(build, tmp_path, rule, product, result).status == "insufficient data"


# ------------------------------------------------------------------------ required_fields


def fields_rule(build, limit=""):
    return f"""  - id: 3tg
    title: 3TG traceability
    kind: required_fields
    fields: [country, smelter_id]
    elements: [Sn, Ta, W, Au]
    {limit}
    {build.source}
"""


@pytest.fixture
def electronics(build, catalog):
    catalog.add("ds-solder", {"Sn": 0.96, "Ag": 0.04})
    catalog.add("ds-capacitor", {"Ta": 0.4})
    catalog.add("ds-housing", {})

    def make(solder_smelter, capacitor_country):
        return build.product(
            [
                build.line(
                    "solder",
                    mass=0.01,
                    dataset="ds-solder",
                    country="ID",
                    smelter_id=solder_smelter,
                ),
                build.line(
                    "capacitor",
                    mass=0.002,
                    dataset="ds-capacitor",
                    country=capacitor_country,
                    smelter_id="CID000211",
                ),
                build.line("housing", mass=0.2, dataset="ds-housing"),
            ]
        )

    return make


def test_required_fields_pass_when_every_3tg_line_is_traced(build, tmp_path, catalog, electronics):
    check = one(
        build, tmp_path, fields_rule(build), *electronics("CID001070", "RW"), catalog=catalog
    )
    assert check.status == "pass" and check.value == 0 and check.limit == 0
    assert check.drivers == []


def test_required_fields_fail_names_each_offending_line(build, tmp_path, catalog, electronics):
    check = one(build, tmp_path, fields_rule(build), *electronics(None, " "), catalog=catalog)
    assert check.status == "fail" and check.value == 2 and check.margin == -2
    notes = {d.line: d.note for d in check.drivers}
    assert notes == {"solder": "missing smelter_id", "capacitor": "missing country"}
    check = one(
        build, tmp_path, fields_rule(build, "limit: 2"), *electronics(None, " "), catalog=catalog
    )
    assert check.status == "pass" and check.margin == 0  # exactly at the tolerated number


def test_required_fields_not_applicable_or_unknown(build, tmp_path, catalog, electronics):
    product, result = build.product([build.line("housing", dataset="ds-housing")])
    catalog.add("ds-housing", {})
    check = one(build, tmp_path, fields_rule(build), product, result, catalog=catalog)
    assert check.status == "not applicable"
    check = one(build, tmp_path, fields_rule(build), *electronics(None, None))
    assert check.status == "insufficient data"  # no catalog: compositions unknown


# ---------------------------------------------------------------------- applies_to, dates


def scoped_rule(build, categories="[ev-battery]", window=""):
    return f"""  - id: scoped
    title: scoped
    kind: max_footprint
    limit: 100
    applies_to:
      categories: {categories}
      {window}
    {build.source}
"""


def test_category_decides_applicability(build, tmp_path):
    lines = [build.line("x", cc=50.0)]
    check = one(build, tmp_path, scoped_rule(build), *build.product(lines, category="lmt-battery"))
    assert check.status == "not applicable" and "not lmt-battery" in check.explanation
    check = one(build, tmp_path, scoped_rule(build), *build.product(lines))
    assert check.status == "insufficient data" and "no category" in check.explanation
    check = one(build, tmp_path, scoped_rule(build), *build.product(lines, category="ev-battery"))
    assert check.status == "pass"


def test_placed_on_market_window_and_which_date_is_used(build, tmp_path):
    rule = scoped_rule(build, "[]", "placed_on_market: {from: 2030-01-01, until: 2034-12-31}")
    lines = [build.line("x", cc=50.0)]
    inside = one(build, tmp_path, rule, *build.product(lines, placed=date(2034, 12, 31)))
    assert inside.status == "pass"
    after = one(build, tmp_path, rule, *build.product(lines, placed=date(2035, 1, 1)))
    assert after.status == "not applicable"
    assert "placed on the market 2035-01-01" in after.explanation
    # no placed_on_market: the as-of date decides, and the explanation says so
    as_of = one(build, tmp_path, rule, *build.product(lines), as_of=date(2031, 5, 1))
    assert as_of.status == "pass" and "as of" in as_of.explanation
    # placed_on_market wins over as_of
    placed = one(
        build,
        tmp_path,
        rule,
        *build.product(lines, placed=date(2029, 1, 1)),
        as_of=date(2031, 1, 1),
    )
    assert placed.status == "not applicable"


def test_limit_null_reports_the_value_without_a_verdict(build, tmp_path):
    rule = f"""  - id: declared
    title: declared
    kind: max_footprint
    limit: null
    {build.source}
"""
    check = one(build, tmp_path, rule, *build.product([build.line("x", cc=42.0)]))
    assert check.status == "declared" and check.value == pytest.approx(42.0)
    assert check.limit is None and "No legal maximum adopted yet" in check.explanation
    assert "no verdict" in check.explanation


def test_maximum_wording_says_exceeds_by(build, tmp_path):
    rule = f"""  - id: cap
    title: cap
    kind: max_footprint
    limit: 40
    {build.source}
"""
    over = one(build, tmp_path, rule, *build.product([build.line("x", cc=42.0)]))
    assert over.status == "fail" and "exceeds the maximum limit by 2 kg CO2-eq" in over.explanation
    under = one(build, tmp_path, rule, *build.product([build.line("x", cc=30.0)]))
    assert under.status == "pass" and "10 kg CO2-eq per functional unit below the maximum" in (
        under.explanation
    )


def test_an_informative_rule_is_an_indicator_never_a_verdict(build, tmp_path):
    rule = f"""  - id: bench
    title: bench
    kind: max_footprint
    limit: 40
    informative: true
    {build.source}
"""
    check = one(build, tmp_path, rule, *build.product([build.line("x", cc=42.0)]))
    assert check.status == "indicator" and check.margin == pytest.approx(-2.0)
    assert check.explanation.startswith("Indicator, not a product obligation")
    assert "exceeds the maximum benchmark by 2" in check.explanation


def test_ppwr_excludes_plastic_parts_under_5_percent_of_the_packaging(build, tmp_path):
    """A paper pack of 96 g with a 4 g plastic closure (4 %): PPWR Art. 7 does not apply."""
    rules = load_rule_sets(["eu-ppwr-plastic-packaging"])
    lines = [
        build.line("board", mass=0.096, material="paper-board"),
        build.line("closure", mass=0.004, material="pp"),
    ]
    product, result = build.product(
        lines, category="packaging-plastic-other", placed=date(2031, 1, 1),
        result_fields={"circularity": Circularity()},
    )  # fmt: skip
    (check,) = [c for c in evaluate_checks(result, product, rules) if "1d" in c.rule]
    assert check.status == "not applicable"
    assert (
        "under 5% of the product's weight" in check.explanation and "closure" in check.explanation
    )
    # a 6 g closure on 94 g (6 %) counts: 0 % post-consumer against 35 %
    lines[0] = build.line("board", mass=0.094, material="paper-board")
    lines[1] = build.line("closure", mass=0.006, material="pp")
    product, result = build.product(
        lines, category="packaging-plastic-other", placed=date(2031, 1, 1),
        result_fields={"circularity": Circularity(
            recycled_content=RecycledContent(by_material_post_consumer={"pp": 0.0}))},
    )  # fmt: skip
    (check,) = [c for c in evaluate_checks(result, product, rules) if "1d" in c.rule]
    assert check.status == "fail" and check.value == pytest.approx(0.0)
