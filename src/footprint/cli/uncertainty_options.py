"""``footprint assess … --iterations N [--seed S] [--workers N | --scheduler ADDR]``: a Monte
Carlo of every product's climate change, added to the assessment (JSON ``uncertainty``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

IterationsOption = Annotated[
    int | None,
    typer.Option("--iterations", help="Monte Carlo iterations (uncertainty of every figure)"),
]
SeedOption = Annotated[
    int, typer.Option("--seed", help="random seed: the same seed gives the same numbers")
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", help="run the Monte Carlo on a local Dask cluster of N processes"),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler", help="run the Monte Carlo on this Dask scheduler (tcp://HOST:PORT)"
    ),
]


def with_uncertainty(
    assessment: Any,
    catalog: Any,
    iterations: int | None,
    seed: int,
    workers: int | None,
    scheduler: str | None,
    rule_sets: Any = (),
) -> Any:
    """The assessment with its Monte Carlo results, when ``--iterations`` asks for them."""
    from footprint.errors import FootprintError, Problem

    if iterations is None:
        if workers is not None or scheduler is not None:
            raise FootprintError(Problem("--workers/--scheduler need --iterations N"))
        return assessment
    from footprint.uncertainty.cluster import dask_client
    from footprint.uncertainty.montecarlo import simulate

    with dask_client(workers, scheduler) as client:
        result = simulate(
            assessment,
            dict(catalog.datasets),
            iterations=iterations,
            seed=seed,
            client=client,
            rule_sets=rule_sets,
        )
    return assessment.model_copy(update={"uncertainty": result})


def print_uncertainty(assessment: Any, console: Console) -> None:
    if assessment.uncertainty is None:
        return
    table = Table(
        title=f"Monte Carlo, {assessment.uncertainty.iterations} iterations, "
        f"seed {assessment.uncertainty.seed} (kg CO2-eq per functional unit)"
    )
    for column in ("product", "mean", "median", "2.5 %", "97.5 %", "P(fail)"):
        table.add_column(column)
    for product in assessment.uncertainty.products:
        stats = product.total
        fails = ", ".join(f"{c.rule} {c.probability_fail:.1%}" for c in product.checks) or "—"
        table.add_row(
            escape(product.product),
            f"{stats.mean:.4g}",
            f"{stats.median:.4g}",
            f"{stats.p2_5:.4g}",
            f"{stats.p97_5:.4g}",
            escape(fails),
        )
    console.print(table)
