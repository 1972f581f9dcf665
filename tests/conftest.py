"""Shared test setup.

Brightway must never touch the user's own data folder: BRIGHTWAY_DIR points at a folder
made for this test run before anything imports bw2data.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_BW_DIR = tempfile.mkdtemp(prefix="footprint-tests-bw-")
os.environ["BRIGHTWAY_DIR"] = _BW_DIR
os.environ.setdefault("FOOTPRINT_CACHE_DIR", tempfile.mkdtemp(prefix="footprint-tests-cache-"))

REPO = Path(__file__).resolve().parents[1]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_BW_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples"
