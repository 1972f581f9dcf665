"""``footprint datasets list | search | show``: browse the shipped datasets and a user's files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from footprint.catalog import Catalog, load_catalog
from footprint.cli.terminal import console as make_console
from footprint.cli.terminal import echo, inert, json_text
from footprint.errors import DatasetError, Problem
from footprint.model import Dataset
from footprint.units import display_unit as plain_unit

datasets_app = typer.Typer(
    help="Browse the dataset library: shipped open datasets plus your own dataset files.",
    no_args_is_help=True,
)

FilesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--datasets",
        "-d",
        help="a dataset file of your own (.csv or .xlsx) to include; repeatable",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
NAME_WIDTH = 12  # the narrowest name column before the source and year columns give way
MaterialOption = Annotated[
    str | None, typer.Option("--material", "-m", help="only this material family, e.g. pet")
]


def _catalog(files: list[Path] | None) -> Catalog:
    return load_catalog(files or ())


def _record(dataset: Dataset) -> dict[str, object]:
    record = dataset.model_dump(mode="json", exclude={"origin"})
    record["dqr"] = {**record["dqr"], "dqr": dataset.dqr.dqr}
    record["file"] = Path(dataset.origin.file).name if dataset.origin.file else None
    return record


def _value(dataset: Dataset) -> str:
    if dataset.climate_change is None:
        return "gases only"
    return f"{dataset.climate_change:.6g}"


def _print_nearest(catalog: Catalog, text: str) -> None:
    """Nothing matched: the nearest families, and how to add a dataset of one's own."""
    from footprint.dataset_search import nearest

    near = nearest(catalog, text)
    if near.datasets:
        echo(f"no dataset for {text!r}; nearest ({', '.join(near.families)}):", one_line=True)
        _print_table(near.datasets, False, title=None)
        if near.note:
            echo(f"note: {near.note}", one_line=True)
    else:
        echo(f"no dataset for {text!r}, and no family with a similar name", one_line=True)
    echo(
        "add your own with --datasets my-factors.csv (columns: datasets/README.md); "
        "footprint datasets list shows all"
    )


def _source(dataset: Dataset) -> str:
    """The publisher part of a source ("DESNZ/DEFRA"), the rest is in `datasets show`."""
    return (dataset.source or "-").split(", ")[0]


def _print_table(datasets: list[Dataset], as_json: bool, title: str | None = None) -> None:
    if as_json:
        echo(json_text(json.dumps([_record(d) for d in datasets], indent=2, ensure_ascii=False)))
        return
    if not datasets:
        echo("no datasets found")
        return
    console = make_console()
    # widths chosen here, not left to rich (its choice can exceed the terminal and crop):
    # the id whole (it is what a BOM line names), then the figures, the name, the source
    id_width = min(max(len(d.id) for d in datasets), 48)
    source_width = min(max(len(_source(d)) for d in datasets), 20)
    fixed = id_width + 10 + 5 + 3 * 4 - 1  # id, kg CO2-eq, per; padding and rules
    room = console.width - fixed - NAME_WIDTH  # what the name leaves for source and year
    columns = ["source", "year"][: (room >= source_width + 3) + (room >= source_width + 10)]
    rest = fixed + sum(3 + (source_width if c == "source" else 4) for c in columns)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    whole_ids = console.width - rest >= 10  # else ids fold too (a very narrow terminal)
    table.add_column("id", overflow="fold", no_wrap=whole_ids, max_width=id_width)
    table.add_column("name", overflow="fold", max_width=max(10, console.width - rest))
    table.add_column("kg CO2-eq", justify="right", no_wrap=True)
    table.add_column("per", no_wrap=True)
    if "source" in columns:
        table.add_column("source", overflow="fold", max_width=source_width)
    if "year" in columns:
        table.add_column("year", justify="right", no_wrap=True)
    for d in datasets:
        cells: list[Text | str] = [
            Text(inert(d.id)),
            Text(inert(d.name)),
            _value(d),
            plain_unit(d.unit),
        ]
        cells += [Text(inert(_source(d)))] if "source" in columns else []
        cells += [str(d.year or "-")] if "year" in columns else []
        table.add_row(*cells)
    console.print(table)
    console.print(f"{len(datasets)} dataset{'s' if len(datasets) != 1 else ''}")


@datasets_app.command("list")
def list_datasets(
    material: MaterialOption = None, as_json: JsonOption = False, files: FilesOption = None
) -> None:
    """List datasets: id, climate change per reference unit, material family."""
    catalog = _catalog(files)
    found = [d for d in catalog if material is None or (d.material or "") == material.lower()]
    _print_table(sorted(found, key=lambda d: d.id), as_json)


@datasets_app.command("search")
def search_datasets(
    text: Annotated[str, typer.Argument(help="words that must all appear in id, name or notes")],
    material: MaterialOption = None,
    as_json: JsonOption = False,
    files: FilesOption = None,
) -> None:
    """Find datasets whose id, name, material or notes contain every word of TEXT, best first."""
    from footprint.dataset_search import search

    catalog = _catalog(files)
    found = search(catalog, text, material=material)
    if as_json or found:
        _print_table(found, as_json, title=f"datasets matching {text!r}")
    else:
        _print_nearest(catalog, text)


@datasets_app.command("show")
def show_dataset(
    dataset_id: Annotated[str, typer.Argument(metavar="ID", help="dataset id")],
    as_json: JsonOption = False,
    files: FilesOption = None,
) -> None:
    """Everything about one dataset: value, unit, sub-indicators, provenance, data quality."""
    catalog = _catalog(files)
    if dataset_id not in catalog:
        hint = catalog.suggest(dataset_id)
        tip = f" (did you mean {', '.join(repr(h) for h in hint)}?)" if hint else ""
        raise DatasetError(Problem(f"no dataset with id {dataset_id!r}{tip}"))
    d = catalog.get(dataset_id)
    if as_json:
        echo(json_text(json.dumps(_record(d), indent=2, ensure_ascii=False)))
        return
    q = d.dqr
    scores = ", ".join(
        f"{name} {value:g}" if value is not None else f"{name} -"
        for name, value in (("TeR", q.ter), ("GeR", q.ger), ("TiR", q.tir), ("P", q.p))
    )
    lines = [
        ("id", d.id),
        ("name", d.name),
        ("unit", plain_unit(d.unit)),
        ("climate change", f"{_value(d)} kg CO2-eq per {plain_unit(d.unit)} (this row)"),
    ]
    for label, sub in (
        ("  fossil", d.climate_change_fossil),
        ("  biogenic", d.climate_change_biogenic),
        ("  land use change", d.climate_change_luluc),
    ):  # all three parts, and which the source does not split (never shown as 0)
        lines.append((label, f"{sub:.6g}" if sub is not None else "not split by the source"))
    lines += [
        (f"  {gas}", f"{amount:.6g} kg/{plain_unit(d.unit)}") for gas, amount in d.gases.items()
    ]
    for input_id, amount in d.inputs.items():
        lines.append(("upstream input", _input_text(catalog, input_id, amount, d.unit)))
    if d.inputs or d.gases:
        lines.append(("with its inputs", _score_through_brightway(catalog, d)))
    if d.composition:
        lines.append(("composition", "; ".join(f"{k}:{v:g}" for k, v in d.composition.items())))
    lines += [
        ("material", d.material or "-"),
        ("recycled", "yes" if d.recycled else "no"),
        ("geography", d.geography or "-"),
        ("year", str(d.year) if d.year else "-"),
        ("GWP basis", d.gwp_basis or "-"),
        ("source", d.source or "-"),
        ("source table/row", d.source_row or "-"),
        ("licence", d.license or "-"),
        ("url", d.url or "-"),
        ("data quality", f"DQR {q.dqr:.2f} ({scores})" if q.dqr is not None else scores),
        ("notes", d.notes or "-"),
        ("file", Path(d.origin.file).name if d.origin.file else "-"),
    ]
    for label, value in lines:
        echo(f"{label + ':':<18} {value}", one_line=True)


def _input_text(catalog: Catalog, input_id: str, amount: float, unit: str) -> str:
    """An upstream input: how much per reference unit, its name and its own factor."""
    if input_id not in catalog:  # a Brightway activity, not a catalog row
        return f"{input_id}, {amount:g} per {plain_unit(unit)}"
    used = catalog.get(input_id)
    return (
        f"{input_id}, {amount:g} {plain_unit(used.unit)} per {plain_unit(unit)}: {used.name} "
        f"({_value(used)} kg CO2-eq per {plain_unit(used.unit)})"
    )


def _score_through_brightway(catalog: Catalog, dataset: Dataset) -> str:
    """The dataset's EF 3.1 score with its gases characterised and its inputs followed, as an
    assessment counts it (the dataset's own columns alone do not say that)."""
    from footprint.api import Engine

    score = Engine(catalog=catalog).unit_score(dataset.id)
    return (
        f"{score.total:.6g} kg CO2-eq per {plain_unit(dataset.unit)} (EF v3.1, through Brightway; "
        f"fossil {score.fossil:.6g}, biogenic {score.biogenic:.6g}, "
        f"land use change {score.luluc:.6g})"
    )


def register(app: typer.Typer) -> None:
    """Add ``footprint datasets …`` to the main app."""
    app.add_typer(datasets_app, name="datasets")
