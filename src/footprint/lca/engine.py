"""The LCA engine: a Brightway project with the datasets in it, and warm unit scores.

``LcaEngine`` does all its Brightway work when it is built (project setup, dataset import,
unit scores from cache or one adjoint solve), or none of it when the project is unchanged since
the last engine (``warm``: then bw2data is imported only to read another database).
Afterwards it only reads: footprints are amounts × unit scores, and ``<database>::<code>``
references are looked up in tables filled once per database under a lock, so one engine can
serve several threads at once.

Every climate-change score row has the columns ``SCORE_COLUMNS``: the four indicators and the
part of the total no sub-indicator explains ("not split").  The catalog's own datasets are
scored in exact double precision from their values as written (``exact.py``); Brightway
activities keep Brightway's single-precision matrices.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from footprint import units
from footprint.errors import FootprintError
from footprint.lca import warm
from footprint.lca.datasets_db import DATASETS_DATABASE, content_hash, import_datasets
from footprint.lca.exact import (
    BRIGHTWAY_BASIS,
    Bases,
    catalog_scores,
    gas_factors,
    with_not_split,
)
from footprint.lca.indicators import Indicator
from footprint.lca.project import INDICATORS, computing_method, ensure_project, footprint_method
from footprint.lca.unit_scores import UnitScores, project_unit_scores, unit_scores_file
from footprint.link import BRIGHTWAY_SEPARATOR, ExternalActivity
from footprint.model import Dataset


@dataclass(frozen=True)
class _Activity:
    id: int
    name: str
    unit: str  # as Brightway writes it ("kilogram")


class LcaEngine:
    """Unit scores of every activity of one Brightway project for the EF 3.1 climate-change
    indicators and, when asked, further indicators (all solved on one factorisation)."""

    def __init__(
        self,
        datasets: Iterable[Dataset],
        *,
        brightway_project: str | None = None,
        use_cache: bool = True,
        indicators: Sequence[Indicator] = (),
    ) -> None:
        records = list(datasets)
        self.user_project = brightway_project is not None
        self.use_cache = use_cache
        self.methods: dict[str, tuple[str, ...]] = {i: footprint_method(i) for i in INDICATORS}
        self.indicators: tuple[Indicator, ...] = ()
        self._columns: dict[tuple[str, ...], int] = {}
        self._lock = threading.Lock()
        self._resolved: dict[str, ExternalActivity] = {}
        wanted = tuple(indicators)
        columns = self._column_methods(wanted)
        catalog_hash = content_hash(records) if use_cache else ""
        snapshot = warm.load(brightway_project, catalog_hash, columns) if use_cache else None
        if snapshot is not None:  # unchanged project: no bw2data until another database is read
            self.project = snapshot.project
            self.datasets_database = snapshot.datasets_database
            self.unit_scores: UnitScores = snapshot.unit_scores
            self._columns = {method: position for position, method in enumerate(columns)}
            self.indicators = wanted
            self._databases: list[str] = snapshot.databases
            table = {code: _Activity(*row) for code, row in snapshot.datasets_table.items()}
            self._tables: dict[str, dict[str, _Activity]] = {self.datasets_database: table}
            self._project_current = False
            self._gas_factors = snapshot.gas_factors
            self._bases: dict[str, Bases] = {}
            self._scores = self._exact_scores(records)
            return
        self.project = ensure_project(brightway_project, [i.method for i in indicators])
        self._project_current = True
        self.datasets_database = import_datasets(records, DATASETS_DATABASE)
        self.unit_scores = self._unit_scores(wanted)
        self._tables = {}
        self._databases = self._database_names()
        self._tables[self.datasets_database] = self._load_table(self.datasets_database)
        # the characterisation factors of the gas columns, as stored (float64)
        self._gas_factors = gas_factors(self.methods) if any(d.gases for d in records) else {}
        self._bases = {}
        self._scores = self._exact_scores(records)
        if use_cache:
            own = self._tables[self.datasets_database]
            rows = {code: (a.id, a.name, a.unit) for code, a in own.items()}
            snapshot = warm.Snapshot(
                self.project,
                self._databases,
                self.datasets_database,
                rows,
                self.unit_scores,
                gas_factors=self._gas_factors,
            )
            warm.store(
                brightway_project, catalog_hash, columns, snapshot, unit_scores_file(columns)
            )

    def _column_methods(self, indicators: tuple[Indicator, ...]) -> list[tuple[str, ...]]:
        """The climate-change methods, then every other method ``indicators`` need, once."""
        columns = list(self.methods.values())
        for item in indicators:
            method = computing_method(item.method)
            if method not in columns:
                columns.append(method)
        return columns

    def _unit_scores(self, indicators: tuple[Indicator, ...]) -> UnitScores:
        """Unit scores of the climate-change methods and every method ``indicators`` need,
        one column per distinct method, from one solve (or the cache)."""
        columns = self._column_methods(indicators)
        scores = project_unit_scores(columns, use_cache=self.use_cache)
        self._columns = {method: position for position, method in enumerate(columns)}
        self.indicators = indicators
        return scores

    def require(self, indicators: Sequence[Indicator]) -> None:
        """Have unit scores for ``indicators`` too (one more solve when some are new)."""
        missing = [i for i in indicators if i not in self.indicators]
        if not missing:
            return
        with self._lock:
            wanted = (*self.indicators, *(i for i in missing if i not in self.indicators))
            ensure_project(self.project if self.user_project else None, [i.method for i in wanted])
            self._project_current = True
            self.unit_scores = self._unit_scores(wanted)

    def make_project_current(self) -> None:
        """Make the engine's Brightway project bw2data's current one, for code that reads
        the project through bw2data (a warm start leaves bw2data alone until then)."""
        with self._lock:
            self._make_current()

    def _make_current(self) -> None:
        if not self._project_current:  # started warm: bw2data is needed only now
            import bw2data as bd

            bd.projects.set_current(self.project)
            self._project_current = True

    @property
    def solver(self) -> str:
        return self.unit_scores.solver

    # -- references --------------------------------------------------------------------------

    def catalog_reference(self, dataset_id: str) -> str:
        return f"{self.datasets_database}{BRIGHTWAY_SEPARATOR}{dataset_id}"

    def resolve(self, reference: str) -> ExternalActivity | None:
        """The activity named by ``<database>::<code>``, or None when there is none."""
        known = self._resolved.get(reference)
        if known is not None:
            return known
        activity = self._resolve(reference)
        if activity is not None:
            self._resolved[reference] = activity  # one dict store: safe across threads
        return activity

    def _resolve(self, reference: str) -> ExternalActivity | None:
        database, _, code = reference.partition(BRIGHTWAY_SEPARATOR)
        activity = self._table(database).get(code)
        if activity is None:
            return None
        try:
            unit = units.brightway_unit(activity.unit)
        except FootprintError:
            unit = activity.unit  # linking then reports the unit on the BOM row
        return ExternalActivity(reference, database, code, activity.name, unit)

    def suggest(self, reference: str, n: int = 3) -> list[str]:
        database, _, code = reference.partition(BRIGHTWAY_SEPARATOR)
        if database not in self._databases:
            close = difflib.get_close_matches(database, self._databases, n=n, cutoff=0.5)
            return [f"{d}{BRIGHTWAY_SEPARATOR}{code}" for d in close]
        table = self._table(database)
        by_code = difflib.get_close_matches(code, list(table), n=n, cutoff=0.6)
        return [f"{database}{BRIGHTWAY_SEPARATOR}{c}" for c in by_code]

    def activity_id(self, reference: str) -> int:
        database, _, code = reference.partition(BRIGHTWAY_SEPARATOR)
        return self._table(database)[code].id

    # -- scores ------------------------------------------------------------------------------

    def scores(self, references: Sequence[str]) -> np.ndarray:
        """Unit scores, one row per reference, columns in ``INDICATORS`` order."""
        ids = [self.activity_id(r) for r in references]
        return self._scores[self.unit_scores.rows(ids)]

    def bases(self, reference: str) -> Bases:
        """The total of one reference unit split by the GWP basis of the factors behind it."""
        return self.bases_of([reference])[0]

    def bases_of(self, references: Sequence[str]) -> list[Bases]:
        """``bases`` of each reference, the unit scores of those without a split looked up
        together."""
        found: list[Bases] = []
        others: list[int] = []
        for k, reference in enumerate(references):
            database, _, code = reference.partition(BRIGHTWAY_SEPARATOR)
            if database == self.datasets_database and code in self._bases:
                found.append(self._bases[code])
            else:
                found.append({})
                others.append(k)
        if others:
            totals = self.scores([references[k] for k in others])[:, INDICATORS.index("total")]
            for k, total in zip(others, totals.tolist(), strict=True):
                found[k] = {BRIGHTWAY_BASIS: total}
        return found

    def _exact_scores(self, records: list[Dataset]) -> np.ndarray:
        """Brightway's climate-change unit scores with their not-split column, the catalog's
        rows replaced by their exact double-precision scores (``SCORE_COLUMNS`` order)."""
        brightway = with_not_split(np.array(self.unit_scores.scores[:, : len(INDICATORS)]))

        def external(references: Sequence[str]) -> np.ndarray:
            ids = [self.activity_id(r) for r in references]
            return brightway[self.unit_scores.rows(ids)]

        exact, self._bases = catalog_scores(records, self._gas_factors, external)
        if exact:
            table = self._tables[self.datasets_database]
            rows = self.unit_scores.rows([table[code].id for code in exact])
            brightway[rows] = np.array(list(exact.values()))
        return brightway

    def indicator_scores(
        self, references: Sequence[str], indicators: Sequence[Indicator]
    ) -> np.ndarray:
        """Unit scores, one row per reference, one column per indicator (see ``require``)."""
        ids = [self.activity_id(r) for r in references]
        methods = [computing_method(i.method) for i in indicators]
        columns = np.array([self._columns[m] for m in methods], dtype=np.int64)
        rows = self.unit_scores.rows(ids)
        scores = self.unit_scores.scores[np.ix_(rows, columns)]
        # the climate-change methods: the same exact scores as ``scores`` gives
        climate = {method: k for k, method in enumerate(self.methods.values())}
        for position, method in enumerate(methods):
            if method in climate:
                scores[:, position] = self._scores[rows, climate[method]]
        return scores

    def computing_methods(self) -> list[tuple[str, ...]]:
        """The methods behind the unit-score columns, in column order."""
        return sorted(self._columns, key=self._columns.__getitem__)

    # -- internals ---------------------------------------------------------------------------

    def _database_names(self) -> list[str]:
        import bw2data as bd

        return sorted(bd.databases)

    def _table(self, database: str) -> dict[str, _Activity]:
        table = self._tables.get(database)
        if table is not None:
            return table
        if database not in self._databases:
            return {}
        with self._lock:
            if database not in self._tables:
                self._make_current()
                self._tables[database] = self._load_table(database)
            return self._tables[database]

    @staticmethod
    def _load_table(database: str) -> dict[str, _Activity]:
        from bw2data.backends import ActivityDataset

        query = (
            ActivityDataset.select(
                ActivityDataset.id, ActivityDataset.code, ActivityDataset.name, ActivityDataset.data
            )
            .where(ActivityDataset.database == database)
            .tuples()  # no model object per row
        )
        return {
            code: _Activity(id_, name or code, str(data.get("unit", "")))
            for id_, code, name, data in query
        }
