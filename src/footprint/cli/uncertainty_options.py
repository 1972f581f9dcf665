"""``footprint assess … --iterations N [--seed S] [--workers N | --scheduler ADDR]``: a Monte
Carlo of every product's climate change, added to the assessment (JSON ``uncertainty``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

IterationsOption = Annotated[
    int | None,
    typer.Option(
        "--iterations",
        help="Monte Carlo iterations: the spread of the climate change total (by stage) and "
        "each check's failing probability",
    ),
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="random seed: the same seed gives the same numbers")
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="read the BOM files and run the Monte Carlo on a local Dask cluster of N processes",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="read the BOM files and run the Monte Carlo on this Dask scheduler "
        "(tcp://HOST:PORT; the workers must see the files)",
    ),
]


@contextmanager
def cluster(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """The Dask client of --workers / --scheduler for the whole command, or None."""
    if workers is None and scheduler is None:
        yield None
        return
    from footprint.uncertainty.cluster import dask_client

    with dask_client(workers, scheduler) as client:
        yield client


def assess_on_cluster(
    files: Any,
    client: Any,
    console: Console,
    datasets: Any,
    brightway_project: str | None,
    indicators: Any,
    *,
    warnings: Any,
    **options: Any,
) -> tuple[Any, Any, Any]:
    """The engine (here, for the Monte Carlo's catalog), the products and the assessment of
    the BOM files, computed on the cluster's workers (``footprint.bom.distributed``): each
    worker builds the same engine (the command's dataset files, project, indicators)."""
    from footprint.api import Engine
    from footprint.bom.distributed import AssessOptions, EngineSpec, assess_files

    with console.status("starting the engine"):
        engine = Engine(datasets, brightway_project=brightway_project, indicators=indicators)
    spec = EngineSpec(tuple(str(p) for p in datasets or ()), brightway_project, indicators)
    options["rule_sets"] = tuple(options.get("rule_sets") or ())
    with task_progress(console, "assessing BOMs") as progress:
        products, assessment = assess_files(
            files, client, AssessOptions(spec, **options), catalog=engine.catalog,
            warnings=warnings, progress=progress,
        )  # fmt: skip
    return engine, products, assessment


def with_uncertainty(
    assessment: Any,
    catalog: Any,
    iterations: int | None,
    seed: int,
    client: Any,
    rule_sets: Any = (),
    products: Any = None,
    scenarios: Any = (),
    console: Console | None = None,
) -> Any:
    """The assessment with its Monte Carlo results, when ``--iterations`` asks for them.

    ``client``: the Dask client of --workers/--scheduler, or None (this process);
    ``products``: the BOM products read (the what-if ``scenarios`` are applied to them, as
    the assessment did), for the ranges and the recycled-content check probabilities;
    ``console``: where the progress bar goes (stderr; none when quiet)."""
    if iterations is None:
        return assessment
    from footprint.scenario import apply_scenario
    from footprint.uncertainty.montecarlo import simulate

    if products is not None:
        for scenario in scenarios:
            products = apply_scenario(products, scenario, catalog)
    with task_progress(console) as progress:
        result = simulate(
            assessment,
            dict(catalog.datasets),
            iterations=iterations,
            seed=seed,
            client=client,
            rule_sets=rule_sets,
            products=products,
            progress=progress,
        )
    from footprint.bom.monte_carlo import without_not_sampled

    # the BOM's tolerances and ranges were sampled: no longer "given but not sampled"
    warnings = without_not_sampled(assessment.warnings)
    return assessment.model_copy(update={"uncertainty": result, "warnings": warnings})


@contextmanager
def task_progress(
    console: Console | None, what: str = "Monte Carlo tasks"
) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on ``console`` advanced by ``progress(done, total)`` as tasks
    complete; None (no bar) without a console or when it is quiet."""
    if console is None or console.quiet:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def print_uncertainty(assessment: Any, console: Console) -> None:
    if assessment.uncertainty is None:
        return
    from footprint.report.uncertainty import not_sampled_indicators

    table = Table(
        title=f"Monte Carlo, {assessment.uncertainty.iterations} iterations, "
        f"seed {assessment.uncertainty.seed}: {assessment.uncertainty.indicator}"
    )
    with_mci = any(p.mci is not None for p in assessment.uncertainty.products)
    columns = ("product", "mean", "median", "2.5 %", "97.5 %", "P(fail)")
    for column in (*columns, "MCI (2.5–97.5 %)") if with_mci else columns:
        table.add_column(column)
    for product in assessment.uncertainty.products:
        stats = product.total
        fails = (
            ", ".join(
                f"{c.rule} {c.probability_fail:.1%}" + ("" if c.varied else " (fixed)")
                for c in product.checks
            )
            or "—"
        )
        cells = [
            escape(product.product),
            f"{stats.mean:.4g}",
            f"{stats.median:.4g}",
            f"{stats.p2_5:.4g}",
            f"{stats.p97_5:.4g}",
            escape(fails),
        ]
        if with_mci:
            mci = product.mci.value if product.mci is not None else None
            cells.append(
                f"{mci.mean:.3f} ({mci.p2_5:.3f}–{mci.p97_5:.3f})"
                if mci is not None
                else escape(product.mci.not_sampled or "—")
                if product.mci
                else "—"
            )
        table.add_row(*cells)
    console.print(table)
    skipped = not_sampled_indicators(assessment)
    if skipped:
        console.print(escape(skipped))
