"""Brightway fixtures for the impact-profile tests.

One template project (biosphere3, the EF 3.1 / IPCC 2021 methods, footprint's own flows and
methods, and every EF v3.1 and CED method of bw2io) is built once per session; ``bw_module``
is a copy of it for one test module (a directory copy), deleted afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

_copies = itertools.count()


@pytest.fixture(scope="session")
def bw_impacts_template() -> str:
    from footprint.lca.indicators import all_indicators
    from footprint.lca.project import ensure_project

    return ensure_project(None, [i.method for i in all_indicators()])


@pytest.fixture(scope="module")
def bw_module(bw_impacts_template: str) -> Iterator[str]:
    import bw2data as bd

    name = f"footprint-impacts-test-{next(_copies)}"
    bd.projects.set_current(bw_impacts_template)
    bd.projects.copy_project(name, switch=True)
    yield name
    bd.projects.set_current(bw_impacts_template)
    bd.projects.delete_project(name, delete_dir=True)
