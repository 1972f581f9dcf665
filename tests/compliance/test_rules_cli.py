"""``footprint rules list`` and ``footprint rules show``."""

from __future__ import annotations

import pytest

from footprint.cli import main


def run(capsys, *args):
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def test_rules_list_names_every_shipped_set(capsys):
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names == [
        "eu-battery-regulation",
        "eu-crma-supply-concentration",
        "eu-ppwr-plastic-packaging",
        "eu-weee-recovery",
        "example-company",
        "example-company-sourcing",
    ]
    assert "11 rules" in out.splitlines()[0]


def test_rules_show_prints_limits_dates_and_sources(capsys):
    code, out, _ = run(capsys, "rules", "show", "eu-battery-regulation")
    assert code == 0
    assert "art8-cobalt  [min_recycled_content]" in out
    assert "limit: 16 % from 2031-08-18; 26 % from 2036-08-18" in out
    assert "limit: none adopted yet (value is declared only) from 2025-02-18" in out
    assert "https://eur-lex.europa.eu/eli/reg/2023/1542/oj" in out


def test_rules_show_an_invalid_file_exits_2_with_one_line_per_problem(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: t\nrules:\n  - id: x\n    title: t\n    kind: max_dqr\n")
    code, out, err = run(capsys, "rules", "show", str(bad))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines == [
        "error: bad.yaml: rule 'x' (#1), field source (line 3): missing; "
        "it is required for this kind of rule"
    ]
