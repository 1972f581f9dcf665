"""Settings of the web app: limits, result lifetime and the Brightway project to serve."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """What ``footprint serve`` and ``create_app`` can tune.

    ``max_upload_bytes`` bounds every uploaded file (the BOM and the optional dataset file);
    the whole request may carry two such files plus a small allowance for form fields.
    Results (the assessment and its workbook, JSON and HTML report) stay retrievable by
    their unguessable id for ``result_ttl_seconds``; at most ``max_results`` are kept, the
    oldest going first.  ``assess_workers`` bounds how many assessments run at once in the
    thread pool, so that two cores are not swamped and the event loop stays free.
    """

    max_upload_bytes: int = 20 * MEGABYTE
    result_ttl_seconds: float = 3600.0
    max_results: int = 200
    assess_workers: int = 4
    brightway_project: str | None = None
    work_dir: Path | None = None  # private temporary folders go here; None = system temp

    @property
    def max_request_bytes(self) -> int:
        form_allowance = 256 * 1024
        return 2 * self.max_upload_bytes + form_allowance
