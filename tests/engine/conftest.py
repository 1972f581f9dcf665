"""Brightway fixtures for the engine tests.

One template project (biosphere3, the EF 3.1 / IPCC 2021 methods, footprint's own flows and
methods) is built once per test session; a test that writes databases gets its own copy of it
(``bw_project``), which is a directory copy and takes a fraction of a second.
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

_copies = itertools.count()


@pytest.fixture(scope="session")
def bw_template() -> str:
    from footprint.lca.project import ensure_project

    return ensure_project()


@pytest.fixture
def bw_project(bw_template: str) -> Iterator[str]:
    """A fresh copy of the template project, deleted afterwards."""
    import bw2data as bd

    name = f"footprint-test-{next(_copies)}"
    bd.projects.set_current(bw_template)
    bd.projects.copy_project(name, switch=True)
    yield name
    bd.projects.set_current(bw_template)
    bd.projects.delete_project(name, delete_dir=True)


@pytest.fixture(scope="session")
def engine_benchmark() -> ModuleType:
    """``benchmarks/engine.py`` as a module: its background generators (it is not a test)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "engine.py"
    spec = importlib.util.spec_from_file_location("engine_benchmark", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
