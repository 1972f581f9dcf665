"""Assessments that run as jobs: the page polls their progress and a time estimate.

A job is created once its upload has been received and checked; the assessment then runs in
the background and tells the job where it is (``footprint.api.StageCallback``): reading the
BOM, linking its lines to datasets, computing every line's footprint, circularity and checks
per product; the web app adds the reports stage (the result page's figures).

Progress is a fraction of the expected work: each stage has a weight, its share of the time
a big BOM spends there (measured by ``benchmarks/web_result.py``; see benchmarks/README.md),
and within a stage the products done, or, while one long step runs, the time spent in it
against the time it is expected to take (never more than 95 % of the stage, so the bar
cannot run ahead of the work; it never goes back).  The time estimate is the elapsed time
scaled by the work still to do, recomputed at each stage change (so it counts down between
changes), and said as an estimate.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

#: the stages in order with their weights: their share of a 16,000-line BOM's time
STAGES: tuple[tuple[str, str, float], ...] = (
    ("waiting", "Waiting for a free worker", 0.0),
    ("reading", "Reading the BOM", 0.12),
    ("linking", "Linking lines to datasets", 0.04),
    ("computing", "Computing every line's footprint", 0.06),
    ("circularity and checks", "Circularity and checks", 0.63),
    ("reports", "Preparing the result page", 0.15),
)
_ORDER = {name: index for index, (name, _label, _weight) in enumerate(STAGES)}
_LABELS = {name: label for name, label, _weight in STAGES}
_BEFORE = {  # the weight of all stages before each one
    name: sum(weight for _n, _l, weight in STAGES[:index]) for name, index in _ORDER.items()
}
_WEIGHT = {name: weight for name, _label, weight in STAGES}
_STAGE_CAP = 0.95  # a stage's time-based share stops here until the stage reports done
_ID_LENGTH = 43  # token_urlsafe(32)

State = Literal["running", "done", "failed"]


@dataclass
class Job:
    id: str
    bom_name: str
    created: float = field(default_factory=time.monotonic)
    state: State = "running"
    stage: str = "waiting"
    done: int = 0
    total: int = 1
    result_id: str | None = None
    failure: Any = None  # the app's ``Rejected`` when the assessment was refused
    _stage_started: float = field(default_factory=time.monotonic)
    _expected_total: float | None = None  # seconds, from the progress at the last change
    _shown: float = 0.0  # the fraction reported last (never reported smaller)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def report(self, stage: str, done: int, total: int) -> None:
        """A ``StageCallback``: called from the worker thread that assesses."""
        if stage not in _ORDER:
            return
        now = time.monotonic()
        with self._lock:
            if _ORDER[stage] < _ORDER[self.stage]:
                return  # stages only move forward
            if stage != self.stage:
                self._stage_started = now
            self.stage, self.done, self.total = stage, done, max(total, 1)
            fraction = self._fraction_locked(now)
            elapsed = now - self.created
            if fraction > 0 and elapsed > 0:
                self._expected_total = elapsed / fraction

    def finish(self, result_id: str) -> None:
        with self._lock:
            self.state, self.result_id = "done", result_id
            self.stage, self.done, self.total = "reports", 1, 1

    def fail(self, failure: Any) -> None:
        with self._lock:
            self.state, self.failure = "failed", failure

    def _fraction_locked(self, now: float) -> float:
        weight = _WEIGHT[self.stage]
        share = self.done / self.total
        expected = self._expected_total
        if share < 1 and expected and weight:  # a long step: its time against the expected
            spent = (now - self._stage_started) / (expected * weight)
            share = max(share, min(_STAGE_CAP, spent))
        self._shown = max(self._shown, min(1.0, _BEFORE[self.stage] + weight * share))
        return self._shown

    def status(self) -> dict[str, Any]:
        """What the page shows: stage, fraction, elapsed and estimated remaining seconds."""
        now = time.monotonic()
        with self._lock:
            fraction = 1.0 if self.state == "done" else self._fraction_locked(now)
            elapsed = now - self.created
            remaining = None
            if self.state == "running" and self._expected_total is not None:
                remaining = max(0.0, self._expected_total - elapsed)
            body: dict[str, Any] = {
                "id": self.id,
                "bom_name": self.bom_name,
                "state": self.state,
                "stage": self.stage,
                "stage_label": _LABELS[self.stage],
                "done": self.done,
                "total": self.total,
                "fraction": round(fraction, 4),
                "elapsed_seconds": round(elapsed, 1),
                "remaining_seconds": None if remaining is None else round(remaining, 1),
                "message": progress_text(self.stage, self.done, self.total, remaining),
                "result": f"/results/{self.result_id}" if self.result_id else None,
                "page": f"/jobs/{self.id}",
            }
            if self.state == "failed" and self.failure is not None:
                body["status"] = self.failure.status
                body["detail"] = self.failure.headline
                body["problems"] = [p.to_dict() for p in self.failure.problems]
            return body


def progress_text(stage: str, done: int, total: int, remaining: float | None) -> str:
    """ "Circularity and checks (product 2 of 7) · about 12 s left (estimate)"."""
    text = _LABELS[stage]
    if stage == "circularity and checks" and total > 1:
        text += f" (product {min(done + 1, total)} of {total})"
    elif stage == "reading" and total > 1:
        text += f" (file {min(done + 1, total)} of {total})"
    if remaining is not None:
        text += f" · {time_left(remaining)}"
    return text


def time_left(seconds: float) -> str:
    if seconds < 1.5:
        return "almost done"
    if seconds < 90:
        return f"about {seconds:.0f} s left (estimate)"
    return f"about {seconds / 60:.0f} min left (estimate)"


class JobStore:
    """Jobs by unguessable id, kept as long as results are (the oldest go first)."""

    def __init__(self, *, ttl_seconds: float, max_jobs: int) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_jobs = max_jobs
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, bom_name: str) -> Job:
        job = Job(secrets.token_urlsafe(32), bom_name)
        with self._lock:
            self._jobs[job.id] = job
            self._expire_locked()
        return job

    def get(self, job_id: str) -> Job | None:
        if len(job_id) != _ID_LENGTH:
            return None
        with self._lock:
            self._expire_locked()
            return self._jobs.get(job_id)

    def _expire_locked(self) -> None:
        now = time.monotonic()
        while self._jobs:
            oldest = next(iter(self._jobs.values()))
            if len(self._jobs) <= self.max_jobs and now - oldest.created < self.ttl_seconds:
                break
            self._jobs.popitem(last=False)
