"""Which files of the paths a user names are BOMs (folders are searched one level deep)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from footprint.errors import BomError, Problem

BOM_SUFFIXES = (".xlsx", ".xlsm", ".csv")
PRODUCTS_CSV_SUFFIX = ".products.csv"  # the Products sheet of the BOM csv beside it


def is_bom_file(path: Path) -> bool:
    """A BOM by its name: not an Excel lock file, a hidden file or a ``.products.csv``."""
    name = path.name.lower()
    return (
        path.suffix.lower() in BOM_SUFFIXES
        and not name.startswith(("~$", "."))
        and not name.endswith(PRODUCTS_CSV_SUFFIX)
    )


def bom_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the BOM files in named folders (sorted); raises ``BomError``
    for paths that do not exist and folders without BOMs."""
    found: list[Path] = []
    problems: list[Problem] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and is_bom_file(p))
            if not inside:
                problems.append(
                    Problem("no .xlsx or .csv BOM files in this folder", file=str(path))
                )
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            problems.append(Problem("file not found", file=str(path)))
    if problems:
        raise BomError(problems)
    return found
