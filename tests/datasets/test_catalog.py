"""User dataset files: good files load, bad files get one located line per problem, all
problems of a file together; catalog look-ups and "did you mean"."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from footprint.catalog import Catalog, load_catalog, read_dataset_file
from footprint.errors import DatasetError, InputTooLargeError
from footprint.model import Dataset

HEADER = "id,name,unit,climate_change"


def write(tmp_path: Path, text: str, name: str = "mine.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_catalog([path], include_shipped=False)
    return [str(p) for p in caught.value.problems]


def test_a_good_user_file_with_aliased_headers(tmp_path):
    path = write(
        tmp_path,
        "ID,Name,Unit,Climate Change [kg CO2-eq],Climate_change_fossil,climate change biogenic,"
        "climate_change_luluc,Material,Recycled,Composition,inputs,DQR_TeR,supplier\n"
        "part-a,Bracket,kg,2.0,1.5,0.4,0.1,steel,yes,Fe:0.98; C:0.002,,2,ACME\n"
        "part-b,Machined bracket,KG,3.1,,,,,,,part-a=1.05; electricity-grid-DE=2,,\n",
    )
    catalog = load_catalog([path])
    a, b = catalog.get("part-a"), catalog.get("part-b")
    assert (a.climate_change, a.climate_change_fossil, a.climate_change_biogenic) == (2, 1.5, 0.4)
    assert a.recycled and a.composition == {"Fe": 0.98, "C": 0.002} and a.dqr.ter == 2
    assert a.extra == {"supplier": "ACME"}
    assert b.inputs == {"part-a": 1.05, "electricity-grid-DE": 2.0}
    assert (b.origin.file, b.origin.row) == (str(path), 3)


def test_gas_columns_alone_are_enough(tmp_path):
    path = write(tmp_path, "id,name,unit,co2_fossil,ch4_fossil,n2o\nburner,Burner,MJ,0.056,1e-6,\n")
    (dataset,) = read_dataset_file(path)
    assert dataset.climate_change is None
    assert dataset.gases == {"co2_fossil": 0.056, "ch4_fossil": 1e-6}


def test_an_xlsx_file_names_its_sheet(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Datasets"
    sheet.append(["id", "name", "unit", "climate_change"])
    sheet.append(["cell", "Cell", "kWh", 65.0])
    sheet.append(["bad", "Bad", "kgs", 1.0])
    path = tmp_path / "mine.xlsx"
    workbook.save(path)
    assert problems(path) == [
        'mine.xlsx, sheet Datasets, row 3, column unit: "kgs" is not a unit (did you mean "kg"?)'
    ]


# One case per kind of mistake: the file's text, and the one line the user must see.
BAD_FILES = {
    "missing required column": (
        "id,name,climate_change\nx,X,1\n",
        ["mine.csv, row 1: required column 'unit' is missing"],
    ),
    "no climate change and no gases": (
        "id,name,unit\nx,X,kg\n",
        [
            "mine.csv, row 1: column 'climate_change' is missing (or give gas columns such as "
            "co2_fossil)"
        ],
    ),
    "unknown unit": (
        f"{HEADER}\nx,X,kgs,1\n",
        ['mine.csv, row 2, column unit: "kgs" is not a unit (did you mean "kg"?)'],
    ),
    "not a number": (
        f"{HEADER}\nx,X,kg,lots\n",
        ["mine.csv, row 2, column climate_change: 'lots' is not a finite number"],
    ),
    "not finite": (
        f"{HEADER}\nx,X,kg,inf\n",
        ["mine.csv, row 2, column climate_change: 'inf' is not a finite number"],
    ),
    "sub-indicators do not add up": (
        f"{HEADER},climate_change_fossil,climate_change_biogenic,climate_change_luluc\n"
        "x,X,kg,2,1,0.5,0.2\n",
        [
            "mine.csv, row 2, column climate_change: sub-indicators add up to 1.7, not the "
            "total 2; fossil + biogenic + luluc must equal climate_change"
        ],
    ),
    "fraction outside 0-1": (
        f"{HEADER},composition\nx,X,kg,1,Co:1.2\n",
        ["mine.csv, row 2, column composition: Co: '1.2' is not a fraction 0–1"],
    ),
    "data-quality score outside 1-5": (
        f"{HEADER},dqr_tir\nx,X,kg,1,7\n",
        ["mine.csv, row 2, column dqr_tir: '7' is not a data-quality score 1–5"],
    ),
    "recycled not a boolean": (
        f"{HEADER},recycled\nx,X,kg,1,maybe\n",
        ["mine.csv, row 2, column recycled: 'maybe' is not true or false"],
    ),
    "duplicate id": (
        f"{HEADER}\nx,X,kg,1\nx,X again,kg,2\n",
        ["mine.csv, row 3, column id: id 'x' is already used on row 2; ids are unique"],
    ),
    "empty required cell": (
        f"{HEADER}\n,X,kg,1\n",
        ["mine.csv, row 2, column id: id is empty; every dataset needs one"],
    ),
    "inputs that loop": (
        f"{HEADER},inputs\na,A,kg,1,b=1\nb,B,kg,1,a=0.5\n",
        [
            "mine.csv, row 2, column inputs: inputs form a loop a → b → a; loops are not "
            "allowed in dataset files (model them in a Brightway database)"
        ],
    ),
    "bad GWP basis": (
        f"{HEADER},gwp_basis\nx,X,kg,1,AR3\n",
        ["mine.csv, row 2, column gwp_basis: 'AR3' is not one of AR4, AR5, AR6, EF3.1"],
    ),
    "empty file": ("", ["mine.csv: file is empty; expected a header row"]),
    "header only": (f"{HEADER}\n", ["mine.csv, row 1: file has a header but no datasets"]),
}


@pytest.mark.parametrize(("text", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_user_files_get_located_one_line_errors(tmp_path, text, expected):
    lines = problems(write(tmp_path, text))
    assert lines == expected
    assert all("\n" not in line for line in lines)


def test_unknown_input_is_reported_with_suggestions(tmp_path):
    path = write(tmp_path, f"{HEADER},inputs\npart,Part,kg,0.1,aluminum=1.05\naluminium,A,kg,9\n")
    assert problems(path) == [
        "mine.csv, row 2, column inputs: input 'aluminum' is not a known dataset id "
        "(did you mean 'aluminium'?)"
    ]


def test_all_problems_of_a_file_come_together(tmp_path):
    path = write(tmp_path, f"{HEADER},dqr_p\na,A,kgs,1,9\nb,B,kg,NaN,\nc,C,kg,1,\n")
    assert problems(path) == [
        'mine.csv, row 2, column unit: "kgs" is not a unit (did you mean "kg"?)',
        "mine.csv, row 2, column dqr_p: '9' is not a data-quality score 1–5",
        "mine.csv, row 3, column climate_change: 'NaN' is not a finite number",
    ]


def test_files_that_are_not_dataset_files(tmp_path):
    garbage = tmp_path / "mine.xlsx"
    garbage.write_bytes(b"this is not a zip file at all")
    assert problems(garbage)[0].startswith("mine.xlsx: not a readable spreadsheet")
    assert problems(write(tmp_path, "x", "mine.txt")) == [
        "mine.txt: unsupported file type '.txt'; use .csv, .xlsx or .json (PACT)"
    ]
    assert problems(write(tmp_path, "x", "mine.json"))[0].startswith(
        "mine.json: not a JSON document"
    )
    assert problems(tmp_path / "absent.csv") == ["absent.csv: dataset file not found"]


def test_a_user_id_colliding_with_a_shipped_id_names_both_files(tmp_path):
    path = write(tmp_path, f"{HEADER}\nmaterial-pet-primary,My PET,kg,2.5\n")
    with pytest.raises(DatasetError) as caught:
        load_catalog([path])
    (line,) = [str(p) for p in caught.value.problems]
    assert line.startswith("mine.csv, row 2, column id: dataset id 'material-pet-primary'")
    assert "materials.csv row" in line


def test_user_datasets_can_build_on_shipped_ones(tmp_path):
    path = write(tmp_path, f"{HEADER},inputs\npart,Part,kg,0.2,material-aluminium-primary=1.05\n")
    catalog = load_catalog([path])
    assert catalog.get("part").inputs == {"material-aluminium-primary": 1.05}
    assert path in catalog.files


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("material-aluminum-primary", "material-aluminium-primary"),
        ("electricity-grid-de", "electricity-grid-DE"),
        ("metal-cobolt", "metal-cobalt"),
        ("freight-lorry-artic", "freight-lorry-articulated"),
        ("material-pet-recyled", "material-pet-recycled"),
    ],
)
def test_closest_id_for_misspellings(typed, meant):
    assert load_catalog().suggest(typed)[0] == meant


def test_search_and_material_filter():
    catalog = load_catalog()
    assert [d.id for d in catalog.search("lithium hydroxide")] == [
        "battery-lithium-hydroxide-brine",
        "battery-lithium-hydroxide-spodumene",
    ]
    assert {d.id for d in catalog.search("", material="pet")} == {
        "material-pet-primary",
        "material-pet-recycled",
        "eol-pet-landfill",
        "eol-pet-combustion",
        "eol-pet-combustion-transport-only",
        "eol-pet-recycling",
    }


def test_content_hash_follows_content_not_location():
    a = Dataset(id="a", name="A", unit="kg", climate_change=1.0)
    moved = a.model_copy(update={"origin": a.origin.model_copy(update={"file": "elsewhere.csv"})})
    changed = a.model_copy(update={"climate_change": 1.1})
    assert Catalog([a]).content_hash() == Catalog([moved]).content_hash()
    assert Catalog([a]).content_hash() != Catalog([changed]).content_hash()
    assert len(Catalog([a])) == 1 and "a" in Catalog([a]) and [*Catalog([a])] == [a]
    with pytest.raises(KeyError):
        Catalog([a]).get("b")


def test_duplicate_ids_given_in_code_are_an_error():
    a = Dataset(id="a", name="A", unit="kg", climate_change=1.0)
    with pytest.raises(DatasetError, match="already defined"):
        Catalog([a, a])


def _workbook(tmp_path: Path, merge: bool = False) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Datasets"
    sheet.append(["id", "name", "unit", "climate_change"])
    sheet.append(["cell", "Cell", "kWh", 65.0])
    if merge:
        sheet.merge_cells("A2:B2")
    path = tmp_path / "mine.xlsx"
    workbook.save(path)
    return path


def test_merged_cells_are_refused(tmp_path):
    assert problems(_workbook(tmp_path, merge=True)) == [
        "mine.xlsx, sheet Datasets: merged cells are not allowed; unmerge them"
    ]


def test_a_workbook_that_expands_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    import footprint.catalog

    path = _workbook(tmp_path)
    expanded = sum(m.file_size for m in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(footprint.catalog, "_MAX_EXPANDED_BYTES", expanded - 1)
    with pytest.raises(InputTooLargeError, match="over the 0 MB limit"):
        read_dataset_file(path)


def test_a_row_without_any_climate_figure(tmp_path):
    path = write(tmp_path, f"{HEADER},co2_fossil\nx,X,kg,,\n")
    assert problems(path) == [
        "mine.csv, row 2, column climate_change: climate_change is empty and no gas column is "
        "given; give kg CO2-eq per reference unit"
    ]


def test_semicolon_separated_csv(tmp_path):
    path = write(tmp_path, "id;name;unit;climate_change\nx;X;kg;1.25\n")
    (dataset,) = read_dataset_file(path)
    assert (dataset.id, dataset.climate_change) == ("x", 1.25)
