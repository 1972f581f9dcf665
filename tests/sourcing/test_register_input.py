"""The supplier register and the sourcing lists: bad rows are one line each, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from footprint.cli import app
from footprint.errors import BomError
from footprint.suppliers import read_id_list, read_sourcing_inputs, read_supplier_register

BAD_REGISTER = """id,name,country,facility_type,last_audit_date,energy_intensity
S1,Good one,FI,smelter/refiner,2026-01-15,11 kWh/kg
S2,Bad country,XX,smelter/refiner,2026-01-15,11 kWh/kg
S3,Bad date,CN,mine,next tuesday,11 kWh/kg
S4,No unit,CN,mine,2026-01-15,12
S1,Duplicate,FI,mine,2026-01-15,10 kWh/kg
"""


def test_each_bad_row_is_one_line_naming_row_and_column(tmp_path: Path):
    path = tmp_path / "suppliers.csv"
    path.write_text(BAD_REGISTER, encoding="utf-8")
    with pytest.raises(BomError) as caught:
        read_supplier_register(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 4, lines
    country, day, unit, duplicate = lines
    assert country.startswith("suppliers.csv, row 3, column country: ")
    assert '"XX" is not an ISO 3166 alpha-2 country code' in country
    assert day.startswith("suppliers.csv, row 4, column last_audit_date: ")
    assert '"next tuesday" is not a date' in day
    assert unit.startswith("suppliers.csv, row 5, column energy_intensity: ")
    assert "has no unit" in unit and "kWh/kg" in unit
    assert duplicate.startswith("suppliers.csv, row 6, column id: ")
    assert 'duplicate supplier id "S1" (first on row 2)' in duplicate


def test_the_cli_exits_2_with_one_line_per_problem_and_writes_nothing(tmp_path: Path):
    bom = tmp_path / "bom.csv"
    bom.write_text("id,quantity,unit,dataset,supplier\nc1,1,kg,metal-cobalt,S1\n", encoding="utf-8")
    register = tmp_path / "suppliers.csv"
    register.write_text(BAD_REGISTER, encoding="utf-8")
    out = tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "footprint", "assess", str(bom), "--suppliers", str(register),
         "--json", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    text = result.stderr
    assert "Traceback" not in text and len(text.splitlines()) == 4, text
    for fragment in ("row 3, column country", "row 4, column last_audit_date",
                     "row 5, column energy_intensity", "row 6, column id"):  # fmt: skip
        assert text.count(fragment) == 1, (fragment, text)
    assert not out.exists()


def test_certificate_without_end_date_and_unknown_owner(tmp_path: Path):
    path = tmp_path / "reg.csv"
    path.write_text("id,country\nS1,FI\n", encoding="utf-8")
    (tmp_path / "reg.certifications.csv").write_text(
        "supplier,standard,valid_until\nS1,IRMA,\nS9,ASI,2027-01-01\nS1,ASI,2027-13-01\n",
        encoding="utf-8",
    )
    with pytest.raises(BomError) as caught:
        read_supplier_register(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3, lines
    assert "row 2, column valid_until: valid_until is empty" in lines[0]
    assert 'row 3, column supplier: supplier "S9" is not on the Suppliers sheet' in lines[1]
    assert 'row 4, column valid_until: "2027-13-01" is not a date' in lines[2]


def test_xlsx_template_reads_back(tmp_path: Path):
    out = tmp_path / "suppliers.xlsx"
    result = CliRunner().invoke(app, ["template", "--suppliers", str(out)])
    assert result.exit_code == 0, result.output
    register = read_supplier_register(out)
    by_id = register.by_id()
    assert set(by_id) == {"EX-REFINER-1", "EX-CELLS-1"}
    refiner, cells = by_id["EX-REFINER-1"], by_id["EX-CELLS-1"]
    assert refiner.indicators["energy_intensity"].value == 11.5
    assert refiner.indicators["energy_intensity"].unit == "kWh/kg"
    assert cells.indicators["energy_intensity"].value == 28  # "28 kWh/kg" in the cell
    assert [c.standard for c in cells.certifications] == ["ISO 14001"]
    assert cells.certifications[0].source.sheet == "Certifications"
    assert [a.id for a in cells.corrective_actions] == ["CA-1"]


def test_lists(tmp_path: Path):
    smelters = tmp_path / "smelters.txt"
    smelters.write_text("# approved by the sourcing team\nCID001\nCID002\n", encoding="utf-8")
    assert read_id_list(smelters, "smelter id") == {"CID001", "CID002"}
    countries = tmp_path / "risk.csv"
    countries.write_text("country\ncd\nRussian Federation\n", encoding="utf-8")
    with pytest.raises(BomError) as caught:
        read_sourcing_inputs(high_risk_countries=countries)
    (line,) = str(caught.value).splitlines()
    assert line.startswith("risk.csv, row 3, column country: ")
    assert 'did you mean "RU"?' in line


def test_footprint_check_validates_a_register_with_the_boms(tmp_path: Path):
    bom = tmp_path / "bom.csv"
    bom.write_text("id,quantity,unit,dataset\nc1,1,kg,metal-cobalt\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("id,country\nS1,FI\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_REGISTER, encoding="utf-8")
    run = lambda register: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "footprint", "check", str(bom), "--suppliers", str(register)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    ok = run(good)
    assert ok.returncode == 0 and "good.csv: ok, 1 suppliers" in ok.stdout
    refused = run(bad)
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 4, refused.stderr
