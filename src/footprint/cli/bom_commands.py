"""``footprint check`` (validate BOM files) and ``footprint template`` (write the BOM template)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from footprint.bom import BomFile, bom_files, read_bom_file
from footprint.bom.files import duplicate_warning
from footprint.bom.summary import summarise
from footprint.cli.terminal import echo
from footprint.errors import BomError, FootprintError, Problem
from footprint.link import BRIGHTWAY_SEPARATOR
from footprint.model import Warning_


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``app``."""
    app.command("check")(check)
    app.command("template")(template)


def check(
    paths: Annotated[
        list[Path], typer.Argument(help="BOM files (.xlsx, .csv) or folders holding them")
    ],
    datasets: Annotated[
        list[Path] | None,
        typer.Option("--datasets", "-d", help="your own dataset file(s), besides the shipped ones"),
    ] = None,
    rules: Annotated[
        list[str] | None,
        typer.Option(
            "--rules", "-r", help="your own rule file(s), whose categories are also known"
        ),
    ] = None,
    suppliers: Annotated[
        Path | None,
        typer.Option("--suppliers", help="a supplier register to validate with the BOMs"),
    ] = None,
) -> None:
    """Validate BOM files: print a summary per product, or every problem (exit code 2)."""
    problems: list[Problem] = []
    files: list[Path] = []
    for path in paths:  # one at a time: a missing file is reported with the others' problems
        try:
            files.extend(bom_files([path]))
        except FootprintError as error:
            problems.extend(error.problems)
    repeated: list[tuple[Path, Path]] = []
    files = bom_files(files, duplicates=repeated)
    for pair in repeated:
        echo(f"warning: {duplicate_warning(*pair)}", one_line=True)
    read: list[BomFile] = []
    for path in files:
        try:
            read.append(read_bom_file(path))
        except FootprintError as error:
            problems.extend(error.problems)
    unresolved = _link_problems(read, datasets or [])
    problems.extend(unresolved)
    problems.extend(_category_problems(read, rules or []))
    if suppliers is not None:
        from footprint.suppliers import read_supplier_register

        try:
            register = read_supplier_register(suppliers)
            typer.echo(f"{suppliers.name}: ok, {len(register.suppliers)} suppliers")
        except FootprintError as error:
            problems.extend(error.problems)
    failed_files = {p.file for p in problems}
    for bom in read:
        if str(bom.path) in failed_files:
            continue
        _print_summary(bom)
    if problems:
        raise BomError(problems)


def _link_problems(read: list[BomFile], dataset_files: list[Path]) -> list[Problem]:
    """Unknown datasets and units that do not fit their dataset, found by linking to the catalog.

    References to Brightway activities (``<database>::<code>``) need a Brightway project and are
    left to ``footprint assess``.
    """
    if not read:
        return []
    from footprint.catalog import load_catalog
    from footprint.link import link_products

    try:
        catalog = load_catalog(dataset_files)
    except FootprintError as error:
        return list(error.problems)
    problems: list[Problem] = []
    for bom in read:
        external = {
            (line.source.file, line.source.row)
            for product in bom.products
            for line in product.lines
            if line.dataset and BRIGHTWAY_SEPARATOR in line.dataset
        }
        try:
            link_products(bom.products, catalog)
        except FootprintError as error:
            problems.extend(
                p
                for p in error.problems
                if not (p.column == "dataset" and (p.file, p.row) in external)
            )
    return problems


def _category_problems(read: list[BomFile], rules: list[str]) -> list[Problem]:
    """Products whose category neither the shipped rule sets nor ``rules`` know."""
    from footprint.compliance import load_rule_sets
    from footprint.compliance.categories import category_problems

    try:
        rule_sets = load_rule_sets(rules)
    except FootprintError as error:
        return list(error.problems)
    return category_problems([p for bom in read for p in bom.products], rule_sets)


def _print_summary(bom: BomFile) -> None:
    count = len(bom.products)
    echo(f"{bom.path.name}: ok, {count} product{'s' if count != 1 else ''}")
    for product in bom.products:
        summary = summarise(product)
        label = f'{product.id} "{product.name}"' if product.name else product.id
        totals = ", ".join(
            f"{dimension} {amount:.6g} {unit}"
            for dimension, (amount, unit) in summary.totals.items()
        )
        echo(
            f"  {label}: {summary.lines} lines, {summary.depth} level"
            f"{'s' if summary.depth != 1 else ''}; raw materials "
            f"{summary.material_mass_kg:.6g} kg; in all: {totals}",
            one_line=True,
        )
    references = [line.dataset or "" for p in bom.products for line in p.lines]
    external = sum(1 for reference in references if BRIGHTWAY_SEPARATOR in reference)
    if external:
        echo(
            f"  note: {external} line{'s name' if external != 1 else ' names'} a Brightway "
            "activity (database::code); footprint assess checks it in the Brightway project"
        )
    for warning in bom.warnings:
        echo(f"  warning: {_warning_text(warning)}", one_line=True)


def _warning_text(warning: Warning_) -> str:
    where = Problem("", warning.file, warning.sheet, warning.row, warning.column).location()
    return f"{where}: {warning.message}" if where else warning.message


def template(
    out: Annotated[Path, typer.Argument(help="where to write the template (.xlsx)")],
    force: Annotated[bool, typer.Option("--force", help="replace an existing file")] = False,
    suppliers: Annotated[
        bool, typer.Option("--suppliers", help="write the supplier register template instead")
    ] = False,
) -> None:
    """Write the BOM template workbook (BOM, Products and Instructions sheets)."""
    from footprint.bom.template import write_template
    from footprint.suppliers_template import write_supplier_template

    if out.suffix.lower() != ".xlsx":
        raise BomError(Problem("the template is an Excel workbook: name it *.xlsx", file=str(out)))
    if out.exists() and not force:
        raise BomError(Problem("the file exists; use --force to replace it", file=str(out)))
    (write_supplier_template if suppliers else write_template)(out)
    echo(f"wrote {out}", one_line=True)
