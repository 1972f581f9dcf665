"""Monte Carlo over an assessment's lines: the spread of every product's climate change per
functional unit, by stage, and the probability that each footprint check fails.

What is sampled, per iteration:
- one draw per **dataset** (every line using it moves together, as a factor does), from its
  distribution (``distributions.dataset_distribution``); the line's figure is scaled by
  draw / the dataset's value, so a credit keeps its sign.  The whole unit score of the dataset
  (its own factor and its upstream inputs) moves with it;
- one draw per **line** with a ``quantity_tolerance`` (``±5 %``: a normal whose 95 % interval
  is ±5 % of the quantity);
- a line on a **Brightway activity** (``<database>::<code>``) whose project stores
  distributions: the whole background is sampled and solved per iteration (``background``),
  and the line's figure is scaled by the activity's unit score in the iteration / its static
  unit score.
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

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from footprint.errors import FootprintError, Problem
from footprint.model import (
    Assessment,
    CheckUncertainty,
    Dataset,
    ProductResult,
    ProductUncertainty,
    Uncertainty,
    UncertaintyStatistics,
)
from footprint.uncertainty.distributions import (
    Z975,
    Distribution,
    dqr_default,
    lognormal_from_interval,
)

BLOCK = 100  # iterations per random stream
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
    extra = {k.strip().lower(): v for k, v in dataset.extra.items()}
    kind = extra.get("uncertainty_type")
    if kind not in (None, ""):

        def number(name: str) -> float | None:
            value = extra.get(f"uncertainty_{name}")
            return None if value in (None, "") else float(value)

        return Distribution(
            str(kind).strip().lower(),
            loc=number("loc"),
            scale=number("scale"),
            minimum=number("minimum"),
            maximum=number("maximum"),
            origin="the dataset file's distribution",
        )
    if dataset.material in published:
        low, high = published[dataset.material]
        return lognormal_from_interval(
            low, high, "lognormal through the published 2.5th/97.5th percentiles"
        )
    if dataset.dqr.dqr is not None and dataset.climate_change:
        return dqr_default(dataset.climate_change, dataset.dqr.dqr)
    return None


_TOLERANCE = re.compile(r"^\s*(?:±|\+/-|\+-)?\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


def parse_tolerance(text: object) -> float:
    """A quantity tolerance as a fraction: "±5 %", "5%", "0.05" → 0.05."""
    match = _TOLERANCE.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a tolerance (e.g. ±5 %)")
    value = float(match.group(1)) / (100 if match.group(2) else 1)
    if not 0 <= value < 1:
        raise ValueError(f"{text!r}: a tolerance must be below 100 %")
    return value


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


def _draw(
    inputs: _Inputs, seed: int, block: int, size: int, background: np.ndarray | None = None
) -> np.ndarray:
    """Line figures of ``size`` iterations of one block: (size, lines); ``background``: the
    block's unit scores of the background activities (``background.block_scores``)."""
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
    with_tolerance = inputs.tolerance > 0
    if with_tolerance.any():
        quantity = rng.normal(
            1.0, inputs.tolerance[with_tolerance], (size, int(with_tolerance.sum()))
        )
        per_line[:, with_tolerance] *= quantity
    return per_line * inputs.figures


def _block_task(
    inputs: _Inputs,
    seed: int,
    blocks: Sequence[tuple[int, int]],
    background: Sequence[np.ndarray] | None = None,
) -> np.ndarray:
    return np.vstack(
        [
            _draw(inputs, seed, block, size, None if background is None else background[k])
            for k, (block, size) in enumerate(blocks)
        ]
    )


def simulate(
    assessment: Assessment,
    datasets: dict[str, Dataset],
    *,
    iterations: int,
    seed: int = 0,
    client: Any | None = None,
    blocks_per_task: int = 1,
    published: dict[str, tuple[float, float]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    rule_sets: Sequence[Any] = (),
    brightway: bool = True,
) -> Uncertainty:
    """Monte Carlo of every product of ``assessment``; raise ``FootprintError`` for bad
    iterations, distributions or tolerances (one line each).  ``brightway=False`` keeps the
    lines on Brightway activities fixed (their stored distributions are not sampled)."""
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
    background = _background(assessment, datasets) if brightway and not problems else None
    background_columns: dict[str, tuple[int, float]] = {}
    labels: dict[str, str] = {}
    if background is not None:
        static = background.static_scores()
        origin = (
            "Brightway background: the distributions stored in its datapackages "
            f"({background.uncertain_entries:,} uncertain exchanges), sampled as bw2calc "
            "samples them and solved per iteration"
        )
        for k, reference in enumerate(background.references):
            background_columns[reference] = (k, float(static[k]))
            distributions[reference] = None
        labels = dict.fromkeys(background.references, origin)
    inputs_by_product = []
    for product in assessment.products:
        inputs, fixed = _product_inputs(
            product, distributions, datasets, problems, background_columns
        )
        inputs_by_product.append((product, inputs, fixed))
    if problems:
        raise FootprintError(problems)

    blocks = [(b, min(BLOCK, iterations - b * BLOCK)) for b in range(math.ceil(iterations / BLOCK))]
    groups = [blocks[i : i + blocks_per_task] for i in range(0, len(blocks), blocks_per_task)]
    results = []
    total_tasks = len(groups) * (len(inputs_by_product) + (background is not None))
    done = 0
    scores: list[Any] = [None] * len(groups)  # per group: the background's unit scores
    if background is not None:
        from footprint.uncertainty.background import blocks_task

        if client is not None:
            problem = client.scatter(background, broadcast=True)
            scores = [client.submit(blocks_task, problem, seed, g, pure=False) for g in groups]
        else:
            for k, group in enumerate(groups):
                scores[k] = blocks_task(background, seed, group)
                done += 1
                if progress:
                    progress(done, total_tasks)
    for product, inputs, fixed in inputs_by_product:
        if client is not None:
            shipped = client.scatter(inputs, broadcast=True)
            futures = [
                client.submit(_block_task, shipped, seed, group, scores[k], pure=False)
                for k, group in enumerate(groups)
            ]
            parts = []
            for future in futures:
                parts.append(future.result())
                done += 1
                if progress:
                    progress(done, total_tasks)
        else:
            parts = []
            for k, group in enumerate(groups):
                parts.append(_block_task(inputs, seed, group, scores[k]))
                done += 1
                if progress:
                    progress(done, total_tasks)
        lines = np.vstack(parts)  # (iterations, lines)
        results.append(_summary(product, lines, fixed, rules))
    return Uncertainty(
        iterations=iterations,
        seed=seed,
        products=results,
        distributions={k: (v.origin if v else "none: kept fixed") for k, v in distributions.items()}
        | labels,
    )


def _background(assessment: Assessment, datasets: dict[str, Dataset]) -> Any | None:
    """The sampling problem of the Brightway activities the lines use, or None when there are
    none or the project stores no distribution that varies (the lines then stay fixed)."""
    from footprint.link import BRIGHTWAY_SEPARATOR

    references = sorted(
        {
            line.dataset
            for product in assessment.products
            for line in product.lines
            if line.dataset and BRIGHTWAY_SEPARATOR in line.dataset and line.dataset not in datasets
        }
    )
    if not references or assessment.brightway_project is None:
        return None
    from footprint.uncertainty.background import background_problem

    problem = background_problem(references, project=assessment.brightway_project)
    return problem if problem.uncertain_entries else None


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
            (v for k, v in line.extra.items() if k.strip().lower() == "quantity_tolerance"), None
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


def _summary(
    product: ProductResult, lines: np.ndarray, fixed: list[str], rules: dict[str, Any]
) -> ProductUncertainty:
    linked = [line for line in product.lines if line.dataset is not None]
    totals = lines.sum(axis=1)
    stages: dict[str, np.ndarray] = {}
    for j, line in enumerate(linked):
        stages.setdefault(str(line.stage), np.zeros(len(totals)))
        stages[str(line.stage)] += lines[:, j]
    checks = []
    for check in product.checks:
        rule = rules.get(check.rule)
        if rule is None or check.limit is None or check.value is None:
            continue
        if getattr(rule, "kind", None) != "max_footprint" or rule.indicator != "total":
            continue  # only a total footprint is sampled, not its sub-indicator split
        counted = {str(stage) for stage in rule.stages} or None
        mask = np.array([counted is None or str(line.stage) in counted for line in linked])
        deterministic = float(
            sum(line.climate_change.total for line, m in zip(linked, mask, strict=True) if m)
        )
        if not mask.any() or deterministic == 0:
            continue
        # the check's value (per FU, per kWh, per kg) is this sum times a fixed divisor
        scaled = lines[:, mask].sum(axis=1) * (check.value / deterministic)
        fails = float(np.mean(scaled > check.limit))
        checks.append(
            CheckUncertainty(
                rule=check.rule,
                limit=check.limit,
                probability_fail=fails,
                probability_pass=1.0 - fails,
            )
        )
    ranks_total = _ranks(totals)
    drivers = []
    for j, line in enumerate(linked):
        column = lines[:, j]
        if np.ptp(column) == 0:
            continue
        rho = np.corrcoef(_ranks(column), ranks_total)[0, 1]
        drivers.append((line.id, float(rho**2)))
    drivers.sort(key=lambda d: d[1], reverse=True)
    return ProductUncertainty(
        product=product.id,
        total=_statistics(totals),
        by_stage={stage: _statistics(values) for stage, values in stages.items()},
        checks=checks,
        drivers=dict(drivers),
        fixed_lines=fixed,
    )


def _ranks(values: np.ndarray) -> np.ndarray:
    order = values.argsort(kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
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
