"""``--fail-on-noncompliance``: a failing check makes ``assess`` exit 3, and still writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footprint.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(["assess", *args])
    return int(done.value.code or 0)


def test_a_failing_check_exits_3_only_when_asked(tmp_path: Path, capsys) -> None:
    # The e-bike pack is placed on the market on 2036-09-01 with 20 % recycled cathode active
    # material: the Battery Regulation's LMT cobalt minimum (26 % from 2036-08-18) fails.
    bom = str(REPO / "examples" / "e-bike-battery.xlsx")
    out = tmp_path / "ebike.json"
    assert run(bom, "--rules", "eu-battery-regulation", "--json", str(out)) == 0
    checks = json.loads(out.read_text(encoding="utf-8"))["products"][0]["checks"]
    failing = [c for c in checks if c["status"] == "fail"]
    assert [c["rule"] for c in failing] == ["art8-cobalt-lmt"]
    assert failing[0]["value"] == pytest.approx(0.20) and failing[0]["limit"] == pytest.approx(0.26)

    out.unlink()
    code = run(
        bom, "--rules", "eu-battery-regulation", "--json", str(out), "--fail-on-noncompliance"
    )
    assert code == 3
    assert out.exists()  # the result is written: the exit code is the pipeline's signal


def test_no_failing_check_exits_0_with_the_flag() -> None:
    # WEEE targets do not apply to a battery: nothing fails, so the flag changes nothing.
    bom = str(REPO / "examples" / "e-bike-battery.xlsx")
    assert run(bom, "--rules", "eu-weee-recovery", "--fail-on-noncompliance") == 0
