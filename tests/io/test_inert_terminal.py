"""Hostile text in inputs is printed as written and never acts on the terminal.

A product id that is rich markup (``P[/dim]x``, a ``[link=…]`` hyperlink), names and notes
with ESC sequences, an 8-bit CSI (``\\x9b``) and a right-to-left override go through
``assess``, ``check``, ``datasets`` and ``rules``: the literal text is shown (control
characters as their visible escapes, ``\\x1b``) and no control character reaches the output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from footprint.cli import main
from footprint.cli.terminal import inert, markup

ESC = "\x1b"
RED = f"{ESC}[31mred{ESC}[0m"
LINK = "[link=https://evil.example]Pz[/link]"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Exit code and what footprint printed (Brightway's own progress bars, shown while the
    project is built on first use, left out: they are not footprint's text)."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    ours = [line for line in err.splitlines() if "it/s]" not in line]
    return int(done.value.code or 0), out + "\n".join(ours)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # rich tables: no wrapping inside the ids


@pytest.fixture
def hostile_bom(tmp_path: Path) -> Path:
    bom = tmp_path / "hostile.csv"
    bom.write_text(
        f"product,id,name,quantity,unit,dataset,note{ESC}[2J\n"
        f"P[/dim]x,a,{RED} part,1,kg,material-steel-primary,x\n"
        f"{LINK},b,back\u202ewards\x9b31m,2,kg,material-steel-primary,y\n",
        encoding="utf-8",
    )
    (tmp_path / "hostile.products.csv").write_text(
        f"product,name,functional_unit\nP[/dim]x,{RED},one [bold]chair[/bold]\n"
        f"{LINK},other,1 {ESC}]8;;https://evil.example{ESC}\\\\thing\n",
        encoding="utf-8",
    )
    return bom


def assert_inert(output: str) -> None:
    assert not CONTROL.search(output), repr(CONTROL.findall(output))


def test_assess_shows_markup_and_escapes_literally(
    hostile_bom: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from footprint.api import Engine

    Engine()  # the Brightway project built first: its set-up messages are not footprint's
    capsys.readouterr()
    code, output = run(capsys, "assess", str(hostile_bom))
    assert code == 0, output
    assert_inert(output)
    assert "P[/dim]x" in output
    assert LINK in output
    assert "one [bold]chair[/bold]" in output
    assert "1 \\x1b]8;;https://evil.example\\x1b" in output
    # the unknown column's warning quotes its header as written
    assert 'column "note\\x1b[2J" is not a footprint column' in output


def test_check_shows_names_literally(hostile_bom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(capsys, "check", str(hostile_bom))
    assert code == 0, output
    assert_inert(output)
    assert 'P[/dim]x "\\x1b[31mred\\x1b[0m"' in output
    assert f"{LINK} " in output


def test_check_problems_quote_hostile_cells_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = tmp_path / "bad.csv"
    bom.write_text(
        f'id,quantity,unit,dataset\na,1,"k{ESC}[8mg\nx",material-steel-primary\n',
        encoding="utf-8",
    )
    code, output = run(capsys, "check", str(bom))
    assert code == 2
    assert_inert(output)
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == len(output.splitlines()) == 1
    assert '"k\\x1b[8mg\\x0ax" is not a unit' in errors[0]


def test_datasets_list_and_show_user_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "own.csv"
    own.write_text(
        "id,name,unit,climate_change,notes\n"
        f"my-part,{RED} [link=https://evil.example]x[/link],kg,4.2,see \x9b2J here\n",
        encoding="utf-8",
    )
    code, output = run(capsys, "datasets", "show", "my-part", "-d", str(own))
    assert code == 0, output
    assert_inert(output)
    assert "\\x1b[31mred\\x1b[0m [link=https://evil.example]x[/link]" in output
    assert "see \\x9b2J here" in output
    code, output = run(capsys, "datasets", "search", "part", "-d", str(own), "--json")
    assert code == 0
    assert_inert(output)
    assert "\\u001b[31mred" in output and "\\u009b2J" in output  # JSON escapes, same text


def test_rules_show_user_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "mine.yaml"
    rules.write_text(
        "name: mine\n"
        'title: "Mine \\e[5mblink [red]x[/red]"\n'
        "rules:\n"
        "  - id: r1\n"
        '    title: "cap \\u202e reversed"\n'
        "    kind: max_footprint\n"
        "    limit: 10\n"
        "    source: {regulation: internal}\n",
        encoding="utf-8",
    )
    code, output = run(capsys, "rules", "show", str(rules))
    assert code == 0, output
    assert_inert(output)
    assert "mine: Mine \\x1b[5mblink [red]x[/red]" in output
    assert "cap \\u202e reversed" in output


def test_the_helper() -> None:
    assert inert("a\x1b[31mb\tc\nd") == "a\\x1b[31mb\tc\nd"
    assert inert("a\nb\tc", one_line=True) == "a\\x0ab\\x09c"
    assert markup("[link=x]y[/link]") == "\\[link=x]y\\[/link]"
