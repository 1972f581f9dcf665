"""The app on a real loopback server: figures checked by hand, problems as the CLI, concurrency."""

from __future__ import annotations

import asyncio
import io
import math
import time
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest

from footprint.api import assess
from footprint.errors import FootprintError
from footprint.model import Assessment, Stage

from .conftest import REPO, factor

WIDGET_CSV = """product,id,parent,name,quantity,unit,dataset,stage
widget,case,,Housing,120 g,,material-aluminium-primary,raw materials
widget,power,,Assembly power,0.5,kWh,electricity-grid-DE,manufacturing
widget,ship,,Lorry to the shop,0.3,t*km,freight-lorry-average,distribution
"""

OWN_FACTORS_CSV = """id,name,unit,climate_change
my-bracket,Bracket from supplier X,kg,4.2
my-coating,Powder coating,m2,1.5
"""

OWN_BOM_CSV = """product,id,parent,name,quantity,unit,dataset,stage
frame,bracket,,Bracket,500 g,,my-bracket,raw materials
frame,coating,,Coating,0.3,m2,my-coating,manufacturing
"""

# Brightway keeps exchange amounts at float32 precision (bw_processing's processed arrays):
# a factor of 9.11590131 comes back as 9.115901, about 6e-8 relative.  Hand computations
# from the CSV values therefore agree to single precision, not to 1e-9.
FLOAT32 = 1e-6

BROKEN_CSV = """product,id,parent,name,quantity,unit,dataset,stage
widget,case,,Housing,120,kgs,material-aluminium-primary,raw materials
widget,power,,Assembly power,-0.5,kWh,electricity-grid-DE,manufacturing
widget,power,,Duplicate,1,kWh,electricity-grid-DE,manufacturing
"""


def widget_expected() -> dict[str, float]:
    """Hand computation from the shipped factors (kg CO2-eq per kg, kWh, t·km)."""
    raw = 0.120 * factor("material-aluminium-primary")
    manufacturing = 0.5 * factor("electricity-grid-DE")
    # DESNZ 2025 HGV (all diesel), all HGVs, average laden, per t*km: tank-to-wheel per gas
    # (kg CO2e of CO2 0.10012, CH4 0.00002, N2O 0.00149 in AR5: 28, 265) characterised with
    # EF 3.1 (29.8, 273), + well-to-tank 0.02359 (WTT- delivery vehs & freight)
    distribution = 0.3 * (0.10012 + 0.00002 / 28 * 29.8 + 0.00149 / 265 * 273 + 0.02359)
    return {
        "total": raw + manufacturing + distribution,
        Stage.RAW_MATERIALS: raw,
        Stage.MANUFACTURING: manufacturing,
        Stage.DISTRIBUTION: distribution,
    }


def post(url: str, files: dict, data: dict | None = None) -> httpx.Response:
    return httpx.post(f"{url}/api/assess", files=files, data=data or {}, timeout=120)


def test_a_bom_upload_gives_the_hand_computed_footprint(live_server):
    answer = post(live_server.url, {"file": ("widget.csv", WIDGET_CSV.encode())})
    assert answer.status_code == 200, answer.text
    result = Assessment.model_validate_json(answer.text)
    product = result.product("widget")
    expected = widget_expected()
    assert math.isclose(product.climate_change.total, expected["total"], rel_tol=FLOAT32)
    for stage in (Stage.RAW_MATERIALS, Stage.MANUFACTURING, Stage.DISTRIBUTION):
        assert math.isclose(product.by_stage[stage].total, expected[stage], rel_tol=FLOAT32)
    assert product.source_file == "widget.csv"  # the user's name, never the server's path
    root = live_server.app.state.footprint.root
    assert str(root) not in answer.text and "/tmp/" not in answer.text
    assert not list((root / "uploads").iterdir())


def test_the_downloads_of_a_result_match_its_json(live_server):
    answer = post(live_server.url, {"file": ("widget.csv", WIDGET_CSV.encode())})
    links = {
        part.split(";")[0].strip(" <>").rsplit("/", 1)[1]: part.split(";")[0].strip(" <>")
        for part in answer.headers["link"].split(",")
    }
    assert set(links) == {"footprint.xlsx", "footprint.json", "footprint-report.html"}
    # saved under the BOM's name, not footprint.xlsx for every BOM
    as_json = httpx.get(live_server.url + links["footprint.json"], timeout=60)
    assert as_json.json() == answer.json()
    # the answer is the download's file (streamed to it once), pydantic's bytes of the result
    assert answer.content == as_json.content
    assert answer.headers["content-type"].startswith("application/json")
    assert "content-disposition" not in answer.headers  # shown, not saved, by a browser
    assert answer.text == Assessment.model_validate_json(answer.text).model_dump_json(indent=2)
    workbook = httpx.get(live_server.url + links["footprint.xlsx"], timeout=120)
    assert workbook.status_code == 200
    assert 'filename="widget-footprint.xlsx"' in workbook.headers["content-disposition"]
    assert zipfile.is_zipfile(io.BytesIO(workbook.content))
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    numbers = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, float)
    ]
    total = answer.json()["products"][0]["climate_change"]["total"]
    assert any(math.isclose(n, total, rel_tol=1e-12) for n in numbers)


def test_a_users_own_dataset_file_is_used(live_server):
    answer = post(
        live_server.url,
        {
            "file": ("frame.csv", OWN_BOM_CSV.encode()),
            "datasets": ("factors.csv", OWN_FACTORS_CSV.encode()),
        },
    )
    assert answer.status_code == 200, answer.text
    total = answer.json()["products"][0]["climate_change"]["total"]
    assert math.isclose(total, 0.5 * 4.2 + 0.3 * 1.5, rel_tol=FLOAT32)  # 2.55 kg CO2-eq


def test_an_invalid_bom_is_422_with_the_same_problems_as_the_cli(live_server, tmp_path):
    answer = post(live_server.url, {"file": ("broken.csv", BROKEN_CSV.encode())})
    assert answer.status_code == 422
    got = answer.json()["problems"]
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    with pytest.raises(FootprintError) as direct:
        assess(path)
    assert got == [p.to_dict() for p in direct.value.problems]
    assert len(got) >= 3 and all(p["file"] == "broken.csv" and p["row"] for p in got)


def test_an_unknown_rule_set_name_is_422_and_never_read_as_a_path(live_server):
    answer = post(
        live_server.url,
        {"file": ("widget.csv", WIDGET_CSV.encode())},
        data={"rules": "../../../etc/passwd,eu-battery-regulation"},
    )
    assert answer.status_code == 422
    problem = answer.json()["problems"][0]
    assert problem["column"] == "rules" and "eu-battery-regulation" in problem["message"]


def test_rules_and_as_of_reach_the_checks(live_server):
    answer = post(
        live_server.url,
        {"file": ("widget.csv", WIDGET_CSV.encode())},
        data={"rules": ["eu-weee-recovery", "example-company"], "as_of": "2031-08-18"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["rule_sets"] == ["eu-weee-recovery", "example-company"]
    assert body["as_of"] == "2031-08-18"


def test_the_listings(live_server):
    rules = httpx.get(f"{live_server.url}/api/rules").json()
    assert "eu-battery-regulation" in {r["name"] for r in rules}
    datasets = httpx.get(f"{live_server.url}/api/datasets").json()
    by_id = {d["id"]: d for d in datasets}
    assert by_id["electricity-grid-DE"]["climate_change"] == factor("electricity-grid-DE")


def test_the_page_flow_redirects_to_a_private_result_page(live_server):
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        answer = client.post("/", files={"file": ("widget.csv", WIDGET_CSV.encode())})
        assert answer.status_code == 303
        location = answer.headers["location"]
        assert location.startswith("/results/") and len(location) == len("/results/") + 43
        page = client.get(location)
        assert page.status_code == 200
        total = widget_expected()["total"]
        assert f"{total:.3f}" in page.text or f"{total:,.1f}" in page.text
        broken = client.post("/", files={"file": ("broken.csv", BROKEN_CSV.encode())})
        assert broken.status_code == 422
        assert "kgs" in broken.text and 'id="errors"' in broken.text


def upload_sets(tmp_path: Path) -> list[tuple[str, bytes]]:
    """The example BOMs, each copied alone into ``tmp_path`` (an upload is one file: a
    ``.products.csv`` sidecar does not travel with its CSV), and a small CSV."""
    uploads = [("widget.csv", WIDGET_CSV.encode())]
    for path in sorted((REPO / "examples").glob("*")):
        if path.suffix in (".xlsx", ".csv") and not path.name.endswith(".products.csv"):
            uploads.append((path.name, path.read_bytes()))
    for name, content in uploads:
        (tmp_path / name).write_bytes(content)
    return uploads


def test_twenty_concurrent_uploads_are_all_right_and_health_stays_quick(live_server, tmp_path):
    uploads = upload_sets(tmp_path)
    reference = {}
    for name, _ in uploads:
        direct = assess(tmp_path / name)
        reference[name] = {p.id: p.climate_change.total for p in direct.products}
    jobs = [uploads[i % len(uploads)] for i in range(20)]

    async def run() -> tuple[list[httpx.Response], list[float]]:
        limits = httpx.Limits(max_connections=40)
        async with httpx.AsyncClient(base_url=live_server.url, timeout=180, limits=limits) as c:
            pending = [
                asyncio.ensure_future(c.post("/api/assess", files={"file": job})) for job in jobs
            ]
            latencies: list[float] = []
            deadline = time.monotonic() + 170
            while not all(t.done() for t in pending) and time.monotonic() < deadline:
                start = time.monotonic()
                health = await c.get("/health", timeout=10)
                latencies.append(time.monotonic() - start)
                assert health.status_code == 200
                await asyncio.sleep(0.05)
            return list(await asyncio.gather(*pending)), latencies

    answers, latencies = asyncio.run(run())
    for (name, _), answer in zip(jobs, answers, strict=True):
        assert answer.status_code == 200, answer.text
        totals = {p["id"]: p["climate_change"]["total"] for p in answer.json()["products"]}
        assert totals.keys() == reference[name].keys()
        for product_id, total in totals.items():
            assert math.isclose(total, reference[name][product_id], rel_tol=1e-9)
    assert latencies, "the uploads finished before /health could be asked"
    assert max(latencies) < 1.0, f"/health took {max(latencies):.2f} s while assessing"
    assert not list((live_server.app.state.footprint.root / "uploads").iterdir())


def test_a_unicode_text_export_is_assessed_like_its_csv(live_server):
    # Excel's "Unicode Text": UTF-16LE with a byte-order mark, tab-separated, CRLF
    rows = [line.split(",") for line in WIDGET_CSV.strip().splitlines()]
    data = b"\xff\xfe" + "".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16-le")
    as_text = post(live_server.url, {"file": ("widget.csv", data)})
    as_csv = post(live_server.url, {"file": ("widget.csv", WIDGET_CSV.encode())})
    assert as_text.status_code == 200, as_text.text
    text_total = Assessment.model_validate_json(as_text.text).product("widget").climate_change
    csv_total = Assessment.model_validate_json(as_csv.text).product("widget").climate_change
    assert text_total.total == csv_total.total
