"""The command line behaves like a Unix tool: usage mistakes exit 2 with the parser's own
message, bare ``footprint`` prints help and exits 0, ``--version``, ``--quiet``, ``--json -``,
and one summary table for a batch with the file, the failing rules and grouped warnings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import footprint
from footprint.cli import main

REPO = Path(__file__).resolve().parents[2]
EBIKE = str(REPO / "examples" / "e-bike-battery.xlsx")


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["asses"], "No such command 'asses'"),
        (["assess", EBIKE, "--rule", "eu-battery-regulation"], "No such option: --rule"),
        (["assess", EBIKE, "--html"], "Option '--html' requires an argument"),
        (["assess"], "Missing argument"),
        (["datasets", "show"], "Missing argument 'ID'"),
        (["serve", "--port", "0"], "--port"),
        (["--versoin"], "No such option: --versoin"),
    ],
)
def test_each_usage_mistake_exits_2_with_the_parsers_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "internal error" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [[], ["datasets"], ["rules"]])
def test_bare_commands_print_help_and_exit_0(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == 0
    captured = capsys.readouterr()
    assert "Usage: footprint" in captured.out
    assert "internal error" not in captured.out + captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"footprint {footprint.__version__}"


def test_shell_completion_is_offered(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--show-completion", "bash"]) == 0
    assert "complete" in capsys.readouterr().out


def test_json_to_stdout_is_the_document_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assess", EBIKE, "--rules", "eu-battery-regulation", "--json", "-"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)  # nothing but the JSON on standard output
    assert document["products"][0]["id"] == "ebike-pack-36v"
    assert "ebike-pack-36v" in captured.err  # the summary moved to standard error
    assert not Path("-").exists()


def test_quiet_prints_nothing_but_still_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "e.json"
    assert run(["assess", EBIKE, "--quiet", "--json", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert json.loads(out.read_text(encoding="utf-8"))["products"]


def test_batch_summary_names_files_failing_rules_and_groups_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same BOM under two names: two rows with the same product id, told apart by file
    for name in ("pack-a.xlsx", "pack-b.xlsx"):
        shutil.copy(EBIKE, tmp_path / name)
    monkeypatch.setenv("COLUMNS", "160")
    assert run(["assess", str(tmp_path), "--rules", "eu-battery-regulation"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "ebike-pack-36v" in line and "│" in line]
    assert len(rows) == 2
    assert "pack-a.xlsx" in rows[0] and "pack-b.xlsx" in rows[1]
    # the failing rule by name (20 % recycled cobalt against 26 %, see test_fail_on_noncompliance)
    assert all("1 fail: art8-cobalt-lmt" in row for row in rows)
    # a product warning met in both files is printed once, with its count and places
    grouped = [line for line in out.splitlines() if "MCI: no product-to-industry" in line]
    assert len(grouped) == 1
    assert "— 2 products: ebike-pack-36v; ebike-pack-36v" in grouped[0]


def test_details_lists_every_check(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from footprint.compliance import load_rule_sets

    monkeypatch.setenv("COLUMNS", "160")
    rules = load_rule_sets(["eu-battery-regulation"])[0].rules
    assert run(["assess", EBIKE, "--rules", "eu-battery-regulation", "--details"]) == 0
    out = capsys.readouterr().out
    assert "Checks of ebike-pack-36v" in out
    for rule in rules:
        assert rule.id in out
    # failures first: the failing rule comes before any rule that does not apply
    assert out.index("art8-cobalt-lmt") < out.index("not applicable")


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_summary_fits_the_terminal_and_keeps_ids_whole(width: int) -> None:
    from rich.console import Console

    from footprint.cli.batch_summary import summary_table
    from footprint.model import Assessment

    assessment = Assessment.model_validate_json(_example_assessment())
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(summary_table(assessment, width=width))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    if width >= 80:  # ids up to 24 characters are never folded from 80 columns on
        for product in assessment.products:
            assert any(product.id in line for line in text.splitlines())


_CACHE: dict[str, str] = {}


def _example_assessment() -> str:
    if "doc" not in _CACHE:
        from footprint.api import Engine, bom_files, load_rules, read_products

        products, warnings = read_products(bom_files([REPO / "examples"]))
        rule_sets = load_rules(["eu-battery-regulation", "eu-ppwr-plastic-packaging"])
        _CACHE["doc"] = Engine().assess_products(products, warnings, rule_sets=rule_sets).to_json()
    return _CACHE["doc"]
