"""The compare view of the web page: upload two or more BOMs (a base and up to five
alternatives, fields ``alternative``, ``alternative-2`` … ``alternative-5``; or one BOM and a
pair of its products),
read the differences, download the comparison workbook.

    GET  /compare                      the form
    POST /compare                      compare; 303 to the comparison's own page
    GET  /compare/{id}                 the deltas: figures side by side, stage bars, waterfall,
                                       the lines that explain the difference, the check changes
    GET  /compare/{id}/comparison.xlsx (and comparison.json, comparison.html) the downloads
    POST /api/compare                  the same, answered with the comparison's JSON

Each request's uploads live in a private temporary folder removed when it ends; comparisons
are kept in memory under an unguessable id for the results' lifetime (settings), like results.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from footprint.errors import FootprintError, Problem
from footprint.web import pages
from footprint.web.service import AssessRequest, EngineNotReady, parse_as_of, parse_rules
from footprint.web.uploads import UploadRejected, check_content, receive_form

if TYPE_CHECKING:
    from footprint.comparison import Comparison

#: The upload fields of the alternatives, in the order they are compared with the base.
ALTERNATIVE_FIELDS = ("alternative", *(f"alternative-{n}" for n in range(2, 6)))

DOWNLOADS = {
    "comparison.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "comparison.json": "application/json",
    "comparison.html": "text/html; charset=utf-8",
}


@dataclass
class StoredComparison:
    id: str
    comparison: Comparison
    folder: Path
    created: float


class ComparisonStore:
    """Comparisons by unguessable id, expired after ``ttl_seconds``, at most ``max_items``."""

    def __init__(self, root: Path, ttl_seconds: float, max_items: int) -> None:
        self.root, self.ttl, self.max_items = root, ttl_seconds, max_items
        self._items: OrderedDict[str, StoredComparison] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, comparison: Comparison) -> StoredComparison:
        stored = StoredComparison(
            secrets.token_urlsafe(32),
            comparison,
            Path(tempfile.mkdtemp(prefix="comparison-", dir=self.root)),
            time.monotonic(),
        )
        with self._lock:
            self._items[stored.id] = stored
            gone = []
            while self._items and (
                len(self._items) > self.max_items
                or time.monotonic() - next(iter(self._items.values())).created > self.ttl
            ):
                gone.append(self._items.popitem(last=False)[1])
        for item in gone:
            shutil.rmtree(item.folder, ignore_errors=True)
        return stored

    def get(self, item_id: str) -> StoredComparison | None:
        with self._lock:
            stored = self._items.get(item_id)
        if stored is None or time.monotonic() - stored.created > self.ttl:
            return None
        return stored

    def file(self, stored: StoredComparison, name: str) -> Path:
        path = stored.folder / name
        with self._lock:
            if not path.exists():
                writers: dict[str, Callable[[Path], object]] = {
                    "comparison.xlsx": stored.comparison.to_excel,
                    "comparison.json": stored.comparison.to_json,
                    "comparison.html": stored.comparison.to_html,
                }
                writers[name](path)
        return path


def register(app: FastAPI, state: Any) -> None:
    """Add the compare routes to the app (``state``: the app's ``AppState``)."""
    root = Path(tempfile.mkdtemp(prefix="comparisons-", dir=state.root))
    store = ComparisonStore(root, state.settings.result_ttl_seconds, state.settings.max_results)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_form() -> HTMLResponse:
        return _html(form_page(state))

    @app.post("/compare", include_in_schema=False)
    async def compare_upload(request: Request) -> Response:
        try:
            comparison = await _compare_request(state, request)
        except _Rejected as rejected:
            return _html(form_page(state, rejected.problems, rejected.headline), rejected.status)
        stored = store.add(comparison)
        return RedirectResponse(f"/compare/{stored.id}", status_code=303)

    @app.get("/compare/{item_id}", response_class=HTMLResponse, include_in_schema=False)
    async def compare_result(item_id: str) -> HTMLResponse:
        stored = store.get(item_id)
        if stored is None:
            return _html(pages.not_found_page(), 404)
        return _html(result_page(stored))

    @app.get("/compare/{item_id}/{filename}", include_in_schema=False)
    async def compare_download(item_id: str, filename: str) -> Response:
        stored = store.get(item_id)
        if stored is None or filename not in DOWNLOADS:
            return JSONResponse({"detail": "no such comparison (comparisons expire)"}, 404)
        path = await anyio.to_thread.run_sync(store.file, stored, filename, limiter=state.limiter)
        return FileResponse(path, media_type=DOWNLOADS[filename], filename=filename)

    @app.post(
        "/api/compare",
        summary="Compare two BOMs",
        description="Upload `file` (the base BOM) and `alternative` (another BOM; more in "
        "`alternative-2` … `alternative-5`), or one file "
        "and `pair` fields `old-id=new-id`; optional `rules` and `as_of` as for /api/assess. "
        "The answer is the JSON document of `footprint compare --json` (schema: "
        "`footprint compare --schema`).",
    )
    async def api_compare(request: Request) -> Response:
        try:
            comparison = await _compare_request(state, request)
        except _Rejected as rejected:
            return JSONResponse(
                {"detail": rejected.headline, "problems": [p.to_dict() for p in rejected.problems]},
                status_code=rejected.status,
            )
        stored = store.add(comparison)
        return Response(
            comparison.to_json(),
            media_type="application/json",
            headers={"X-Footprint-Comparison": stored.id},
        )


class _Rejected(Exception):
    def __init__(self, status: int, headline: str, problems: list[Problem]) -> None:
        super().__init__(headline)
        self.status, self.headline, self.problems = status, headline, problems


async def _compare_request(state: Any, request: Request) -> Comparison:
    settings = state.settings
    folder = Path(tempfile.mkdtemp(prefix="compare-", dir=state.uploads))
    try:
        try:
            form = await receive_form(
                dict(request.headers),
                request.stream(),
                folder,
                max_file_bytes=settings.max_upload_bytes,
                max_request_bytes=settings.max_request_bytes,
            )
            for upload in form.files.values():
                check_content(upload)
        except UploadRejected as refused:
            raise _Rejected(
                refused.status, refused.message, [Problem(refused.message, file=refused.file)]
            ) from None
        base = form.files.get("file")
        alternatives = [form.files[f] for f in ALTERNATIVE_FIELDS if f in form.files]
        pairs = _pairs(form.values("pair"))
        if base is None or (not alternatives and not pairs):
            raise _Rejected(
                422,
                "Choose two BOM files to compare",
                [
                    Problem(
                        "send the base BOM as 'file' and the others as 'alternative', "
                        "'alternative-2' … 'alternative-5' (or one "
                        "file and 'pair' old-id=new-id)",
                        column="file",
                    )
                ],
            )
        if not state.service.ready:
            raise _Rejected(503, state.start_error or "the engine is still starting", [])
        try:
            requests = [
                AssessRequest(
                    bom=upload.path,
                    bom_name=upload.original_name,
                    datasets=None,
                    datasets_name=None,
                    rules=tuple(parse_rules(form.values("rules"))),
                    as_of=parse_as_of(form.values("as_of")),
                )
                for upload in (base, *alternatives)
            ]
            return await anyio.to_thread.run_sync(
                _compare, state.service, requests, pairs, limiter=state.limiter
            )
        except EngineNotReady:
            raise _Rejected(503, "the engine is still starting; retry shortly", []) from None
        except FootprintError as error:
            count = len(error.problems)
            raise _Rejected(
                422, f"{count} problem{'s' if count != 1 else ''} to fix", error.problems
            ) from None
    finally:
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)


def _pairs(values: list[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        old, sep, new = value.partition("=")
        if sep and old.strip() and new.strip():
            pairs[old.strip()] = new.strip()
        elif value.strip():
            raise _Rejected(
                422, "A pair is old-id=new-id", [Problem(f"{value!r}: write old-id=new-id")]
            )
    return pairs


def _compare(service: Any, requests: list[AssessRequest], pairs: dict[str, str]) -> Comparison:
    from footprint.comparison import compare_assessments

    assessments = [service.assess(r) for r in requests]
    labels = [r.bom_name for r in requests]
    if len(set(labels)) < len(labels):  # files of the same name: say which is which
        labels = [
            f"{label} (base)" if k == 0 else f"{label} (alternative {k})"
            for k, label in enumerate(labels)
        ]
    if len(assessments) == 1:
        return compare_assessments(assessments[0], [assessments[0]], labels=labels * 2, pairs=pairs)
    return compare_assessments(assessments[0], assessments[1:], labels=labels, pairs=pairs)


def _html(text: str, status: int = 200) -> HTMLResponse:
    from footprint.web.app import PAGE_HEADERS

    return HTMLResponse(text, status_code=status, headers=PAGE_HEADERS)


def form_page(
    state: Any, problems: list[Problem] | None = None, headline: str | None = None
) -> str:
    esc = pages.esc
    boxes = "".join(
        f'<label class="rule"><input type="checkbox" name="rules" value="{esc(r.name)}">'
        f"<span><strong>{esc(r.title)}</strong></span></label>"
        for r in state.service.rule_sets
    )
    more = "".join(
        f'<input id="{f}" name="{f}" type="file" accept=".xlsx,.csv" '
        f'aria-label="Alternative BOM {k}">'
        for k, f in enumerate(ALTERNATIVE_FIELDS[1:], 2)
    )
    return pages.page(
        "Compare two BOMs",
        f"""<section class="card upload">
<h1>Compare two bills of materials</h1>
<p class="lead">Upload a BOM and one or more revisions or alternatives of it (up to five).
Products are paired by
id and compared per the same functional unit: the difference per stage and per line, and the
checks whose result changes.</p>
{pages.problems_block(problems or [], headline)}
<form id="compare-form" method="post" action="/compare" enctype="multipart/form-data">
  <div class="field"><label for="file">Base BOM <span class="req">required</span></label>
  <input id="file" name="file" type="file" accept=".xlsx,.csv" required></div>
  <div class="field"><label for="alternative">Alternative BOMs</label>
  <input id="alternative" name="alternative" type="file" accept=".xlsx,.csv">
  {more}
  <small>or leave it empty and compare two products of the base file:</small></div>
  <div class="field"><label for="pair">Pair of products <span class="opt">optional</span></label>
  <input id="pair" name="pair" type="text" placeholder="old-id=new-id"></div>
  <fieldset class="field"><legend>Rule sets to check</legend>
  <div class="rules">{boxes}</div></fieldset>
  <button type="submit" id="compare-button">Compare</button>
</form></section>""",
    )


def result_page(stored: StoredComparison) -> str:
    from footprint.report.comparison import comparison_figures, pair_tables

    esc = pages.esc
    comparison = stored.comparison
    base = f"/compare/{esc(stored.id)}"
    sections = []
    for k, pair in enumerate(comparison.pairs, 1):
        cc = pair.climate_change
        unit = f"{(cc.before or cc.after or cc.delta).unit} per FU"
        percent = "" if cc.percent is None else f" ({cc.percent:+.1f} %)"
        sections.append(
            f"""<section class="card" id="pair-{k}">
<h2>{esc(pair.base.label)} · {esc(pair.base.id)} → {esc(pair.alternative.label)} ·
{esc(pair.alternative.id)}</h2>
<p class="muted">per functional unit: {esc(pair.base.functional_unit or "1 product")}</p>
<p class="delta">Difference in climate change: <strong id="delta-total-{k}"
>{esc(f"{cc.delta.total:+,.4g}")} {esc(unit)}</strong>{esc(percent)}</p>
{"".join(f'<p class="notice">{esc(n)}</p>' for n in pair.notes)}
<div class="scroll">{pair_tables(pair)}</div>
</section>"""
        )
    unmatched = "".join(
        f"<li>only in {esc(u.label)}: product {esc(u.id)}</li>" for u in comparison.unmatched
    )
    body = f"""<section class="card result-head">
<div><h1>Comparison</h1>
<p class="muted">base {esc(comparison.base)} · {esc(", ".join(comparison.alternatives))}</p></div>
<div class="downloads">
<a class="button" id="download-xlsx" href="{base}/comparison.xlsx" download>Excel workbook</a>
<a class="button secondary" href="{base}/comparison.json" download>JSON</a>
<a class="button secondary" href="{base}/comparison.html" download>HTML report</a>
<a class="button ghost" href="/compare">Compare others</a>
</div></section>
{"".join(sections) or '<section class="card"><p>No products could be paired.</p></section>'}
{f'<section class="card"><ul>{unmatched}</ul></section>' if unmatched else ""}
{pages.figures_block(comparison_figures(comparison))}"""
    return pages.page("Comparison", body)
