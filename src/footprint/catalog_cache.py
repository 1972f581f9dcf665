"""The shipped catalog's datasets, kept in footprint's cache folder between runs.

Reading and validating the shipped dataset files is a tenth of a warm ``footprint assess``.
The datasets they give (cumulative energy demand added) depend only on those files and on
footprint's code, so they are pickled under a key made of the stamps (path, size, mtime in
ns) of the files read, of every file in the shipped datasets folder and of every module of
the footprint package, and of the Python and pydantic versions.  Any change to one of them is
another key: the files are read again.  Any doubt (no file, unreadable, another type) means
reading the files.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pydantic

from footprint.cache import cache_dir, replace_file
from footprint.model import Dataset
from footprint.resources import datasets_dir

_FORMAT = "1"


def _key(files: Sequence[Path]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}|{sys.version}|{pydantic.VERSION}".encode())
    package = Path(__file__).parent
    depends_on = [*files, *sorted(datasets_dir().rglob("*")), *sorted(package.rglob("*.py"))]
    for path in depends_on:
        status = path.stat()
        digest.update(f"{path}|{status.st_size}|{status.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def shipped_datasets(files: Sequence[Path], read: Callable[[], list[Dataset]]) -> list[Dataset]:
    """``read()``'s datasets (read from ``files``), from the cache when nothing they depend on
    changed.  ``read`` raises on a problem in the files; nothing is kept then."""
    try:
        path = cache_dir() / f"catalog-{_key(files)}.pickle"
    except OSError:
        return read()
    try:
        with path.open("rb") as handle:
            kept = pickle.load(handle)
        if isinstance(kept, list) and all(isinstance(d, Dataset) for d in kept):
            return kept
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    datasets = read()
    with contextlib.suppress(OSError):  # cache folder not writable: read the files each time
        replace_file(
            path, lambda h: pickle.dump(datasets, h, protocol=pickle.HIGHEST_PROTOCOL), binary=True
        )
    return datasets
