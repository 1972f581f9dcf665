"""Small hand-built products and results for the compliance tests.

The checks only read the result models, so the tests build them directly: every figure a
test asserts is worked out by hand from the few numbers set here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from footprint.compliance import RuleSet, load_rule_file
from footprint.model import (
    BomLine,
    CircularityParameters,
    ClimateChange,
    Dataset,
    LineResult,
    Product,
    ProductResult,
    Stage,
)


@dataclass
class FakeCatalog:
    """Datasets by id, as footprint.catalog.Catalog.get returns them."""

    datasets: dict[str, Dataset] = field(default_factory=dict)

    def add(self, id: str, composition: dict[str, float], recycled: bool = False) -> None:
        self.datasets[id] = Dataset(
            id=id, name=id, unit="kg", composition=composition, recycled=recycled
        )

    def get(self, dataset_id: str) -> Dataset:
        return self.datasets[dataset_id]


def line(
    id: str,
    *,
    mass: float | None = 1.0,
    cc: float = 0.0,
    fossil: float | None = None,
    stage: Stage = Stage.RAW_MATERIALS,
    dataset: str | None = None,
    **fields: Any,
) -> LineResult:
    """A leaf line of one product; ``cc`` is its climate change per functional unit."""
    return LineResult(
        id=id,
        path=id,
        dataset=dataset or f"ds-{id}",
        quantity=mass if mass is not None else 1.0,
        unit="kg" if mass is not None else "kWh",
        mass_kg=mass,
        stage=stage,
        climate_change=ClimateChange(total=cc, fossil=cc if fossil is None else fossil),
        **fields,
    )


def product_and_result(
    lines: list[LineResult],
    *,
    category: str | None = None,
    placed: date | None = None,
    bom: dict[str, CircularityParameters] | None = None,
    bom_fields: dict[str, dict[str, Any]] | None = None,
    result_fields: dict[str, Any] | None = None,
    **product_fields: Any,
) -> tuple[Product, ProductResult]:
    """A product whose totals are the sums of ``lines`` (by stage too); ``bom_fields`` adds
    BOM-line fields (composition, chemistry, active_material …) by line id."""
    bom = bom or {}
    bom_fields = bom_fields or {}
    product = Product(
        id="p1",
        category=category,
        placed_on_market=placed,
        lines=[
            BomLine(
                id=x.id,
                quantity=x.quantity,
                unit=x.unit,
                dataset=x.dataset,
                stage=x.stage,
                circularity=bom.get(x.id, CircularityParameters()),
                country=x.country,
                smelter_id=x.smelter_id,
                **bom_fields.get(x.id, {}),
            )
            for x in lines
        ],
        **product_fields,
    )
    by_stage = {stage: ClimateChange() for stage in Stage}
    total = ClimateChange()
    for x in lines:
        by_stage[x.stage] = by_stage[x.stage] + x.climate_change
        total = total + x.climate_change
    masses = [x.mass_kg for x in lines if x.mass_kg is not None]
    result = ProductResult(
        id="p1",
        category=category,
        placed_on_market=placed,
        mass_kg=sum(masses) if masses else None,
        climate_change=total,
        by_stage=by_stage,
        lines=lines,
        **(result_fields or {}),
    )
    return product, result


def rule_set(tmp_path: Path, rules_yaml: str, name: str = "t") -> RuleSet:
    """Write a rule file and load it through the real loader."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"title: test rules\nrules:\n{rules_yaml}", encoding="utf-8")
    return load_rule_file(path)


SOURCE = "source: {regulation: test regulation, article: Art. 1}"


@pytest.fixture
def catalog() -> FakeCatalog:
    return FakeCatalog()


class Builders:
    """The helpers above, handed to tests as one fixture (tests cannot import conftest)."""

    line = staticmethod(line)
    product = staticmethod(product_and_result)
    rules = staticmethod(rule_set)
    source = SOURCE
    Catalog = FakeCatalog


@pytest.fixture
def build() -> type[Builders]:
    return Builders
