"""``footprint check``: summaries, warnings, and problems found by linking to the catalog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from footprint.cli import main


def run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(args)
    return int(done.value.code or 0)


def test_unknown_dataset_and_unit_mismatch_are_reported(
    xlsx: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = xlsx(
        {
            "BOM": [
                ["id", "quantity", "unit", "dataset"],
                ["a", 1, "kg", "material-steel-primary"],
                ["b", 1, "kg", "material-steel-primery"],
                ["c", 2, "kWh", "material-aluminium-primary"],
                ["d", 1, "kg", "my-db::abc123"],
            ]
        }
    )
    assert run(["check", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2, err  # the Brightway reference is left to `footprint assess`
    assert err[0].startswith("error: bom.xlsx, sheet BOM, row 3, column dataset: ")
    assert "'material-steel-primary'" in err[0]  # the closest id is suggested
    assert err[1].startswith("error: bom.xlsx, sheet BOM, row 4, column unit: ")
    assert "cannot use kWh (energy) for a dataset per kg (mass)" in err[1]


def test_summary_and_warnings(
    bom_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = bom_csv(
        [
            ["id", "parent", "quantity", "unit", "dataset", "Note"],
            ["kit", "", "3", "piece", "", ""],
            ["plate", "kit", "250 g", "", "material-steel-primary", "zinc plated"],
            ["power", "kit", "0.2", "kWh", "electricity-grid-DE", ""],
        ]
    )
    assert run(["check", str(path)]) == 0
    out = capsys.readouterr().out
    # 3 kits × 250 g = 0.75 kg; 3 × 0.2 kWh = 0.6 kWh
    assert (
        "bom: 3 lines, 2 levels; raw materials 0.75 kg; in all: mass 0.75 kg, energy 0.6 kWh" in out
    )
    assert 'warning: bom.csv, row 1, column Note: column "Note" is not a footprint column' in out


def test_several_files_report_all_problems(
    tmp_path: Path, bom_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    good = bom_csv(
        [["id", "quantity", "unit", "dataset"], ["a", "1", "kg", "metal-copper"]], "good.csv"
    )
    bad1 = bom_csv(
        [["id", "quantity", "unit", "dataset"], ["a", "x", "kg", "metal-copper"]], "bad1.csv"
    )
    bad2 = bom_csv([["id", "quantity"], ["a", "1"]], "bad2.csv")
    assert run(["check", str(good), str(bad1), str(bad2), str(tmp_path / "missing.xlsx")]) == 2
    captured = capsys.readouterr()
    assert "good.csv: ok, 1 product" in captured.out
    err = captured.err
    assert "bad1.csv, row 2, column quantity" in err
    assert "bad2.csv, row 1, column dataset: missing required column dataset" in err
    assert "missing.xlsx: file not found" in err


def test_own_dataset_files(
    tmp_path: Path, bom_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "own.csv"
    own.write_text("id,name,unit,climate_change\nmy-bracket,Bracket from supplier X,piece,0.8\n")
    path = bom_csv([["id", "quantity", "unit", "dataset"], ["b", "4", "pcs", "my-bracket"]])
    assert run(["check", str(path)]) == 2
    assert "'my-bracket' is not a known dataset id" in capsys.readouterr().err
    assert run(["check", str(path), "--datasets", str(own)]) == 0


def test_brightway_references_are_noted(
    bom_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = bom_csv([["id", "quantity", "unit", "dataset"], ["a", "1", "kg", "ei-3.10::abc"]])
    assert run(["check", str(path)]) == 0
    assert "note: 1 line names a Brightway activity" in capsys.readouterr().out
