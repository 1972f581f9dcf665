"""One-level products linked column by column (``footprint.link.RecipeLines``) are assessed
to the same bytes as line by line (``LinkedLine`` per line, the code before columns).

The products are the examples' own lines, flattened to one level (quantity × the assembly
multipliers, as ``flatten`` computes them), on every stage, with reference flows ≠ 1, the
CFF end-of-life model on some, a ``<database>::<code>`` reference to a catalog activity,
and — in the same call — products that stay line by line (a line with a mass per piece, an
assembly).  The whole assessment's JSON, with every shipped rule set, is compared byte for
byte with the one made with the column path switched off.
"""

from __future__ import annotations

from datetime import date

import pytest

import footprint.link
from footprint.api import Engine, load_rules, read_products
from footprint.bom.hierarchy import flatten
from footprint.lca.datasets_db import DATASETS_DATABASE
from footprint.model import Product

from .test_line_columns import EXAMPLES, RULE_SETS


@pytest.fixture(scope="module")
def engine(bw_template: str) -> Engine:
    return Engine()


def _one_level(product: Product, k: int) -> Product:
    """The product's leaf lines at the top level, amounts per product as ``flatten`` has them;
    lines with a mass per piece dropped on every other product (they link line by line)."""
    lines = []
    for flat in flatten(product):
        line = flat.line
        if flat.is_assembly or (k % 2 and line.mass_per_piece_kg is not None):
            continue
        lines.append(
            line.model_copy(update={"parent": None, "quantity": line.quantity * flat.multiplier})
        )
    update: dict[str, object] = {"lines": lines, "id": f"{product.id}-{k}"}
    if k % 3 == 1:
        update["reference_flow"] = 2.5
    if k % 4 == 3:
        update["eol_model"] = "cff"
    return product.model_copy(update=update)


def _products(engine: Engine) -> tuple[list[Product], list]:
    products, warnings = [], []
    for example in EXAMPLES:
        read, found = read_products(example)
        warnings += found
        for product in read:
            products.append(product)  # as written: assemblies, line by line
            products.extend(_one_level(product, k) for k in range(4))
    first = next(
        p for p in products if p.id.endswith("-1") and p.lines[0].dataset in engine.catalog
    )
    line = first.lines[0]
    external = line.model_copy(
        update={"id": "bw", "dataset": f"{DATASETS_DATABASE}::{line.dataset}"}
    )
    products.append(first.model_copy(update={"id": "with-bw", "lines": [*first.lines, external]}))
    return products, warnings


@pytest.mark.parametrize("rules", [[], RULE_SETS], ids=["no rules", "all rule sets"])
def test_columns_give_the_bytes_of_line_by_line(
    engine: Engine, rules: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    products, warnings = _products(engine)
    linked = engine.link(products)
    by_columns = sum(item.columns is not None for item in linked)
    assert by_columns >= len(EXAMPLES) * 2  # most flattened products
    assert by_columns < len(products)  # and some line by line, in the same call
    assert any(
        item.columns is not None and any(ln.activity is not None for ln in item.lines)
        for item in linked
    )  # the `<database>::<code>` line is in a column product

    def assessed() -> str:
        assessment = engine.assess_products(
            products, warnings, rule_sets=load_rules(rules), as_of=date(2026, 12, 2)
        )
        return assessment.model_copy(update={"created": assessment.created.min}).to_json()

    columns = assessed()
    monkeypatch.setattr(footprint.link, "_recipe_columns", lambda *a: {})
    assert all(item.columns is None for item in engine.link(products))
    line_by_line = assessed()
    assert columns == line_by_line
