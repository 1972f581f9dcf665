"""``footprint datasets list | search | show`` as a user sees them."""

from __future__ import annotations

import json

import pytest

from footprint.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["datasets", *args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_list_by_material(capsys):
    code, out, _ = run(capsys, "list", "--material", "pet")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[0] for line in lines[:-1]] == [
        "eol-pet-combustion",
        "eol-pet-combustion-transport-only",
        "eol-pet-landfill",
        "eol-pet-recycling",
        "material-pet-primary",
        "material-pet-recycled",
    ]
    # DESNZ 2025 PET primary 3,863.90131 kg CO2e/t is 3.8639 kg CO2e/kg
    assert lines[4].split()[1:4] == ["3.8639", "kg", "CO2-eq/kg"]
    assert lines[-1] == "6 datasets"


def test_list_as_json(capsys):
    code, out, _ = run(capsys, "list", "--material", "glass", "--json")
    records = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    glass = records["material-glass-primary"]
    assert glass["climate_change"] == pytest.approx(1.40276667)  # 1,402.76667 kg CO2e/t
    assert (glass["license"], glass["gwp_basis"], glass["file"]) == (
        "OGL-3.0",
        "AR5",
        "materials.csv",
    )
    # TeR 3 (average), GeR 3 (UK), TiR 1 (2025), P 2 (government): DQR = 9 / 4
    assert glass["dqr"]["dqr"] == pytest.approx(2.25)


def test_search(capsys):
    code, out, _ = run(capsys, "search", "lithium carbonate")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "battery-lithium-carbonate-brine",
        "battery-lithium-carbonate-spodumene",
        "2",
    ]


def test_show_names_value_unit_source_licence_and_quality(capsys):
    code, out, _ = run(capsys, "show", "electricity-grid-FR")
    fields = dict(line.split(":", 1) for line in out.splitlines())
    assert code == 0
    assert fields["climate change"].strip() == "0.04179 kg CO2-eq per kWh"  # 41.79 g/kWh
    assert fields["licence"].strip() == "CC-BY-4.0"
    assert "Our World in Data" in fields["source"]
    # TeR 2, GeR 1 (country), TiR 1 (2025), P 2
    assert fields["data quality"].strip() == "DQR 1.50 (TeR 2, GeR 1, TiR 1, P 2)"


def test_show_with_inputs_and_composition(capsys):
    _, die, _ = run(capsys, "show", "electronics-ic-die-5nm")
    assert "inputs:            electricity-grid-TW=2.75" in die
    _, lithium, _ = run(capsys, "show", "battery-lithium-hydroxide-brine")
    assert "composition:       Li:0.1654" in lithium


def test_show_unknown_id_suggests_and_exits_2(capsys):
    code, out, err = run(capsys, "show", "material-aluminum-primary")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: no dataset with id 'material-aluminum-primary' (did you mean "
        "'material-aluminium-primary', 'material-ldpe-primary', 'material-ps-primary'?)"
    ]


def test_user_file_is_listed_and_bad_user_file_is_one_line(tmp_path, capsys):
    good = tmp_path / "mine.csv"
    good.write_text("id,name,unit,climate_change\nmy-part,My part,kg,4.2\n", encoding="utf-8")
    code, out, _ = run(capsys, "show", "my-part", "--datasets", str(good))
    assert code == 0 and "file:              mine.csv" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,unit,climate_change\nmy-part,My part,kgs,4.2\n", encoding="utf-8")
    code, _, err = run(capsys, "list", "--datasets", str(bad))
    assert code == 2
    assert err == 'error: bad.csv, row 2, column unit: "kgs" is not a unit (did you mean "kg"?)\n'


def test_show_gives_the_score_with_inputs_as_an_assessment_counts_it(capsys):
    # DESNZ 2025: average laden HGV 0.10163 kg CO2e/t.km tank-to-wheel + 0.02359 well-to-tank
    _, out, _ = run(capsys, "show", "freight-lorry-average")
    line = next(x for x in out.splitlines() if x.startswith("with its inputs:"))
    assert float(line.split()[3]) == pytest.approx(0.10163 + 0.02359, rel=1e-6)


def test_show_characterises_gas_columns(tmp_path, capsys):
    own = tmp_path / "own.csv"
    own.write_text("id,name,unit,ch4_fossil\nleak,Gas leak,kg,1\n", encoding="utf-8")
    _, out, _ = run(capsys, "show", "leak", "--datasets", str(own))
    line = next(x for x in out.splitlines() if x.startswith("with its inputs:"))
    assert float(line.split()[3]) == pytest.approx(29.8, rel=1e-6)  # EF v3.1: CH4 fossil 29.8
