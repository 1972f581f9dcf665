"""Static assets served by the app itself: its stylesheet and script, and plotly.js.

plotly.js comes from the installed plotly package (``plotly.offline.get_plotlyjs()``), so
the page never reaches a CDN and the charts match the plotly version that built them.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi.responses import JSONResponse, Response

STATIC_DIR = Path(__file__).resolve().parent / "static"
_MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_OWN_FILES = ("app.css", "app.js")
SORT_ON_LOAD = 'document.addEventListener("DOMContentLoaded", footprintSortTables);\n'


@dataclass(frozen=True)
class _Asset:
    body: bytes
    media_type: str
    etag: str


class StaticAssets:
    """A fixed set of named assets, loaded on first use and kept in memory."""

    def __init__(self) -> None:
        self._cache: dict[str, _Asset] = {}
        self._lock = threading.Lock()

    def _load(self, name: str) -> _Asset | None:
        if name == "plotly.min.js":
            from plotly.offline import get_plotlyjs

            body = get_plotlyjs().encode("utf-8")
        elif name == "sortable.js":  # the sorting of scorecard tables, shared with the report
            from footprint.report.sourcing import SORT_SCRIPT

            body = (SORT_SCRIPT + SORT_ON_LOAD).encode("utf-8")
        elif name in _OWN_FILES:
            body = (STATIC_DIR / name).read_bytes()
        else:
            return None
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return _Asset(body, _MEDIA_TYPES[Path(name).suffix], etag)

    def get(self, name: str) -> _Asset | None:
        with self._lock:
            if name not in self._cache:
                asset = self._load(name)
                if asset is None:
                    return None
                self._cache[name] = asset
            return self._cache[name]

    def response(self, name: str, if_none_match: str | None) -> Response:
        asset = self.get(name)
        if asset is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        headers = {
            "ETag": asset.etag,
            "Cache-Control": "public, max-age=3600",
            "X-Content-Type-Options": "nosniff",
        }
        if if_none_match == asset.etag:
            return Response(status_code=304, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)
