"""The SQLite file that keeps PACT footprints: what ``--pact-store`` writes and the PACT host
(``footprint serve --pact-config``) answers from.

One row per ProductFootprint, its JSON kept exactly as exported.  PACT v3 documents are
immutable: the only change ever made to a stored row is its ``status`` going from ``Active``
to ``Deprecated`` when a newer footprint of the same product (same company and product ids)
is published; the document text then says ``Deprecated`` too.  The file is a real SQLite
database (standard library ``sqlite3``, WAL journal), so footprints survive a restart.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

Moment = TypeVar("Moment", date, datetime)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS footprints (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Active', 'Deprecated')),
    product_key TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS footprints_product ON footprints (product_key, status);
"""


def _product_key(document: Mapping[str, Any]) -> str:
    """Footprints of "the same product": same company ids and same product ids."""
    company = sorted(str(c).lower() for c in document.get("companyIds", []))
    product = sorted(str(p).lower() for p in document.get("productIds", []))
    return json.dumps([company, product])


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class ListQuery:
    """The filters of ``GET /3/footprints`` (values within one criterion are alternatives)."""

    product_ids: Sequence[str] = ()
    company_ids: Sequence[str] = ()
    geography: Sequence[str] = ()
    classifications: Sequence[str] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None

    def matches(self, document: Mapping[str, Any]) -> bool:
        def lowered(values: Any) -> set[str]:
            return {str(v).lower() for v in values or []}

        if self.product_ids and not lowered(self.product_ids) & lowered(document["productIds"]):
            return False
        if self.company_ids and not lowered(self.company_ids) & lowered(document["companyIds"]):
            return False
        classes = document.get("productClassifications")
        if self.classifications and not lowered(self.classifications) & lowered(classes):
            return False
        pcf = document["pcf"]
        if self.geography:
            places = {
                str(pcf[key]).lower()
                for key in (
                    "geographyCountry",
                    "geographyCountrySubdivision",
                    "geographyRegionOrSubregion",
                )
                if key in pcf
            }
            # a subdivision is inside its country: DE-BW matches a DE filter
            places |= {p.split("-")[0] for p in places if "-" in p}
            if not lowered(self.geography) & places:
                return False
        if self.status and document["status"].lower() != self.status.lower():
            return False
        start, end = validity_period(document)
        if self.valid_on and not start <= self.valid_on <= end:
            return False
        if self.valid_after and not start > self.valid_after:
            return False
        return not (self.valid_before and not end < self.valid_before)


def validity_period(document: Mapping[str, Any]) -> tuple[datetime, datetime]:
    """The period a footprint is valid for: its own, else three years from the end of its
    reference period (PACT v3, ProductFootprint.validityPeriodStart)."""
    if "validityPeriodStart" in document and "validityPeriodEnd" in document:
        return _moment(document["validityPeriodStart"]), _moment(document["validityPeriodEnd"])
    end = _moment(document["pcf"]["referencePeriodEnd"])
    return end, three_years_after(end)


def three_years_after(moment: Moment) -> Moment:
    """PACT's default validity: three years after the end of the reference period (a 29
    February ends on 28 February)."""
    try:
        return moment.replace(year=moment.year + 3)
    except ValueError:
        return moment.replace(year=moment.year + 3, day=28)


class PactStore:
    """PACT footprints in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with self._connection() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:  # one transaction: committed whole or rolled back
                yield db
        finally:
            db.close()

    def publish(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Store one newly computed footprint (see ``publish_all``)."""
        return self.publish_all([document])[0]

    def publish_all(self, documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Store newly computed footprints in one transaction (all or none) and return the
        documents as stored.

        The same content (same id) stored and active: the stored document is returned
        unchanged (its ``created`` and history are kept).  Otherwise the product's active
        footprints are deprecated and the new document names them, and their predecessors, in
        ``precedingPfIds``; content published before and deprecated since comes back under a
        new id (an id is never active twice)."""
        with self._connection() as db:
            return [self._publish(db, document) for document in documents]

    @staticmethod
    def _publish(db: sqlite3.Connection, document: Mapping[str, Any]) -> dict[str, Any]:
        key = _product_key(document)
        found = db.execute("SELECT document FROM footprints WHERE id = ?", (document["id"],))
        row = found.fetchone()
        stored: dict[str, Any] | None = json.loads(row[0]) if row is not None else None
        if stored is not None and stored["status"] == "Active":
            return stored
        previous = [
            json.loads(text)
            for (text,) in db.execute(
                "SELECT document FROM footprints WHERE product_key = ? AND status = 'Active' "
                "ORDER BY created, id",
                (key,),
            )
        ]
        chain: list[str] = []
        for old in reversed(previous):  # newest first, each followed by its own history
            chain += [old["id"], *old.get("precedingPfIds", [])]
        chain = list(dict.fromkeys(chain))
        new = _with_preceding(dict(document), chain) if chain else dict(document)
        if stored is not None:  # this content was published before and is deprecated now
            new["id"] = str(uuid.uuid5(uuid.UUID(new["id"]), ",".join(chain) or "again"))
        for old in previous:
            old["status"] = "Deprecated"
            db.execute(
                "UPDATE footprints SET status = 'Deprecated', document = ? WHERE id = ?",
                (json.dumps(old, ensure_ascii=False), old["id"]),
            )
        db.execute(
            "INSERT INTO footprints (id, created, status, product_key, document) "
            "VALUES (?, ?, ?, ?, ?)",
            (new["id"], new["created"], new["status"], key, json.dumps(new, ensure_ascii=False)),
        )
        return new

    def add(self, document: Mapping[str, Any]) -> None:
        """Store a document as it is (an import of someone's footprint; tests)."""
        with self._connection() as db:
            db.execute(
                "INSERT OR REPLACE INTO footprints (id, created, status, product_key, document) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    document["id"],
                    document["created"],
                    document["status"],
                    _product_key(document),
                    json.dumps(document, ensure_ascii=False),
                ),
            )

    def get(self, footprint_id: str) -> dict[str, Any] | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT document FROM footprints WHERE lower(id) = lower(?)", (footprint_id,)
            ).fetchone()
        return json.loads(row[0]) if row is not None else None

    def all(self) -> list[dict[str, Any]]:
        """Every footprint, oldest first (the order pagination walks)."""
        with self._connection() as db:
            rows = db.execute("SELECT document FROM footprints ORDER BY created, id").fetchall()
        return [json.loads(text) for (text,) in rows]

    def list(self, query: ListQuery) -> list[dict[str, Any]]:
        return [document for document in self.all() if query.matches(document)]


def _with_preceding(document: dict[str, Any], preceding: list[str]) -> dict[str, Any]:
    """The document with ``precedingPfIds`` placed after ``specVersion``, as the spec lists it."""
    ordered: dict[str, Any] = {}
    for name, value in document.items():
        if name == "precedingPfIds":
            continue
        ordered[name] = value
        if name == "specVersion":
            ordered["precedingPfIds"] = preceding
    return ordered
