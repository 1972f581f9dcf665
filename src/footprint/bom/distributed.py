"""Reading many BOM files on a Dask cluster (``footprint assess folder/ --workers N``).

One task per file: a worker gets the file's path (and nothing else), reads and validates it
with the same reader as one process (``read_bom_file``) and sends back its products and
warnings, or its problems.  The results are put back in file order, so the products, the
warnings and the problems are the same as ``read_products`` gives in one process; the
assessment and the Monte Carlo that follow are therefore the same too.  The workers must see
the files at the same paths (one machine, or a shared file system), as Dask's own readers
require.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from footprint.bom.reader import BomFile, read_bom_file
from footprint.errors import BomError, FootprintError, InputTooLargeError, Problem
from footprint.model import Product, Warning_


def _read(path: str) -> tuple[BomFile | None, list[Problem], bool]:
    """What a worker does with one file: its BOM, or its problems (and whether too large)."""
    try:
        return read_bom_file(path), [], False
    except FootprintError as error:
        return None, list(error.problems), isinstance(error, InputTooLargeError)


Outcome = tuple[BomFile | None, list[Problem], bool]


def read_each(
    paths: Sequence[Path],
    progress: Callable[[int, int], None] | None = None,
    client: Any | None = None,
) -> Iterator[Outcome]:
    """Each file's outcome in the order of ``paths``: read here one after the other, or on
    the ``client``'s workers (a ``distributed.Client``) all at once."""
    if client is not None:
        yield from read_files(paths, client, progress)
        return
    for done, path in enumerate(paths, start=1):
        yield _read(str(path))
        if progress is not None:
            progress(done, len(paths))


def read_files(
    paths: Sequence[Path],
    client: Any,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Each file read on the client's workers, in the order of ``paths``; ``progress(done,
    total)`` as each task completes."""
    return _in_order(client.map(_read, [str(path) for path in paths], pure=False), progress)


def _in_order(futures: Sequence[Any], progress: Callable[[int, int], None] | None) -> list[Any]:
    """The futures' results in their order; ``progress(done, total)`` as each completes."""
    from distributed import as_completed

    order = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for done, future in enumerate(as_completed(futures), start=1):
        results[order[future.key]] = future.result()
        if progress is not None:
            progress(done, len(futures))
    return results


# --------------------------------------------------------------------------------------------
# Footprints of many BOM files on the workers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineSpec:
    """How a worker builds its ``footprint.Engine``: the same arguments as the command's
    (dataset files, Brightway project, indicators).  Built once per worker process and kept
    (``_engine``): a warm start from the unit-score cache, never the project shipped."""

    datasets: tuple[str, ...] = ()
    brightway_project: str | None = None
    indicators: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class AssessOptions:
    """What ``Engine.assess_products`` is given besides the products (same for every task)."""

    engine: EngineSpec
    rule_sets: tuple[Any, ...] = ()
    as_of: date | None = None
    sourcing: Any | None = None
    hotspots: Any = False


@dataclass(frozen=True)
class GroupOutcome:
    """What a task sends back for its files: per file its products, reader warnings and
    problems; for the group, the assessment of its products (None when a file had problems)
    or the problems the assessment raised, and how many of the assessment's warnings come
    first from the supplier-PCF expiry check (the rest are per product, in product order)."""

    files: list[Outcome]
    assessment: Any = None  # an Assessment
    problems: list[Problem] = field(default_factory=list)
    error: type[FootprintError] | None = None
    expiry_warnings: int = 0


_ENGINES: dict[EngineSpec, Any] = {}  # per worker process: the engine of each spec


def _engine(spec: EngineSpec) -> Any:
    engine = _ENGINES.get(spec)
    if engine is None:
        from footprint.api import Engine

        engine = _ENGINES[spec] = Engine(
            list(spec.datasets), brightway_project=spec.brightway_project,
            indicators=spec.indicators,
        )  # fmt: skip
    return engine


def _assess_group(paths: Sequence[str], options: AssessOptions) -> GroupOutcome:
    """What a worker does with a group of files: read each, then link, compute, circularity
    and checks of all their products at once, with the worker's engine."""
    from footprint.api import _as_warning

    files = [_read(path) for path in paths]
    if any(problems for _, problems, _ in files):
        return GroupOutcome(files)
    products = [p for bom, _, _ in files if bom is not None for p in bom.products]
    engine = _engine(options.engine)
    try:
        assessment = engine.assess_products(
            products,
            [],
            rule_sets=options.rule_sets,
            as_of=options.as_of,
            sourcing=options.sourcing,
            hotspots=options.hotspots,
        )
    except FootprintError as error:
        return GroupOutcome(files, problems=list(error.problems), error=type(error))
    expiring = 0
    if any("pact_id" in d.extra for d in engine.catalog.datasets.values()):
        from footprint.exchange.pact_import import expiry_warnings

        expiring = len(expiry_warnings(engine.link(products), options.as_of or date.today()))
    files = [
        (bom, [], False)
        if bom is None
        else (dataclasses.replace(bom, warnings=[_as_warning(w, bom.path) for w in bom.warnings]),
              [], False)
        for bom, _, _ in files
    ]  # fmt: skip
    return GroupOutcome(files, assessment=assessment, expiry_warnings=expiring)


def assess_files(
    paths: Sequence[Path],
    client: Any,
    options: AssessOptions,
    *,
    catalog: Any,
    warnings: Sequence[Warning_] = (),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Product], Any]:
    """The products of the files and their ``Assessment``, computed on the client's workers:
    groups of consecutive files (a few per worker), each read, linked, computed, given its
    circularity and checks there; back here only products and results, put together as one
    process assesses all files at once (``Engine.assess_products`` of ``read_products``):
    products in file order, the reader's warnings (after ``warnings``), then the
    supplier-PCF expiry warnings, then each product's; the datasets merged; the portfolio's
    sourcing computed here from the products' results (``catalog``: the command's).
    Problems: the files' reading problems (all, as ``read_products``), else every group's
    assessment problems together."""
    workers = max(1, sum(client.nthreads().values()))
    count = max(1, min(len(paths), GROUPS_PER_WORKER * workers))
    size, longer = divmod(len(paths), count)  # the first ``longer`` groups get one more
    edges = [g * size + min(g, longer) for g in range(count + 1)]
    groups = [[str(p) for p in paths[a:b]] for a, b in zip(edges, edges[1:], strict=False)]
    shipped = client.scatter(options, broadcast=True, hash=False)
    futures = [client.submit(_assess_group, group, shipped, pure=False) for group in groups]
    outcomes = _in_order(futures, progress)
    return _combined(outcomes, paths, options, catalog, list(warnings))


GROUPS_PER_WORKER = 3


def _combined(
    outcomes: Sequence[GroupOutcome],
    paths: Sequence[Path],
    options: AssessOptions,
    catalog: Any,
    warnings: list[Warning_],
) -> tuple[list[Product], Any]:
    from footprint.api import _portfolio_sourcing, _sourcing_inputs

    files = [file for outcome in outcomes for file in outcome.files]
    problems = [problem for _, found, _ in files for problem in found]
    if problems:
        too_large = any(large for _, _, large in files)
        raise (InputTooLargeError if too_large else BomError)(problems)
    problems = [problem for outcome in outcomes for problem in outcome.problems]
    if problems:
        raise next(o.error for o in outcomes if o.error is not None)(problems)
    products = [p for bom, _, _ in files if bom is not None for p in bom.products]
    warnings += [w for bom, _, _ in files if bom is not None for w in bom.warnings]
    assessed = [outcome.assessment for outcome in outcomes]
    for outcome in outcomes:
        warnings += outcome.assessment.warnings[: outcome.expiry_warnings]
    for outcome in outcomes:
        warnings += outcome.assessment.warnings[outcome.expiry_warnings :]
    results = [result for assessment in assessed for result in assessment.products]
    first = assessed[0]
    sourcing = _sourcing_inputs(options.sourcing, options.rule_sets)
    return products, first.model_copy(
        update={
            "created": datetime.now(UTC),
            "products": results,
            "datasets": _merged_datasets(assessed),
            "warnings": warnings,
            "sourcing": _portfolio_sourcing(results, products, catalog, sourcing, options.as_of),
        }
    )


def _merged_datasets(assessments: Sequence[Any]) -> list[Any]:
    """Every group's datasets once, by id (what ``_dataset_infos`` gives for all products):
    the groups that use a dataset as an input of another add to its ``input_of``."""
    merged: dict[str, Any] = {}
    for assessment in assessments:
        for info in assessment.datasets:
            known = merged.get(info.id)
            if known is None:
                merged[info.id] = info.model_copy(update={"input_of": list(info.input_of)})
            else:
                known.input_of = sorted(set(known.input_of) | set(info.input_of))
    return sorted(merged.values(), key=lambda info: info.id)
