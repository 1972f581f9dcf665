"""Receiving uploads safely: a streaming multipart reader with size limits and type sniffing.

Starlette's own form parser spools a whole upload before the handler sees it; this reader
instead writes each file part straight into the request's private folder as it arrives and
stops with :class:`UploadTooLarge` the moment a file or the request passes its limit.
Uploaded filenames are never used as paths: a file is stored in its field's own subfolder
under a stem reduced to letters, digits, spaces, '-' and '_', plus the accepted extension.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from footprint.bom.sheets import looks_like_text

# the BOM, an optional dataset file, and the sourcing inputs: a supplier register
# (.xlsx/.csv), an approved-smelter and a high-risk country list (.csv, one id a row)
FILE_FIELDS: tuple[str, ...] = ("file", "datasets")
FILE_FIELDS += ("suppliers", "approved_smelters", "high_risk_countries")
# the BOMs the compare view compares with `file`: alternative, alternative-2 … alternative-5
FILE_FIELDS += ("alternative", *(f"alternative-{n}" for n in range(2, 6)))
TEXT_FIELDS = ("rules", "as_of", "pair")  # pair: two products of one BOM, for the compare view
TEXT_FIELDS += ("indicators", "hotspots")  # type: ignore[assignment]  # the EF 3.1 profile
ACCEPTED_SUFFIXES = (".xlsx", ".csv")
MAX_TEXT_FIELD_BYTES = 8 * 1024
MAX_PARTS = 64
SNIFF_BYTES = 64 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and legacy .xls
_BINARY_MAGICS = (_ZIP_MAGIC, b"PK\x05\x06", _OLE_MAGIC, b"%PDF", b"\x89PNG", b"\x7fELF", b"MZ")


class UploadRejected(Exception):
    """An upload refused before any assessment; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, file: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.file = file


class UploadTooLarge(UploadRejected):
    status = 413


class UnsupportedUpload(UploadRejected):
    status = 415


class BadForm(UploadRejected):
    status = 400


@dataclass
class StoredUpload:
    """A file received into the private folder; ``original_name`` is display text only."""

    field: str
    path: Path
    original_name: str
    size: int = 0


@dataclass
class ReceivedForm:
    files: dict[str, StoredUpload] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        return self.fields.get(name, [])


def display_name(raw: str) -> str:
    """The last path component of a client-supplied filename, without control characters."""
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:120] or "upload"


def safe_stem(shown: str) -> str:
    """A file stem made only of letters, digits, spaces, '-' and '_' (no dots, no slashes).

    Readers name a product after its CSV file when the BOM has no product column, so the
    stored file keeps the user's stem as far as it is harmless; it can never leave the
    request's folder.
    """
    stem = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in Path(shown).stem)
    return stem.strip()[:80] or "bom"


def limit_text(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


class _Receiver:
    """Callbacks for python-multipart's streaming parser; writes file parts as they come."""

    def __init__(self, folder: Path, max_file_bytes: int) -> None:
        self.folder = folder
        self.max_file_bytes = max_file_bytes
        self.form = ReceivedForm()
        self.parts = 0
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name = ""
        self._text = bytearray()
        self._upload: StoredUpload | None = None
        self._sink: IO[bytes] | None = None
        self._discard = False

    def close(self) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise BadForm(f"too many form fields (at most {MAX_PARTS})")
        self._disposition = b""
        self._text = bytearray()
        self._upload = None
        self._discard = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            self._discard = self._name not in TEXT_FIELDS
            return
        original = options[b"filename"].decode("utf-8", "replace")
        if self._name not in FILE_FIELDS or not original:
            # unknown file fields, and the empty part a browser sends for "no file chosen"
            self._discard = True
            return
        if self._name in self.form.files:
            raise BadForm(f"send one file in field {self._name!r}", field=self._name)
        shown = display_name(original)
        suffix = Path(shown).suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise UnsupportedUpload(
                f"{shown!r} is not a spreadsheet footprint reads: upload an .xlsx workbook "
                "or a .csv file",
                field=self._name,
                file=shown,
            )
        place = self.folder / self._name
        place.mkdir()
        self._upload = StoredUpload(self._name, place / f"{safe_stem(shown)}{suffix}", shown)
        self._sink = self._upload.path.open("xb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._discard:
            return
        chunk = data[start:end]
        if self._upload is not None and self._sink is not None:
            self._upload.size += len(chunk)
            if self._upload.size > self.max_file_bytes:
                raise UploadTooLarge(
                    f"{self._upload.original_name!r} is larger than the upload limit of "
                    f"{limit_text(self.max_file_bytes)}",
                    field=self._name,
                    file=self._upload.original_name,
                )
            self._sink.write(chunk)
            return
        if len(self._text) + len(chunk) > MAX_TEXT_FIELD_BYTES:
            raise BadForm(f"form field {self._name!r} is too long", field=self._name)
        self._text.extend(chunk)

    def on_part_end(self) -> None:
        if self._discard:
            return
        if self._upload is not None:
            self.close()
            self.form.files[self._name] = self._upload
            self._upload = None
            return
        value = self._text.decode("utf-8", "replace")
        self.form.fields.setdefault(self._name, []).append(value)


async def receive_form(
    headers: dict[str, str],
    stream: AsyncIterator[bytes],
    folder: Path,
    *,
    max_file_bytes: int,
    max_request_bytes: int,
) -> ReceivedForm:
    """Read a multipart request into ``folder``, enforcing the limits while it streams."""
    content_type = headers.get("content-type", "")
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise UnsupportedUpload("send the files as multipart/form-data (an HTML form upload)")
    declared = headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_request_bytes:
        raise UploadTooLarge(
            f"the upload is larger than the limit of {limit_text(max_file_bytes)} per file"
        )
    receiver = _Receiver(folder, max_file_bytes)
    callbacks = {
        "on_part_begin": receiver.on_part_begin,
        "on_part_data": receiver.on_part_data,
        "on_part_end": receiver.on_part_end,
        "on_header_field": receiver.on_header_field,
        "on_header_value": receiver.on_header_value,
        "on_header_end": receiver.on_header_end,
        "on_headers_finished": receiver.on_headers_finished,
    }
    parser = MultipartParser(options[b"boundary"], callbacks)  # type: ignore[arg-type]
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if received > max_request_bytes:
                raise UploadTooLarge(
                    f"the upload is larger than the limit of {limit_text(max_file_bytes)} per file"
                )
            parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise BadForm(f"the form data could not be read ({error})") from None
    finally:
        receiver.close()
    return receiver.form


def check_content(upload: StoredUpload) -> None:
    """Refuse a file whose content does not match its extension (xlsx = zip, csv = text)."""
    with upload.path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    name = upload.original_name
    if upload.path.suffix == ".xlsx":
        if head.startswith(_OLE_MAGIC):
            raise UnsupportedUpload(
                f"{name!r} is password-protected or a legacy .xls file: save it as an .xlsx "
                "workbook without a password",
                field=upload.field,
                file=name,
            )
        if not head.startswith(_ZIP_MAGIC) and looks_like_text(head[:8192]):
            raise UnsupportedUpload(
                f"{name!r} is a text (CSV) file named .xlsx, not a workbook: rename it to .csv "
                "and upload it again",
                field=upload.field,
                file=name,
            )
        if not head.startswith(_ZIP_MAGIC):
            raise UnsupportedUpload(
                f"{name!r} is not an .xlsx workbook (an .xlsx file is a zip archive)",
                field=upload.field,
                file=name,
            )
        return
    if not looks_like_text(head[:8192]) and (
        b"\x00" in head or head.startswith(_BINARY_MAGICS) or _mostly_binary(head)
    ):
        raise UnsupportedUpload(
            f"{name!r} is not a text CSV file: save the sheet as 'CSV UTF-8'",
            field=upload.field,
            file=name,
        )


def _mostly_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) // 100
