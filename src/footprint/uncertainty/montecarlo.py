"""Monte Carlo over an assessment's lines: the spread of every product's climate change per
functional unit, by stage, and the probability that each footprint check fails.

What is sampled, per iteration:
- one draw per **dataset** (every line using it moves together, as a factor does), from its
  distribution (``distributions.dataset_distribution``); the line's figure is scaled by
  draw / the dataset's value, so a credit keeps its sign.  The whole unit score of the dataset
  (its own factor and its upstream inputs) moves with it — except the part that comes from
  Brightway activities among its inputs, which moves with the sampled background
  (``upstream``);
- one draw per **line** with a ``quantity_tolerance`` (``±5 %``: a normal whose 95 % interval
  is ±5 % of the quantity);
- a line on a **Brightway activity** (``<database>::<code>``) whose project stores
  distributions: the whole background is sampled and solved per iteration (``background``),
  and the line's figure is scaled by the activity's unit score in the iteration / its static
  unit score;
- one draw per **range** of a line's or a Products row's recycled content, its post-consumer
  part or end-of-life rates (``ranges``): it moves the lines' CFF figures (products under the
  CFF), the recycled-content and end-of-life-rate checks, whose failing probability is
  computed too, and the product's MCI (``mci_sampling``).
A line's figure as assessed (cut-off, or its CFF figure) is scaled as a whole; stages follow
the lines' stages.  Lines whose dataset has no distribution and no DQR stay fixed, and the
result names them.

Reproducible: iterations are drawn in blocks of ``BLOCK`` from independent streams
``SeedSequence(seed).spawn(...)[block]``; a task computes whole blocks, so the numbers are the
same bit for bit whatever the number of workers or the chunk size.

Distributed: ``client`` (a ``distributed.Client``) maps the blocks over its workers; a task
gets only the arrays it needs (figures, dataset index, distribution parameters), never the
project or the BOMs.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from footprint.bom.monte_carlo import TOLERANCE_COLUMN, parse_tolerance
from footprint.errors import FootprintError, Problem
from footprint.lines import LineColumns
from footprint.model import (
    Assessment,
    CheckUncertainty,
    Dataset,
    MciUncertainty,
    Product,
    ProductResult,
    ProductUncertainty,
    Uncertainty,
    UncertaintyStatistics,
)
from footprint.uncertainty.distributions import (
    Z975,
    Distribution,
    dqr_default,
    file_distribution,
    lognormal_from_interval,
)
from footprint.uncertainty.mci_sampling import MciInputs, MciPlan, mci_plan
from footprint.uncertainty.ranges import (
    RANGE_SYMBOLS,
    SHARE_KINDS,
    RangeInputs,
    ShareCheckPlan,
    Slot,
    cff_coefficients,
    product_slots,
    share_checks,
    slot_uses,
    uses_product_value,
    without_figures,
)
from footprint.uncertainty.upstream import UpstreamInputs, brightway_weights, upstream_inputs

BLOCK = 100  # iterations per random stream
SAMPLED_INDICATOR = "climate-change"  # the indicator id (--indicators) of what is sampled
_KIND_CODES = {"lognormal": 0, "normal": 1, "triangular": 2, "uniform": 3}


def _statistics(samples: np.ndarray) -> UncertaintyStatistics:
    low, q1, median, q3, high = np.percentile(samples, [2.5, 25, 50, 75, 97.5])
    return UncertaintyStatistics(
        mean=float(samples.mean()),
        median=float(median),
        sd=float(samples.std(ddof=1)),
        p2_5=float(low),
        p25=float(q1),
        p75=float(q3),
        p97_5=float(high),
    )


# --------------------------------------------------------------------------------------------
# Inputs: distributions and tolerances
# --------------------------------------------------------------------------------------------


def dataset_distribution(
    dataset: Dataset, published: dict[str, tuple[float, float]]
) -> Distribution | None:
    given = file_distribution(dataset.extra)
    # a file's are refused when it is read; this is a dataset built in code
    wrong = given.problems(Problem(f"dataset {dataset.id!r}: "))
    if wrong:
        raise ValueError(f"{wrong[0].message} (column {wrong[0].column})")
    if given.distribution is not None or given.fixed:
        return given.distribution  # the file's own, or None: the file says the value is exact
    if dataset.material in published:
        low, high = published[dataset.material]
        return lognormal_from_interval(
            low, high, "lognormal through the published 2.5th/97.5th percentiles"
        )
    if dataset.dqr.dqr is not None and dataset.climate_change:
        return dqr_default(dataset.climate_change, dataset.dqr.dqr)
    return None


# --------------------------------------------------------------------------------------------
# The simulation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    """What one task needs: plain arrays, no project, no BOM."""

    figures: np.ndarray  # (lines,) each line's figure as assessed
    dataset_of_line: np.ndarray  # (lines,) index into the dataset arrays, −1: fixed
    tolerance: np.ndarray  # (lines,) relative standard deviation of the quantity, 0: none
    kinds: np.ndarray  # (datasets,) distribution kind codes
    params: np.ndarray  # (datasets, 4) loc, scale, minimum, maximum
    values: np.ndarray  # (datasets,) the dataset's value (what a draw is divided by)
    # (lines,) column of the line's activity in the background's unit scores, −1: none
    background_of_line: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    background_values: np.ndarray = field(default_factory=lambda: np.zeros(0))  # static λ
    ranges: RangeInputs | None = None  # recycled-content / end-of-life-rate ranges and checks
    upstream: UpstreamInputs | None = None  # lines on catalog datasets with Brightway inputs


def _draw(
    inputs: _Inputs, seed: int, block: int, size: int, background: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Line figures of ``size`` iterations of one block, (size, lines), and the values of the
    share checks, (size, checks); ``background``: the block's unit scores of the background
    activities (``background.block_scores``)."""
    stream = np.random.SeedSequence(seed).spawn(block + 1)[block]
    rng = np.random.default_rng(stream)
    n = len(inputs.kinds)
    multipliers = np.ones((size, n))
    for j in range(n):
        loc, scale, low, high = inputs.params[j]
        kind = inputs.kinds[j]
        if kind == 0:
            draw = rng.lognormal(loc, scale, size)
        elif kind == 1:
            draw = rng.normal(loc, scale, size)
        elif kind == 2:
            draw = rng.triangular(low, loc, high, size)
        else:
            draw = rng.uniform(low, high, size)
        multipliers[:, j] = draw / inputs.values[j]
    per_line = np.ones((size, len(inputs.figures)))
    linked = inputs.dataset_of_line >= 0
    per_line[:, linked] = multipliers[:, inputs.dataset_of_line[linked]]
    on_background = inputs.background_of_line >= 0
    if background is not None and on_background.any():
        static = inputs.background_values[on_background]
        scores = background[:, inputs.background_of_line[on_background]]
        per_line[:, on_background] = np.divide(
            scores, static, out=np.ones_like(scores), where=static != 0
        )
    if background is not None and inputs.upstream is not None:
        inputs.upstream.apply(per_line, background)
    with_tolerance = inputs.tolerance > 0
    quantity = np.ones((size, len(inputs.figures)))
    if with_tolerance.any():
        quantity[:, with_tolerance] = rng.normal(
            1.0, inputs.tolerance[with_tolerance], (size, int(with_tolerance.sum()))
        )
        per_line[:, with_tolerance] *= quantity[:, with_tolerance]
    if inputs.ranges is None:
        return per_line * inputs.figures, np.empty((size, 0))
    draws = inputs.ranges.draw(seed, block, size)
    figures = inputs.figures + inputs.ranges.figure_change(draws, len(inputs.figures))
    return per_line * figures, inputs.ranges.check_values(draws, quantity)


def _joined(scores: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """A block's background unit scores, from its pieces (tasks) when it was cut."""
    return scores if isinstance(scores, np.ndarray) else np.vstack(list(scores))


def _block_task(
    inputs: _Inputs,
    seed: int,
    blocks: Sequence[tuple[int, int]],
    background: Sequence[np.ndarray | Sequence[np.ndarray]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    parts = [
        _draw(inputs, seed, block, size, None if background is None else _joined(background[k]))
        for k, (block, size) in enumerate(blocks)
    ]
    return np.vstack([p[0] for p in parts]), np.vstack([p[1] for p in parts])


def simulate(
    assessment: Assessment,
    datasets: dict[str, Dataset],
    *,
    iterations: int,
    seed: int = 0,
    client: Any | None = None,
    blocks_per_task: int | None = None,
    products_per_task: int | None = None,
    published: dict[str, tuple[float, float]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    rule_sets: Sequence[Any] = (),
    brightway: bool = True,
    products: Sequence[Product] | None = None,
) -> Uncertainty:
    """Monte Carlo of every product of ``assessment``; raise ``FootprintError`` for bad
    iterations, distributions, tolerances or ranges (one line each).  ``brightway=False``
    keeps the lines on Brightway activities fixed (their stored distributions are not sampled).

    ``products``: the BOM products assessed (``read_products``), needed for the ranges of
    recycled content and end-of-life rates and for the probabilities of the recycled-content
    and end-of-life-rate checks; without them these are not sampled, and the result says so.
    ``progress(done, total)`` is called as tasks complete.

    Tasks: a task draws a batch of products over a chunk of iteration blocks
    (``products_per_task`` products × ``blocks_per_task`` blocks of ``BLOCK`` iterations;
    None: sized for a few tasks per worker, ``_task_shape``), then one task per batch
    summarises its products; the numbers do not depend on the shape."""
    rules = {rule.id: rule for rule_set in rule_sets for rule in rule_set.rules}
    problems: list[Problem] = []
    if iterations < 2:
        problems.append(Problem(f"--iterations {iterations}: give at least 2", column="iterations"))
    published = published if published is not None else published_intervals()
    distributions: dict[str, Distribution | None] = {}
    for dataset_id in sorted(
        {line.dataset for p in assessment.products for line in p.lines if line.dataset}
    ):
        record = datasets.get(dataset_id)
        found = dataset_distribution(record, published) if record is not None else None
        if found is not None and record is not None:
            where = record.origin.problem(f"dataset {dataset_id!r}: ", column="uncertainty_type")
            problems.extend(found.problems(where))
        distributions[dataset_id] = found
    reached = _brightway_inputs(assessment, datasets)
    background = _background(assessment, datasets, reached) if brightway and not problems else None
    background_columns: dict[str, tuple[int, float]] = {}
    labels: dict[str, str] = {}
    if background is not None:
        static = background.static_scores()
        origin = (
            f"Brightway background: its {background.uncertain_entries:,} stored exchange "
            "distributions, solved per iteration"
        )
        for k, reference in enumerate(background.references):
            background_columns[reference] = (k, float(static[k]))
            distributions[reference] = None
        labels = dict.fromkeys(background.references, origin)
        for dataset_id, weights in reached.items():
            own = distributions.get(dataset_id)
            labels[dataset_id] = (
                f"{own.origin if own else 'its own figure kept fixed'}; its Brightway inputs "
                f"({len(weights)} activities) move with the sampled background"
            )
    unit_scores = {
        info.id: info.unit_score.total for info in assessment.datasets if info.unit_score
    }
    through = set(reached) if background is not None else set()
    boms = _bom_products(assessment, products)
    inputs_by_product = []
    for product, bom in zip(assessment.products, boms, strict=True):
        slots = product_slots(bom, problems) if bom is not None else []
        inputs, fixed = _product_inputs(
            product, distributions, datasets, problems, background_columns
        )
        linked = _LinkedLines.of(product)
        position = {line: j for j, line in enumerate(linked.ids)}
        if through:
            linked_datasets = linked.datasets
            inputs = dataclasses.replace(
                inputs,
                upstream=upstream_inputs(linked_datasets, reached, unit_scores, background_columns),
            )
            fixed = [
                line
                for line, dataset in zip(linked.ids, linked.datasets, strict=True)
                if line in fixed and dataset not in through
            ]
        described = _varied_lines(product, inputs, slots, bom)
        if through:
            for line, dataset in zip(linked.ids, linked.datasets, strict=True):
                if dataset in through:
                    described.setdefault(line, []).append(f"dataset {dataset}'s Brightway inputs")
        plan = share_checks(
            product,
            bom,
            rules,
            _Lookup(datasets),
            slots,
            position,
            lambda line_id, described=described: described.get(line_id, []),  # type: ignore[misc]
        )
        mci = mci_plan(
            product,
            bom,
            datasets,
            slots,
            position,
            lambda line_id, described=described: described.get(line_id, []),  # type: ignore[misc]
        )
        if slots or plan.checks or mci.inputs is not None:
            inputs = _with_ranges(inputs, product, slots, plan, bom, mci.inputs)
        inputs_by_product.append((product, inputs, fixed, (plan, mci), described))
    if problems:
        raise FootprintError(problems)

    blocks = [(b, min(BLOCK, iterations - b * BLOCK)) for b in range(math.ceil(iterations / BLOCK))]
    results = _run_batches(
        inputs_by_product,
        rules,
        seed,
        blocks,
        client,
        progress,
        background,
        products_per_task=products_per_task,
        blocks_per_task=blocks_per_task,
    )
    chosen = dict.fromkeys(
        indicator.id
        for product in assessment.products
        if product.impacts is not None
        for indicator in product.impacts.indicators
    )
    return Uncertainty(
        iterations=iterations,
        seed=seed,
        not_sampled_indicators=[i for i in chosen if i != SAMPLED_INDICATOR],
        products=results,
        distributions={k: (v.origin if v else "none: kept fixed") for k, v in distributions.items()}
        | labels,
    )


def _brightway_inputs(
    assessment: Assessment, datasets: dict[str, Dataset]
) -> dict[str, dict[str, float]]:
    """The catalog datasets of the lines whose ``inputs`` reach Brightway activities, each
    with its activities' amounts through every level (``upstream.brightway_weights``)."""
    memo: dict[str, dict[str, float]] = {}
    used = {line.dataset for p in assessment.products for line in p.lines if line.dataset}
    found = {d: brightway_weights(d, datasets, memo) for d in sorted(used) if d in datasets}
    return {d: weights for d, weights in found.items() if weights}


def _background(
    assessment: Assessment,
    datasets: dict[str, Dataset],
    reached: dict[str, dict[str, float]] | None = None,
) -> Any | None:
    """The sampling problem of the Brightway activities the lines use (themselves, or as
    inputs of their catalog datasets: ``reached``), or None when there are none or the project
    stores no distribution that varies (the lines then stay fixed)."""
    from footprint.link import BRIGHTWAY_SEPARATOR

    references = sorted(
        {
            line.dataset
            for product in assessment.products
            for line in product.lines
            if line.dataset and BRIGHTWAY_SEPARATOR in line.dataset and line.dataset not in datasets
        }
        | {activity for weights in (reached or {}).values() for activity in weights}
    )
    if not references or assessment.brightway_project is None:
        return None
    from footprint.uncertainty.background import background_problem

    problem = background_problem(references, project=assessment.brightway_project)
    return problem if problem.uncertain_entries else None


@dataclass(frozen=True)
class _Batch:
    """What the tasks of a batch of products need: each product's sampling inputs (plain
    arrays) and what its summary needs (its result, fixed lines, share-check plan, the words
    for what varied, the rules of its checks).  Shipped once to the cluster per batch."""

    inputs: tuple[_Inputs, ...]
    products: tuple[ProductResult, ...]
    fixed: tuple[list[str], ...]
    plans: tuple[tuple[ShareCheckPlan, MciPlan], ...]  # share checks, MCI
    described: tuple[dict[str, list[str]], ...]
    rules: dict[str, Any]


Draws = list[tuple[np.ndarray, np.ndarray]]  # per product: line figures, share-check values


def _batch_draws(
    batch: _Batch,
    seed: int,
    blocks: Sequence[tuple[int, int]],
    background: Sequence[np.ndarray | Sequence[np.ndarray]] | None = None,
) -> Draws:
    """Task of the first stage: every product of the batch over the iteration ``blocks``
    (``background``: the background's unit scores of each of those blocks)."""
    return [_block_task(inputs, seed, blocks, background) for inputs in batch.inputs]


def _batch_summaries(batch: _Batch, *chunks: Draws) -> list[ProductUncertainty]:
    """Task of the second stage: each product's statistics, checks and drivers from its
    draws of every chunk of iterations (in block order)."""
    results = []
    for p, product in enumerate(batch.products):
        lines = np.vstack([chunk[p][0] for chunk in chunks])  # (iterations, lines)
        # (iterations, share checks [+ the MCI])
        shares = np.vstack([chunk[p][1] for chunk in chunks])
        described = batch.described[p]
        plan, mci = batch.plans[p]
        summary = _summary(product, lines, batch.fixed[p], batch.rules, described)
        results.append(_with_share_checks(summary, plan, shares, described, mci))
    return results


TASKS_PER_WORKER = 3  # tasks of each stage per worker: a few, so a slow worker is caught up
CELLS_PER_BATCH = 20_000_000  # line × iteration figures a batch's summary holds (160 MB)


def _task_shape(
    line_counts: Sequence[int],
    blocks: int,
    workers: int,
    products_per_task: int | None = None,
    blocks_per_task: int | None = None,
) -> tuple[list[range], int]:
    """The product batches (consecutive products) and the blocks per chunk of iterations.

    Unless given: at least ``TASKS_PER_WORKER`` batches per worker (the summaries are one
    task per batch) and more when a batch's draws would exceed ``CELLS_PER_BATCH``; the
    iterations cut into chunks only as far as needed for a few tasks per worker."""
    n = len(line_counts)
    iterations = blocks * BLOCK
    if products_per_task is not None:
        if products_per_task < 1:
            raise ValueError("products_per_task must be at least 1")
        batches = math.ceil(n / products_per_task)
    else:
        by_memory = math.ceil(sum(line_counts) * iterations / CELLS_PER_BATCH)
        batches = min(n, max(TASKS_PER_WORKER * workers, by_memory))
    batches = max(batches, 1)
    size = math.ceil(n / batches)
    ranges = [range(start, min(start + size, n)) for start in range(0, n, size)] or [range(0)]
    if blocks_per_task is None:
        chunks = min(blocks, max(1, math.ceil(TASKS_PER_WORKER * workers / len(ranges))))
        blocks_per_task = math.ceil(blocks / chunks)
    if blocks_per_task < 1:
        raise ValueError("blocks_per_task must be at least 1")
    return ranges, blocks_per_task


def _run_batches(
    inputs_by_product: Sequence[tuple[Any, ...]],
    rules: dict[str, Any],
    seed: int,
    blocks: Sequence[tuple[int, int]],
    client: Any | None,
    progress: Callable[[int, int], None] | None,
    background: Any | None = None,
    *,
    products_per_task: int | None = None,
    blocks_per_task: int | None = None,
) -> list[ProductUncertainty]:
    """Every product's Monte Carlo summary, in product order, here or on the client's
    workers.  Tasks: the background's unit scores, one per block (when a Brightway
    background is sampled); per batch of products × chunk of blocks, the draws; per batch,
    the summaries (on the workers: only the summaries come back).  The background problem
    goes to every worker once (broadcast), each batch's inputs once to the cluster.
    ``progress(done, total)`` as each task completes (in whatever order)."""
    workers = 1 if client is None else max(1, sum(client.nthreads().values()))
    ranges, per_chunk = _task_shape(
        [len(item[1].figures) for item in inputs_by_product],
        len(blocks),
        workers,
        products_per_task,
        blocks_per_task,
    )
    chunks = [list(blocks[i : i + per_chunk]) for i in range(0, len(blocks), per_chunk)]
    batches = []
    for batch_range in ranges:
        items = [inputs_by_product[p] for p in batch_range]
        products = tuple(item[0] for item in items)
        checked = {check.rule for product in products for check in product.checks}
        batches.append(
            _Batch(
                inputs=tuple(item[1] for item in items),
                products=products,
                fixed=tuple(item[2] for item in items),
                plans=tuple(item[3] for item in items),
                described=tuple(item[4] for item in items),
                rules={rule: rules[rule] for rule in checked if rule in rules},
            )
        )
    total = len(batches) * (len(chunks) + 1) + (len(blocks) if background is not None else 0)
    if client is None:
        return _run_here(batches, chunks, seed, background, progress, total)
    from distributed import as_completed

    from footprint.uncertainty.background import block_scores

    futures: list[Any] = []
    scores: dict[int, Any] = {}
    if background is not None:
        problem = client.scatter(background, broadcast=True, hash=False)
        # the background is most of the work: each block cut into pieces when there are too
        # few blocks for the workers (5 blocks on 2 workers: 3 and 2; in halves 5 and 5)
        pieces = _pieces(len(blocks), workers)
        for block, size in blocks:
            cuts = [size * k // pieces for k in range(pieces + 1)]
            scores[block] = [
                client.submit(block_scores, problem, seed, block, stop - start, start, pure=False)
                for start, stop in itertools.pairwise(cuts)
                if stop > start
            ]
            futures += scores[block]
    shipped = client.scatter(batches, hash=False)
    draws, summaries = [], {}
    for b, batch in enumerate(shipped):
        parts = [
            client.submit(
                _batch_draws,
                batch,
                seed,
                chunk,
                [scores[block] for block, _ in chunk] if scores else None,
                pure=False,
            )
            for chunk in chunks
        ]
        summary = client.submit(_batch_summaries, batch, *parts, pure=False)
        summaries[summary.key] = b
        draws.append(parts)
        futures += [*parts, summary]
    results: list[list[ProductUncertainty]] = [[] for _ in batches]
    completed = as_completed(futures)
    futures.clear()  # from here a batch's draws are held by ``draws`` only, until summarised
    for done, future in enumerate(completed, start=1):
        if future.key in summaries:
            b = summaries[future.key]
            results[b] = future.result()
            draws[b] = []  # the batch's draws can go from the workers' memory
        if progress:
            progress(done, total)
    return [summary for batch_results in results for summary in batch_results]


def _pieces(blocks: int, workers: int) -> int:
    """Background tasks per block: enough for ``TASKS_PER_WORKER`` tasks per worker."""
    return max(1, min(BLOCK // 10, math.ceil(TASKS_PER_WORKER * workers / max(blocks, 1))))


def _run_here(
    batches: Sequence[_Batch],
    chunks: Sequence[Sequence[tuple[int, int]]],
    seed: int,
    background: Any | None,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> list[ProductUncertainty]:
    """``_run_batches`` in this process: the same tasks one after the other."""
    done = 0

    def told() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    scores: dict[int, np.ndarray] = {}
    if background is not None:
        from footprint.uncertainty.background import block_scores

        for chunk in chunks:
            for block, size in chunk:
                scores[block] = block_scores(background, seed, block, size)
                told()
    results = []
    for batch in batches:
        parts = []
        for chunk in chunks:
            shown = [scores[block] for block, _ in chunk] if scores else None
            parts.append(_batch_draws(batch, seed, chunk, shown))
            told()
        results += _batch_summaries(batch, *parts)
        told()
    return results


def _product_inputs(
    product: ProductResult,
    distributions: dict[str, Distribution | None],
    datasets: dict[str, Dataset],
    problems: list[Problem],
    background_columns: dict[str, tuple[int, float]] | None = None,
) -> tuple[_Inputs, list[str]]:
    background_columns = background_columns or {}
    order = [d for d in sorted(distributions) if distributions[d] is not None]
    index = {d: i for i, d in enumerate(order)}
    figures, of_line, tolerance, fixed = [], [], [], []
    on_background, static = [], []
    for line in product.lines:
        if line.dataset is None:
            continue
        figures.append(line.climate_change.total)
        of_line.append(index.get(line.dataset, -1))
        column, value = background_columns.get(line.dataset, (-1, 0.0))
        on_background.append(column)
        static.append(value)
        if line.dataset not in index and column < 0:
            fixed.append(line.id)
        text = next(
            (v for k, v in line.extra.items() if k.strip().lower() == TOLERANCE_COLUMN), None
        )
        relative = 0.0
        if text not in (None, ""):
            try:
                relative = parse_tolerance(text) / Z975
            except ValueError as error:
                problems.append(
                    Problem(
                        f"line {line.id}: {error}",
                        file=product.source_file,
                        row=line.row,
                        column="quantity_tolerance",
                    )
                )
        tolerance.append(relative)
    kinds, params, values = [], [], []
    for dataset_id in order:
        found = distributions[dataset_id]
        assert found is not None
        kinds.append(_KIND_CODES.get(found.kind, 0))
        params.append(
            [found.loc or 0.0, found.scale or 0.0, found.minimum or 0.0, found.maximum or 0.0]
        )
        # a draw is divided by the value the line's figure was computed with (a lognormal
        # draws positive values: by its magnitude, so a credit keeps its sign)
        value = datasets[dataset_id].climate_change or found.median
        values.append(abs(value) if found.kind == "lognormal" else value)
    inputs = _Inputs(
        np.array(figures, dtype=float),
        np.array(of_line, dtype=int),
        np.array(tolerance, dtype=float),
        np.array(kinds, dtype=int),
        np.array(params, dtype=float).reshape(-1, 4),
        np.array(values, dtype=float),
        np.array(on_background, dtype=int),
        np.array(static, dtype=float),
    )
    return inputs, fixed


@dataclass(frozen=True)
class _LinkedLines:
    """What the summaries need of the sampled lines (``_linked``), read from the columns
    without building a line object per line (that was most of a summary's time)."""

    ids: list[str]
    datasets: list[str]
    stages: list[str]
    totals: list[float]  # climate change total of each line as assessed

    @classmethod
    def of(cls, product: ProductResult) -> _LinkedLines:
        lines = product.lines
        if isinstance(lines, LineColumns):
            ids, datasets = lines.values("id"), lines.values("dataset")
            stages = lines.values("stage")
            totals = lines.values("climate_change.total")
        else:
            ids = [line.id for line in lines]
            datasets = [line.dataset for line in lines]
            stages = [line.stage for line in lines]
            totals = [line.climate_change.total for line in lines]
        keep = [j for j, dataset in enumerate(datasets) if dataset is not None]
        return cls(
            [ids[j] for j in keep],
            [datasets[j] for j in keep],
            [str(stages[j]) for j in keep],
            [float(totals[j]) for j in keep],
        )


class _Lookup:
    """The datasets as ``compliance.measures.DatasetLookup`` (LookupError when unknown)."""

    def __init__(self, datasets: dict[str, Dataset]) -> None:
        self.datasets = datasets

    def get(self, dataset_id: str) -> Dataset:
        return self.datasets[dataset_id]


def _bom_products(
    assessment: Assessment, products: Sequence[Product] | None
) -> list[Product | None]:
    """The BOM product behind each assessed product (same order as assessed), or None."""
    if products is None:
        return [None] * len(assessment.products)
    if [p.id for p in products] == [r.id for r in assessment.products]:
        return list(products)
    by_id = {p.id: p for p in products}
    return [by_id.get(r.id) for r in assessment.products]


def _varied_lines(
    product: ProductResult, inputs: _Inputs, slots: Sequence[Slot], bom: Product | None = None
) -> dict[str, list[str]]:
    """What is sampled of each line, in words: its dataset, its quantity, its ranges (its
    own, and the Products row's where the line takes the product's value)."""
    found: dict[str, list[str]] = {}
    cff = product.eol_model == "cff"
    linked = _LinkedLines.of(product)
    for j, (line, dataset) in enumerate(zip(linked.ids, linked.datasets, strict=True)):
        if inputs.dataset_of_line[j] >= 0:
            found.setdefault(line, []).append(f"dataset {dataset}")
        if inputs.tolerance[j] > 0:
            found.setdefault(line, []).append(f"quantity ±{inputs.tolerance[j] * Z975 * 100:.4g} %")
    how = "" if cff else " (not the footprint: cut-off model)"
    ids = linked.ids
    lines, _ = slot_uses(
        slots,
        ids,
        lambda line, parameter: True,
        uses_product_value(product, bom),
    )
    for s, i in zip(lines, _, strict=True):
        found.setdefault(ids[i], []).append(slots[s].describe() + how)
    return found


def _with_ranges(
    inputs: _Inputs,
    product: ProductResult,
    slots: Sequence[Slot],
    plan: ShareCheckPlan,
    bom: Product | None = None,
    mci: MciInputs | None = None,
) -> _Inputs:
    """The inputs with the ranges' arrays: bounds, CFF figure changes, share checks, MCI."""
    ids = _LinkedLines.of(product).ids
    cff_lines = {}
    if product.eol_model == "cff" and product.circularity and product.circularity.cff:
        cff_lines = {c.line: c for c in product.circularity.cff.lines}
    flow = product.reference_flow or 1.0
    coefficients = {
        line: cff_coefficients(cff_line, cff_line.mass_kg * flow)[0]
        for line, cff_line in cff_lines.items()
    }
    use_slot, use_line = slot_uses(
        slots,
        ids,
        lambda line, parameter: parameter in coefficients.get(line, {}),
        uses_product_value(product, bom),
    )
    use_coefficient = np.array(
        [coefficients[ids[j]][slots[s].parameter] for s, j in zip(use_slot, use_line, strict=True)],
        dtype=float,
    )
    return dataclasses.replace(
        inputs,
        ranges=RangeInputs(
            low=np.array([s.low for s in slots], dtype=float),
            high=np.array([s.high for s in slots], dtype=float),
            declared=np.array([s.declared for s in slots], dtype=float),
            use_slot=use_slot,
            use_line=use_line,
            use_coefficient=use_coefficient,
            checks=tuple(plan.checks),
            mci=mci,
        ),
    )


# why a check of a kind the Monte Carlo does not sample has no failing probability (the
# sampled kinds: max_footprint here, the SHARE_KINDS in ranges)
_STANDS = "; the assessment's status stands"
_NOT_SAMPLED_KINDS = {
    "max_dqr": f"not sampled: data-quality ratings have no distribution{_STANDS}",
    "required_fields": f"not sampled: it checks that fields are given, which no draw changes"
    f"{_STANDS}",
    "max_single_country_share": "not sampled: country shares are computed from the declared "
    f"masses only (quantity tolerances and ranges are not applied to them){_STANDS}",
    "max_hhi": "not sampled: the concentration index is computed from the declared masses "
    f"only (quantity tolerances and ranges are not applied to them){_STANDS}",
    **dict.fromkeys(
        ("approved_smelters", "valid_certification", "max_open_corrective_actions"),
        f"not sampled: it checks declared sourcing records, which no draw changes{_STANDS}",
    ),
}
_NOT_SAMPLED_OTHER = "not sampled: the Monte Carlo does not sample checks of this kind"


def _with_share_checks(
    summary: ProductUncertainty,
    plan: ShareCheckPlan,
    values: np.ndarray,
    described: dict[str, list[str]],
    mci: MciPlan | None = None,
) -> ProductUncertainty:
    """The summary with the failing probability of each recycled-content / end-of-life-rate
    check (a minimum: the value must reach the limit, both ends included), and the MCI's
    statistics (the last column of ``values`` when it is sampled)."""
    checks = list(summary.checks)
    for i, (rule, check) in enumerate(zip(plan.rules, plan.checks, strict=True)):
        slack = 1e-9 * max(abs(check.limit), 1e-12)
        fails = float(np.mean(values[:, i] < check.limit - slack))
        checks.append(
            CheckUncertainty(
                rule=rule,
                limit=check.limit,
                probability_fail=fails,
                probability_pass=1.0 - fails,
                kind="share",
                unit="fraction",
                value=_statistics(values[:, i]),
                varied=plan.varied[i],
            )
        )
    ranges = {
        line: [w for w in what if w.startswith(RANGE_SYMBOLS)] for line, what in described.items()
    }
    found = None
    if mci is not None and mci.inputs is not None:
        found = MciUncertainty(value=_statistics(values[:, -1]), varied=mci.varied or [])
    elif mci is not None and mci.fixed is not None:  # nothing moves it: exactly its value
        fixed = mci.fixed
        found = MciUncertainty(
            value=UncertaintyStatistics(
                mean=fixed, median=fixed, sd=0.0, p2_5=fixed, p25=fixed, p75=fixed, p97_5=fixed
            )
        )
    elif mci is not None and mci.not_sampled is not None:
        found = MciUncertainty(not_sampled=mci.not_sampled)
    return summary.model_copy(
        update={
            "checks": checks,
            "not_sampled": {**summary.not_sampled, **plan.not_sampled},
            "ranges": {line: "; ".join(what) for line, what in ranges.items() if what},
            "mci": found,
        }
    )


def _summary(
    product: ProductResult,
    lines: np.ndarray,
    fixed: list[str],
    rules: dict[str, Any],
    described: dict[str, list[str]] | None = None,
) -> ProductUncertainty:
    linked = _LinkedLines.of(product)
    totals = lines.sum(axis=1)
    stages: dict[str, np.ndarray] = {}
    for j, stage in enumerate(linked.stages):
        stages.setdefault(stage, np.zeros(len(totals)))
        stages[stage] += lines[:, j]
    checks = []
    not_sampled: dict[str, str] = {}
    for check in product.checks:
        rule = rules.get(check.rule)
        if check.kind in SHARE_KINDS:
            continue  # sampled from their line terms (_with_share_checks)
        if check.kind != "max_footprint":
            not_sampled[check.rule] = _NOT_SAMPLED_KINDS.get(check.kind, _NOT_SAMPLED_OTHER)
            continue
        why = without_figures(check)
        if rule is None or why is not None or check.value is None or check.limit is None:
            not_sampled[check.rule] = why or "not sampled: its rule set was not given"
            continue
        if rule.indicator != "total":
            not_sampled[check.rule] = (
                f"not sampled: only the total climate change is sampled, not its "
                f"{rule.indicator} part"
            )
            continue
        counted = {str(stage) for stage in rule.stages} or None
        mask = np.array([counted is None or stage in counted for stage in linked.stages])
        deterministic = float(sum(total for total, m in zip(linked.totals, mask, strict=True) if m))
        if not mask.any() or deterministic == 0:
            not_sampled[check.rule] = "not sampled: no line of the counted stages has a figure"
            continue
        # the check's value (per FU, per kWh, per kg) is this sum times a fixed divisor
        scaled = lines[:, mask].sum(axis=1) * (check.value / deterministic)
        fails = float(np.mean(scaled > check.limit))
        varied = [
            f"{line}: {what}"
            for line, m in zip(linked.ids, mask, strict=True)
            if m
            for what in (described or {}).get(line, [])
            if "not the footprint" not in what
        ]
        checks.append(
            CheckUncertainty(
                rule=check.rule,
                limit=check.limit,
                probability_fail=fails,
                probability_pass=1.0 - fails,
                unit=check.unit,
                value=_statistics(scaled),
                varied=varied,
            )
        )
    drivers = []
    moving = np.flatnonzero(np.ptp(lines, axis=0) > 0) if len(lines) else np.empty(0, int)
    if len(moving):
        # Spearman's ρ of every moving line with the total: Pearson's of their ranks, all
        # lines at once
        ranks = _ranks(lines[:, moving])
        ranks -= ranks.mean(axis=0)
        ranks_total = _ranks(totals)
        ranks_total -= ranks_total.mean()
        rho = (ranks_total @ ranks) / np.sqrt((ranks**2).sum(axis=0) * (ranks_total**2).sum())
        drivers = [(linked.ids[j], float(r**2)) for j, r in zip(moving, rho, strict=True)]
    drivers.sort(key=lambda d: d[1], reverse=True)
    return ProductUncertainty(
        product=product.id,
        total=_statistics(totals),
        by_stage={stage: _statistics(values) for stage, values in stages.items()},
        checks=checks,
        drivers=dict(drivers),
        fixed_lines=fixed,
        not_sampled=not_sampled,
    )


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 0 … n − 1 along the first axis (ties in order of appearance)."""
    order = values.argsort(axis=0, kind="stable")
    ranks = np.empty(values.shape)
    positions = np.arange(len(values), dtype=float)
    np.put_along_axis(ranks, order, positions.reshape(-1, *([1] * (values.ndim - 1))), axis=0)
    return ranks


def published_intervals() -> dict[str, tuple[float, float]]:
    """Material family → (p2.5, p97.5) of GWP from Nuss & Eckelman (2014), SI Table S38."""
    import csv

    from footprint.resources import datasets_dir

    path = datasets_dir() / "sources" / "nuss_eckelman_2014_metals_cradle_to_gate.csv"
    found: dict[str, tuple[float, float]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            low, high = row.get("gwp_p2_5"), row.get("gwp_p97_5")
            if low and high and float(low) > 0 and float(high) > float(low):
                name = row.get("element") or row.get("Element") or ""
                found[name.strip().lower()] = (float(low), float(high))
    return found
