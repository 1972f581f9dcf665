"""Loading rule files: shipped sets by name, and clear located errors for invalid files."""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.compliance import list_rule_sets, load_rule_sets
from footprint.errors import RuleError
from footprint.resources import rules_dir

SHIPPED = [
    "eu-battery-regulation",
    "eu-crma-supply-concentration",
    "eu-ppwr-plastic-packaging",
    "eu-weee-recovery",
    "example-company",
    "example-company-sourcing",
]


def test_every_shipped_rule_set_loads_with_a_source_for_every_rule():
    sets = list_rule_sets()
    assert [s.name for s in sets] == SHIPPED
    for rule_set in sets:
        assert rule_set.rules
        for rule in rule_set.rules:
            assert rule.source.regulation
            if rule_set.name.startswith("eu-"):
                assert rule.source.url and rule.verification, rule.id
                assert any(tag in rule.verification for tag in ("[V]", "[S]", "[M]")), rule.id


def test_the_readme_documents_every_kind_and_category():
    readme = (rules_dir() / "README.md").read_text(encoding="utf-8")
    for word in (
        "max_footprint",
        "min_recycled_content",
        "min_eol_recycling_rate",
        "max_single_country_share",
        "max_dqr",
        "required_fields",
        "ev-battery",
        "packaging-plastic-pet-contact",
        "weee-6-small-it",
    ):
        assert word in readme


def test_a_name_or_a_path(tmp_path):
    own = tmp_path / "mine.yaml"
    own.write_text((rules_dir() / "example-company.yaml").read_text(encoding="utf-8"))
    sets = load_rule_sets(["eu-weee-recovery", own, str(own)])
    assert [s.name for s in sets] == ["eu-weee-recovery", "example-company", "example-company"]
    assert sets[1].file == str(own)


def test_unknown_name_lists_the_shipped_sets():
    with pytest.raises(RuleError) as caught:
        load_rule_sets(["eu-batteries"])
    assert "eu-battery-regulation" in str(caught.value)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bad-rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rule_sets([path])
    lines = str(caught.value).splitlines()
    assert all(line.startswith("bad-rules.yaml") for line in lines)
    return lines


HEAD = "title: t\nrules:\n"
SRC = "    source: {regulation: r}\n"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # unknown kind: the valid kinds are listed
        (
            "  - id: a\n    title: t\n    kind: min_recycling\n    limit: 1\n" + SRC,
            [
                "rule 'a' (#1)",
                "field kind",
                "line 3",
                "'min_recycling' is not a rule kind",
                "max_footprint",
            ],
        ),
        # a share above 1
        (
            "  - id: co\n    title: t\n    kind: min_recycled_content\n    element: Co\n"
            "    limit: 16\n" + SRC,
            ["rule 'co' (#1)", "field limit", "line 7", "16.0 is not a share"],
        ),
        # a misspelt field
        (
            "  - id: b\n    title: t\n    kind: max_dqr\n    limt: 3\n" + SRC,
            ["rule 'b' (#1)", "field limt", "line 6", "unknown field"],
        ),
        # a date that is not a date, inside a schedule
        (
            "  - id: c\n    title: t\n    kind: max_dqr\n    schedule:\n"
            "      - {from: 18 Aug 2031, limit: 3}\n" + SRC,
            ["rule 'c' (#1)", "field schedule[0].from", "line 7", "not a date; write YYYY-MM-DD"],
        ),
        # the source is missing
        (
            "  - id: d\n    title: t\n    kind: max_dqr\n    limit: 3\n",
            ["rule 'd' (#1)", "field source", "missing"],
        ),
        # no limit at all: null must be written on purpose
        (
            "  - id: e\n    title: t\n    kind: max_footprint\n" + SRC,
            ["rule 'e' (#1)", "field limit", "null when the law has set no threshold"],
        ),
        # a rule without an id is named by its position
        (
            "  - title: t\n    kind: max_dqr\n    limit: 3\n" + SRC,
            ["rule #1", "field id", "missing"],
        ),
        # an invalid literal lists what is valid
        (
            "  - id: f\n    title: t\n    kind: max_footprint\n    basis: per tonne\n    limit: 1\n"
            + SRC,
            ["rule 'f' (#1)", "field basis", "'per tonne' is not valid", "'per kWh'"],
        ),
        # schedule out of order
        (
            "  - id: g\n    title: t\n    kind: max_dqr\n    schedule:\n"
            "      - {from: 2036-01-01, limit: 3}\n      - {from: 2031-01-01, limit: 2}\n" + SRC,
            ["rule 'g' (#1)", "field schedule", "increasing order"],
        ),
        # element and materials together
        (
            "  - id: h\n    title: t\n    kind: min_recycled_content\n    element: Co\n"
            "    materials: [steel]\n    limit: 0.1\n" + SRC,
            ["rule 'h' (#1)", "field element", "not both"],
        ),
    ],
)
def test_invalid_rule_names_file_rule_field_and_what_is_valid(tmp_path, rule, expected):
    (problem,) = problems_of(tmp_path, HEAD + rule)
    for piece in expected:
        assert piece in problem, (piece, problem)


def test_all_problems_of_a_file_come_together(tmp_path):
    text = (
        HEAD
        + "  - id: a\n    title: t\n    kind: max_dqr\n    limit: 9\n"
        + SRC
        + "  - id: a\n    title: t\n    kind: max_dqr\n    limit: 3\n"
        + SRC
        + "  - id: c\n    title: t\n    kind: nonsense\n"
        + SRC
    )
    problems = problems_of(tmp_path, text)
    assert len(problems) == 3
    assert "9.0 is not a data-quality rating" in problems[0]
    assert "ids must be unique" in problems[1] and "(#2)" in problems[1]
    assert "rule 'c' (#3)" in problems[2]


def test_not_yaml_and_not_a_mapping(tmp_path):
    (problem,) = problems_of(tmp_path, "title: t\nrules: [\n")
    assert "valid YAML" in problem and "line" in problem
    (problem,) = problems_of(tmp_path, "- just a list\n")
    assert "YAML mapping" in problem
    problems = problems_of(tmp_path, "titel: t\nrules: []\n")
    assert any("unknown top-level key 'titel'" in p for p in problems)
    assert any("no 'title'" in p for p in problems)


def test_problems_across_several_files_are_reported_together(tmp_path):
    one = tmp_path / "one.yaml"
    two = tmp_path / "two.yaml"
    one.write_text("rules: []\n")
    two.write_text("title: t\nrules: 3\n")
    with pytest.raises(RuleError) as caught:
        load_rule_sets([one, two])
    assert [p.file for p in caught.value.problems] == [str(one), str(two)]
