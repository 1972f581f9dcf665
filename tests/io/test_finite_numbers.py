"""Quantities whose footprint or mass overflows are input errors naming the row or product;
no NaN or infinity reaches the JSON, the table or the circularity figures."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pytest

from footprint.cli import main
from footprint.model import strict_json


def assess(capsys: pytest.CaptureFixture[str], bom: Path, *args: str) -> tuple[int, list[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow warning must not be printed either
        with pytest.raises(SystemExit) as done:
            main(["assess", str(bom), "--json", str(bom.with_suffix(".json")), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err and "Warning" not in err
    # footprint's lines (Brightway logs its own set-up of the project on first use)
    return int(done.value.code or 0), [line for line in err.splitlines() if line[:6] == "error:"]


def bom(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text("id,quantity,unit,dataset\n" + rows, encoding="utf-8")
    return path


def test_a_line_whose_footprint_overflows_names_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1e308 kg × 1.9 kg CO2-eq/kg (any steel score above 1.8) is beyond the largest double
    path = bom(
        tmp_path, "big", "a,1e308,kg,material-steel-primary\nb,1,kg,material-steel-primary\n"
    )
    code, errors = assess(capsys, path)
    assert code == 2
    assert len(errors) == 1
    assert errors[0].startswith(
        "error: big.csv, row 2, column quantity: quantity 1e+308 kg gives a climate change "
        "footprint that is not a finite number"
    )
    assert not path.with_suffix(".json").exists()


def test_a_quantity_that_overflows_in_the_dataset_unit_names_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bom(tmp_path, "tonnes", "a,1e308,t,material-steel-primary\n")  # 1e311 kg
    code, errors = assess(capsys, path)
    assert code == 2
    assert errors == [
        "error: tonnes.csv, row 2, column quantity: quantity 1e+308 t is too large: in kg it is "
        "beyond about 1.8e308, the largest number a computer holds; check the quantity and its "
        "unit"
    ]


def test_finite_lines_that_overflow_when_summed_name_the_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # each line is 5e307 kg × ~2 kg CO2-eq/kg ≈ 1e308 (finite); their sum is not
    path = bom(
        tmp_path, "sum", "a,5e307,kg,material-steel-primary\nb,5e307,kg,material-steel-primary\n"
    )
    code, errors = assess(capsys, path)
    assert code == 2 and len(errors) == 1
    assert errors[0].startswith("error: sum.csv: product sum: climate_change.total, ")
    assert "are not finite (the lines add up to more than about 1.8e308" in errors[0]


def test_a_mass_that_overflows_when_summed_names_the_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1e-6 kg CO2-eq/kg keeps every footprint finite; 1.5e308 + 1.5e308 kg is not
    own = tmp_path / "light.csv"
    own.write_text("id,name,unit,climate_change\nfeather,Feather,kg,0.000001\n", encoding="utf-8")
    path = bom(tmp_path, "mass", "a,1.5e308,kg,feather\nb,1.5e308,kg,feather\n")
    code, errors = assess(capsys, path, "--datasets", str(own))
    assert code == 2 and len(errors) == 1
    assert errors[0].startswith("error: mass.csv: product mass: mass_kg")


def test_strict_json_refuses_nan_and_infinity() -> None:
    assert strict_json('{"a": "NaN is text", "b": 1}') == '{"a": "NaN is text", "b": 1}'
    for constant in ("NaN", "Infinity", "-Infinity"):
        with pytest.raises(ValueError, match=constant):
            strict_json(f'{{"total": {constant}}}')
    assert math.isfinite(float("1e308"))


def test_a_non_finite_figure_inside_a_plain_pydantic_model_is_found() -> None:
    """Nested models that keep pydantic's default JSON config write inf as null: the check
    must still see it (the figure here is inf by construction)."""
    from pydantic import BaseModel

    from footprint.finite import product_problems

    class Part(BaseModel):  # pydantic defaults: ser_json_inf_nan="null"
        share: float

    class Result(BaseModel):
        id: str
        source_file: str | None = None
        lines: list[int] = []
        part: Part
        total: float

    fine = Result(id="ok", part=Part(share=0.5), total=1.0)
    bad = Result(id="P", part=Part(share=float("inf")), total=1.0)
    (problem,) = product_problems([fine, bad])
    assert problem.message.startswith("product P: part.share is not finite")


def test_the_one_pass_check_finds_what_the_full_dump_finds() -> None:
    """The one-pass check (columns of models, shared objects once) against the dotted walk of
    ``model_dump``: a non-finite float in a list of models, in a nested model of such a list,
    in a shared parameter dict, in a dict of models, or a NumPy float — each found; a result
    with none passes."""
    import numpy as np
    from pydantic import BaseModel

    from footprint.finite import _all_finite, non_finite_fields, product_problems

    class Parameter(BaseModel):
        value: float
        origin: str

    class Figure(BaseModel):
        total: float = 0.0
        unit: str = "kg"

    class Line(BaseModel):
        line: str
        mass_kg: float
        climate_change: Figure
        parameters: dict[str, Parameter]
        assumptions: list[str] = []

    class Result(BaseModel):
        id: str
        source_file: str | None = None
        lines: list[int] = []
        cff: list[Line]
        by_stage: dict[str, Figure]
        shares: dict[str, float]

    def build() -> Result:
        shared = {"R1": Parameter(value=0.2, origin="default")}
        cff = [
            Line(line=str(i), mass_kg=float(i), climate_change=Figure(total=i / 3),
                 parameters=shared if i % 2 else {"R1": Parameter(value=0.1, origin="bom line")},
                 assumptions=["x"])
            for i in range(6)
        ]  # fmt: skip
        return Result(id="P", cff=cff, by_stage={"a": Figure(total=1.0)}, shares={"Co": 0.1})

    def dotted(result: Result) -> list[str]:
        return list(non_finite_fields(result.model_dump(exclude={"lines"})))

    def check(result: Result) -> bool:
        return _all_finite([v for k, v in result.__dict__.items() if k != "lines"])

    fine = build()
    assert check(fine) and dotted(fine) == [] and product_problems([fine]) == []
    setters = [
        lambda r, x: setattr(r.cff[4], "mass_kg", x),
        lambda r, x: setattr(r.cff[2].climate_change, "total", x),
        lambda r, x: setattr(r.cff[1].parameters["R1"], "value", x),  # shared by 1, 3, 5
        lambda r, x: setattr(r.cff[0].parameters["R1"], "value", x),
        lambda r, x: setattr(r.by_stage["a"], "total", x),
        lambda r, x: r.shares.__setitem__("Co", x),
        lambda r, x: setattr(r.cff[5], "mass_kg", np.float64(x)),
    ]
    for setter in setters:
        for bad in (float("inf"), float("-inf"), float("nan")):
            result = build()
            setter(result, bad)
            assert dotted(result) != []
            assert not check(result)
            (problem,) = product_problems([result])
            assert problem.message.startswith(f"product P: {dotted(result)[0]}")
