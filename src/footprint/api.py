"""The Python API: ``assess(...)``, ``read_bom(...)`` and the ``Engine`` that keeps LCA warm.

One assessment runs: read → link → compute → circularity → checks → ``Assessment``.

    >>> from footprint import assess
    >>> result = assess("examples/phone.xlsx")            # doctest: +SKIP
    >>> result.products[0].climate_change.total             # doctest: +SKIP

Pipelines that assess many BOMs build one ``Engine`` and call ``engine.assess(...)``: the
Brightway project, the datasets and the unit scores stay loaded, and ``Engine.assess`` changes
no shared state, so several threads may call it at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from footprint import finite
from footprint.bom import bom_files
from footprint.bom.files import duplicate_warning
from footprint.catalog import Catalog, load_catalog
from footprint.data_quality import data_quality_of
from footprint.errors import BomError, FootprintError, InputTooLargeError, Problem
from footprint.exchange.pact_import import expiry_warnings
from footprint.lca.engine import LcaEngine
from footprint.lca.indicators import Indicator, parse_selection
from footprint.lca.project import SCORE_COLUMNS
from footprint.lines import LineColumns, climate_parts
from footprint.lines import constructed as _constructed  # noqa: F401  # comparison uses it
from footprint.link import (
    BRIGHTWAY_SEPARATOR,
    ExternalActivity,
    LinkedLine,
    LinkedProduct,
    Recipe,
    RecipeLines,
    link_columns,
    link_products,
)
from footprint.memory import cyclic_gc_paused
from footprint.model import (
    STAGES,
    Assessment,
    ClimateChange,
    DataQuality,
    Dataset,
    DatasetInfo,
    MethodInfo,
    Product,
    ProductResult,
    Stage,
    Warning_,
)

if TYPE_CHECKING:  # pandas is imported when a table is asked for
    import pandas as pd

    from footprint.impacts.relevance_rules import HotspotRules
    from footprint.suppliers import SourcingInputs

PathLike = str | Path
BomInput = PathLike | Product | Sequence[PathLike | Product]
IndicatorSelection = str | Sequence[str] | None
Progress = Callable[[int, int], None]
#: told where an assessment is: (stage, done, total) with stage "reading", "linking",
#: "computing" (all lines' footprints at once: 0 of 1, then 1 of 1) or "circularity and
#: checks" (done of total products); each stage is announced with done = 0 first
StageCallback = Callable[[str, int, int], None]


def _no_stages(stage: str, done: int, total: int) -> None:
    """A ``StageCallback`` that listens to nothing."""


def _reading_progress(stages: StageCallback, progress: Progress | None) -> Progress:
    """A reader's ``Progress`` that also tells ``stages`` (files read of all)."""

    def told(done: int, total: int) -> None:
        stages("reading", done, total)
        if progress is not None:
            progress(done, total)

    return told


def _categories_known(products: Sequence[Product], rule_sets: Sequence[Any]) -> bool:
    """True when no product has a category or every category is one the shipped rule sets
    name (then ``category_problems`` has nothing to say), without importing the rule models
    when the shipped categories are in the cache.  False means: ask ``category_problems``."""
    categories = {p.category for p in products if p.category is not None}
    if not categories:
        return True
    if rule_sets:  # the user's rule files may name more; category_problems reads them
        return False
    return categories <= shipped_categories()


def shipped_categories() -> frozenset[str]:
    """The categories the shipped rule sets name, kept in the cache folder under the stamps
    (path, size, mtime) of the shipped rule files and of the compliance modules that read
    them; any doubt (no file, unreadable, not a list of texts) means reading the rule files."""
    import hashlib
    import json

    from footprint.cache import cache_dir, replace_file
    from footprint.resources import rules_dir

    def read() -> frozenset[str]:
        from footprint.compliance.categories import known_categories

        return frozenset(known_categories())

    try:
        digest = hashlib.sha256(b"categories|1\n")
        compliance = Path(__file__).parent / "compliance"
        for path in [*sorted(rules_dir().glob("*.yaml")), *sorted(compliance.glob("*.py"))]:
            status = path.stat()
            digest.update(f"{path}|{status.st_size}|{status.st_mtime_ns}\n".encode())
        kept = cache_dir() / f"categories-{digest.hexdigest()[:32]}.json"
    except OSError:
        return read()
    try:
        loaded = json.loads(kept.read_text(encoding="utf-8"))
        if isinstance(loaded, list) and all(isinstance(c, str) for c in loaded):
            return frozenset(loaded)
    except (OSError, ValueError):
        pass
    categories = read()
    with contextlib.suppress(OSError):  # cache folder not writable: read the files each time
        replace_file(kept, lambda handle: json.dump(sorted(categories), handle))
    return categories


def _tool_version() -> str:
    try:
        return version("footprint")
    except PackageNotFoundError:
        return "0.0.0"


class Engine:
    """Datasets in a Brightway project with warm unit scores, for many assessments.

    ``datasets``: user dataset files added to the shipped ones; ``brightway_project``: an
    existing Brightway project to compute in (missing pieces are added to it), else
    footprint's own project; ``indicators``: the indicators every assessment computes
    besides climate change (``"ef31"``, ``"ef31+ced"``, ids; see ``footprint.lca.indicators``),
    solved with climate change on one factorisation.
    """

    def __init__(
        self,
        datasets: Sequence[PathLike] | None = None,
        *,
        brightway_project: str | None = None,
        catalog: Catalog | None = None,
        use_cache: bool = True,
        indicators: IndicatorSelection = None,
    ) -> None:
        if catalog is not None and datasets:
            raise ValueError("give either datasets files or a catalog, not both")
        self.indicators: tuple[Indicator, ...] = parse_selection(indicators)
        self.catalog: Catalog = catalog or load_catalog([Path(p) for p in datasets or ()])
        self.lca = LcaEngine(
            self.catalog,
            brightway_project=brightway_project,
            use_cache=use_cache,
            indicators=self.indicators,
        )
        self.brightway_project = self.lca.project
        self._unit_scores: dict[str, ClimateChange] = {}  # unit_score's answers, by reference
        self._basis_fractions: dict[str, dict[str, float]] = {}  # GWP basis → share, by reference
        self.method = MethodInfo(
            indicators={name: list(method) for name, method in self.lca.methods.items()},
            solver=self.lca.solver,
        )

    # -- unit scores ---------------------------------------------------------------------------

    def _reference(self, dataset_ref: str) -> str:
        if BRIGHTWAY_SEPARATOR in dataset_ref:
            return dataset_ref
        if dataset_ref not in self.catalog:
            hints = self.catalog.suggest(dataset_ref)
            tip = f" (did you mean {', '.join(map(repr, hints))}?)" if hints else ""
            raise FootprintError(
                Problem(f"{dataset_ref!r} is not a known dataset id{tip}", column="dataset")
            )
        return self.lca.catalog_reference(self.catalog.get(dataset_ref).id)

    def unit_score(self, dataset_ref: str) -> ClimateChange:
        """EF 3.1 climate change of one reference unit of a dataset (see ``unit_of``).

        Kept per engine: the CFF asks for the same few datasets once per material line."""
        known = self._unit_scores.get(dataset_ref)
        if known is None:
            row = self.lca.scores([self._reference(dataset_ref)])[0]
            known = self._unit_scores[dataset_ref] = _climate(row)
        return known

    def unit_of(self, dataset_ref: str) -> str:
        """The reference unit of a dataset (catalog id or ``<database>::<code>``)."""
        if BRIGHTWAY_SEPARATOR not in dataset_ref:
            self._reference(dataset_ref)
            return self.catalog.get(dataset_ref).unit
        activity = self.lca.resolve(dataset_ref)
        if activity is None:
            raise FootprintError(
                Problem(f"{dataset_ref!r} is not an activity of the Brightway project")
            )
        return activity.unit

    # -- assessment ----------------------------------------------------------------------------

    def link(self, products: Sequence[Product]) -> list[LinkedProduct]:
        return link_products(products, self.catalog, external=self.lca)

    def assess(
        self,
        bom_or_products: BomInput,
        *,
        rules: Sequence[PathLike] | None = None,
        as_of: date | None = None,
        progress: Progress | None = None,
        sourcing: SourcingInputs | None = None,
        indicators: IndicatorSelection = None,
        hotspots: bool | HotspotRules = False,
        stages: StageCallback | None = None,
    ) -> Assessment:
        """Assess BOM files / folders or ``Product`` objects: one ``Assessment`` for all.

        ``indicators``: as for ``Engine`` (default: the engine's); ``hotspots``: add the PEF
        most relevant categories, stages, processes and elementary flows (one forward solve);
        ``True`` applies the shipped rules, a ``HotspotRules`` other ones.
        ``stages``: told each step's progress (``StageCallback``).
        """
        if stages is not None:
            stages("reading", 0, 1)
            progress = _reading_progress(stages, progress)
        products, warnings = read_products(bom_or_products, progress)
        return self.assess_products(
            products,
            warnings,
            rule_sets=_rule_sets(rules),
            as_of=as_of,
            sourcing=sourcing,
            indicators=indicators,
            hotspots=hotspots,
            stages=stages,
        )

    def assess_products(
        self,
        products: Sequence[Product],
        warnings: Sequence[Warning_] = (),
        *,
        rule_sets: Sequence[Any] = (),
        as_of: date | None = None,
        sourcing: SourcingInputs | None = None,
        indicators: IndicatorSelection = None,
        hotspots: bool | HotspotRules = False,
        stages: StageCallback | None = None,
    ) -> Assessment:
        """Assess products already read (``warnings``: the reader's, carried to the result).

        ``sourcing``: the supplier register and lists (``footprint.suppliers``); given, or
        asked for by a sourcing rule, each product gets its sourcing picture.
        ``indicators``, ``hotspots``: as for ``assess``; ``stages``: told each step's progress.
        """
        chosen = self.indicators if indicators is None else parse_selection(indicators)
        with cyclic_gc_paused():
            assessment = self._assess_products(
                products,
                warnings,
                rule_sets=rule_sets,
                as_of=as_of,
                sourcing=sourcing,
                stages=stages or _no_stages,
            )
        if chosen or hotspots:
            from footprint.impacts.assess import add_impacts

            add_impacts(self, assessment, products, chosen, hotspots=hotspots)
        return assessment

    def _assess_products(
        self,
        products: Sequence[Product],
        warnings: Sequence[Warning_],
        *,
        rule_sets: Sequence[Any],
        as_of: date | None,
        sourcing: SourcingInputs | None = None,
        stages: StageCallback = _no_stages,
    ) -> Assessment:
        warnings = list(warnings)
        if not _categories_known(products, rule_sets):
            from footprint.compliance.categories import category_problems

            unknown = category_problems(products, rule_sets)
            if unknown:  # a category no rule set knows would switch every check off unseen
                raise BomError(unknown)
        stages("linking", 0, 1)
        linked = self.link(products)
        stages("linking", 1, 1)
        warnings += expiry_warnings(linked, as_of or date.today())  # supplier PCFs (PACT)
        stages("computing", 0, 1)
        results = self._footprints(linked)
        stages("computing", 1, 1)
        final = []
        sourcing = _sourcing_inputs(sourcing, rule_sets)
        stages("circularity and checks", 0, len(linked))
        for done, (item, result) in enumerate(zip(linked, results, strict=True), start=1):
            result, extra_warnings = _circularity(item.product, result, self)
            warnings.extend(extra_warnings)
            warnings.extend(_basis_warning(result))
            if sourcing is not None:
                result, extra_warnings = _sourcing(
                    result, item.product, self.catalog, sourcing, as_of
                )
                warnings.extend(extra_warnings)
            if rule_sets:
                from footprint.compliance import evaluate_checks

                checks = evaluate_checks(
                    result, item.product, rule_sets, as_of=as_of, catalog=self.catalog
                )
                result = result.model_copy(update={"checks": checks})
            final.append(result)
            stages("circularity and checks", done, len(linked))
        overflowing = finite.product_problems(final)
        if overflowing:
            raise BomError(overflowing)
        return Assessment(
            tool_version=_tool_version(),
            created=datetime.now(UTC),
            method=self.method,
            brightway_project=self.brightway_project,
            as_of=as_of,
            rule_sets=[rs.name for rs in rule_sets],
            products=final,
            datasets=self._dataset_infos(linked),
            warnings=warnings,
            sourcing=_portfolio_sourcing(
                final, [item.product for item in linked], self.catalog, sourcing, as_of
            ),
        )

    def _footprints(self, linked: list[LinkedProduct]) -> list[ProductResult]:
        """Cut-off footprints: Σ amount × unit score over all lines of all products at once."""
        unit_scores, scored, with_dataset = self._line_scores(linked)
        figures = np.zeros((len(with_dataset), len(SCORE_COLUMNS)))
        figures[with_dataset] = scored  # lines without a dataset (assemblies) count 0
        scores = np.zeros_like(figures)
        scores[with_dataset] = unit_scores
        results = []
        start = 0
        recipes = _RecipeFacts(self)
        for item in linked:
            stop = start + len(item)
            results.append(
                self._product_result(
                    item,
                    figures[start:stop],
                    scores[start:stop],
                    with_dataset[start:stop],
                    recipes,
                )
            )
            start = stop
        return results

    def _line_figures(self, linked: list[LinkedProduct]) -> np.ndarray:
        """Per functional unit, the four indicators of every line that has a dataset, in order."""
        return self._scored_lines(linked)[1]

    def _scored_lines(self, linked: list[LinkedProduct]) -> tuple[np.ndarray, np.ndarray]:
        """The unit scores (per reference unit) and the figures (per functional unit) of every
        line that has a dataset, in order: figure = amount × reference flow × unit score."""
        return self._line_scores(linked)[:2]

    def _line_scores(
        self, linked: list[LinkedProduct]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``_scored_lines`` and which of all lines have a dataset.  Each distinct reference
        is scored once; lines held as columns take their recipe's (one look-up per recipe)."""
        row_of: dict[str, int] = {}
        rows_of_recipes: dict[int, np.ndarray] = {}  # by id of a recipe table
        rows, amounts, with_dataset = [], [], []
        for item in linked:
            flow = item.product.reference_flow
            columns = item.columns
            if columns is not None:
                table = rows_of_recipes.get(id(columns.recipes))
                if table is None:
                    references = [_recipe_reference(self.lca, r) for r in columns.recipes]
                    table = np.fromiter(
                        (row_of.setdefault(r, len(row_of)) for r in references), np.int64
                    )
                    rows_of_recipes[id(columns.recipes)] = table
                rows.append(table[columns.codes])
                amounts.append(columns.amount * flow)
                with_dataset.append(np.ones(len(columns), dtype=bool))
                continue
            scored = [line for line in item.lines if line.dataset is not None]
            references = [self._scored_reference(line) for line in scored]
            rows.append(
                np.fromiter((row_of.setdefault(r, len(row_of)) for r in references), np.int64)
            )
            amounts.append(np.array([line.amount * flow for line in scored], dtype=np.float64))
            with_dataset.append(np.array([ln.dataset is not None for ln in item.lines], bool))
        width = len(SCORE_COLUMNS)
        if row_of:
            unit_scores = self.lca.scores(list(row_of))[np.concatenate(rows)]
            amount = np.concatenate(amounts)
        else:
            unit_scores, amount = np.zeros((0, width)), np.zeros(0)
        with np.errstate(over="ignore", invalid="ignore"):  # found and named just below
            figures = amount[:, None] * unit_scores
        if not np.isfinite(figures).all():
            scored = [line for item in linked for line in item.lines if line.dataset is not None]
            raise BomError(finite.line_problems(scored, figures, "climate change"))
        mask = np.concatenate(with_dataset) if with_dataset else np.zeros(0, dtype=bool)
        return unit_scores, figures, mask

    def footprint_table(self, bom_or_products: BomInput) -> pd.DataFrame:
        """Cut-off footprints of every line, as one table: the fast path for pipelines that
        screen many products and need figures, not an ``Assessment``.

        One row per BOM line that has a dataset: ``product``, ``line``, ``path``, ``stage``,
        ``dataset``, ``quantity`` and ``unit`` (in one product, in the dataset's unit) and
        ``total``, ``fossil``, ``biogenic``, ``luluc``, ``not_split`` in kg CO2-eq per functional
        unit — the same figures ``assess`` gives its lines under the cut-off model.  No
        circularity, checks or data quality: use ``assess`` for those (and for products on the
        CFF model).
        """
        import pandas as pd

        products, _ = read_products(bom_or_products)
        with cyclic_gc_paused():  # millions of small objects, no cycles (as assess_products)
            fast = self._table_columns(products)
            if fast is not None:
                return fast
            linked = self.link(products)
            figures = self._line_figures(linked)
            rows = [
                (item.product.id, line.line.id, line.path, line.line.stage.value, line.dataset,
                 line.amount, line.unit)
                for item in linked
                for line in item.lines
                if line.dataset is not None
            ]  # fmt: skip
        table = pd.DataFrame.from_records(
            rows, columns=["product", "line", "path", "stage", "dataset", "quantity", "unit"]
        )
        for column, indicator in enumerate(SCORE_COLUMNS):
            table[indicator] = figures[:, column]
        return table

    def _table_columns(self, products: Sequence[Product]) -> pd.DataFrame | None:
        """``footprint_table`` of one-level products linked column by column (``link_columns``):
        the same figures (amount × reference flow × unit score, each reference scored once);
        None when the products need ``link`` (another shape, a problem to name)."""
        import pandas as pd

        linked = link_columns(products, self.catalog, external=self.lca)
        if linked is None:
            return None
        references = [
            target.reference
            if isinstance(target, ExternalActivity)
            else self.lca.catalog_reference(target.id)
            for target in linked.targets
        ]
        width = len(SCORE_COLUMNS)
        unit_scores = self.lca.scores(references) if references else np.zeros((0, width))
        with np.errstate(over="ignore", invalid="ignore"):
            # indicator by indicator (rows): each a contiguous column of the table
            scale = linked.amount * linked.reference_flow
            figures = scale * np.ascontiguousarray(unit_scores.T)[:, linked.codes]
        if not np.isfinite(figures).all():
            return None  # ``link`` and ``_line_figures`` name the lines
        columns = {
            "product": linked.product,
            "line": linked.line,
            "stage": linked.stage,
            "dataset": linked.dataset,
            "quantity": linked.amount,
            "unit": linked.unit,
        }
        columns.update(zip(SCORE_COLUMNS, figures, strict=True))
        table = pd.DataFrame(columns)
        table.insert(2, "path", table["line"])  # one level: the path is the line's id (shared)
        return table

    def _scored_reference(self, line: LinkedLine) -> str:
        assert line.dataset is not None
        if line.activity is not None:
            return line.activity.reference
        return self.lca.catalog_reference(line.dataset)

    def _product_result(
        self,
        item: LinkedProduct,
        figures: np.ndarray,
        scores: np.ndarray,
        scored: np.ndarray,
        recipes: _RecipeFacts,
    ) -> ProductResult:
        """``figures``: the product's lines × ``SCORE_COLUMNS``, per functional unit;
        ``scores``: the unit scores of the lines (``scored``: those with a dataset);
        ``recipes``: what lines held as columns take from their recipe."""
        product = item.product
        columns = item.columns
        if columns is not None:
            stages = columns.fields["stage"]
        else:
            stages = [line.line.stage for line in item.lines]
        totals = figures[:, _TOTAL]
        # sums beyond the largest float are named below (finite.product_problems), not warned
        with np.errstate(over="ignore", invalid="ignore"):
            total, stage_sums = _sums(figures, stages)
            share = totals / total[_TOTAL] if total[_TOTAL] else np.zeros(len(totals))
        by_stage = {stage: ClimateChange() for stage in STAGES}
        for stage, sums in stage_sums.items():
            by_stage[stage] = _climate(sums)
        line_totals = totals.tolist()
        if columns is not None:
            facts = recipes.of(columns.recipes)
            lines = _recipe_line_columns(columns, facts, figures, stages, share, scores)
            bases = facts.shares(columns.codes, totals)
            quality = data_quality_of(line_totals, facts.of("quality", columns.codes))
        else:
            lines = _line_columns(item.lines, figures, stages, share, (scores, scored))
            bases = self._basis_shares(item, line_totals)
            linked = [k for k, line in enumerate(item.lines) if line.dataset is not None]
            quality = data_quality_of(
                [line_totals[k] for k in linked],
                [_quality(item.lines[k].record) for k in linked],
            )
        return ProductResult(
            id=product.id,
            name=product.name,
            functional_unit=product.functional_unit,
            reference_flow=product.reference_flow,
            category=product.category,
            placed_on_market=product.placed_on_market,
            eol_model=product.eol_model,
            mass_kg=item.mass_kg,
            declared_mass_kg=product.mass_kg,
            energy_kwh=product.total_energy_kwh(),
            climate_change=_climate(total),
            by_stage=by_stage,
            lines=lines,
            data_quality=quality,
            gwp_basis_shares=bases,
            source_file=product.source.file,
            extra=dict(product.extra),
        )

    def _basis_split(self, reference: str) -> dict[str, float]:
        """The share of one reference unit's |total| on each GWP basis (kept per engine)."""
        return self._basis_splits([reference])[0]

    def _basis_splits(self, references: Sequence[str]) -> list[dict[str, float]]:
        """``_basis_split`` of each reference, those not yet kept worked out together."""
        known = self._basis_fractions
        new = [r for r in dict.fromkeys(references) if r not in known]
        for reference, bases in zip(new, self.lca.bases_of(new), strict=True):
            parts = {b: abs(v) for b, v in bases.items() if v}
            scale = sum(parts.values()) or 1.0
            known[reference] = {b: v / scale for b, v in parts.items()}
        return [known[r] for r in references]

    def _basis_shares(self, item: LinkedProduct, totals: Sequence[float]) -> dict[str, float]:
        """Share of Σ |line figure| resting on each GWP basis (see ``ProductResult``);
        ``totals``: each line's climate-change total."""
        lines = item.lines

        def split_of(k: int) -> dict[str, float]:
            line = lines[k]
            if line.dataset is None:
                return {}
            return self._basis_split(self._scored_reference(line))

        return _shares(split_of, totals)

    def _activity_info(
        self, activity: ExternalActivity, input_of: list[str] | None = None
    ) -> DatasetInfo:
        return DatasetInfo(
            id=activity.reference,
            name=activity.name,
            unit=activity.unit,
            source=f"Brightway project {self.brightway_project!r}, database {activity.database!r}",
            input_of=input_of or [],
        )

    def _dataset_infos(self, linked: list[LinkedProduct]) -> list[DatasetInfo]:
        """Every dataset the figures rest on: those the lines link, and, followed through
        every level, the upstream datasets their ``inputs`` name (e.g. well-to-tank)."""
        infos: dict[str, DatasetInfo] = {}
        upstream: list[tuple[str, str]] = []  # (input id, the dataset that uses it)
        tables: set[int] = set()  # recipe tables met (``RecipeLines.recipes``)
        for item in linked:
            targets: Sequence[tuple[str | None, Dataset | ExternalActivity | None]]
            if item.columns is not None:
                if id(item.columns.recipes) in tables:
                    continue
                tables.add(id(item.columns.recipes))
                targets = [(recipe.dataset, recipe.target) for recipe in item.columns.recipes]
            else:
                targets = [(line.dataset, line.record or line.activity) for line in item.lines]
            for dataset, target in targets:
                if dataset is None or dataset in infos:
                    continue
                if isinstance(target, Dataset):
                    infos[dataset] = _dataset_info(target)
                    upstream.extend((name, dataset) for name in target.inputs)
                elif target is not None:
                    infos[dataset] = self._activity_info(target)
        while upstream:
            name, user = upstream.pop()
            if name not in infos:
                if name in self.catalog:
                    record = self.catalog.get(name)
                    infos[name] = _dataset_info(record, input_of=[user])
                    upstream.extend((further, name) for further in record.inputs)
                else:  # a `<database>::<code>` input: its own supply chain is Brightway's
                    activity = self.lca.resolve(name)
                    if activity is not None:
                        infos[name] = self._activity_info(activity, input_of=[user])
            elif infos[name].input_of and user not in infos[name].input_of:
                infos[name].input_of.append(user)
        ordered = sorted(infos.values(), key=lambda info: info.id)
        if ordered:  # the factor per reference unit each dataset gives (the lines' unit_score)
            references = [self._reference(info.id) for info in ordered]
            for info, score in zip(ordered, self.lca.scores(references).tolist(), strict=True):
                info.input_of.sort()
                info.unit_score = ClimateChange(
                    **{name: float(score[column]) for name, column in _NAMED_COLUMNS},
                    unit=_per_unit(info.unit),
                )
        return ordered


def _dataset_info(ds: Dataset, input_of: list[str] | None = None) -> DatasetInfo:
    return DatasetInfo(
        id=ds.id,
        name=ds.name,
        unit=ds.unit,
        source=ds.source,
        source_row=ds.source_row,
        license=ds.license,
        url=ds.url,
        year=ds.year,
        geography=ds.geography,
        dqr=ds.dqr.dqr,
        gwp_basis=ds.gwp_basis,
        notes=ds.notes,
        primary_data_share=_primary_data_share(ds),
        input_of=input_of or [],
    )


def _primary_data_share(ds: Dataset) -> float | None:
    """A dataset file's ``primary_data_share`` column (percent), or a PACT PCF's."""
    value = ds.extra.get("primary_data_share")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def assess(
    bom_or_products: BomInput,
    *,
    datasets: Sequence[PathLike] | None = None,
    rules: Sequence[PathLike] | None = None,
    brightway_project: str | None = None,
    as_of: date | None = None,
    engine: Engine | None = None,
    suppliers: PathLike | None = None,
    approved_smelters: PathLike | None = None,
    high_risk_countries: PathLike | None = None,
    indicators: IndicatorSelection = None,
    hotspots: bool | HotspotRules = False,
    stages: StageCallback | None = None,
) -> Assessment:
    """Assess BOM files, folders or ``Product`` objects under EF 3.1 climate change.

    ``datasets``: user dataset files; ``rules``: rule-set names or YAML files;
    ``brightway_project``: an existing Brightway project to compute in; ``engine``: a warm
    ``Engine`` (then ``datasets`` and ``brightway_project`` are the engine's).
    ``suppliers``: a supplier register (.xlsx/.csv); ``approved_smelters``,
    ``high_risk_countries``: files of ids, one a row.  Any of them adds each product's
    sourcing picture (``ProductResult.sourcing``).
    ``indicators``: ``"climate"`` (default), ``"ef31"``, ``"ef31+ced"`` or indicator ids —
    each product then has ``impacts`` (values, coverage, single score); ``hotspots``: add
    the PEF most relevant categories, stages, processes and elementary flows.
    ``stages``: told each step's progress, ``(stage, done, total)`` (see ``StageCallback``).
    """
    if engine is not None and (datasets or brightway_project):
        raise ValueError("datasets and brightway_project belong to the engine given")
    # input errors first: reading, rule sets and indicator names are quick, Brightway is not
    if stages is not None:
        stages("reading", 0, 1)
    products, warnings = read_products(
        bom_or_products, None if stages is None else partial(stages, "reading")
    )
    rule_sets = _rule_sets(rules)
    sourcing = read_sourcing(suppliers, approved_smelters, high_risk_countries)
    chosen = parse_selection(indicators)
    if engine is None:
        engine = Engine(datasets, brightway_project=brightway_project, indicators=indicators)
    return engine.assess_products(
        products,
        warnings,
        rule_sets=rule_sets,
        as_of=as_of,
        sourcing=sourcing,
        indicators=[i.id for i in chosen] if indicators is not None else None,
        hotspots=hotspots,
        stages=stages,
    )


# -- steps ---------------------------------------------------------------------------------------


_TOTAL = SCORE_COLUMNS.index("total")


def _sums(
    figures: np.ndarray, stages: Sequence[Stage]
) -> tuple[list[float], dict[Stage, list[float]]]:
    """Σ per indicator over all lines and over each stage's lines: added left to right from
    0.0, one addition at a time, as ``ClimateChange.__add__`` would (``np.add.accumulate`` adds
    sequentially; a reduction would add pairwise and round differently)."""
    zero = np.zeros((1, figures.shape[1]))
    total = np.add.accumulate(np.vstack((zero, figures)), axis=0)[-1].tolist()
    per_stage: dict[Stage, list[float]] = {}
    present = dict.fromkeys(stages)
    if len(present) == 1:
        per_stage[stages[0]] = total
    else:
        of_line = {stage: k for k, stage in enumerate(present)}
        codes = np.fromiter((of_line[stage] for stage in stages), dtype=np.int64, count=len(stages))
        for stage, k in of_line.items():
            rows = np.vstack((zero, figures[codes == k]))
            per_stage[stage] = np.add.accumulate(rows, axis=0)[-1].tolist()
    return total, per_stage


_PARTS = ("total", "fossil", "biogenic", "luluc", "not_split")  # ClimateChange's field order
_COLUMNS = tuple(SCORE_COLUMNS.index(name) for name in _PARTS)


_NAMED_COLUMNS = tuple(zip(_PARTS, _COLUMNS, strict=True))


def _climate(row: Sequence[float]) -> ClimateChange:
    return ClimateChange(**{name: float(row[column]) for name, column in _NAMED_COLUMNS})


def _line_columns(
    lines: Sequence[LinkedLine],
    figures: np.ndarray,
    stages: list[Stage],
    share: np.ndarray,
    unit_scores: tuple[np.ndarray, np.ndarray],
) -> LineColumns:
    """The result lines of one product, column by column: every field of ``LineResult``, each
    value from models already validated (the BOM line, the catalog record) or computed here
    with the field's type.  ``unit_scores``: (scores, which lines have one)."""
    bom = [line.line for line in lines]
    scores, scored = unit_scores
    unit_score = climate_parts(scores, dict(_NAMED_COLUMNS))
    unit_score["unit"] = [_per_unit(line.unit) for line in lines]  # e.g. kg CO2-eq per kg
    columns = {
        "id": [b.id for b in bom],
        "path": [line.path for line in lines],
        "depth": [line.depth for line in lines],
        "name": [b.name for b in bom],
        "dataset": [line.dataset for line in lines],
        "dataset_name": [line.dataset_name for line in lines],
        "quantity": [line.amount for line in lines],
        "unit": [line.unit for line in lines],
        "unit_score": (unit_score, ~scored),  # None for lines without a dataset
        "bom_quantity": [b.quantity for b in bom],
        "bom_unit": [b.unit for b in bom],
        "mass_kg": [line.mass_kg for line in lines],
        "stage": stages,
        "climate_change": climate_parts(figures, dict(_NAMED_COLUMNS)),
        "climate_change_cut_off": [None] * len(bom),
        "note": [None] * len(bom),
        "share": share,
        "material": [line.record.material if line.record else None for line in lines],
        "recycled_content": [b.circularity.recycled_content for b in bom],  # R1
        "country": [b.country for b in bom],
        "supplier": [b.supplier for b in bom],
        "smelter_id": [b.smelter_id for b in bom],
        "certification": [b.certification for b in bom],
        "extra": [b.extra for b in bom],  # copied for each line built
        "row": [b.source.row for b in bom],
    }
    return LineColumns(columns, len(bom))


def _recipe_line_columns(
    columns: RecipeLines,
    facts: _RecipeTable,
    figures: np.ndarray,
    stages: list[Stage],
    share: np.ndarray,
    unit_scores: np.ndarray,
) -> LineColumns:
    """``_line_columns`` of a product held as ``RecipeLines``: what each line takes from its
    recipe looked up per code, the rest from the BOM lines (one level: the path is the id)."""
    of_bom = columns.fields
    n = len(columns)

    def of_recipe(name: str) -> list[Any]:
        return facts.of(name, columns.codes)

    unit_score = climate_parts(unit_scores, dict(_NAMED_COLUMNS))
    unit_score["unit"] = of_recipe("per_unit")
    none = np.zeros(n, dtype=bool)
    return LineColumns(
        {
            "id": of_bom["id"],
            "path": of_bom["id"],
            "depth": [0] * n,
            "name": of_bom["name"],
            "dataset": of_recipe("dataset"),
            "dataset_name": of_recipe("dataset_name"),
            "quantity": columns.amount,
            "unit": of_recipe("unit"),
            "unit_score": (unit_score, none),  # every line has a dataset
            "bom_quantity": (columns.quantity, none),
            "bom_unit": of_bom["unit"],
            "mass_kg": (columns.mass_kg, ~columns.has_mass),
            "stage": stages,
            "climate_change": climate_parts(figures, dict(_NAMED_COLUMNS)),
            "climate_change_cut_off": [None] * n,
            "note": [None] * n,
            "share": share,
            "material": of_recipe("material"),
            "recycled_content": of_bom["circularity.recycled_content"],  # R1
            "country": of_bom["country"],
            "supplier": of_bom["supplier"],
            "smelter_id": of_bom["smelter_id"],
            "certification": of_bom["certification"],
            "extra": of_bom["extra"],  # copied for each line built
            "row": of_bom["source.row"],
        },
        n,
    )


def _recipe_reference(lca: LcaEngine, recipe: Recipe) -> str:
    """The reference a recipe's lines are scored by (as ``Engine._scored_reference``)."""
    if isinstance(recipe.target, ExternalActivity):
        return recipe.target.reference
    return lca.catalog_reference(recipe.dataset)


def _quality(record: Dataset | None) -> DataQuality | None:
    return record.dqr if record is not None else None


class _RecipeTable:
    """What the lines linked by each recipe of a table (``RecipeLines.recipes``) take from
    it, one entry per recipe: result-line fields, quality scores, GWP-basis split."""

    def __init__(self, engine: Engine, recipes: Sequence[Recipe]) -> None:
        records = [r.target if isinstance(r.target, Dataset) else None for r in recipes]
        values: dict[str, list[Any]] = {
            "dataset": [r.dataset for r in recipes],
            "dataset_name": [r.target.name for r in recipes],
            "unit": [r.unit for r in recipes],
            "per_unit": [_per_unit(r.unit) for r in recipes],
            "material": [record.material if record else None for record in records],
            "quality": [_quality(record) for record in records],
        }
        self.values: dict[str, np.ndarray] = {}  # object arrays: gathered by code in C
        for name, column in values.items():
            self.values[name] = np.empty(len(column), dtype=object)
            self.values[name][:] = column
        self.splits = engine._basis_splits([_recipe_reference(engine.lca, r) for r in recipes])
        keys: dict[tuple[str, ...], int] = {}
        self.signature = np.fromiter(
            (keys.setdefault(tuple(split), len(keys)) for split in self.splits), np.int64
        )
        self.keys = list(keys)
        bases = sorted({b for split in self.splits for b in split})
        self.fractions = {
            b: np.fromiter((split.get(b, 0.0) for split in self.splits), np.float64)
            for b in bases
        }

    def of(self, name: str, codes: np.ndarray) -> list[Any]:
        """The lines' values of one field, by their recipe's ``codes``."""
        values: list[Any] = self.values[name][codes].tolist()
        return values

    def shares(self, codes: np.ndarray, totals: np.ndarray) -> dict[str, float]:
        """``_shares`` of lines linked by ``codes`` with these climate-change ``totals``: as
        arrays when every contributing line's split names the same bases in the same order
        (Σ added left to right, as the loop adds), else by ``_shares``."""
        contributing = totals != 0
        used = codes[contributing]
        if not len(used):
            return {}
        signature = self.signature[used]
        if (signature != signature[0]).any():
            splits = self.splits
            return _shares(lambda k: splits[int(codes[k])], totals.tolist())
        sizes = np.abs(totals[contributing])
        zero = np.zeros(1)
        weights = {}
        with np.errstate(over="ignore", invalid="ignore"):  # inf as the loop adds it: named
            for basis in self.keys[signature[0]]:  # later (finite.product_problems)
                parts = np.concatenate((zero, sizes * self.fractions[basis][used]))
                weights[basis] = np.add.accumulate(parts)[-1].item()
        return _shared_out(weights)


class _RecipeFacts:
    """``_RecipeTable`` of each recipe table met in one assessment, made once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._tables: dict[int, tuple[Sequence[Recipe], _RecipeTable]] = {}

    def of(self, recipes: Sequence[Recipe]) -> _RecipeTable:
        known = self._tables.get(id(recipes))
        if known is None:
            known = self._tables[id(recipes)] = (recipes, _RecipeTable(self._engine, recipes))
        return known[1]


def _shares(
    split_of: Callable[[int], dict[str, float]], totals: Sequence[float]
) -> dict[str, float]:
    """Share of Σ |line total| on each GWP basis; ``split_of(k)``: line ``k``'s split of one
    reference unit (asked only for lines whose total is not 0)."""
    weights: dict[str, float] = {}
    for k, line_total in enumerate(totals):
        if not line_total:
            continue
        for basis, fraction in split_of(k).items():
            weights[basis] = weights.get(basis, 0.0) + abs(line_total) * fraction
    return _shared_out(weights)


def _shared_out(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())  # in the order the bases were met
    return {b: w / total for b, w in sorted(weights.items())} if total else {}


@lru_cache(maxsize=1024)
def _per_unit(unit: str) -> str:
    return f"{ClimateChange.model_fields['unit'].default} per {unit}"


def read_products(
    bom_or_products: BomInput, progress: Progress | None = None, client: Any | None = None
) -> tuple[list[Product], list[Warning_]]:
    """Products and reader warnings; problems of every file are raised together.
    ``client``: a ``distributed.Client`` whose workers read the files, one task each (the
    same result, see ``footprint.bom.distributed``)."""
    items: list[Any]
    if isinstance(bom_or_products, (str, Path, Product)):
        items = [bom_or_products]
    else:
        items = list(bom_or_products)
    products = [p for p in items if isinstance(p, Product)]
    repeated: list[tuple[Path, Path]] = []
    paths = bom_files((p for p in items if not isinstance(p, Product)), duplicates=repeated)
    warnings = [Warning_(message=duplicate_warning(*pair), file=str(pair[0])) for pair in repeated]
    problems: list[Problem] = []
    error_type: type[FootprintError] = BomError
    from footprint.bom.distributed import read_each

    for path, (bom, found, too_large) in zip(
        paths, read_each(paths, progress, client), strict=True
    ):
        problems.extend(found)
        if too_large:  # keeps its meaning (HTTP 413 on the web)
            error_type = InputTooLargeError
        if bom is not None:
            products.extend(bom.products)
            warnings.extend(_as_warning(w, path) for w in bom.warnings)
    if problems:
        raise error_type(problems)
    return products, warnings


def _as_warning(item: Any, path: Path) -> Warning_:
    if isinstance(item, Warning_):
        return item
    return Warning_(message=str(item), file=str(path))


def load_rules(rules: Sequence[PathLike] | None) -> list[Any]:
    """Rule sets by shipped name or YAML path (none when ``rules`` is empty)."""
    return _rule_sets(rules)


def _rule_sets(rules: Sequence[PathLike] | None) -> list[Any]:
    if not rules:
        return []
    from footprint.compliance import load_rule_sets

    return list(load_rule_sets(list(rules)))


def read_sourcing(
    suppliers: PathLike | None = None,
    approved_smelters: PathLike | None = None,
    high_risk_countries: PathLike | None = None,
) -> SourcingInputs | None:
    """The sourcing inputs from their files (None when no file is named)."""
    if suppliers is None and approved_smelters is None and high_risk_countries is None:
        return None
    from footprint.suppliers import read_sourcing_inputs

    return read_sourcing_inputs(suppliers, approved_smelters, high_risk_countries)


def _sourcing_inputs(
    sourcing: SourcingInputs | None, rule_sets: Sequence[Any]
) -> SourcingInputs | None:
    """The inputs given, or empty ones when a sourcing rule needs the figures."""
    if sourcing is not None or not rule_sets:
        return sourcing
    from footprint.compliance.sourcing_rules import NEEDS_SOURCING

    if any(rule.kind in NEEDS_SOURCING for rule_set in rule_sets for rule in rule_set.rules):
        from footprint.suppliers import SourcingInputs

        return SourcingInputs()
    return None


def _sourcing(
    result: ProductResult,
    product: Product,
    catalog: Catalog,
    sourcing: SourcingInputs,
    as_of: date | None,
) -> tuple[ProductResult, list[Warning_]]:
    from footprint.sourcing.product import compute_sourcing

    figures, warnings = compute_sourcing(result, product, catalog, sourcing, as_of or date.today())
    return result.model_copy(update={"sourcing": figures}), warnings


def _portfolio_sourcing(
    results: Sequence[ProductResult],
    products: Sequence[Product],
    catalog: Catalog,
    sourcing: SourcingInputs | None,
    as_of: date | None,
) -> Any:
    if sourcing is None or len(results) < 2:
        return None
    from footprint.sourcing.product import portfolio_sourcing

    return portfolio_sourcing(results, products, catalog, sourcing, as_of or date.today())


def _basis_warning(result: ProductResult) -> list[Warning_]:
    """One warning when part of the figure rests on CO2e factors not characterised with EF 3.1."""
    other = {b: s for b, s in result.gwp_basis_shares.items() if b != "EF3.1" and s}
    if not other:
        return []
    listed = ", ".join(f"{basis} {share:.0%}" for basis, share in sorted(other.items()))
    return [
        Warning_(
            message=f"{sum(other.values()):.0%} of the climate-change figure rests on CO2e "
            f"factors published on other GWP bases than EF 3.1 ({listed}); CH4- and N2O-heavy "
            "parts differ from EF 3.1 by a few per cent",
            product=result.id,
        )
    ]


def _circularity(
    product: Product, result: ProductResult, engine: Engine
) -> tuple[ProductResult, list[Warning_]]:
    """Circularity figures, and the stages under the product's end-of-life model."""
    from footprint.circularity import apply_cff, compute_circularity

    outcome = compute_circularity(product, result.lines, engine)
    return apply_cff(result, outcome), list(outcome.warnings)
