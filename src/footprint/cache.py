"""footprint's cache folder: unit scores, warm-start snapshots, pint's parsed unit definitions.

``FOOTPRINT_CACHE_DIR`` when set, else the per-user cache folder.  Everything in it can be
deleted at any time: it is rebuilt on the next run.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    configured = os.environ.get("FOOTPRINT_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("footprint", appauthor=False))
