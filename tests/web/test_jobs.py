"""Assessments as jobs: progress that only grows, a time estimate, the result at the end.

The big BOM has the issue's shape (16,000 lines: 160 assemblies of 99 parts); its footprint
is checked against a hand computation from the shipped factors.
"""

from __future__ import annotations

import math
import time

import httpx
import pytest

from footprint.web.jobs import STAGES, Job, progress_text, time_left

from .conftest import factor
from .test_browser import ARTIFACTS
from .test_browser import browser_page as browser_page  # the Chromium page fixture

FLOAT32 = 1e-6  # Brightway keeps exchange amounts at float32 precision (see test_live.py)
POUND_KG = 0.45359237  # the international avoirdupois pound
PARTS = [  # name, quantity, unit, dataset, the quantity in the dataset's unit (kg)
    ("Bracket", "0.25", "kg", "material-steel-primary", 0.25),
    ("Cover", "0.12", "kg", "material-aluminium-primary", 0.12),
    ("Cable", "35", "g", "metal-copper", 0.035),
    ("Housing", "0.4", "lb", "material-pp-primary", 0.4 * POUND_KG),
]


def big_bom(assemblies: int = 160, parts: int = 99) -> tuple[bytes, float]:
    """A one-product CSV BOM of assemblies × parts + the assemblies, and its hand total."""
    rows = ["product,id,parent,name,quantity,unit,dataset,stage"]
    factors = {dataset: factor(dataset) for _n, _q, _u, dataset, _kg in PARTS}
    total = 0.0
    for a in range(assemblies):
        rows.append(f"big,A{a:04d},,Assembly {a},1,piece,,")
        for i in range(parts):
            name, quantity, unit, dataset, kg = PARTS[i % len(PARTS)]
            rows.append(f"big,A{a:04d}-{i:02d},A{a:04d},{name},{quantity},{unit},{dataset},")
            total += kg * factors[dataset]
    return ("\n".join(rows) + "\n").encode(), total


@pytest.fixture(scope="module")
def bom_16000() -> tuple[bytes, float]:
    content, total = big_bom()
    assert content.count(b"\n") == 16_001  # the header and 16,000 lines
    return content, total


def follow(client: httpx.Client, job: dict) -> list[dict]:
    """Every status of a job, polled until it is no longer running."""
    seen = [job]
    deadline = time.monotonic() + 600
    while seen[-1]["state"] == "running":
        assert time.monotonic() < deadline, f"the job did not finish: {seen[-1]}"
        time.sleep(0.1)
        answer = client.get(f"/api/jobs/{job['id']}")
        assert answer.status_code == 200
        seen.append(answer.json())
    return seen


def test_the_job_of_a_16000_line_bom_reports_growing_progress_and_finishes(live_server, bom_16000):
    content, hand_total = bom_16000
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        started = client.post("/api/jobs", files={"file": ("big.csv", content)})
        assert started.status_code == 202, started.text
        assert started.headers["location"] == f"/api/jobs/{started.json()['id']}"
        seen = follow(client, started.json())

        fractions = [s["fraction"] for s in seen]
        assert fractions == sorted(fractions), "progress never goes back"
        assert seen[-1]["state"] == "done" and fractions[-1] == 1.0
        assert len(set(fractions)) >= 3, f"progress grew in steps: {fractions}"
        order = [name for name, _label, _weight in STAGES]
        stages = [s["stage"] for s in seen]
        assert [order.index(s) for s in stages] == sorted(order.index(s) for s in stages)
        assert {"circularity and checks", "reports"} <= set(stages)
        estimates = [s["remaining_seconds"] for s in seen if s["state"] == "running"]
        assert any(e is not None for e in estimates), "a time estimate is given"
        assert all(e is None or e >= 0 for e in estimates)
        assert any("left (estimate)" in s["message"] or "almost done" in s["message"] for s in seen)

        result = client.get(seen[-1]["result"])
        assert result.status_code == 200 and "Footprint of big.csv" in result.text
        as_json = client.get(seen[-1]["result"] + "/footprint.json").json()
        product = as_json["products"][0]
        assert len(product["lines"]) == 16_000
        assert math.isclose(product["climate_change"]["total"], hand_total, rel_tol=FLOAT32)
        # the job page of a finished job sends the browser (or a script-less page) on
        page = client.get(seen[-1]["page"])
        assert page.status_code == 303 and page.headers["location"] == seen[-1]["result"]
    root = live_server.app.state.footprint.root
    assert not list((root / "uploads").iterdir()), "the job removed its upload folder"


def test_a_refused_job_shows_every_problem_on_its_page(live_server):
    broken = (
        "product,id,parent,name,quantity,unit,dataset,stage\n"
        "w,case,,Housing,120,kgs,material-aluminium-primary,raw materials\n"
        "w,power,,Power,-0.5,kWh,electricity-grid-DE,manufacturing\n"
    )
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        started = client.post(
            "/api/jobs",
            files={"file": ("broken.csv", broken.encode())},
            data={"rules": "eu-battery-regulation"},
        )
        assert started.status_code == 202
        final = follow(client, started.json())[-1]
        assert final["state"] == "failed" and final["status"] == 422
        assert final["detail"] == "broken.csv: 2 problems to fix"
        assert {p["row"] for p in final["problems"]} == {2, 3}
        page = client.get(final["page"])
        assert page.status_code == 422
        assert "kgs" in page.text and 'id="errors"' in page.text
        # the choices made on the form come back ticked
        assert 'value="eu-battery-regulation" checked' in page.text


def test_an_upload_refused_before_the_job_starts_is_answered_at_once(live_server):
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        answer = client.post("/api/jobs", files={"file": ("notes.pdf", b"%PDF-1.4")})
        assert answer.status_code == 415 and answer.json()["problems"]
        assert client.get("/api/jobs/" + "x" * 43).status_code == 404
        assert client.get("/jobs/" + "x" * 43).status_code == 404


def test_a_running_job_page_refreshes_itself_without_script():
    """The job page of a running job shows the bar, and reloads itself when script is off."""
    from footprint.web import pages

    job = Job("j" * 43, "pack <v2>.xlsx")
    job.report("reading", 0, 1)
    html = pages.job_page(job.status())
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert 'id="progress-bar"' in html and f'data-job="{"j" * 43}"' in html
    assert "pack &lt;v2&gt;.xlsx" in html and "<v2>" not in html


def test_stages_move_forward_only_and_the_bar_never_goes_back():
    job = Job("j" * 43, "bom.csv")
    shown = []
    for stage, done, total in [
        ("reading", 0, 1),
        ("reading", 1, 1),
        ("linking", 0, 1),
        ("reading", 1, 1),  # late or out-of-order news is ignored
        ("linking", 1, 1),
        ("computing", 0, 1),
        ("computing", 1, 1),
        ("circularity and checks", 0, 4),
        ("circularity and checks", 2, 4),
        ("circularity and checks", 4, 4),
        ("reports", 0, 1),
    ]:
        job.report(stage, done, total)
        shown.append(job.status())
    fractions = [s["fraction"] for s in shown]
    assert fractions == sorted(fractions)
    assert shown[3]["stage"] == "linking"
    weights = {name: weight for name, _label, weight in STAGES}
    assert math.isclose(sum(weights.values()), 1.0)
    # when a stage reports done, the bar stands at least at the weight of everything so far
    through_computing = weights["reading"] + weights["linking"] + weights["computing"]
    assert shown[6]["fraction"] >= round(through_computing, 4) - 1e-9
    assert shown[9]["fraction"] >= round(through_computing + weights["circularity and checks"], 4)
    assert shown[-1]["fraction"] < 1.0  # not done before the reports are
    job.finish("r" * 43)
    assert job.status()["fraction"] == 1.0 and job.status()["result"] == "/results/" + "r" * 43


def test_the_progress_is_said_in_words():
    assert progress_text("circularity and checks", 1, 7, 12.4) == (
        "Circularity and checks (product 2 of 7) · about 12 s left (estimate)"
    )
    assert progress_text("reading", 0, 1, None) == "Reading the BOM"
    assert time_left(0.4) == "almost done"
    assert time_left(600) == "about 10 min left (estimate)"


def test_the_browser_shows_the_progress_bar_then_the_result(
    live_server, browser_page, bom_16000, tmp_path
):
    page, problems = browser_page
    content, hand_total = bom_16000
    bom = tmp_path / "big.csv"
    bom.write_bytes(content)
    page.goto(live_server.url + "/")
    assert page.locator("#progress").is_hidden()  # nothing to show before an upload
    page.set_input_files("#file", str(bom))
    page.click("#assess-button")
    page.wait_for_selector("#progress:not([hidden])")
    # the bar moves while the job runs (the server's figures, polled by /static/app.js)
    page.wait_for_function(
        "() => location.pathname.startsWith('/results/')"
        " || document.getElementById('progress-bar').value > 0"
    )
    if not page.url.startswith(live_server.url + "/results/"):
        assert page.locator("#assess-button").is_disabled()
        text = page.locator("#progress-text").inner_text()
        assert any(label in text for _name, label, _weight in STAGES), text
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-job-progress.png"))
    page.wait_for_url("**/results/**", timeout=300_000)
    page.wait_for_selector("#summary tbody tr")
    shown = page.locator("#summary tbody tr td.total").first.inner_text()
    assert float(shown.replace(",", "")) == pytest.approx(hand_total, rel=1e-3)
    assert not problems, problems
