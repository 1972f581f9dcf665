"""Offline project setup: a user's project gets the missing pieces and nothing else changes."""

from __future__ import annotations

import pytest

from footprint.errors import DatasetError
from footprint.lca.project import EF31_METHODS, ensure_project, footprint_method


def test_missing_pieces_are_added_to_a_user_project(bw_template: str) -> None:
    import bw2data as bd

    bd.projects.set_current("user-project")
    mine = bd.Database("mine")
    mine.write({("mine", "widget"): {"name": "widget", "unit": "kilogram", "exchanges": []}})
    before = dict(bd.databases["mine"])
    try:
        assert ensure_project("user-project") == "user-project"
        assert "biosphere3" in bd.databases
        assert all(m in bd.methods for m in EF31_METHODS.values())
        assert footprint_method("total") in bd.methods
        assert bd.databases["mine"] == before
        assert len(bd.Database("mine")) == 1
        # the shipped EF 3.1 total method itself is left as bw2io ships it
        assert all(flow[0] == "biosphere3" for flow, _ in _keys(EF31_METHODS["total"]))
    finally:
        bd.projects.set_current(bw_template)
        bd.projects.delete_project("user-project", delete_dir=True)


def _keys(method: tuple[str, ...]) -> list[tuple[tuple[str, str], float]]:
    import bw2data as bd

    return [(bd.get_activity(flow).key, amount) for flow, amount in bd.Method(method).load()]


def test_an_unknown_user_project_is_an_input_error(bw_template: str) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        ensure_project("no-such-project")
