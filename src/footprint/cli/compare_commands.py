"""``footprint compare`` (revisions, alternatives, scenarios side by side) and
``footprint suggest`` (ranked like-for-like factor swaps).

The what-if options (``--swap``, ``--recycled-content``, ``--scale``, ``--eol-recycling-rate``,
``--grid-country``, ``--placed-on-market``) are shared with ``footprint assess``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from footprint.cli.assess_commands import DatasetsOption, _parse_date
from footprint.cli.terminal import console as make_console
from footprint.cli.terminal import inert, markup
from footprint.cli.what_if import (
    EolOption,
    GridOption,
    MarketOption,
    RecycledOption,
    ScaleOption,
    ScenarioOption,
    SwapOption,
    option_scenario,
)
from footprint.errors import FootprintError, Problem
from footprint.model import STAGES

if TYPE_CHECKING:
    from footprint.comparison import Comparison

RulesOption = Annotated[
    list[str] | None,
    typer.Option("--rules", "-r", help="rule set name or YAML file; repeatable"),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="date selecting the limits in force, YYYY-MM-DD")
]


def _pairs(values: list[str] | None) -> dict[str, str]:
    pairs: dict[str, str] = {}
    problems = []
    for text in values or []:
        old, sep, new = text.partition("=")
        if not sep or not old.strip() or not new.strip():
            problems.append(Problem(f"--pair {text}: write OLD-ID=NEW-ID", column="pair"))
        else:
            pairs[old.strip()] = new.strip()
    if problems:
        raise FootprintError(problems)
    return pairs


def _fu_ratio(values: list[str] | None) -> dict[str, float] | float | None:
    if not values:
        return None
    per_product: dict[str, float] = {}
    everywhere: float | None = None
    problems = []
    for text in values:
        key, sep, value = text.rpartition("=")
        try:
            ratio = float(value)
            if not ratio > 0 or ratio == float("inf"):
                raise ValueError
        except ValueError:
            problems.append(
                Problem(f"--fu-ratio {text}: {value!r} is not a number > 0", column="fu-ratio")
            )
            continue
        if sep:
            per_product[key.strip()] = ratio
        else:
            everywhere = ratio
    if problems:
        raise FootprintError(problems)
    if everywhere is not None and per_product:
        raise FootprintError(
            Problem("--fu-ratio: give one ratio for all, or PRODUCT=RATIO each, not both")
        )
    return everywhere if everywhere is not None else per_product


def compare_command(
    boms: Annotated[
        list[Path] | None,
        typer.Argument(help="the base BOM, then the alternatives (.xlsx/.csv or folders)"),
    ] = None,
    scenario: ScenarioOption = None,
    pair: Annotated[
        list[str] | None,
        typer.Option("--pair", help="OLD-ID=NEW-ID: compare these two products; repeatable"),
    ] = None,
    fu_ratio: Annotated[
        list[str] | None,
        typer.Option(
            "--fu-ratio",
            help="[NEW-ID=]R: the alternative's functional units in one of the base's, to "
            "compare products whose functional units differ",
        ),
    ] = None,
    swap: SwapOption = None,
    recycled_content: RecycledOption = None,
    scale: ScaleOption = None,
    eol_recycling_rate: EolOption = None,
    grid_country: GridOption = None,
    placed_on_market: MarketOption = None,
    datasets: DatasetsOption = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the JSON here ('-': to standard output)")
    ] = None,
    xlsx_out: Annotated[Path | None, typer.Option("--xlsx", help="write the workbook here")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="write the report here")] = None,
    indicators: Annotated[
        str,
        typer.Option("--indicators", help="climate (default), ef31, ef31+ced, or indicator ids"),
    ] = "climate",
    schema: Annotated[
        bool, typer.Option("--schema", help="print the JSON schema of a comparison and stop")
    ] = False,
) -> None:
    """Compare BOM revisions, alternatives or scenarios: deltas per indicator, stage, line
    and check, per the same functional unit."""
    from footprint.comparison import compare, comparison_schema

    if schema:
        typer.echo(json.dumps(comparison_schema(), indent=2))
        return
    if not boms:
        raise FootprintError(Problem("give the base BOM file (and alternatives or --scenario)"))
    scenarios: list[object] = list(scenario or [])
    from_options = option_scenario(
        swap, recycled_content, scale, eol_recycling_rate, grid_country, placed_on_market
    )
    if from_options is not None:
        scenarios.append(from_options)
    from footprint.cli.assess_commands import input_files
    from footprint.io import OutputTransaction

    outputs = OutputTransaction(
        {"--json": json_out, "--xlsx": xlsx_out, "--html": html_out},
        inputs=input_files(list(boms), datasets, rules) + [p for p in scenario or [] if p.exists()],
    )
    console = make_console(stderr=True)
    with outputs:
        with console.status("assessing and comparing"):
            comparison = compare(
                boms[0],
                *boms[1:],
                scenarios=scenarios,
                pairs=_pairs(pair),
                fu_ratio=_fu_ratio(fu_ratio),
                rules=rules,
                as_of=_parse_date(as_of),
                datasets=datasets,
                indicators=indicators,
            )
        writers: dict[str, Callable[[Path], object]] = {
            "--json": comparison.to_json,
            "--xlsx": comparison.to_excel,
            "--html": comparison.to_html,
        }
        for name in outputs.names:
            writers[name](outputs.path(name))
    print_comparison(comparison, make_console(stderr=outputs.writes_stdout))


def print_comparison(comparison: Comparison, console: Console) -> None:
    for pair in comparison.pairs:
        cc = pair.climate_change
        unit = (cc.before.unit if cc.before else "kg CO2-eq") + " per FU"
        title = (
            f"{pair.base.label} {pair.base.id} → {pair.alternative.label} {pair.alternative.id}"
            f"  ({pair.base.functional_unit or '1 product'})"
        )
        table = Table(title=markup(title))
        table.add_column("figure")
        table.add_column(markup(pair.base.label), justify="right")
        table.add_column(markup(pair.alternative.label), justify="right")
        table.add_column("Δ", justify="right")
        table.add_column("Δ %", justify="right")
        table.add_row(
            f"climate change ({unit})",
            _n(cc.before.total if cc.before else None),
            _n(cc.after.total if cc.after else None),
            _n(cc.delta.total, signed=True),
            _pct(cc.percent),
        )
        for stage in STAGES:
            delta = pair.by_stage[stage]
            if (delta.before and delta.before.total) or (delta.after and delta.after.total):
                table.add_row(
                    f"  {stage.value}",
                    _n(delta.before.total if delta.before else None),
                    _n(delta.after.total if delta.after else None),
                    _n(delta.delta.total, signed=True),
                    _pct(delta.percent),
                )
        rc = pair.circularity.recycled_share
        table.add_row("recycled content", _share(rc.before), _share(rc.after), _pp(rc.delta), "")
        mci = pair.circularity.mci
        table.add_row("MCI", _n(mci.before), _n(mci.after), _n(mci.delta, signed=True), "")
        for impact in pair.impacts:
            v = impact.value
            table.add_row(
                markup(f"{impact.name} ({impact.unit})"),
                _n(v.before),
                _n(v.after),
                _n(v.delta, signed=True),
                _pct(v.percent),
            )
        console.print(table)
        ranked = pair.ranked_lines(5)
        if ranked:
            console.print("  lines explaining most of the difference:", markup=False)
            for line in ranked:
                side = line.after or line.before
                assert side is not None
                what = f"{line.status}: {', '.join(line.changed_fields)}"
                if not line.changed_fields:  # added, removed, or only its figure moved
                    what = line.status
                share = (
                    f" ({line.share_of_difference:.0%} of Δ)"
                    if line.share_of_difference is not None
                    else ""
                )
                console.print(
                    inert(
                        f"    {line.rank}. {side.path} [{what}] "
                        f"{_n(line.climate_change.delta.total, signed=True)}{share}",
                        one_line=True,
                    ),
                    markup=False,
                )
        for check in pair.changed_checks():
            console.print(
                inert(
                    f"  check {check.rule_set}/{check.rule}: {check.status_before} → "
                    f"{check.status_after} (margin {_n(check.margin.before)} → "
                    f"{_n(check.margin.after)})",
                    one_line=True,
                ),
                markup=False,
            )
        for note in pair.notes:
            console.print(inert(f"  note: {note}", one_line=True), markup=False)
    for item in comparison.unmatched:
        console.print(
            inert(
                f"only in {item.label} ({item.side}): product {item.id}; give --pair to compare it",
                one_line=True,
            ),
            markup=False,
        )


def _n(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.4g}" if signed else f"{value:.4g}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f} %"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _pp(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:+.1f} pp"


def suggest_command(
    boms: Annotated[
        list[Path] | None, typer.Argument(help="BOM files (.xlsx/.csv) or folders")
    ] = None,
    datasets: DatasetsOption = None,
    rules: RulesOption = None,
    as_of: AsOfOption = None,
    lines: Annotated[int, typer.Option("--lines", help="how many of the largest lines")] = 10,
    per_line: Annotated[int, typer.Option("--per-line", help="swaps kept per line")] = 3,
    limit: Annotated[int, typer.Option("--limit", help="suggestions per product")] = 10,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the JSON here ('-': standard output)")
    ] = None,
    xlsx_out: Annotated[Path | None, typer.Option("--xlsx", help="write the workbook here")] = None,
    schema: Annotated[
        bool, typer.Option("--schema", help="print the JSON schema of suggestions and stop")
    ] = False,
) -> None:
    """Like-for-like factor swaps ranked by saving, and ±10-point recycled-content sensitivity."""
    from footprint.cli.assess_commands import input_files
    from footprint.io import OutputTransaction
    from footprint.suggestions import suggest, suggestions_schema

    if schema:
        typer.echo(json.dumps(suggestions_schema(), indent=2))
        return
    if not boms:
        raise FootprintError(Problem("give the BOM file(s) to suggest changes for"))
    if min(lines, per_line, limit) < 1:
        raise FootprintError(Problem("--lines, --per-line and --limit must be 1 or more"))
    outputs = OutputTransaction(
        {"--json": json_out, "--xlsx": xlsx_out}, inputs=input_files(list(boms), datasets, rules)
    )
    with outputs:
        with make_console(stderr=True).status("assessing every swap"):
            report = suggest(
                boms, rules=rules, as_of=_parse_date(as_of), datasets=datasets, lines=lines,
                per_line=per_line, limit=limit,
            )  # fmt: skip
        writers: dict[str, Callable[[Path], object]] = {
            "--json": report.to_json,
            "--xlsx": report.to_excel,
        }
        for name in outputs.names:
            writers[name](outputs.path(name))
    console = make_console(stderr=outputs.writes_stdout)
    for product in report.products:
        table = Table(title=markup(f"{product.product}: suggestions (kg CO2-eq per FU)"))
        for header in ("#", "line", "swap", "saving", "%", "checks that change"):
            table.add_column(header, justify="right" if header in ("#", "saving", "%") else "left")
        for s in product.suggestions:
            table.add_row(
                str(s.rank),
                markup(s.path),
                markup(f"{s.dataset_before} → {s.dataset_after}"),
                _n(s.saving),
                _pct(-(s.saving_percent or 0.0)),
                markup(
                    ", ".join(f"{c.rule}: {c.status_before}→{c.status_after}" for c in s.checks)
                ),
            )
        console.print(table)
        for note in product.notes:
            console.print(f"  note: {note}", markup=False)
    console.print(report.statement, markup=False)


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``app``."""
    app.command("compare")(compare_command)
    app.command("suggest")(suggest_command)
