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


def bom_files(
    paths: Iterable[str | Path], *, duplicates: list[tuple[Path, Path]] | None = None
) -> list[Path]:
    """Files named directly, and the BOM files in named folders (sorted); raises ``BomError``
    for paths that do not exist and folders without BOMs.

    A file named twice (``a.csv ./a.csv``, a folder and a file in it, a link to it) is read
    once; each repetition is added to ``duplicates`` as (repetition, first name) so that the
    caller can warn.
    """
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
    unique: dict[object, Path] = {}
    for path in found:
        key = _identity(path)
        if key in unique:
            if duplicates is not None:
                duplicates.append((path, unique[key]))
            continue
        unique[key] = path
    return list(unique.values())


def duplicate_warning(repeated: Path, first: Path) -> str:
    if repeated == first:
        return f"{repeated} is named twice; it is read once"
    return f"{repeated} is the same file as {first}; it is read once"


def _identity(path: Path) -> object:
    """What makes two names the same file: device and inode (links, spellings, hard links)."""
    try:
        info = path.stat()
    except OSError:
        return str(path.resolve())
    return (info.st_dev, info.st_ino)
