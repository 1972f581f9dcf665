"""A small dataset library with factors chosen by hand, and BOMs written from text.

Every factor is exactly representable in single precision (Brightway stores matrix values
as float32), so the hand arithmetic of the tests holds to 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from footprint.api import Engine

DATASETS_CSV = """id,name,unit,climate_change,material,recycled,composition
t-alu,aluminium virgin,kg,10,aluminium,false,Al:1
t-alu-rec,aluminium recycled,kg,2,aluminium,true,Al:1
t-alu-low,aluminium low-carbon virgin,kg,6,aluminium,false,Al:1
t-steel,steel,kg,3,steel,false,Fe:1
t-steel-rec,steel recycled,kg,1.5,steel,true,Fe:1
t-pp,polypropylene,kg,2.5,pp,false,
t-pp-rec,polypropylene recycled,kg,1,pp,true,
"""

RULES_YAML = """name: t
title: test rules
rules:
  - id: steel-recycled
    title: Recycled iron share
    kind: min_recycled_content
    element: Fe
    limit: 0.3
    source: {regulation: test regulation, article: Art. 1}
  - id: ceiling
    title: Footprint ceiling
    kind: max_footprint
    limit: 23
    source: {regulation: test regulation, article: Art. 2}
"""


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("library") / "factors.csv"
    path.write_text(DATASETS_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def engine(library: Path) -> Engine:
    return Engine([library])


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(RULES_YAML, encoding="utf-8")
    return path


def write_bom(folder: Path, name: str, text: str, products: str | None = None) -> Path:
    path = folder / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    if products is not None:
        (folder / f"{name}.products.csv").write_text(products, encoding="utf-8")
    return path


class Boms:
    write = staticmethod(write_bom)


@pytest.fixture
def boms() -> type[Boms]:
    return Boms
