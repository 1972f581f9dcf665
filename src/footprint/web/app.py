"""The FastAPI application: the upload page, the JSON API and the downloads.

Status codes (the page and the API answer alike):
  200  assessed (the API body is exactly the CLI's ``--json`` document)
  202  a job was started (``POST /api/jobs``): poll ``GET /api/jobs/{id}`` for its progress
  303  the page's form was assessed: see the result's own page
  400  a malformed form;  404  an unknown or expired result
  413  a file over the upload limit (checked while it streams), or a workbook that would
       expand far beyond its size (zip bomb: the BOM reader's ``InputTooLargeError``)
  415  not an .xlsx or .csv file, by extension or by content (xlsx = zip, csv = text)
  422  an invalid BOM, dataset file, rule-set name or date: every problem, located
  503  the engine is still starting (or failed to start: see ``/health``)

Each request's files live in a private temporary folder removed when the request ends;
finished results are kept by :class:`~footprint.web.results.ResultStore` under an
unguessable id for a limited time.  Nothing is fetched from the network: plotly.js and the
API reference (``/docs``) are served by the app itself.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from footprint import __version__
from footprint.errors import FootprintError, InputTooLargeError, Problem
from footprint.model import Assessment, json_schema
from footprint.resources import templates_dir
from footprint.web import apidocs, compare_view, pages
from footprint.web.jobs import Job, JobStore
from footprint.web.results import DOWNLOADS, ResultStore
from footprint.web.service import (
    AssessmentService,
    AssessRequest,
    EngineNotReady,
    parse_as_of,
    parse_flag,
    parse_indicators,
    parse_rules,
)
from footprint.web.settings import WebSettings
from footprint.web.static import StaticAssets
from footprint.web.uploads import (
    UploadRejected,
    check_content,
    limit_text,
    receive_form,
)

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

    from footprint.api import StageCallback

log = logging.getLogger("footprint.web")

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "the BOM: an .xlsx workbook or a .csv file",
                        },
                        "datasets": {
                            "type": "string",
                            "format": "binary",
                            "description": "optional dataset file (.csv or .xlsx) of your own "
                            "emission factors",
                        },
                        "rules": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "shipped rule-set names (see GET /api/rules), "
                            "repeated or comma-separated",
                        },
                        "suppliers": {
                            "type": "string",
                            "format": "binary",
                            "description": "optional supplier register (.xlsx, or the "
                            "Suppliers sheet as .csv): adds each product's sourcing figures",
                        },
                        "approved_smelters": {
                            "type": "string",
                            "format": "binary",
                            "description": "optional .csv of approved smelter ids, one a row",
                        },
                        "high_risk_countries": {
                            "type": "string",
                            "format": "binary",
                            "description": "optional .csv of high-risk ISO country codes",
                        },
                        "as_of": {
                            "type": "string",
                            "format": "date",
                            "description": "YYYY-MM-DD: which regulatory phase applies to "
                            "products without a placed-on-market date (default today)",
                        },
                        "indicators": {
                            "type": "string",
                            "description": "climate (default), ef31, ef31+ced or indicator "
                            "ids: each product then carries its impact profile",
                        },
                        "hotspots": {
                            "type": "boolean",
                            "description": "add the PEF most relevant categories, stages, "
                            "processes and elementary flows",
                        },
                    },
                }
            }
        },
    }
}

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"description": "a file over the upload limit, or a zip bomb"},
    415: {"description": "not an .xlsx or .csv file"},
    422: {"description": "invalid input: `problems` lists file, sheet, row, column, message"},
    503: {"description": "the engine is still starting"},
}


@dataclass
class AppState:
    settings: WebSettings
    service: AssessmentService
    root: Path
    results: ResultStore
    jobs: JobStore
    limiter: anyio.CapacityLimiter | None = None
    start_error: str | None = None
    tasks: list[Any] = field(default_factory=list)
    group: TaskGroup | None = None  # where jobs run (set while the app is up)

    @property
    def uploads(self) -> Path:
        return self.root / "uploads"


class Rejected(Exception):
    """A request answered with problems instead of a result."""

    def __init__(self, status: int, headline: str, problems: list[Problem]) -> None:
        super().__init__(headline)
        self.status = status
        self.headline = headline
        self.problems = problems
        self.fields: dict[str, list[str]] = {}  # the form as sent, to fill the page again


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the app; the engine loads in the background when the app starts."""
    settings = settings or WebSettings()
    root = Path(tempfile.mkdtemp(prefix="footprint-web-", dir=settings.work_dir))
    (root / "uploads").mkdir()
    (root / "results").mkdir()
    state = AppState(
        settings=settings,
        service=AssessmentService(settings.brightway_project),
        root=root,
        results=ResultStore(
            root / "results",
            ttl_seconds=settings.result_ttl_seconds,
            max_results=settings.max_results,
        ),
        jobs=JobStore(ttl_seconds=settings.result_ttl_seconds, max_jobs=settings.max_results),
    )
    assets = StaticAssets()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.limiter = anyio.CapacityLimiter(settings.assess_workers)
        async with anyio.create_task_group() as group:
            state.group = group
            group.start_soon(start_engine, state)
            try:
                yield
            finally:
                state.group = None
                group.cancel_scope.cancel()
                state.results.clear()
                shutil.rmtree(root, ignore_errors=True)

    app = FastAPI(
        title="footprint",
        version=__version__,
        summary="PEF climate footprint, circularity and compliance checks for bills of materials",
        docs_url=None,  # FastAPI's own docs pages load their scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.footprint = state

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> Response:
        # a defect in footprint, not the user's input: one line, no traceback to the client
        log.error("internal error on %s: %s", request.url.path, error, exc_info=error)
        message = f"internal error in footprint ({type(error).__name__}); please report it"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message, "problems": []}, status_code=500)
        return html_page(pages.page("Internal error", pages.problems_block([], message)), 500)

    # ---------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def upload_form() -> HTMLResponse:
        return html_page(form_page(state))

    @app.post("/", include_in_schema=False, openapi_extra=MULTIPART_BODY)
    async def upload_and_assess(request: Request) -> Response:
        try:
            assessment, bom_name = await assess_request(state, request)
        except Rejected as rejected:
            return html_page(rejected_form(state, rejected), status=rejected.status)
        stored = state.results.add(assessment, bom_name)
        return RedirectResponse(f"/results/{stored.id}", status_code=303)

    @app.get("/results/{result_id}", response_class=HTMLResponse, include_in_schema=False)
    async def result(result_id: str) -> HTMLResponse:
        stored = state.results.get(result_id)
        if stored is None:
            return html_page(pages.not_found_page(), status=404)
        figures = stored.figures  # drawn by the job that made the result, if one did
        if figures is None:
            figures = await anyio.to_thread.run_sync(
                stored.assessment.figures, limiter=state.limiter
            )
        return html_page(
            pages.result_page(
                stored.assessment, figures, result_id=stored.id, bom_name=stored.bom_name
            )
        )

    @app.get("/results/{result_id}/{filename}", include_in_schema=False)
    async def download(result_id: str, filename: str) -> Response:
        stored = state.results.get(result_id)
        kind = next((k for k, d in DOWNLOADS.items() if d.filename == filename), None)
        if stored is None or kind is None:
            return JSONResponse({"detail": "no such result (results expire)"}, status_code=404)
        path = await anyio.to_thread.run_sync(
            state.results.file, stored, kind, limiter=state.limiter
        )
        return FileResponse(
            path,
            media_type=DOWNLOADS[kind].media_type,
            filename=pages.download_name(stored.bom_name, kind),
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    @app.get("/template/bom-template.xlsx", include_in_schema=False)
    async def bom_template() -> Response:
        path = templates_dir() / "bom-template.xlsx"
        if not path.is_file():
            return JSONResponse({"detail": "the BOM template is not installed"}, 404)
        return FileResponse(
            path,
            media_type=DOWNLOADS["xlsx"].media_type,
            filename="bom-template.xlsx",
        )

    @app.get("/template/supplier-template.xlsx", include_in_schema=False)
    async def supplier_template() -> Response:
        from footprint.suppliers_template import supplier_template_bytes

        return Response(
            supplier_template_bytes(),
            media_type=DOWNLOADS["xlsx"].media_type,
            headers={"Content-Disposition": 'attachment; filename="supplier-template.xlsx"'},
        )

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str, request: Request) -> Response:
        return assets.response(name, request.headers.get("if-none-match"))

    # ---------------------------------------------------------------- JSON API

    @app.post(
        "/api/assess",
        summary="Assess a BOM",
        description="Upload a BOM (and optionally a dataset file); the answer is the same "
        "JSON document as `footprint assess --json`. The `Link` header names the Excel "
        "workbook and HTML report of the result, kept for a limited time.",
        openapi_extra=MULTIPART_BODY,
        responses={200: {"description": "the assessment (GET /api/schema)"}, **PROBLEM_RESPONSES},
    )
    async def api_assess(request: Request) -> Response:
        try:
            assessment, bom_name = await assess_request(state, request)
        except Rejected as rejected:
            return problems_json(rejected)
        stored = state.results.add(assessment, bom_name)
        base = f"/results/{stored.id}"
        links = ", ".join(
            f'<{base}/{d.filename}>; rel="alternate"; type="{d.media_type.split(";")[0]}"'
            for d in DOWNLOADS.values()
        )
        # the JSON download of the result, streamed to its file once, sent from there
        path = await anyio.to_thread.run_sync(
            state.results.file, stored, "json", limiter=state.limiter
        )
        return FileResponse(
            path,
            media_type="application/json",
            headers={"Link": links, "X-Footprint-Result": stored.id},
        )

    @app.get("/api/datasets", summary="The dataset library")
    async def api_datasets() -> Response:
        try:
            return JSONResponse(state.service.datasets_listing())
        except EngineNotReady:
            return not_ready_json(state)

    @app.get("/api/rules", summary="The shipped rule sets")
    async def api_rules() -> Response:
        if not state.service.ready:
            return not_ready_json(state)
        return JSONResponse(state.service.rules_listing())

    @app.get("/api/schema", summary="The JSON schema of an assessment")
    async def api_schema() -> dict[str, Any]:
        return json_schema()

    @app.get("/health", summary="Liveness and engine readiness")
    async def health() -> Response:
        if state.service.ready:
            return JSONResponse({"status": "ok", "version": __version__})
        if state.start_error:
            return JSONResponse({"status": "failed", "detail": state.start_error}, 500)
        return JSONResponse({"status": "starting"}, 503)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return html_page(apidocs.render(app.openapi()))

    @app.post(
        "/api/jobs",
        summary="Start assessing a BOM as a job",
        description="The same upload as `POST /api/assess`; the answer (202) names the job. "
        "Poll `GET /api/jobs/{id}` for its stage, progress and time estimate; when it is "
        "done, `result` is the result page (downloads under it, as for /api/assess).",
        openapi_extra=MULTIPART_BODY,
        status_code=202,
        responses={202: {"description": "the job, with its status URL"}, **PROBLEM_RESPONSES},
    )
    async def api_start_job(request: Request) -> Response:
        try:
            job = await start_job(state, request)
        except Rejected as rejected:
            return problems_json(rejected)
        status = job.status()
        return JSONResponse(status, status_code=202, headers={"Location": f"/api/jobs/{job.id}"})

    @app.post(
        "/api/read",
        summary="Read a BOM: its products, categories and the rule sets that fit",
        description="Only reads the BOM (nothing is computed): the upload form calls it when "
        "a file is chosen, to tick the rule sets for the products' categories. Invalid BOMs "
        "answer 422 with every problem, as /api/assess does.",
        openapi_extra=MULTIPART_BODY,
        responses=PROBLEM_RESPONSES,
    )
    async def api_read(request: Request) -> Response:
        try:
            summary = await read_request(state, request)
        except Rejected as rejected:
            return problems_json(rejected)
        return JSONResponse(summary)

    @app.get("/api/jobs/{job_id}", summary="A job's stage, progress and time estimate")
    async def api_job(job_id: str) -> Response:
        job = state.jobs.get(job_id)
        if job is None:
            return JSONResponse({"detail": "no such job (jobs expire)"}, status_code=404)
        return JSONResponse(job.status(), headers={"Cache-Control": "no-store"})

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    async def job_page(job_id: str) -> Response:
        """The job as a page: progress (refreshing itself), the result, or the problems."""
        job = state.jobs.get(job_id)
        if job is None:
            return html_page(pages.not_found_page(), status=404)
        status = job.status()
        if job.state == "done":
            return RedirectResponse(status["result"], status_code=303)
        if job.state == "failed":
            rejected = job.failure
            return html_page(rejected_form(state, rejected), status=rejected.status)
        return html_page(pages.job_page(status))

    compare_view.register(app, state)
    return app


async def start_job(state: AppState, request: Request) -> Job:
    """Receive and check the upload now; assess it in the background as a job."""
    if state.group is None or not state.service.ready:
        detail = state.start_error or "The calculation engine is still starting; retry shortly"
        raise Rejected(503, detail, [])
    assess, folder, fields = await receive_request(state, request)
    job = state.jobs.add(assess.bom_name)
    state.group.start_soon(run_job, state, job, assess, folder, fields)
    return job


async def read_request(state: AppState, request: Request) -> dict[str, Any]:
    """Receive a BOM and read it only (the form's rule-set preselection)."""
    if not state.service.ready:
        detail = state.start_error or "The calculation engine is still starting; retry shortly"
        raise Rejected(503, detail, [])
    assess, folder, _fields = await receive_request(state, request)
    try:
        return await anyio.to_thread.run_sync(
            state.service.read_summary, assess.bom, assess.bom_name, limiter=state.limiter
        )
    except InputTooLargeError as error:
        raise Rejected(413, f"{assess.bom_name} is too large", error.problems) from None
    except FootprintError as error:
        raise Rejected(422, _problems_headline(assess.bom_name, error), error.problems) from None
    finally:
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)


async def run_job(
    state: AppState, job: Job, assess: AssessRequest, folder: Path, fields: dict[str, list[str]]
) -> None:
    try:
        assessment = await run_assessment(state, assess, job.report)
        job.report("reports", 0, 1)
        figures = await anyio.to_thread.run_sync(assessment.figures, limiter=state.limiter)
        stored = state.results.add(assessment, assess.bom_name)
        stored.figures = figures
        job.finish(stored.id)
    except Rejected as rejected:
        rejected.fields = fields
        job.fail(rejected)
    except Exception as error:  # a defect: the job says so, the log has the traceback
        log.error("internal error in job %s: %s", job.id[:8], error, exc_info=error)
        message = f"internal error in footprint ({type(error).__name__}); please report it"
        job.fail(Rejected(500, message, []))
    finally:
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)


async def start_engine(state: AppState) -> None:
    try:
        await anyio.to_thread.run_sync(state.service.start)
    except Exception as error:  # reported by /health and by every assessment request
        log.exception("footprint engine failed to start")
        state.start_error = f"{type(error).__name__}: {error}"


def form_page(state: AppState, **kwargs: Any) -> str:
    return pages.upload_page(
        state.service.rule_sets,
        max_upload_text=limit_text(state.settings.max_upload_bytes),
        ready=state.service.ready,
        **kwargs,
    )


def rejected_form(state: AppState, rejected: Rejected) -> str:
    """The form again, with the problems of the upload and the choices the user made."""
    as_of = rejected.fields.get("as_of", [""]) or [""]
    return form_page(
        state,
        problems=rejected.problems,
        headline=rejected.headline,
        chosen_rules=parse_rules(rejected.fields.get("rules", [])),
        as_of=as_of[-1] if len(as_of[-1]) <= 10 else "",
        indicators=(rejected.fields.get("indicators") or ["climate"])[-1][:40],
        hotspots=parse_flag(rejected.fields.get("hotspots", [])),
    )


def html_page(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=PAGE_HEADERS)


def problems_json(rejected: Rejected) -> JSONResponse:
    return JSONResponse(
        {"detail": rejected.headline, "problems": [p.to_dict() for p in rejected.problems]},
        status_code=rejected.status,
    )


def not_ready_json(state: AppState) -> JSONResponse:
    detail = state.start_error or "the engine is still starting; retry shortly"
    return JSONResponse({"detail": detail}, status_code=503)


async def assess_request(state: AppState, request: Request) -> tuple[Assessment, str]:
    """Receive, check and assess one upload inside its own temporary folder."""
    assess, folder, fields = await receive_request(state, request)
    try:
        return await run_assessment(state, assess), assess.bom_name
    except Rejected as rejected:
        rejected.fields = fields
        raise
    finally:
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)


async def receive_request(
    state: AppState, request: Request
) -> tuple[AssessRequest, Path, dict[str, list[str]]]:
    """The upload received into a private temporary folder (the caller removes it) and
    checked; a refused upload removes it here."""
    settings = state.settings
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=state.uploads))
    fields: dict[str, list[str]] = {}
    try:
        try:
            form = await receive_form(
                dict(request.headers),
                request.stream(),
                folder,
                max_file_bytes=settings.max_upload_bytes,
                max_request_bytes=settings.max_request_bytes,
            )
            fields = form.fields
            bom = form.files.get("file")
            if bom is None:
                raise Rejected(
                    422,
                    "Choose a BOM file to assess",
                    [Problem("no BOM uploaded: send it in the form field 'file'", column="file")],
                )
            for upload in form.files.values():
                check_content(upload)
        except UploadRejected as refused:
            raise Rejected(
                refused.status, refused.message, [Problem(refused.message, file=refused.file)]
            ) from None
        datasets = form.files.get("datasets")
        try:
            assess = AssessRequest(
                bom=bom.path,
                bom_name=bom.original_name,
                datasets=datasets.path if datasets else None,
                datasets_name=datasets.original_name if datasets else None,
                rules=tuple(parse_rules(form.values("rules"))),
                as_of=parse_as_of(form.values("as_of")),
                indicators=parse_indicators(form.values("indicators")),
                hotspots=parse_flag(form.values("hotspots")),
                sourcing=tuple(
                    (name, stored.path, stored.original_name)
                    for name in ("suppliers", "approved_smelters", "high_risk_countries")
                    if (stored := form.files.get(name)) is not None
                ),
            )
        except FootprintError as error:
            raise Rejected(
                422, _problems_headline(bom.original_name, error), error.problems
            ) from None
    except Rejected as rejected:
        rejected.fields = fields
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)
        raise
    except BaseException:
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)
        raise
    return assess, folder, fields


async def run_assessment(
    state: AppState, assess: AssessRequest, stages: StageCallback | None = None
) -> Assessment:
    """Assess a received upload in a worker thread; refusals become ``Rejected``."""
    try:
        if not state.service.ready:
            raise EngineNotReady
        return await anyio.to_thread.run_sync(
            state.service.assess, assess, stages, limiter=state.limiter
        )
    except InputTooLargeError as error:
        raise Rejected(413, f"{assess.bom_name} is too large", error.problems) from None
    except FootprintError as error:
        raise Rejected(422, _problems_headline(assess.bom_name, error), error.problems) from None
    except EngineNotReady:
        detail = state.start_error or "The calculation engine is still starting; retry shortly"
        raise Rejected(503, detail, []) from None


def _problems_headline(bom_name: str, error: FootprintError) -> str:
    count = len(error.problems)
    return f"{bom_name}: {count} problem{'s' if count != 1 else ''} to fix"
