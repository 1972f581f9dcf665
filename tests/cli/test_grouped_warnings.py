"""Warnings that name several materials are counted per material across a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footprint.cli import main
from footprint.cli.batch_summary import group_warnings
from footprint.coded_warnings import MCI_NO_RECYCLING_EFFICIENCY, coded_warning
from footprint.model import Warning_

REPO = Path(__file__).resolve().parents[2]
MCI_TEXT = (
    "MCI: no recycling efficiency EC/EF for {}; assumed 1 (no process losses counted); give "
    "recycling_efficiency_eol / _feedstock"
)


def test_one_warning_per_product_keeps_its_text_and_counts_per_material():
    warnings = [
        coded_warning(MCI_NO_RECYCLING_EFFICIENCY, ["pp", "aluminium", "copper"], product="a"),
        coded_warning(MCI_NO_RECYCLING_EFFICIENCY, ["aluminium"], product="b"),
        coded_warning(MCI_NO_RECYCLING_EFFICIENCY, ["pp", "aluminium"], product="c"),
        Warning_(message="something else", product="a"),
    ]
    # the product's own warning reads as before: every family, sorted, in one sentence
    assert warnings[0].message == MCI_TEXT.format("aluminium, copper, pp")
    assert warnings[0].subjects == ["aluminium", "copper", "pp"]
    groups = {g.message: g for g in group_warnings(warnings)}
    assert groups[MCI_TEXT.format("aluminium")].places == ["a", "b", "c"]
    assert groups[MCI_TEXT.format("pp")].places == ["a", "c"]
    assert groups[MCI_TEXT.format("copper")].places == ["a"]
    assert groups["something else"].places == ["a"]
    text = groups[MCI_TEXT.format("aluminium")].text()
    assert text == f"warning: {MCI_TEXT.format('aluminium')} — 3 products: a; b; c"
    assert groups[MCI_TEXT.format("copper")].text() == (
        f"warning: product a: {MCI_TEXT.format('copper')}"
    )


def test_a_batch_of_the_examples_counts_each_material_once_per_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "all.json"
    with pytest.raises(SystemExit) as done:
        main(["assess", str(REPO / "examples"), "--json", str(out)])
    assert done.value.code == 0
    printed = capsys.readouterr().out
    # from the JSON: which products' own MCI warning names each material (read from its text)
    named: dict[str, list[str]] = {}
    for warning in json.loads(out.read_text())["warnings"]:
        if warning["message"].startswith("MCI: no recycling efficiency EC/EF for "):
            listed = warning["message"].split(" for ", 1)[1].split(";", 1)[0]
            for material in listed.split(", "):
                named.setdefault(material, []).append(warning["product"])
    assert named, "the examples lack EC/EF for some materials"
    for material, products in named.items():
        (line,) = [x for x in printed.splitlines() if MCI_TEXT.format(material) in x]
        if len(products) > 1:
            assert f"— {len(products)} products: " in line, line
        else:
            assert f"product {products[0]}: " in line, line
    assert not any("EC/EF for " in x and ", " in x.split("EC/EF for ")[1].split(";")[0]
                   for x in printed.splitlines()), "no line lists several materials"  # fmt: skip
