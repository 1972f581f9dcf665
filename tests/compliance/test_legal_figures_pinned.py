"""Every legal figure of the shipped EU rule sets, pinned against an independent table.

The table below is written by hand from the project's research notes (shared spec
pef-and-regulations.md: §3.3 Art. 8 table, §3.1 Art. 7 declaration dates, §4.2 WEEE Annex V
Part 3 table, §4.3 PPWR Art. 7 table, §4.4 CRMA benchmark), not from the YAML files: a
changed figure, date, category, element, basis or article in a shipped set fails here, and so
does a rule that is added without being pinned.  Company example sets are not law and are
left out.
"""

from __future__ import annotations

from datetime import date

import pytest

from footprint.compliance import list_rule_sets

D = date.fromisoformat
ART8 = "Art. 8(2) and 8(3)"
BATTERY_CATEGORIES = ("ev-battery", "industrial-battery", "sli-battery")

# rule id → (kind, categories, element or materials key, basis, [(from, limit)], article)
LAW: dict[str, dict[str, tuple]] = {
    "eu-battery-regulation": {
        # §3.3: from 18 Aug 2031 Co 16, Pb 85, Li 6, Ni 6 %; from 18 Aug 2036 26, 85, 12, 15 %
        "art8-cobalt": ("min_recycled_content", BATTERY_CATEGORIES, "Co", "all recycled",
                        [(D("2031-08-18"), 0.16), (D("2036-08-18"), 0.26)], ART8),
        "art8-lead": ("min_recycled_content", BATTERY_CATEGORIES, "Pb", "all recycled",
                      [(D("2031-08-18"), 0.85), (D("2036-08-18"), 0.85)], ART8),
        "art8-lithium": ("min_recycled_content", BATTERY_CATEGORIES, "Li", "all recycled",
                         [(D("2031-08-18"), 0.06), (D("2036-08-18"), 0.12)], ART8),
        "art8-nickel": ("min_recycled_content", BATTERY_CATEGORIES, "Ni", "all recycled",
                        [(D("2031-08-18"), 0.06), (D("2036-08-18"), 0.15)], ART8),
        # §3.3: LMT batteries only from the 2036 step
        "art8-cobalt-lmt": ("min_recycled_content", ("lmt-battery",), "Co", "all recycled",
                            [(D("2036-08-18"), 0.26)], "Art. 8(3)"),
        "art8-lead-lmt": ("min_recycled_content", ("lmt-battery",), "Pb", "all recycled",
                          [(D("2036-08-18"), 0.85)], "Art. 8(3)"),
        "art8-lithium-lmt": ("min_recycled_content", ("lmt-battery",), "Li", "all recycled",
                             [(D("2036-08-18"), 0.12)], "Art. 8(3)"),
        "art8-nickel-lmt": ("min_recycled_content", ("lmt-battery",), "Ni", "all recycled",
                            [(D("2036-08-18"), 0.15)], "Art. 8(3)"),
        # §3.1: declaration EV 18 Feb 2025, industrial 18 Feb 2026, LMT 18 Aug 2028; no maximum
        "art7-carbon-footprint-ev": ("max_footprint", ("ev-battery",), None, "per kWh",
                                     [(D("2025-02-18"), None)], "Art. 7(1) and Annex II"),
        "art7-carbon-footprint-industrial": ("max_footprint", ("industrial-battery",), None,
                                             "per kWh", [(D("2026-02-18"), None)],
                                             "Art. 7(1) and Annex II"),
        "art7-carbon-footprint-lmt": ("max_footprint", ("lmt-battery",), None, "per kWh",
                                      [(D("2028-08-18"), None)], "Art. 7(1) and Annex II"),
    },
    "eu-ppwr-plastic-packaging": {
        # §4.3: (a) 30/50, (b) 10/25, (c) 30/65, (d) 35/65 % from 1 Jan 2030 / 1 Jan 2040
        "art7-1a-pet-contact-sensitive": (
            "min_recycled_content", ("packaging-plastic-pet-contact",), "plastics",
            "post-consumer", [(D("2030-01-01"), 0.30), (D("2040-01-01"), 0.50)],
            "Art. 7(1) and 7(2)"),
        "art7-1b-contact-sensitive-other": (
            "min_recycled_content", ("packaging-plastic-contact",), "plastics",
            "post-consumer", [(D("2030-01-01"), 0.10), (D("2040-01-01"), 0.25)],
            "Art. 7(1) and 7(2)"),
        "art7-1c-beverage-bottles": (
            "min_recycled_content", ("packaging-plastic-beverage-bottle",), "plastics",
            "post-consumer", [(D("2030-01-01"), 0.30), (D("2040-01-01"), 0.65)],
            "Art. 7(1) and 7(2)"),
        "art7-1d-other-plastic-packaging": (
            "min_recycled_content", ("packaging-plastic-other",), "plastics",
            "post-consumer", [(D("2030-01-01"), 0.35), (D("2040-01-01"), 0.65)],
            "Art. 7(1) and 7(2)"),
    },
    "eu-weee-recovery": {
        # §4.2 Annex V Part 3 from 15 Aug 2018: recovered / prepared for re-use and recycled
        **{
            f"weee-{n}-{basis}": (
                "min_eol_recycling_rate", (category,), None, basis,
                [(D("2018-08-15"), limit)], "Annex V, Part 3",
            )
            for n, category, basis, limit in (
                (1, "weee-1-temperature-exchange", "recovery", 0.85),
                (1, "weee-1-temperature-exchange", "recycling", 0.80),
                (2, "weee-2-screens", "recovery", 0.80),
                (2, "weee-2-screens", "recycling", 0.70),
                (3, "weee-3-lamps", "recycling", 0.80),
                (4, "weee-4-large", "recovery", 0.85),
                (4, "weee-4-large", "recycling", 0.80),
                (5, "weee-5-small", "recovery", 0.75),
                (5, "weee-5-small", "recycling", 0.55),
                (6, "weee-6-small-it", "recovery", 0.75),
                (6, "weee-6-small-it", "recycling", 0.55),
            )
        },
    },
    "eu-crma-supply-concentration": {
        # §4.4: no more than 65 % from a single third country (an EU benchmark: informative)
        f"crma-{name}": ("max_single_country_share", (), element, None, [(None, 0.65)],
                         "Art. 5(1)(d)")
        for name, element in (
            ("cobalt", "Co"), ("lithium", "Li"), ("nickel", "Ni"), ("manganese", "Mn"),
            ("graphite", "graphite"), ("copper", "Cu"), ("tungsten", "W"), ("gallium", "Ga"),
            ("germanium", "Ge"), ("magnesium", "Mg"), ("neodymium", "Nd"),
            ("dysprosium", "Dy"), ("platinum", "Pt"),
        )
    },
}  # fmt: skip

PLASTICS = {"pet", "hdpe", "ldpe", "pp", "ps", "pvc", "plastics-average", "plastics-film",
            "plastics-rigid"}  # fmt: skip


def _shipped() -> dict[str, dict]:
    return {rs.name: {r.id: r for r in rs.rules} for rs in list_rule_sets() if rs.name in LAW}


def test_every_shipped_eu_rule_set_is_pinned() -> None:
    shipped = _shipped()
    assert set(shipped) == set(LAW)
    for name, rules in shipped.items():
        assert set(rules) == set(LAW[name]), name  # no unpinned rule, no rule missing


@pytest.mark.parametrize(
    ("rule_set", "rule_id"), [(s, r) for s, rules in LAW.items() for r in rules]
)
def test_legal_figure_matches_the_independent_table(rule_set: str, rule_id: str) -> None:
    rule = _shipped()[rule_set][rule_id]
    kind, categories, what, basis, steps, article = LAW[rule_set][rule_id]
    assert rule.kind == kind
    assert tuple(rule.applies_to.categories) == categories
    assert rule.applies_to.placed_on_market is None
    if kind == "max_single_country_share":
        assert rule.informative is True  # a benchmark, never a product fail
        assert rule.schedule == [] and rule.limit == steps[0][1]
        if what == "graphite":
            assert rule.materials == ["graphite"]
        else:
            assert rule.element == what
    else:
        assert [(p.from_, p.limit) for p in rule.schedule] == steps
        assert rule.informative is False
    if kind == "min_recycled_content":
        assert rule.basis == basis
        if what == "plastics":
            assert set(rule.materials) == PLASTICS
        else:
            assert rule.element == what
            assert rule.within == ("product" if what == "Pb" else "active materials")
    if kind == "min_eol_recycling_rate":
        assert rule.basis == basis and rule.materials == []
    if kind == "max_footprint":
        assert rule.basis == basis and rule.indicator == "total"
        assert [s.value for s in rule.stages] == [
            "raw materials", "manufacturing", "distribution", "end of life"
        ]  # fmt: skip
    assert rule.source.article == article
    assert rule.verification  # every legal figure says how far it is verified
