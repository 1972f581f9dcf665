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
os.environ["BRIGHTWAY2_DIR"] = _BW_DIR  # the variable bw2data itself reads
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


# Headless Chromium as this machine runs it: no sandbox as root, and no background
# networking (the closed network refuses those connections).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_program(*names: str) -> str:
    """The path of the first program found.  Missing: skip locally, fail in CI.

    CI sets FOOTPRINT_REQUIRE_EXTERNAL_TOOLS (``.ci/run`` installs the programs), so the
    browser and LibreOffice tests can never pass there by being skipped.
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' or '.join(names)} is not installed"
    if os.environ.get("FOOTPRINT_REQUIRE_EXTERNAL_TOOLS"):
        pytest.fail(f"{message}, and FOOTPRINT_REQUIRE_EXTERNAL_TOOLS is set")
    pytest.skip(message)


@pytest.fixture(scope="session")
def soffice() -> str:
    return require_program("soffice", "libreoffice")


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_program("chromium", "chromium-browser")


@pytest.fixture(scope="session")
def chromium_args() -> list[str]:
    return list(CHROMIUM_ARGS)
