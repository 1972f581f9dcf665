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


def _rows(out: str) -> list[list[str]]:
    """The table's rows as their first lines' cells (a row starts with its id)."""
    return [line.split() for line in out.splitlines() if line.startswith(" ") and line[1] != " "][
        1:
    ]


def test_list_by_material(capsys):
    code, out, _ = run(capsys, "list", "--material", "pet")
    lines = out.splitlines()
    rows = {row[0]: row for row in _rows(out)}
    assert code == 0
    assert list(rows) == [
        "eol-pet-combustion",
        "eol-pet-combustion-transport-only",
        "eol-pet-landfill",
        "eol-pet-recycling",
        "material-pet-primary",
        "material-pet-recycled",
    ]
    # DESNZ 2025 PET primary 3,863.90131 kg CO2e/t is 3.8639 kg CO2e/kg
    assert "3.8639" in rows["material-pet-primary"]
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
    assert [row[0] for row in _rows(out)] == [
        "battery-lithium-carbonate-brine",
        "battery-lithium-carbonate-spodumene",
    ]
    assert out.splitlines()[-1] == "2 datasets"


def test_show_names_value_unit_source_licence_and_quality(capsys):
    code, out, _ = run(capsys, "show", "electricity-grid-FR")
    fields = dict(line.split(":", 1) for line in out.splitlines())
    assert code == 0
    assert fields["climate change"].strip() == "0.04179 kg CO2-eq per kWh (this row)"  # 41.79 g/kWh
    assert fields["licence"].strip() == "CC-BY-4.0"
    assert "Our World in Data" in fields["source"]
    # TeR 2, GeR 1 (country), TiR 1 (2025), P 2
    assert fields["data quality"].strip() == "DQR 1.50 (TeR 2, GeR 1, TiR 1, P 2)"


def test_show_with_inputs_and_composition(capsys):
    _, die, _ = run(capsys, "show", "electronics-ic-die-5nm")
    assert "upstream input:    electricity-grid-TW, 2.75 kWh per cm²: " in die
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
    # DESNZ 2025 average laden HGV, tank-to-wheel per gas (kg CO2e of CO2 0.10012, CH4 0.00002,
    # N2O 0.00149, AR5 GWPs 28 and 265) characterised with EF 3.1 (29.8, 273), + 0.02359 WTT
    _, out, _ = run(capsys, "show", "freight-lorry-average")
    line = next(x for x in out.splitlines() if x.startswith("with its inputs:"))
    expected = 0.10012 + 0.00002 / 28 * 29.8 + 0.00149 / 265 * 273 + 0.02359
    assert float(line.split()[3]) == pytest.approx(expected, rel=1e-5)  # printed to 6 digits


def test_show_characterises_gas_columns(tmp_path, capsys):
    own = tmp_path / "own.csv"
    own.write_text("id,name,unit,ch4_fossil\nleak,Gas leak,kg,1\n", encoding="utf-8")
    _, out, _ = run(capsys, "show", "leak", "--datasets", str(own))
    line = next(x for x in out.splitlines() if x.startswith("with its inputs:"))
    assert float(line.split()[3]) == pytest.approx(29.8, rel=1e-6)  # EF v3.1: CH4 fossil 29.8


def test_search_ranks_whole_words_in_names_and_materials_first(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run(capsys, "search", "steel")
    ids = [row[0] for row in _rows(out)]
    assert code == 0
    # the material rows before the end-of-life rows of the same family
    assert ids[:2] == ["material-steel-primary", "material-steel-recycled"]
    row = _rows(out)[0]
    # DESNZ 2025 steel cans, primary: 2,863.90131 kg CO2e/t; the table shows name, source, year
    assert row[-1] == "2025" and "2.8639" in row and "cans," in row


def test_search_matches_words_in_names_and_notes(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    from footprint.catalog import load_catalog
    from footprint.dataset_search import search

    catalog = load_catalog()
    by_name = [d.id for d in search(catalog, "cans")]  # "steel cans", "aluminium cans" in names
    assert {"material-steel-primary", "material-aluminium-primary"} <= set(by_name)
    # a word only in the notes still finds the row, ranked after whole-word matches
    in_notes = search(catalog, "tank-to-wheel")
    assert "freight-lorry-average" in [d.id for d in in_notes]
    assert all("tank" in (d.notes or "").lower() or "tank" in d.name.lower() for d in in_notes)


@pytest.mark.parametrize(
    ("word", "family", "expected"),
    [
        ("stainless", "steel", "material-steel-primary"),
        ("ABS", "plastics-rigid", "material-plastics-rigid-primary"),
        ("magnet", "neodymium", "metal-neodymium"),
        ("cardboard", "paper-board", "material-paper-board-primary"),
        ("alumnium", "aluminium", "material-aluminium-primary"),  # misspelt
    ],
)
def test_no_match_suggests_the_nearest_family(capsys, monkeypatch, word, family, expected):
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run(capsys, "search", word)
    assert code == 0
    assert out.startswith(f"no dataset for {word!r}; nearest ({family}")
    assert expected in [row[0] for row in _rows(out)]
    assert "add your own with --datasets" in out


def test_no_match_and_nothing_near(capsys):
    code, out, _ = run(capsys, "search", "xyzzy")
    assert code == 0
    assert "no dataset for 'xyzzy', and no family with a similar name" in out


def test_show_prints_all_four_parts_and_the_upstream_input(capsys):
    _, out, _ = run(capsys, "show", "freight-lorry-average")
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    # DESNZ 2025 HGV (all diesel), all HGVs, average laden: 0.10163 kg CO2e per tonne.km
    assert fields["climate change"].strip() == "0.10163 kg CO2-eq per t·km (this row)"
    for part in ("  fossil", "  biogenic", "  land use change"):  # DESNZ does not split them
        assert fields[part].strip() == "not split by the source"
    # its well-to-tank input, 1 t·km per t·km, DESNZ 'WTT- delivery vehs & freight' 0.02359
    assert (
        fields["upstream input"]
        .strip()
        .startswith("wtt-freight-lorry-average, 1 t·km per t·km: WTT- HGV")
    )
    assert "(0.02359 kg CO2-eq per t·km)" in fields["upstream input"]
    # with the input followed: the direct part per gas (kg CO2e of CO2 0.10012, CH4 0.00002,
    # N2O 0.00149 on AR5 28/265) characterised with EF 3.1 (29.8, 273) + 0.02359
    assert fields["with its inputs"].strip().startswith("0.125266 kg CO2-eq per t·km")
