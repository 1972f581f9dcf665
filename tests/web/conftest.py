"""Fixtures of the web tests: apps without an engine, a shared started app, Chromium lookup."""

from __future__ import annotations

import csv
import io
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footprint.web import WebSettings, create_app

REPO = Path(__file__).resolve().parents[2]


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


@dataclass
class LiveServer:
    url: str
    app: object


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """uvicorn on a free loopback port in a background thread, with the engine started."""
    import httpx
    import uvicorn

    work = tmp_path_factory.mktemp("web-live")
    app = create_app(WebSettings(work_dir=work))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a first Brightway set-up takes some seconds
    status = None
    while time.monotonic() < deadline:
        try:
            status = httpx.get(f"{url}/health", timeout=2).json()
        except httpx.HTTPError:
            status = None
        if status and status["status"] != "starting":
            break
        time.sleep(0.25)
    try:
        assert status and status["status"] == "ok", f"the web app did not start: {status}"
        yield LiveServer(url, app)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def factor(dataset_id: str) -> float:
    """A shipped dataset's own climate_change value, read straight from its CSV file."""
    for path in sorted((REPO / "datasets").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["id"] == dataset_id:
                    return float(row["climate_change"])
    raise KeyError(dataset_id)
