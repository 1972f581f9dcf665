"""``footprint datasets list | search | show``: browse the shipped datasets and a user's files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from footprint.catalog import Catalog, load_catalog
from footprint.errors import DatasetError, Problem
from footprint.model import Dataset

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


def _print_table(datasets: list[Dataset], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps([_record(d) for d in datasets], indent=2, ensure_ascii=False))
        return
    if not datasets:
        typer.echo("no datasets found")
        return
    width = max(len(d.id) for d in datasets)
    for d in datasets:
        unit = f"kg CO2-eq/{d.unit}"
        typer.echo(f"{d.id:<{width}}  {_value(d):>12}  {unit:<18}  {d.material or '-'}")
    typer.echo(f"{len(datasets)} datasets")


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
    """Find datasets whose id, name, material or notes contain every word of TEXT."""
    _print_table(_catalog(files).search(text, material=material), as_json)


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
        typer.echo(json.dumps(_record(d), indent=2, ensure_ascii=False))
        return
    q = d.dqr
    scores = ", ".join(
        f"{name} {value:g}" if value is not None else f"{name} -"
        for name, value in (("TeR", q.ter), ("GeR", q.ger), ("TiR", q.tir), ("P", q.p))
    )
    lines = [
        ("id", d.id),
        ("name", d.name),
        ("unit", d.unit),
        ("climate change", f"{_value(d)} kg CO2-eq per {d.unit}"),
    ]
    for label, sub in (
        ("  fossil", d.climate_change_fossil),
        ("  biogenic", d.climate_change_biogenic),
        ("  land use change", d.climate_change_luluc),
    ):
        if sub is not None:
            lines.append((label, f"{sub:.6g}"))
    lines += [(f"  {gas}", f"{amount:.6g} kg/{d.unit}") for gas, amount in d.gases.items()]
    if d.inputs:
        lines.append(("inputs", "; ".join(f"{k}={v:g}" for k, v in d.inputs.items())))
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
        ("licence", d.license or "-"),
        ("url", d.url or "-"),
        ("data quality", f"DQR {q.dqr:.2f} ({scores})" if q.dqr is not None else scores),
        ("notes", d.notes or "-"),
        ("file", Path(d.origin.file).name if d.origin.file else "-"),
    ]
    for label, value in lines:
        typer.echo(f"{label + ':':<18} {value}")


def _score_through_brightway(catalog: Catalog, dataset: Dataset) -> str:
    """The dataset's EF 3.1 score with its gases characterised and its inputs followed, as an
    assessment counts it (the dataset's own columns alone do not say that)."""
    from footprint.api import Engine

    score = Engine(catalog=catalog).unit_score(dataset.id)
    return (
        f"{score.total:.6g} kg CO2-eq per {dataset.unit} (EF v3.1, through Brightway; "
        f"fossil {score.fossil:.6g}, biogenic {score.biogenic:.6g}, "
        f"land use change {score.luluc:.6g})"
    )


def register(app: typer.Typer) -> None:
    """Add ``footprint datasets …`` to the main app."""
    app.add_typer(datasets_app, name="datasets")
