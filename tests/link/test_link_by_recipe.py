"""Top-level lines linked by the recipe of their (dataset, unit) give what ``_link_line``
gives them line by line: the same ``LinkedLine`` (amounts, masses, ids, records) and the
same problems, on the shipped catalog's datasets in every unit shape."""

from __future__ import annotations

import random

import pytest

import footprint.link
from footprint.catalog import load_catalog
from footprint.errors import BomError
from footprint.link import link_products
from footprint.model import BomLine, Product, SourceRef, Stage


def _products(seed: int) -> list[Product]:
    catalog = load_catalog()
    by_unit: dict[str, list[str]] = {}
    for record in catalog.datasets.values():
        by_unit.setdefault(record.unit, []).append(record.id)
    shapes = [
        ("kg", ["g", "kg", "t", "lb"]),
        ("kWh", ["Wh", "kWh", "MJ"]),
        ("t*km", ["t*km", "kg*km"]),
    ]
    rng = random.Random(seed)
    products = []
    for p in range(12):
        lines = []
        for k in range(40):
            unit_of_dataset, units = rng.choice([s for s in shapes if s[0] in by_unit])
            dataset = rng.choice(sorted(by_unit[unit_of_dataset]))
            unit = rng.choice(units)
            extra = {}
            if k % 9 == 0 and unit_of_dataset == "kg":  # pieces with a mass per piece
                unit, extra = "piece", {"mass_per_piece_kg": rng.uniform(0.01, 2)}
            lines.append(
                BomLine(
                    id=f"l{k}", quantity=rng.uniform(0, 100), unit=unit, dataset=dataset,
                    stage=rng.choice(list(Stage)), source=SourceRef(file="b.csv", row=k + 2),
                    **extra,
                )
            )  # fmt: skip
        if p % 4 == 3:  # an assembly: its children are not top-level lines
            lines.append(BomLine(id="asm", quantity=2, unit="piece"))
            steel = sorted(by_unit["kg"])[0]
            lines.append(BomLine(id="c", parent="asm", quantity=3, unit="g", dataset=steel))
        products.append(Product(id=f"p{p}", lines=lines))
    return products


def test_recipe_links_as_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog()
    products = _products(11)
    calls = []
    original = footprint.link._link_line

    def line_by_line(*args: object) -> object:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(footprint.link, "_link_line", line_by_line)
    by_recipe = link_products(products, catalog)
    lines = sum(len(p.lines) for p in products)
    assert 0 < len(calls) < lines / 4  # pieces, assemblies and their children: line by line
    calls.clear()
    monkeypatch.setattr(footprint.link, "_linked_by_recipe", lambda *a: None)
    monkeypatch.setattr(footprint.link, "_recipe_columns", lambda *a: {})
    expected = link_products(products, catalog)
    assert len(calls) == lines
    assert by_recipe == expected  # dataclass equality: every field, floats exactly


def test_one_level_products_linked_as_columns_as_line_by_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Products whose lines all have a recipe are held as columns (``RecipeLines``); their
    lines, the product mass and the lines kept by a record test are what ``_link_line``
    gives line by line — also for a product with an end-of-life line (not product mass);
    a product with a line that overflows is named as line by line."""
    catalog = load_catalog()
    products = [
        p.model_copy(update={"lines": [ln for ln in p.lines if ln.mass_per_piece_kg is None]})
        for p in _products(13)
        if all(ln.parent is None for ln in p.lines)
    ]
    eol = next(i for i in sorted(catalog.datasets) if i.startswith("eol-"))
    first = products[0].lines
    first.append(first[0].model_copy(update={"id": "eol", "dataset": eol, "unit": "kg"}))
    by_columns = link_products(products, catalog)
    assert all(item.columns is not None for item in by_columns)
    monkeypatch.setattr(footprint.link, "_linked_by_recipe", lambda *a: None)
    monkeypatch.setattr(footprint.link, "_recipe_columns", lambda *a: {})
    expected = link_products(products, catalog)
    assert [item.mass_kg for item in by_columns] == [item.mass_kg for item in expected]
    kept = [item.lines_linking(lambda r: r.unit == "kg") for item in by_columns]
    assert kept == [[ln for ln in item.lines if ln.unit == "kg"] for item in expected]
    assert by_columns == expected  # built lines: every field, floats exactly
    assert any(ln.line.id == "eol" and ln.mass_kg for ln in expected[0].lines)
    overflowing = products[1].lines
    k = next(k for k, ln in enumerate(overflowing) if catalog.get(ln.dataset or "").unit == "kg")
    overflowing[k] = overflowing[k].model_copy(update={"quantity": 1e308, "unit": "t"})
    with pytest.raises(BomError) as line_by_line:
        link_products(products, catalog)
    monkeypatch.undo()
    with pytest.raises(BomError) as by_columns_error:
        link_products(products, catalog)
    assert str(by_columns_error.value) == str(line_by_line.value)
    assert "too large" in str(line_by_line.value)


def test_a_line_with_a_problem_is_named_as_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog()
    products = _products(12)
    bad = products[0].lines
    bad[3] = bad[3].model_copy(update={"quantity": -1.0})
    bad[5] = bad[5].model_copy(update={"unit": "kWh"})  # a kg dataset: not convertible
    bad[7] = bad[7].model_copy(update={"quantity": 1e308, "unit": "t"})  # overflows in kg
    with pytest.raises(BomError) as by_recipe:
        link_products(products, catalog)
    monkeypatch.setattr(footprint.link, "_linked_by_recipe", lambda *a: None)
    with pytest.raises(BomError) as expected:
        link_products(products, catalog)
    assert str(by_recipe.value) == str(expected.value)
    assert len(by_recipe.value.problems) >= 2
