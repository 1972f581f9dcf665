"""Workbooks that are dangerous to open are refused by the running app, and leave nothing."""

from __future__ import annotations

import io
import zipfile

import httpx

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of encrypted workbooks


def zip_bomb() -> bytes:
    """20 MB of sheet XML squeezed into about 20 kB: a ratio no real workbook has."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * 1024**2))
    return buffer.getvalue()


def test_a_zip_bomb_is_413_with_the_reason(live_server) -> None:
    payload = zip_bomb()
    assert len(payload) < 100_000  # small on the wire: only its expansion is dangerous
    answer = httpx.post(
        f"{live_server.url}/api/assess",
        files={"file": ("bom.xlsx", payload, "application/octet-stream")},
        timeout=60,
    )
    assert answer.status_code == 413
    assert "zip bomb" in answer.text
    assert httpx.get(f"{live_server.url}/health", timeout=5).json()["status"] == "ok"
    assert list((live_server.app.state.footprint.root / "uploads").iterdir()) == []


def test_a_password_protected_workbook_is_415_with_a_way_out(live_server) -> None:
    encrypted = OLE_HEADER + b"\x00" * 4096
    answer = httpx.post(
        f"{live_server.url}/api/assess",
        files={"file": ("bom.xlsx", encrypted, "application/octet-stream")},
        timeout=60,
    )
    assert answer.status_code == 415
    assert "password" in answer.text.lower() or "encrypted" in answer.text.lower()
