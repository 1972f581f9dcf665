"""The BOM's composition, chemistry and active_material columns, and chemistry shares.

The expected shares are the table of spec pef-and-regulations.md §10.2 (4 significant figures,
computed there from CIAAW 2021 abridged atomic weights), written here independently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.bom import read_bom_file
from footprint.composition import chemistry_shares, parse_composition
from footprint.errors import BomError

SPEC_TABLE = {  # mass %, spec §10.2 "Cathode active materials"
    "NMC111": {"Li": 7.195, "Ni": 20.28, "Co": 20.37, "Mn": 18.98, "O": 33.17},
    "NMC532": {"Li": 7.188, "Ni": 30.39, "Co": 12.21, "Mn": 17.07, "O": 33.14},
    "NMC622": {"Li": 7.160, "Ni": 36.33, "Co": 12.16, "Mn": 11.34, "O": 33.01},
    "NMC811": {"Li": 7.134, "Ni": 48.27, "Co": 6.058, "Mn": 5.647, "O": 32.89},
    "NCA": {"Li": 7.223, "Ni": 48.87, "Co": 9.200, "Al": 1.404, "O": 33.30},
    "LFP": {"Li": 4.399, "Fe": 35.40, "P": 19.63, "O": 40.57},
    "LMO": {"Li": 3.838, "Mn": 60.77, "O": 35.39},
    "LCO": {"Li": 7.091, "Co": 60.21, "O": 32.69},
    "graphite": {"C": 100.0},
}


@pytest.mark.parametrize("name", sorted(SPEC_TABLE))
def test_chemistry_shares_match_the_spec_table(name: str) -> None:
    shares = chemistry_shares(name)
    assert set(shares) == set(SPEC_TABLE[name])
    for element, percent in SPEC_TABLE[name].items():
        assert shares[element] * 100 == pytest.approx(percent, rel=6e-4), element
    assert sum(shares.values()) == pytest.approx(1.0)


def test_aliases_name_the_same_chemistry() -> None:
    assert chemistry_shares("NCM811") == chemistry_shares("nmc-811")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Co 6.1 %, Ni 48.6 %, Li 7.2 %", {"Co": 0.061, "Ni": 0.486, "Li": 0.072}),
        ("Co:0.061; Ni:0.486", {"Co": 0.061, "Ni": 0.486}),
        ("Co 6,1 %; Ni 48,6 %", {"Co": 0.061, "Ni": 0.486}),
    ],
)
def test_composition_cells(text: str, expected: dict[str, float]) -> None:
    assert parse_composition(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["cobalt 6 %", "Co 60 %, Ni 50 %", "Co 120 %", "Co 1 %, Co 2 %"])
def test_bad_composition_cells_say_what_is_wrong(text: str) -> None:
    with pytest.raises(ValueError, match=r"element|100 %|0 to 1|twice"):
        parse_composition(text)


def test_bom_columns_are_read_and_bad_cells_reported_together(tmp_path: Path) -> None:
    bom = tmp_path / "cells.csv"
    bom.write_text(
        "product,id,quantity,unit,dataset,chemistry,composition,active_material\n"
        "p,cam,24.5,g,material-battery-li-ion,NCM 811,,\n"
        'p,rest,30,g,material-battery-li-ion,,"Li 1.2 %, Al 20 %",no\n'
        "p,bad,1,g,material-battery-li-ion,NMC812,Cobalt 5 %,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(BomError) as error:
        read_bom_file(bom)
    text = str(error.value)
    assert "row 4, column chemistry" in text and "did you mean" in text
    assert "row 4, column composition" in text
    assert "row 4, column active_material" in text and "yes" in text
    bom.write_text("\n".join(bom.read_text("utf-8").splitlines()[:3]) + "\n", "utf-8")
    (product,) = read_bom_file(bom).products
    cam, rest = product.lines
    assert cam.chemistry == "NMC811" and cam.active_material is None
    assert rest.composition == pytest.approx({"Li": 0.012, "Al": 0.2})
    assert rest.active_material is False
