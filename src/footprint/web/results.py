"""Finished assessments kept for a limited time, each under an unguessable id.

A result's page and downloads are reachable only by its id (32 random bytes, URL-safe); no
route lists results, so nothing from one upload is visible to another.  The workbook and
the HTML report are rendered on first download into the result's own private folder and
served from there afterwards; results expire after the configured lifetime, and when more
than ``max_results`` are held the oldest go first.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from footprint.model import Assessment

_ID_PATTERN_LENGTH = 43  # token_urlsafe(32)


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    render: Callable[[Assessment, Path], object]


def _write_json(assessment: Assessment, path: Path) -> None:
    assessment.write_json(path)  # streamed: the text is never held whole


DOWNLOADS: dict[str, Download] = {
    "xlsx": Download(
        "footprint.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda a, p: a.to_excel(p),
    ),
    "json": Download("footprint.json", "application/json", _write_json),
    "html": Download(
        "footprint-report.html", "text/html; charset=utf-8", lambda a, p: a.to_html(p)
    ),
}


@dataclass
class StoredResult:
    id: str
    assessment: Assessment
    folder: Path
    created: float
    bom_name: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    figures: dict[str, Any] | None = None  # the result page's figures, drawn by its job


class ResultStore:
    def __init__(self, root: Path, *, ttl_seconds: float, max_results: int) -> None:
        self.root = root
        self.ttl_seconds = ttl_seconds
        self.max_results = max_results
        self._results: OrderedDict[str, StoredResult] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, assessment: Assessment, bom_name: str) -> StoredResult:
        result_id = secrets.token_urlsafe(32)
        folder = Path(tempfile.mkdtemp(prefix="result-", dir=self.root))
        stored = StoredResult(result_id, assessment, folder, time.monotonic(), bom_name)
        with self._lock:
            self._results[result_id] = stored
            expired = self._expire_locked()
        self._remove(expired)
        return stored

    def get(self, result_id: str) -> StoredResult | None:
        if len(result_id) != _ID_PATTERN_LENGTH:
            return None
        with self._lock:
            expired = self._expire_locked()
            stored = self._results.get(result_id)
        self._remove(expired)
        return stored

    def file(self, stored: StoredResult, kind: str) -> Path:
        """The rendered download ``kind`` of a result, rendering it on first request."""
        download = DOWNLOADS[kind]
        path = stored.folder / download.filename
        with stored.lock:  # two clicks on the same download render it once
            if not path.exists():
                download.render(stored.assessment, path)
        return path

    def clear(self) -> None:
        with self._lock:
            gone = list(self._results.values())
            self._results.clear()
        self._remove(gone)

    def __len__(self) -> int:
        return len(self._results)

    def _expire_locked(self) -> list[StoredResult]:
        now = time.monotonic()
        gone = []
        while self._results:
            oldest = next(iter(self._results.values()))
            too_many = len(self._results) > self.max_results
            if not too_many and now - oldest.created < self.ttl_seconds:
                break
            gone.append(self._results.popitem(last=False)[1])
        return gone

    @staticmethod
    def _remove(results: list[StoredResult]) -> None:
        for stored in results:
            shutil.rmtree(stored.folder, ignore_errors=True)
