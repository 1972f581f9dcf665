"""The page, the static assets, the offline API docs and the result store, without an engine."""

from __future__ import annotations

import datetime as dt
import re
import time

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from footprint.model import (
    STAGES,
    Assessment,
    ClimateChange,
    LineResult,
    MethodInfo,
    ProductResult,
    Stage,
    Warning_,
)
from footprint.web import pages
from footprint.web.results import ResultStore

HOSTILE = '<script>alert("x")</script>'


def small_assessment(name: str = "Phone") -> Assessment:
    cc = ClimateChange(total=2.5, fossil=2.5)
    line = LineResult(
        id="case",
        path="case",
        name=HOSTILE,
        dataset="material-aluminium-primary",
        quantity=0.12,
        unit="kg",
        stage=Stage.RAW_MATERIALS,
        climate_change=cc,
        share=1.0,
    )
    product = ProductResult(
        id="phone",
        name=name,
        climate_change=cc,
        by_stage={s: (cc if s == Stage.RAW_MATERIALS else ClimateChange()) for s in STAGES},
        lines=[line],
    )
    return Assessment(
        tool_version="test",
        created=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        method=MethodInfo(),
        products=[product],
        warnings=[Warning_(message=HOSTILE, file="bom.xlsx", sheet="BOM", row=3, column="mass")],
    )


def test_the_upload_page_loads_only_local_assets(cold_client):
    answer = cold_client.get("/")
    assert answer.status_code == 200
    text = answer.text
    assert 'enctype="multipart/form-data"' in text
    assert 'href="/template/bom-template.xlsx"' in text
    sources = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert sources and all(s.startswith(("/", "data:")) for s in sources), sources
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]


def test_plotly_js_is_served_locally_from_the_plotly_package(cold_client):
    answer = cold_client.get("/static/plotly.min.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.text == get_plotlyjs()
    etag = answer.headers["etag"]
    again = cold_client.get("/static/plotly.min.js", headers={"if-none-match": etag})
    assert again.status_code == 304


def test_only_the_named_static_files_are_served(cold_client):
    assert cold_client.get("/static/app.css").status_code == 200
    assert cold_client.get("/static/app.js").status_code == 200
    for name in ("settings.py", "..%2Fapp.py", "%2e%2e%2fapp.py", "app.CSS"):
        assert cold_client.get(f"/static/{name}").status_code == 404


def test_the_api_docs_work_offline_and_describe_the_upload(cold_client):
    docs = cold_client.get("/docs")
    assert docs.status_code == 200
    assert "/api/assess" in docs.text and "cdn" not in docs.text.lower()
    assert "http" not in "".join(re.findall(r'src="([^"]+)"', docs.text))
    spec = cold_client.get("/openapi.json").json()
    body = spec["paths"]["/api/assess"]["post"]["requestBody"]["content"]
    fields = body["multipart/form-data"]["schema"]["properties"]
    assert set(fields) == {"file", "datasets", "rules", "as_of", "suppliers", "approved_smelters",
                           "high_risk_countries", "indicators", "hotspots"}  # fmt: skip
    assert cold_client.get("/redoc").status_code == 404


def test_health_says_starting_until_the_engine_is_loaded(cold_client):
    answer = cold_client.get("/health")
    assert answer.status_code == 503
    assert answer.json()["status"] == "starting"


def test_the_schema_endpoint_serves_the_assessment_schema(cold_client):
    schema = cold_client.get("/api/schema").json()
    assert schema["title"] == "Assessment"
    assert "products" in schema["properties"]


def test_unknown_results_are_404(cold_client):
    assert cold_client.get("/results/" + "A" * 43).status_code == 404
    assert cold_client.get("/results/../health").status_code in (200, 404, 503)
    assert cold_client.get("/results/" + "A" * 43 + "/footprint.xlsx").status_code == 404


def test_user_text_is_escaped_on_the_result_page():
    assessment = small_assessment(name=HOSTILE)
    figure = go.Figure(go.Bar(x=[HOSTILE], y=[1.0]), layout={"title": {"text": "</script><b>"}})
    text = pages.result_page(assessment, {"stages": figure}, result_id="x" * 43, bom_name=HOSTILE)
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S):
        assert "<" not in block
    assert text.count("</script>") == text.count("<script")


def test_figures_round_trip_through_the_json_block():
    figure = go.Figure(go.Bar(x=["a<b", "c&d"], y=[1.5, 2.0]))
    import json

    assert json.loads(pages.figure_json(figure))["data"][0]["x"] == ["a<b", "c&d"]


def test_numbers_read_at_a_glance():
    assert pages.number(12345.678) == "12,346"
    assert pages.number(45.678) == "45.7"
    assert pages.number(2.34567) == "2.346"
    assert pages.number(0.000123) == "1.23e-04"
    assert pages.number(None) == "—"
    assert pages.number(float("nan")) == "—"
    assert pages.percent(0.356) == "35.6 %"


def test_results_are_kept_by_unguessable_id_and_expire(tmp_path):
    store = ResultStore(tmp_path, ttl_seconds=0.2, max_results=2)
    first = store.add(small_assessment(), "a.xlsx")
    second = store.add(small_assessment(), "b.xlsx")
    assert first.id != second.id and len(first.id) == 43
    assert store.get(first.id) is first
    assert store.get(first.id[:-1] + ("A" if first.id[-1] != "A" else "B")) is None
    json_path = store.file(first, "json")
    assert Assessment.model_validate_json(json_path.read_text()).products[0].id == "phone"
    store.add(small_assessment(), "c.xlsx")  # over max_results: the oldest goes
    assert store.get(first.id) is None and not first.folder.exists()
    time.sleep(0.25)
    assert store.get(second.id) is None and not second.folder.exists()


def _check(rule: str, status: str, value: float | None = None, limit: float | None = None):
    from footprint.model import Check, RuleSource

    return Check(
        rule=rule,
        rule_set="eu-battery-regulation",
        title=f"rule {rule}",
        kind="min_recycled_content",
        status=status,
        value=value,
        limit=limit,
        unit="share",
        source=RuleSource(regulation="Regulation (EU) 2023/1542", article="Art. 8"),
        explanation="…",
    )


def test_checks_fail_first_then_missing_data_then_pass_not_applicable_folded():
    checks = [
        _check("na-1", "not applicable"),
        _check("pass-1", "pass", 0.2, 0.16),
        _check("na-2", "not applicable"),
        _check("missing-1", "insufficient data", None, 0.06),
        _check("fail-1", "fail", 0.0, 0.15),
    ]
    text = pages.checks_table(checks)
    order = [text.index(f"rule {rule}") for rule in ("fail-1", "missing-1", "pass-1")]
    assert order == sorted(order)
    folded = text.split("<details>", 1)[1]
    assert "rule na-1" in folded and "rule na-2" in folded
    assert "2 rules that do not apply" in text
    # shares as percentages, as the report writes them (0.15 is 15.0 %)
    assert "15.0 %" in text and "0.15" not in text


def test_downloads_and_captions_are_named_for_people():
    assessment = small_assessment()
    figure = go.Figure(go.Bar(x=["a"], y=[1.0]))
    text = pages.result_page(
        assessment, {"phone/bom": figure}, result_id="x" * 43, bom_name="E-bike pack v2.xlsx"
    )
    assert 'download="E-bike pack v2-footprint.xlsx"' in text
    assert 'download="E-bike pack v2-footprint.json"' in text
    assert 'download="E-bike pack v2-report.html"' in text
    assert "<figcaption>phone: by BOM line</figcaption>" in text
    assert pages.download_name('../x"y.csv', "xlsx") == "x_y-footprint.xlsx"


def test_no_rule_set_chosen_is_said_with_the_rule_sets_for_the_category():
    assessment = small_assessment()
    battery = assessment.products[0].model_copy(update={"category": "lmt-battery"})
    unchecked = assessment.model_copy(update={"products": [battery], "rule_sets": []})
    text = pages.result_page(unchecked, {}, result_id="x" * 43, bom_name="pack.xlsx")
    assert "No rule set was chosen, so nothing was checked." in text
    assert "eu-battery-regulation" in text.split('id="no-rules"', 1)[1].split("</p>", 1)[0]
    checked = unchecked.model_copy(update={"rule_sets": ["eu-battery-regulation"]})
    assert 'id="no-rules"' not in pages.result_page(
        checked, {}, result_id="x" * 43, bom_name="pack.xlsx"
    )
