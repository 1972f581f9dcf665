"""Unit parsing and conversion, checked against hand values."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footprint.errors import UnitError
from footprint.units import (
    brightway_unit,
    convert,
    dimension_name,
    is_mass,
    parse_number,
    parse_quantity,
    parse_unit,
    to_kg,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("kg", "kg"),
        ("KG", "kg"),
        ("g", "g"),
        ("t", "t"),
        ("tonne", "t"),
        ("lb", "lb"),
        ("oz", "oz"),
        ("piece", "piece"),
        ("pcs", "piece"),
        ("PCS", "piece"),
        ("unit", "piece"),
        ("item", "piece"),
        ("kWh", "kWh"),
        ("kwh", "kWh"),
        ("Wh", "Wh"),
        ("MJ", "MJ"),
        ("t*km", "t*km"),
        ("tkm", "t*km"),
        ("tonne.km", "t*km"),
        ("t-km", "t*km"),
        ("ton kilometer", "t*km"),
        ("kg*km", "kg*km"),
        ("m", "m"),
        ("m2", "m**2"),
        ("m²", "m**2"),
        ("cm2", "cm**2"),
        ("m3", "m**3"),
        ("l", "l"),
        ("L", "l"),
        ("ml", "ml"),
        ("GB", "GB"),
    ],
)
def test_parse_unit_gives_the_canonical_spelling(written: str, canonical: str) -> None:
    assert parse_unit(written) == canonical


def test_typo_gets_a_suggestion_and_the_location() -> None:
    where = {"file": "bom.xlsx", "sheet": "BOM", "row": 14, "column": "unit"}
    with pytest.raises(UnitError) as caught:
        parse_unit("kgs", where=where)
    assert str(caught.value) == (
        'bom.xlsx, sheet BOM, row 14, column unit: "kgs" is not a unit (did you mean "kg"?)'
    )


@pytest.mark.parametrize("text", ["", "foo", "%", "3"])
def test_not_units(text: str) -> None:
    with pytest.raises(UnitError):
        parse_unit(text)


def test_pcs_is_pieces_not_parsecs() -> None:
    assert dimension_name(parse_unit("pcs")) == "count"


def test_ton_is_the_metric_tonne() -> None:
    # ecoinvent's "ton kilometer" is a metric tonne over one km
    assert to_kg(1, "ton") == pytest.approx(1000.0)
    assert to_kg(1, "short_ton") == pytest.approx(907.18474)


@pytest.mark.parametrize(
    ("cell", "default", "expected"),
    [
        (12, "g", (12.0, "g")),
        ("12 g", None, (12.0, "g")),
        ("12g", None, (12.0, "g")),
        ("0.5 kWh", None, (0.5, "kWh")),
        ("1,5 kg", None, (1.5, "kg")),
        ("12 g", "kg", (12.0, "g")),
        ("3", "piece", (3.0, "piece")),
        ("1e3 g", None, (1000.0, "g")),
    ],
)
def test_parse_quantity(cell: object, default: str | None, expected: tuple[float, str]) -> None:
    assert parse_quantity(cell, default) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", '"abc" is not a number'),
        ("nan", "not a finite number"),
        ("inf kg", "not a finite number"),
        (float("nan"), "not a finite number"),
        ("1,500 kg", "ambiguous"),
        ("12 000 g", "without spaces or thousands separators"),
        (12, "has no unit"),
        (True, "is not a number"),
    ],
)
def test_parse_quantity_refuses(cell: object, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        parse_quantity(cell, None)


def test_parse_number() -> None:
    assert parse_number("2,25") == 2.25
    with pytest.raises(UnitError, match="not a number"):
        parse_number("2 kg")


def test_conversions_against_hand_values() -> None:
    assert convert(1, "lb", "kg") == pytest.approx(0.45359237, rel=1e-12)
    assert convert(16, "oz", "lb") == pytest.approx(1.0, rel=1e-12)
    assert convert(250, "g", "kg") == pytest.approx(0.25, rel=1e-12)
    # 3.2 g per piece × 10 pieces = 0.032 kg
    assert convert(10, "piece", "kg", mass_per_piece_kg=0.0032) == pytest.approx(0.032)
    # 2 t carried 150 km = 300 t*km = 300,000 kg*km
    assert convert(2 * 150, "t*km", "t*km") == pytest.approx(300.0)
    assert convert(300, "t*km", "kg*km") == pytest.approx(300_000.0)
    assert convert(1, "kWh", "MJ") == pytest.approx(3.6, rel=1e-12)
    assert convert(500, "Wh", "kWh") == pytest.approx(0.5, rel=1e-12)
    assert convert(1, "m**2", "cm**2") == pytest.approx(10_000.0)
    assert convert(1, "m**3", "l") == pytest.approx(1000.0)
    assert convert(330, "ml", "l") == pytest.approx(0.33)
    assert convert(0.064, "kg", "piece", mass_per_piece_kg=0.0032) == pytest.approx(20.0)


def test_mismatch_names_both_units_and_dimensions() -> None:
    with pytest.raises(UnitError) as caught:
        convert(1, "kWh", "kg")
    assert str(caught.value) == "cannot use kWh (energy) for a dataset per kg (mass)"
    with pytest.raises(UnitError, match=r"piece \(count\) .* kg \(mass\) without a mass_per_piece"):
        convert(3, "piece", "kg")


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("kg", "mass"),
        ("kWh", "energy"),
        ("MJ", "energy"),
        ("piece", "count"),
        ("t*km", "mass × distance"),
        ("m**2", "area"),
        ("l", "volume"),
        ("km", "length"),
        ("GB", "data size"),
    ],
)
def test_dimension_names(unit: str, name: str) -> None:
    assert dimension_name(unit) == name


def test_is_mass() -> None:
    assert is_mass("lb") and not is_mass("kWh") and not is_mass("piece")


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("kilogram", "kg"),
        ("kilowatt hour", "kWh"),
        ("megajoule", "MJ"),
        ("ton kilometer", "t*km"),
        ("square meter", "m**2"),
        ("cubic meter", "m**3"),
        ("litre", "l"),
        ("meter", "m"),
        ("kilometer", "km"),
        ("unit", "piece"),
        ("ton", "t"),
    ],
)
def test_brightway_units(name: str, canonical: str) -> None:
    assert brightway_unit(name) == canonical


def test_unknown_brightway_unit() -> None:
    with pytest.raises(UnitError, match="kilo Becquerel"):
        brightway_unit("kilo Becquerel")


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(st.text(max_size=12), st.sampled_from(["kg*", "**2", "1/0", "kg^", "(", "%%"]))
)
def test_any_text_is_a_unit_or_a_unit_error(text: str) -> None:
    try:
        canonical = parse_unit(text)
    except UnitError as error:
        assert error.problems[0].message
        return
    assert parse_unit(canonical) == canonical  # canonical spellings are stable
    dimension_name(canonical)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(max_size=12), st.floats(), st.integers()))
def test_any_cell_is_a_quantity_or_a_unit_error(value: object) -> None:
    try:
        number, unit = parse_quantity(value, "kg")
    except UnitError:
        return
    assert number == number  # never NaN
    assert parse_unit(unit) == unit
