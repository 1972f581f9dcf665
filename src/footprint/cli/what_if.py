"""The what-if options shared by ``footprint assess`` and ``footprint compare``: each one is
a scenario change (``footprint.scenario``) written on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from footprint.cli.terminal import inert

if TYPE_CHECKING:
    from footprint.model import Assessment
    from footprint.scenario import Scenario

SwapOption = Annotated[
    list[str] | None,
    typer.Option("--swap", help="LINE=DATASET: the line takes another dataset; repeatable"),
]
RecycledOption = Annotated[
    list[str] | None,
    typer.Option(
        "--recycled-content",
        help="LINE=SHARE or material:FAMILY=SHARE (0.3 or '30 %'); repeatable",
    ),
]
ScaleOption = Annotated[
    list[str] | None,
    typer.Option("--scale", help="LINE=FACTOR (or material:FAMILY=FACTOR); repeatable"),
]
EolOption = Annotated[
    list[str] | None,
    typer.Option(
        "--eol-recycling-rate", help="LINE=SHARE or material:FAMILY=SHARE (R2); repeatable"
    ),
]
GridOption = Annotated[
    list[str] | None,
    typer.Option(
        "--grid-country",
        help="COUNTRY: every electricity line takes this country's grid; "
        "supplier:NAME=COUNTRY only the lines of that supplier/factory; LINE=COUNTRY one line",
    ),
]
MarketOption = Annotated[
    str | None,
    typer.Option("--placed-on-market", help="YYYY-MM-DD for every product (limits in force)"),
]
ScenarioOption = Annotated[
    list[Path] | None,
    typer.Option("--scenario", "-s", help="a scenario YAML file (docs/scenarios.md); repeatable"),
]


def option_scenario(
    swap: list[str] | None,
    recycled_content: list[str] | None,
    scale: list[str] | None,
    eol_recycling_rate: list[str] | None,
    grid_country: list[str] | None,
    placed_on_market: str | None,
) -> Scenario | None:
    """The what-if options as one scenario (None when none is given)."""
    given = swap or recycled_content or scale or eol_recycling_rate or grid_country
    if not given and placed_on_market is None:
        return None
    from footprint.scenario import scenario_from_options

    return scenario_from_options(
        swap=swap or (),
        recycled_content=recycled_content or (),
        scale=scale or (),
        eol_recycling_rate=eol_recycling_rate or (),
        grid_country=grid_country or (),
        placed_on_market=placed_on_market,
    )


def what_if_scenarios(
    files: list[Path] | None,
    swap: list[str] | None,
    recycled_content: list[str] | None,
    scale: list[str] | None,
    eol_recycling_rate: list[str] | None,
    grid_country: list[str] | None,
    placed_on_market: str | None,
) -> list[Scenario]:
    """The scenario files, then the options as one more scenario, in the order applied."""
    scenarios: list[Scenario] = []
    if files:  # the scenario module is imported only when a file or an option needs it
        from footprint.scenario import load_scenarios

        scenarios = load_scenarios(files)
    options = option_scenario(
        swap, recycled_content, scale, eol_recycling_rate, grid_country, placed_on_market
    )
    return scenarios + ([options] if options is not None else [])


def print_scenario(assessment: Assessment, console: Console) -> None:
    """Say that the figures are of a scenario, and which changes it made."""
    if assessment.scenario is None:
        return
    console.print(
        inert(f"scenario {assessment.scenario.name} (the BOM file is unchanged):"), markup=False
    )
    for change in assessment.scenario.changes:
        console.print(inert(f"  {change}"), markup=False)
