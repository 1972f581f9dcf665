"""The examples' Instructions sheet is written for the person who opens the example."""

from __future__ import annotations

import openpyxl
import pytest

from footprint.cli import main

EXAMPLES = [
    "smartphone.xlsx",
    "e-bike-battery.xlsx",
    "ev-battery-module.xlsx",
    "pet-multipack.xlsx",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_instructions_name_the_example_and_how_to_assess_it(examples_dir, name):
    book = openpyxl.load_workbook(examples_dir / name)
    products = [row[1] for row in book["Products"].iter_rows(min_row=2, values_only=True)]
    text = [row[0] or "" for row in book["Instructions"].iter_rows(values_only=True)]
    assert text[0] == f"footprint example: {', '.join(products)}"
    assert f"      footprint assess {name} --html report.html --xlsx report.xlsx" in text
    joined = "\n".join(text)
    # not the developer docstring of make_examples.py, nor the template's desk lamp or lists
    for developer_text in ("make_examples.py", "A test checks", "OUT_DIR", "desk lamp"):
        assert developer_text not in joined
    assert "Datasets sheet" not in joined or "BOM template" in joined
    assert "Datasets" not in book.sheetnames  # the examples keep the plain layout


def test_the_commands_the_instructions_quote_exist(capsys):
    # each command named in the example instructions answers its --help (exit 0)
    for command in (["assess"], ["datasets", "search"], ["template"], ["rules", "show"]):
        with pytest.raises(SystemExit) as done:
            main([*command, "--help"])
        assert done.value.code == 0, command
    capsys.readouterr()
