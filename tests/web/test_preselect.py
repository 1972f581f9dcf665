"""Rule sets preselected from the products' categories as soon as a BOM is chosen.

The expected rule sets are worked out here from the rule files themselves (every category
a rule's ``applies_to`` or the file's ``categories`` list names), not from footprint's loader.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import openpyxl
import pytest
import yaml

from .conftest import REPO
from .test_browser import browser_page as browser_page  # the Chromium page fixture

NO_CATEGORY_CSV = """product,id,parent,name,quantity,unit,dataset,stage
widget,case,,Housing,120 g,,material-aluminium-primary,raw materials
"""


EXAMPLES = [
    "smartphone.xlsx",
    "e-bike-battery.xlsx",
    "ev-battery-module.xlsx",
    "pet-multipack.xlsx",
]


def rule_files() -> dict[str, set[str]]:
    """Each shipped rule set's name and the categories its file names."""
    found = {}
    for path in sorted((REPO / "templates" / "rules").glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        named = set(document.get("categories") or [])
        for rule in document.get("rules") or []:
            named |= set((rule.get("applies_to") or {}).get("categories") or [])
        found[document["name"]] = named
    return found


def example_categories(name: str) -> set[str]:
    book = openpyxl.load_workbook(REPO / "examples" / name, read_only=True)
    rows = list(book["Products"].iter_rows(values_only=True))
    column = rows[0].index("category")
    return {row[column] for row in rows[1:] if row[column]}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_read_endpoint_names_the_rule_sets_of_the_categories(live_server, name):
    categories = example_categories(name)
    expected = [
        rule_set
        for rule_set, named in rule_files().items()
        if named & categories and not rule_set.startswith("example-")
    ]
    assert expected, "every example has a regulation for its category"
    answer = httpx.post(
        f"{live_server.url}/api/read",
        files={"file": (name, (REPO / "examples" / name).read_bytes())},
        timeout=120,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body["categories"]) == categories
    assert sorted(body["rule_sets"]) == sorted(expected)
    assert all(p["lines"] > 0 for p in body["products"])


def test_no_category_and_broken_boms_are_said(live_server):
    plain = httpx.post(
        f"{live_server.url}/api/read",
        files={"file": ("widget.csv", NO_CATEGORY_CSV.encode())},
        timeout=60,
    ).json()
    assert plain["categories"] == [] and plain["rule_sets"] == []
    broken = httpx.post(
        f"{live_server.url}/api/read",
        files={"file": ("broken.csv", NO_CATEGORY_CSV.replace("120 g", "120 kgs").encode())},
        timeout=60,
    )
    assert broken.status_code == 422
    assert broken.json()["problems"][0]["file"] == "broken.csv"  # the user's name


def test_the_form_ticks_the_rule_sets_when_a_bom_is_chosen(live_server, browser_page, tmp_path):
    page, problems = browser_page
    page.goto(live_server.url + "/")
    regulation = page.locator("input[name=rules][value=eu-battery-regulation]")
    assert not regulation.is_checked()
    page.set_input_files("#file", str(REPO / "examples" / "e-bike-battery.xlsx"))
    page.wait_for_selector("#rules-hint:has-text('Ticked for')")
    assert regulation.is_checked()
    assert "lmt-battery" in page.locator("#rules-hint").inner_text()
    checked = page.locator("input[name=rules]:checked")
    assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == [
        "eu-battery-regulation"
    ]
    # another BOM, without categories: the box ticked for the first is unticked, and a warning
    plain = Path(tmp_path) / "widget.csv"
    plain.write_text(NO_CATEGORY_CSV, encoding="utf-8")
    page.set_input_files("#file", str(plain))
    page.wait_for_selector("#rules-hint.notice")
    assert "nothing is checked" in page.locator("#rules-hint").inner_text()
    assert not regulation.is_checked()
    assert not problems, problems
