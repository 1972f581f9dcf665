"""Fixtures of the web tests: apps without an engine, a shared started app, Chromium lookup."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footprint.web import WebSettings, create_app

CHROMIUM = "/usr/bin/chromium"


def require_program(path: str) -> str:
    """The program's path; skip when missing, unless CI demands external tools (then fail)."""
    if os.path.exists(path) or shutil.which(path):
        return path
    if os.environ.get("FOOTPRINT_REQUIRE_EXTERNAL_TOOLS"):
        pytest.fail(f"{path} is required (FOOTPRINT_REQUIRE_EXTERNAL_TOOLS is set) but missing")
    pytest.skip(f"{path} is not installed")


def minimal_xlsx() -> bytes:
    """A tiny valid zip container named like a workbook (enough for the type sniffing)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.fixture
def cold_app(tmp_path: Path):
    """An app whose engine is never started: everything checked before an assessment."""
    app = create_app(WebSettings(max_upload_bytes=1000, work_dir=tmp_path))
    yield app
    shutil.rmtree(app.state.footprint.root, ignore_errors=True)


@pytest.fixture
def cold_client(cold_app) -> Iterator[TestClient]:
    # no `with`: the lifespan (engine start) does not run
    yield TestClient(cold_app)
