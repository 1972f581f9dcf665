"""Reading many BOM files on a Dask cluster (``footprint assess folder/ --workers N``).

One task per file: a worker gets the file's path (and nothing else), reads and validates it
with the same reader as one process (``read_bom_file``) and sends back its products and
warnings, or its problems.  The results are put back in file order, so the products, the
warnings and the problems are the same as ``read_products`` gives in one process; the
assessment and the Monte Carlo that follow are therefore the same too.  The workers must see
the files at the same paths (one machine, or a shared file system), as Dask's own readers
require.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from footprint.bom.reader import BomFile, read_bom_file
from footprint.errors import FootprintError, InputTooLargeError, Problem


def _read(path: str) -> tuple[BomFile | None, list[Problem], bool]:
    """What a worker does with one file: its BOM, or its problems (and whether too large)."""
    try:
        return read_bom_file(path), [], False
    except FootprintError as error:
        return None, list(error.problems), isinstance(error, InputTooLargeError)


Outcome = tuple[BomFile | None, list[Problem], bool]


def read_each(
    paths: Sequence[Path],
    progress: Callable[[int, int], None] | None = None,
    client: Any | None = None,
) -> Iterator[Outcome]:
    """Each file's outcome in the order of ``paths``: read here one after the other, or on
    the ``client``'s workers (a ``distributed.Client``) all at once."""
    if client is not None:
        yield from read_files(paths, client, progress)
        return
    for done, path in enumerate(paths, start=1):
        yield _read(str(path))
        if progress is not None:
            progress(done, len(paths))


def read_files(
    paths: Sequence[Path],
    client: Any,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Each file read on the client's workers, in the order of ``paths``; ``progress(done,
    total)`` as each task completes."""
    from distributed import as_completed

    futures = client.map(_read, [str(path) for path in paths], pure=False)
    order = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    for done, future in enumerate(as_completed(futures), start=1):
        results[order[future.key]] = future.result()
        if progress is not None:
            progress(done, len(futures))
    return results
