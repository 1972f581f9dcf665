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
    expected = link_products(products, catalog)
    assert len(calls) == lines
    assert by_recipe == expected  # dataclass equality: every field, floats exactly


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
