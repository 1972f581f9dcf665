"""The web app's bridge to the core: one warm engine shared read-only by all requests.

``AssessmentService.start()`` loads the Brightway project, the catalog and the rule-set
list once (at application start-up); afterwards ``assess`` only reads them, so requests run
side by side in the thread pool.  Rule sets are chosen by shipped name only: a web client
never names a file on the server.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footprint.errors import FootprintError, Problem
from footprint.model import Assessment

if TYPE_CHECKING:
    from footprint.api import Engine, StageCallback
    from footprint.catalog import Catalog
    from footprint.compliance.rules import RuleSet


class EngineNotReady(Exception):
    """The service was asked to assess before its engine finished loading."""


@dataclass(frozen=True)
class AssessRequest:
    bom: Path
    bom_name: str
    datasets: Path | None
    datasets_name: str | None
    rules: tuple[str, ...]
    as_of: dt.date | None
    # sourcing inputs by form field (suppliers, approved_smelters, high_risk_countries):
    # (stored path, the name the user uploaded it as)
    sourcing: tuple[tuple[str, Path, str], ...] = ()
    indicators: str = "climate"  # a selection (footprint.lca.indicators), checked on receipt
    hotspots: bool = False


def parse_rules(values: list[str]) -> list[str]:
    """Rule-set names from repeated fields and/or comma-separated lists, in order, once each."""
    names: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return names


def parse_indicators(values: list[str]) -> str:
    """The indicator selection of the form ("climate" when none): unknown names are a
    problem of the field, with the known names."""
    from footprint.lca.indicators import DEFAULT_SELECTION, parse_selection

    text = ",".join(v.strip() for v in values if v.strip()) or DEFAULT_SELECTION
    try:
        parse_selection(text)
    except FootprintError as error:
        raise FootprintError(
            [Problem(p.message, column="indicators") for p in error.problems]
        ) from None
    return text


def parse_flag(values: list[str]) -> bool:
    """A checkbox: sent (on, 1, true, yes) or not."""
    return any(v.strip().lower() in {"on", "1", "true", "yes"} for v in values)


def parse_as_of(values: list[str]) -> dt.date | None:
    text = next((v.strip() for v in reversed(values) if v.strip()), "")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FootprintError(
            Problem(f"{text!r} is not a date: write it as YYYY-MM-DD", column="as_of")
        ) from None


def preselected_rule_sets(rule_sets: Sequence[RuleSet], categories: Sequence[str]) -> list[str]:
    """The shipped rule sets with a rule or a listed category for one of ``categories``.

    The example rule sets (``example-…``: a fictional company's targets, to copy) are never
    preselected: ticked by hand they still run.  Rule sets that name no category (they apply
    to any product, e.g. the CRMA supply-concentration indicator) are not preselected either:
    nothing in the BOM says they are wanted."""
    from footprint.compliance.categories import rule_set_categories

    wanted = set(categories)
    return [
        r.name
        for r in rule_sets
        if not r.name.startswith(EXAMPLE_PREFIX) and rule_set_categories(r) & wanted
    ]


EXAMPLE_PREFIX = "example-"


class AssessmentService:
    def __init__(self, brightway_project: str | None = None) -> None:
        self.brightway_project = brightway_project
        self.engine: Engine | None = None
        self.catalog: Catalog | None = None
        self.rule_sets: list[RuleSet] = []
        self._start_lock = threading.Lock()
        self._user_engine_lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self.engine is not None

    def start(self) -> None:
        """Load the engine (Brightway project, unit scores), catalog and rule sets once."""
        from footprint.api import Engine
        from footprint.compliance import list_rule_sets

        with self._start_lock:
            if self.engine is not None:
                return
            self.rule_sets = list_rule_sets()
            engine = Engine(brightway_project=self.brightway_project)
            self.catalog = engine.catalog
            self.engine = engine

    def rule_set_names(self) -> list[str]:
        return [rule_set.name for rule_set in self.rule_sets]

    def check_rules(self, names: list[str]) -> None:
        known = self.rule_set_names()
        unknown = [name for name in names if name not in known]
        if unknown:
            raise FootprintError(
                [
                    Problem(
                        f"{name!r} is not a shipped rule set; choose from: {', '.join(known)}",
                        column="rules",
                    )
                    for name in unknown
                ]
            )

    def assess(self, request: AssessRequest, stages: StageCallback | None = None) -> Assessment:
        """Run one assessment (called in a worker thread) and name files as the user did;
        ``stages`` is told how far it is (a job's progress)."""
        from footprint.api import Engine, assess

        if self.engine is None:
            raise EngineNotReady
        self.check_rules(list(request.rules))
        try:
            engine = self.engine
            if request.datasets is not None:
                # A user's datasets need an engine of their own, which writes to the
                # Brightway project: one such build at a time (bw2data writes are not
                # thread-safe).  The shared engine keeps its scores in memory meanwhile.
                with self._user_engine_lock:
                    engine = Engine([request.datasets], brightway_project=self.brightway_project)
            files = {field: path for field, path, _name in request.sourcing}
            assessment = assess(
                request.bom,
                rules=list(request.rules) or None,
                as_of=request.as_of,
                engine=engine,
                suppliers=files.get("suppliers"),
                approved_smelters=files.get("approved_smelters"),
                high_risk_countries=files.get("high_risk_countries"),
                stages=stages,
                indicators=request.indicators,
                hotspots=request.hotspots,
            )
        except FootprintError as error:
            raise type(error)([self._rename(p, request) for p in error.problems]) from None
        return self._renamed_assessment(assessment, request)

    def read_summary(self, bom: Path, bom_name: str) -> dict[str, Any]:
        """The products of a BOM with their categories and the rule sets to preselect (the
        form asks as soon as a file is chosen); nothing is computed."""
        from footprint.api import read_products

        try:
            products, _warnings = read_products(bom)
        except FootprintError as error:
            request = AssessRequest(bom, bom_name, None, None, (), None)
            raise type(error)([self._rename(p, request) for p in error.problems]) from None
        categories = sorted({p.category for p in products if p.category})
        return {
            "products": [
                {"id": p.id, "name": p.name, "category": p.category, "lines": len(p.lines)}
                for p in products
            ],
            "categories": categories,
            "rule_sets": preselected_rule_sets(self.rule_sets, categories),
        }

    def datasets_listing(self) -> list[dict[str, Any]]:
        if self.catalog is None:
            raise EngineNotReady
        return [
            {
                "id": d.id,
                "name": d.name,
                "unit": d.unit,
                "climate_change": d.climate_change,
                "material": d.material,
                "recycled": d.recycled,
                "geography": d.geography,
                "year": d.year,
                "source": d.source,
                "source_row": d.source_row,
                "license": d.license,
                "url": d.url,
                "dqr": d.dqr.dqr,
            }
            for d in self.catalog
        ]

    def rules_listing(self) -> list[dict[str, Any]]:
        return [
            {
                "name": r.name,
                "title": r.title,
                "description": r.description,
                "rules": [
                    {"id": rule.id, "title": rule.title, "kind": rule.kind} for rule in r.rules
                ],
            }
            for r in self.rule_sets
        ]

    @staticmethod
    def _display_file(file: str | None, request: AssessRequest) -> str | None:
        """Server paths of the private folder become the names the user uploaded."""
        if file is None:
            return None
        path = Path(file)
        if path == request.bom or path.name == request.bom.name:
            return request.bom_name
        if request.datasets is not None and (
            path == request.datasets or path.name == request.datasets.name
        ):
            return request.datasets_name
        for _field, stored, original in request.sourcing:
            if path == stored or path.name == stored.name:
                return original
        return path.name

    def _rename(self, problem: Problem, request: AssessRequest) -> Problem:
        return Problem(
            problem.message,
            file=self._display_file(problem.file, request),
            sheet=problem.sheet,
            row=problem.row,
            column=problem.column,
            extra=problem.extra,
        )

    def _renamed_assessment(self, assessment: Assessment, request: AssessRequest) -> Assessment:
        products = [
            p.model_copy(update={"source_file": self._display_file(p.source_file, request)})
            for p in assessment.products
        ]
        warnings = [
            w.model_copy(update={"file": self._display_file(w.file, request)})
            for w in assessment.warnings
        ]
        return assessment.model_copy(update={"products": products, "warnings": warnings})
