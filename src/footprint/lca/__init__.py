"""The LCA engine on Brightway: offline project setup, datasets import, unit scores.

bw2data reads its data folder from ``BRIGHTWAY2_DIR`` once, when it is imported.  footprint's
documented variable is ``BRIGHTWAY_DIR``: when it is set (and ``BRIGHTWAY2_DIR`` is not), it is
passed on here, before any footprint module imports bw2data.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path


def _honour_brightway_dir() -> None:
    folder = os.environ.get("BRIGHTWAY_DIR")
    if not folder or os.environ.get("BRIGHTWAY2_DIR"):
        return
    if "bw2data" in sys.modules:
        warnings.warn(
            "BRIGHTWAY_DIR is set but bw2data was imported before footprint and keeps its own "
            "folder: import footprint first, or set BRIGHTWAY2_DIR",
            stacklevel=2,
        )
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    os.environ["BRIGHTWAY2_DIR"] = folder


_honour_brightway_dir()
