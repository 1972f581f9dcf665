"""The footprint store: immutable documents, deprecation of the previous footprint of a
product, precedingPfIds, one transaction per publication, and a real file that survives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from footprint.exchange.pact import content_id
from footprint.exchange.pact_store import ListQuery, PactStore


def _document(total: str, created: str = "2026-01-01T00:00:00Z") -> dict:
    document = {
        "id": "",
        "specVersion": "3.0.0",
        "created": created,
        "status": "Active",
        "companyName": "Acme",
        "companyIds": ["urn:company:example:acme"],
        "productDescription": "box",
        "productIds": ["urn:pact:example.com:product-id:box-1"],
        "productNameCompany": "Box",
        "pcf": {"pcfExcludingBiogenicUptake": total, "referencePeriodEnd": "2026-01-01T00:00:00Z"},
    }
    document["id"] = content_id(document)
    return document


def test_same_content_keeps_id_and_created(tmp_path: Path) -> None:
    store = PactStore(tmp_path / "f.db")
    first = store.publish(_document("3.3"))
    again = store.publish(_document("3.3", created="2026-06-01T00:00:00Z"))
    assert again == first
    assert len(store.all()) == 1


def test_a_change_deprecates_and_names_the_predecessors(tmp_path: Path) -> None:
    store = PactStore(tmp_path / "f.db")
    a = store.publish(_document("3.3"))
    b = store.publish(_document("3.4", created="2026-02-01T00:00:00Z"))
    c = store.publish(_document("3.5", created="2026-03-01T00:00:00Z"))
    assert "precedingPfIds" not in a
    assert b["precedingPfIds"] == [a["id"]]
    assert c["precedingPfIds"] == [b["id"], a["id"]]
    statuses = {d["id"]: d["status"] for d in store.all()}
    assert statuses == {a["id"]: "Deprecated", b["id"]: "Deprecated", c["id"]: "Active"}
    # everything but the status is as first stored
    stored_a = store.get(a["id"])
    assert {k: v for k, v in stored_a.items() if k != "status"} == {
        k: v for k, v in a.items() if k != "status"
    }
    # back to the first content: a new id, never the deprecated one
    d = store.publish(_document("3.3", created="2026-04-01T00:00:00Z"))
    assert d["id"] not in (a["id"], b["id"], c["id"])
    assert d["precedingPfIds"][0] == c["id"]


def test_the_file_is_sqlite_and_survives(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    PactStore(path).publish(_document("3.3"))
    with sqlite3.connect(path) as db:
        (count,) = db.execute("SELECT count(*) FROM footprints").fetchone()
    assert count == 1
    assert len(PactStore(path).list(ListQuery(status="active"))) == 1


def test_publish_all_is_one_transaction(tmp_path: Path) -> None:
    store = PactStore(tmp_path / "f.db")
    good = _document("1")
    broken = dict(_document("2"))
    del broken["created"]
    with pytest.raises(KeyError):
        store.publish_all([good, broken])
    assert store.all() == []
