"""``footprint assess``, ``footprint setup`` and ``footprint schema``.

Exit codes (see ``footprint.cli``): 0 ok, 2 invalid input (nothing written), 1 internal error,
3 a failing check with ``--fail-on-noncompliance``.  Input problems are raised as
``FootprintError`` before anything is computed or written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from footprint.bom.files import duplicate_warning
from footprint.cli import exchange_options as exchange
from footprint.cli import uncertainty_options as uncertainty
from footprint.cli.batch_summary import print_summary
from footprint.cli.terminal import console as make_console
from footprint.cli.terminal import echo
from footprint.cli.what_if import (
    EolOption,
    GridOption,
    MarketOption,
    RecycledOption,
    ScaleOption,
    ScenarioOption,
    SwapOption,
    print_scenario,
    what_if_scenarios,
)
from footprint.errors import FootprintError, Problem
from footprint.impacts.summary import print_single_scores
from footprint.io import OutputTransaction
from footprint.model import Warning_, json_schema

EXIT_NONCOMPLIANT = 3
PROGRESS_FROM_FILES = 4  # show a progress bar from this many BOM files on

DatasetsOption = Annotated[
    list[Path] | None,
    typer.Option("--datasets", "-d", help="a dataset file of your own (.csv/.xlsx); repeatable"),
]
ProjectOption = Annotated[
    str | None,
    typer.Option(
        "--brightway-project",
        help="compute in this existing Brightway project (missing pieces are added to it)",
    ),
]


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FootprintError(
            Problem(f"--as-of {text!r} is not a date; write it as YYYY-MM-DD", column="as-of")
        ) from None


def assess_command(
    boms: Annotated[
        list[Path], typer.Argument(metavar="BOM...", help="BOM files (.xlsx/.csv) or folders")
    ],
    datasets: DatasetsOption = None,
    brightway_project: ProjectOption = None,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", "-r", help="rule set name or YAML file; repeatable"),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="date selecting the limits in force, YYYY-MM-DD")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the JSON here ('-': to standard output)")
    ] = None,
    xlsx_out: Annotated[Path | None, typer.Option("--xlsx", help="write the workbook here")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="write the report here")] = None,
    fail_on_noncompliance: Annotated[
        bool, typer.Option("--fail-on-noncompliance", help="exit 3 when a check fails")
    ] = False,
    details: Annotated[
        bool, typer.Option("--details", help="print every check and every warning's places")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="print nothing but errors (for scripts)")
    ] = False,
    scenario: ScenarioOption = None,
    swap: SwapOption = None,
    recycled_content: RecycledOption = None,
    scale: ScaleOption = None,
    eol_recycling_rate: EolOption = None,
    grid_country: GridOption = None,
    placed_on_market: MarketOption = None,
    suppliers: Annotated[
        Path | None,
        typer.Option(
            "--suppliers", help="supplier register (.xlsx/.csv): adds the sourcing picture"
        ),
    ] = None,
    approved_smelters: Annotated[
        Path | None,
        typer.Option("--approved-smelters", help="file of approved smelter ids, one a row"),
    ] = None,
    high_risk_countries: Annotated[
        Path | None,
        typer.Option(
            "--high-risk-countries", help="file of high-risk ISO country codes, one a row"
        ),
    ] = None,
    indicators: Annotated[
        str,
        typer.Option(
            "--indicators",
            help="climate (default), ef31, ef31+ced, or indicator ids joined by ',' "
            "(an unknown name lists the known ones)",
        ),
    ] = "climate",
    hotspots: Annotated[
        bool,
        typer.Option(
            "--hotspots", help="PEF most relevant categories, stages, processes and flows"
        ),
    ] = False,
    pact: exchange.PactOption = None,
    pact_store: exchange.PactStoreOption = None,
    pact_company_name: exchange.CompanyNameOption = None,
    pact_company_id: exchange.CompanyIdOption = None,
    pact_product_id_prefix: exchange.ProductPrefixOption = None,
    pact_reference_period: exchange.PeriodOption = None,
    pact_standard: exchange.StandardOption = None,
    battery_passport: exchange.PassportOption = None,
    battery_study: exchange.StudyOption = None,
    iterations: uncertainty.IterationsOption = None,
    seed: uncertainty.SeedOption = 0,
    workers: uncertainty.WorkersOption = None,
    scheduler: uncertainty.SchedulerOption = None,
) -> int:
    """Footprint of every product in the BOM files: by stage, by line, with checks."""
    from footprint.api import Engine, bom_files, load_rules, read_products, read_sourcing
    from footprint.lca.indicators import parse_selection

    when = _parse_date(as_of)
    parse_selection(indicators)  # an unknown name stops here, before anything is read
    repeated: list[tuple[Path, Path]] = []
    files = bom_files(boms, duplicates=repeated)
    exchanges = exchange.ExchangeRequest(
        pact,
        pact_store,
        pact_company_name,
        tuple(pact_company_id or ()),
        pact_product_id_prefix,
        pact_reference_period,
        tuple(pact_standard or ()),
        battery_passport,
        battery_study,
    )
    exchanges.check()
    # every output checked (and its temporary file reserved) before anything is computed
    outputs = OutputTransaction(
        {"--json": json_out, "--xlsx": xlsx_out, "--html": html_out, **exchanges.outputs()},
        inputs=[
            *input_files(files, datasets, rules),
            *(p for p in scenario or [] if p.exists()),
            *(p for p in (suppliers, approved_smelters, high_risk_countries) if p is not None),
            *exchanges.inputs(),
        ],
    )
    console = make_console(stderr=True, quiet=quiet)
    # --workers/--scheduler: the files are read and assessed on the cluster (read there only
    # with what-if options: assessed here), then the Monte Carlo runs there
    with outputs, uncertainty.cluster(workers, scheduler) as client:
        duplicates = [
            Warning_(message=duplicate_warning(*pair), file=str(pair[0])) for pair in repeated
        ]

        def read() -> tuple[list[Any], list[Warning_]]:
            shown = client is not None or len(files) >= PROGRESS_FROM_FILES
            with uncertainty.task_progress(console if shown else None, "reading BOMs") as bar:
                products, warnings = read_products(files, progress=bar, client=client)
            return products, duplicates + warnings

        if client is None:
            products, warnings = read()
        rule_sets = load_rules(rules)
        what_if = what_if_scenarios(
            scenario, swap, recycled_content, scale, eol_recycling_rate, grid_country,
            placed_on_market,
        )  # fmt: skip
        sourcing = read_sourcing(suppliers, approved_smelters, high_risk_countries)
        if client is not None and what_if:  # what-if: read on the cluster, assess here
            products, warnings = read()
        if client is not None and not what_if:  # read, link, compute, check on the workers
            engine, products, assessment = uncertainty.assess_on_cluster(
                files, client, console, datasets, brightway_project, indicators,
                rule_sets=rule_sets, as_of=when, sourcing=sourcing, hotspots=hotspots,
                warnings=duplicates,
            )  # fmt: skip
        else:
            with console.status("computing footprints"):
                engine = Engine(
                    datasets, brightway_project=brightway_project, indicators=indicators
                )
                options: dict[str, Any] = {
                    "rule_sets": rule_sets,
                    "as_of": when,
                    "sourcing": sourcing,
                    "hotspots": hotspots,
                }
                if what_if:  # the scenario module is imported only for what-if options
                    from footprint.scenario import assess_with_scenarios

                    assessment = assess_with_scenarios(
                        engine, products, warnings, what_if, **options
                    )
                else:
                    assessment = engine.assess_products(products, warnings, **options)
        assessment = uncertainty.with_uncertainty(
            assessment, engine.catalog, iterations, seed, client, rule_sets,
            products=products, scenarios=what_if, console=console,
        )  # fmt: skip
        writers: dict[str, Callable[[Path], object]] = {
            "--json": assessment.write_json,  # streamed: the text is never held whole
            "--xlsx": assessment.to_excel,
            "--html": assessment.to_html,
        }
        for name, text in exchanges.documents(assessment).items():  # PACT, battery passport
            writers[name] = exchange.text_writer(text)
        for name in outputs.names:
            writers[name](outputs.path(name))
    # with the JSON on standard output, the summary goes to standard error
    summary = make_console(stderr=outputs.writes_stdout, quiet=quiet)
    print_summary(assessment, summary, details=details)
    print_scenario(assessment, summary)
    print_single_scores(summary, assessment)
    uncertainty.print_uncertainty(assessment, summary)
    failing = any(c.status == "fail" for p in assessment.products for c in p.checks)
    return EXIT_NONCOMPLIANT if fail_on_noncompliance and failing else 0


def input_files(
    boms: list[Path], datasets: list[Path] | None, rules: list[str] | None
) -> list[Path]:
    """Every file a command reads, so that no output is written over one."""
    from footprint.bom.sheets import products_csv_for

    found = [*boms, *(products_csv_for(p) for p in boms if p.suffix.lower() == ".csv")]
    found += datasets or []
    found += [Path(rule) for rule in rules or [] if Path(rule).is_file()]
    return [path for path in found if path.exists()]


def setup_command(brightway_project: ProjectOption = None) -> None:
    """Set up the Brightway project offline (biosphere, EF 3.1 methods, datasets, unit scores)."""
    from footprint.api import Engine

    engine = Engine(brightway_project=brightway_project)
    import bw2data as bd

    echo(
        f"Brightway project {engine.brightway_project!r} ready in {bd.projects.dir}: "
        f"{len(engine.catalog)} datasets, EF 3.1 climate change methods, "
        f"unit scores by {engine.lca.solver}"
    )


def schema_command() -> None:
    """Print the JSON schema of an assessment document."""
    echo(json.dumps(json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``app``."""
    app.command("assess")(assess_command)
    app.command("setup")(setup_command)
    app.command("schema")(schema_command)
