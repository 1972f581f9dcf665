"""footprint's cache folder: unit scores, warm-start snapshots, pint's parsed unit definitions.

``FOOTPRINT_CACHE_DIR`` when set, else the per-user cache folder.  Everything in it can be
deleted at any time: it is rebuilt on the next run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def cache_dir() -> Path:
    configured = os.environ.get("FOOTPRINT_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("footprint", appauthor=False))


def replace_file(path: Path, write: Callable[[IO[Any]], object], *, binary: bool = False) -> None:
    """Write ``path`` whole: ``write(handle)`` into a temporary file beside it, then renamed
    over it, so that another process reads the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    try:
        handle = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")
        with handle:
            write(handle)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
