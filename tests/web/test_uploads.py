"""Hostile and wrong uploads are refused before any assessment, with the right status."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from footprint.web import WebSettings, create_app
from footprint.web.uploads import display_name, safe_stem

from .conftest import minimal_xlsx

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40
CSV = b"product,id,quantity,unit,dataset\nphone,case,12 g,,material-aluminium-primary\n"


def leftovers(app) -> list[Path]:
    return list((app.state.footprint.root / "uploads").iterdir())


@pytest.mark.parametrize("endpoint", ["/api/assess", "/"])
def test_a_file_over_the_limit_is_413_and_nothing_stays_on_disk(cold_app, cold_client, endpoint):
    big = b"a,b\n" + b"1,2\n" * 400  # 1,604 bytes against a 1,000-byte limit
    answer = cold_client.post(endpoint, files={"file": ("bom.csv", big, "text/csv")})
    assert answer.status_code == 413
    assert "1000" in answer.text or "MB" in answer.text
    assert leftovers(cold_app) == []


def test_a_declared_content_length_over_the_request_limit_is_refused_before_reading(cold_app):
    """The limit holds while streaming: the app stops reading long before the body ends."""
    chunk = b"x" * 65536
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bom.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    total_chunks = 200  # 13 MB announced; the app's per-request limit is about 258 kB
    received = 0

    async def receive():
        nonlocal received
        received += 1
        body = head if received == 1 else chunk
        return {"type": "http.request", "body": body, "more_body": received < total_chunks}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/assess",
        "raw_path": b"/api/assess",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
        "app": cold_app,
    }
    asyncio.run(cold_app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert received < 10  # the per-file limit (1,000 bytes) stopped it at the second chunk
    assert leftovers(cold_app) == []


def test_an_announced_oversized_body_is_refused_from_its_content_length(cold_client):
    answer = cold_client.post(
        "/api/assess",
        content=b"x" * 10,
        headers={
            "content-type": "multipart/form-data; boundary=zzz",
            "content-length": str(10**9),
        },
    )
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("bom.txt", CSV, "not a spreadsheet"),
        ("bom.xls", OLE, "not a spreadsheet"),
        ("bom.xlsx", CSV, "rename it to .csv"),
        ("bom.xlsx", b"\x00\x01\x02 not a zip", "zip archive"),
        ("bom.xlsx", OLE, "password-protected"),
        ("bom.csv", PNG, "not a text CSV"),
        ("bom.csv", minimal_xlsx(), "not a text CSV"),
    ],
)
def test_wrong_types_are_415_by_extension_and_by_content(cold_client, name, content, why):
    answer = cold_client.post("/api/assess", files={"file": (name, content)})
    assert answer.status_code == 415
    body = answer.json()
    assert why in body["detail"]
    assert body["problems"][0]["file"] == name


def test_the_dataset_file_is_sniffed_too(cold_client):
    answer = cold_client.post(
        "/api/assess",
        files={"file": ("bom.csv", CSV), "datasets": ("factors.csv", PNG)},
    )
    assert answer.status_code == 415
    assert answer.json()["problems"][0]["file"] == "factors.csv"


def test_a_request_without_a_bom_is_422(cold_client):
    answer = cold_client.post("/api/assess", data={"as_of": "2031-01-01"}, files={"x": ("a", b"")})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["column"] == "file"


def test_a_request_that_is_not_multipart_is_415(cold_client):
    answer = cold_client.post("/api/assess", json={"file": "bom.csv"})
    assert answer.status_code == 415


def test_a_bad_date_is_422_naming_the_field(cold_client):
    answer = cold_client.post(
        "/api/assess", data={"as_of": "18/08/2031"}, files={"file": ("bom.csv", CSV)}
    )
    assert answer.status_code == 422
    problem = answer.json()["problems"][0]
    assert problem["column"] == "as_of"
    assert "YYYY-MM-DD" in problem["message"]


def test_a_valid_upload_waits_for_the_engine_with_503(cold_app, cold_client):
    answer = cold_client.post("/api/assess", files={"file": ("bom.csv", CSV)})
    assert answer.status_code == 503
    assert leftovers(cold_app) == []


def test_uploaded_filenames_are_never_used_as_paths(cold_app, cold_client, tmp_path):
    hostile = "../../../../" + str(tmp_path / "escaped.csv")
    answer = cold_client.post("/api/assess", files={"file": (hostile, CSV)})
    assert answer.status_code == 503  # accepted as a CSV, then the (cold) engine is awaited
    assert not (tmp_path / "escaped.csv").exists()
    assert leftovers(cold_app) == []


def test_the_page_shows_upload_errors_next_to_the_form(cold_client):
    answer = cold_client.post("/", files={"file": ("drawing.png", PNG)})
    assert answer.status_code == 415
    assert 'id="errors"' in answer.text
    assert "drawing.png" in answer.text
    assert 'id="assess-form"' in answer.text


def test_the_empty_part_a_browser_sends_for_no_dataset_file_is_ignored(cold_client):
    answer = cold_client.post(
        "/", files={"file": ("bom.csv", CSV), "datasets": ("", b"", "application/octet-stream")}
    )
    assert answer.status_code == 503  # got as far as the engine: the empty part was no file


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\eng\\bom.xlsx", "bom.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("bom\x00\x1b[31m.csv", "bom[31m.csv"),
        ("", "upload"),
        ("x" * 500 + ".csv", "x" * 120),
    ],
)
def test_display_names_keep_only_a_harmless_last_component(raw, shown):
    assert display_name(raw) == shown


def test_the_request_limit_follows_the_setting(tmp_path):
    app = create_app(WebSettings(max_upload_bytes=5000, work_dir=tmp_path))
    client = TestClient(app)
    answer = client.post("/api/assess", files={"file": ("bom.csv", b"a,b\n" + b"1,2\n" * 1000)})
    assert answer.status_code == 503  # 4,004 bytes pass a 5,000-byte limit
    answer = client.post("/api/assess", files={"file": ("bom.csv", b"a,b\n" + b"1,2\n" * 1300)})
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("shown", "stem"),
    [
        ("office-chair.csv", "office-chair"),
        ("Stückliste v2.xlsx", "Stückliste v2"),
        ("..xlsx", "_"),
        (" .csv", "bom"),
        ("a.b.c.csv", "a_b_c"),
        ("$(rm -rf).csv", "__rm -rf_"),
    ],
)
def test_stored_stems_keep_harmless_characters_only(shown, stem):
    assert safe_stem(shown) == stem
