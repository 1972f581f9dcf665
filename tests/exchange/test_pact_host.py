"""The PACT host (``footprint serve --pact-config``): the OAuth2 client-credentials flow,
wrong and missing credentials, expiring tokens, scopes and per-client access, filters and
pagination as the PACT v3 specification states them, rate limits on the token endpoint, and
footprints that survive a restart (a new app on the same store file)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from footprint.errors import FootprintError
from footprint.exchange.pact import content_id
from footprint.exchange.pact_store import PactStore
from footprint.web.pact_host import hash_secret, load_host_config, pact_router, verify_secret

SECRET = "correct horse battery staple"
FAST = 1_000  # PBKDF2 iterations for test hashes; the CLI uses 600,000


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _footprint(product: str, country: str, created: str) -> dict:
    document = {
        "id": "",
        "specVersion": "3.0.0",
        "created": created,
        "status": "Active",
        "companyName": "Acme",
        "companyIds": ["urn:company:example:acme"],
        "productDescription": product,
        "productIds": [f"urn:pact:example.com:product-id:{product}"],
        "productNameCompany": product,
        "pcf": {
            "geographyCountry": country,
            "referencePeriodStart": "2025-01-01T00:00:00Z",
            "referencePeriodEnd": "2026-01-01T00:00:00Z",
            "pcfExcludingBiogenicUptake": "1",
        },
    }
    document["id"] = content_id(document)
    return document


@pytest.fixture
def host(tmp_path: Path):
    store = PactStore(tmp_path / "footprints.db")
    for i, (product, country) in enumerate([("a", "DE"), ("b", "FR"), ("c", "DE")]):
        store.publish(_footprint(product, country, f"2026-01-0{i + 1}T00:00:00Z"))
    config = tmp_path / "pact.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "store": "footprints.db",
                "token_lifetime_seconds": 60,
                "token_requests_per_minute": 5,
                "clients": [
                    {"id": "buyer", "secret_hash": hash_secret(SECRET, iterations=FAST)},
                    {
                        "id": "auditor",
                        "secret_hash": hash_secret(SECRET, iterations=FAST),
                        "scopes": ["footprint:read"],
                        "product_ids": ["urn:pact:example.com:product-id:a"],
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    clock = Clock()

    def client() -> TestClient:  # a fresh app on the same files: a restart
        app = FastAPI()
        app.include_router(pact_router(load_host_config(config), clock=clock))
        return TestClient(app, base_url="https://pact.example.com")

    return client, clock


def _token(client: TestClient, who: str = "buyer", secret: str = SECRET) -> str:
    basic = base64.b64encode(f"{who}:{secret}".encode()).decode()
    answer = client.post(
        "/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 60
    return body["access_token"]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_secret_hashes() -> None:
    stored = hash_secret(SECRET, iterations=FAST)
    assert stored.startswith("pbkdf2_sha256$1000$")
    assert verify_secret(SECRET, stored)
    assert not verify_secret(SECRET + "x", stored)


def test_token_flow_and_listing(host) -> None:
    make, _ = host
    client = make()
    token = _token(client)
    answer = client.get("/3/footprints", headers=_bearer(token))
    assert answer.status_code == 200
    assert [d["productNameCompany"] for d in answer.json()["data"]] == ["a", "b", "c"]


def test_form_credentials_work_too(host) -> None:
    make, _ = host
    answer = make().post(
        "/auth/token",
        data={"grant_type": "client_credentials", "client_id": "buyer", "client_secret": SECRET},
    )
    assert answer.status_code == 200


def test_wrong_secret_unknown_client_and_grant(host) -> None:
    make, _ = host
    client = make()
    for who, secret in (("buyer", "wrong secret"), ("nobody", SECRET)):
        basic = base64.b64encode(f"{who}:{secret}".encode()).decode()
        answer = client.post(
            "/auth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert answer.status_code == 401
        assert answer.json() == {
            "error": "invalid_client",
            "error_description": "Authentication failed",
        }
    answer = client.post("/auth/token", data={"grant_type": "password"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_unauthenticated_requests_read_nothing(host, tmp_path: Path) -> None:
    make, _ = host
    client = make()
    some_id = PactStore(tmp_path / "footprints.db").all()[0]["id"]
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}):
        for path in ("/3/footprints", f"/3/footprints/{some_id}"):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 401
            assert answer.json()["code"] == "AccessDenied"
            assert "data" not in answer.json()
            assert answer.headers["www-authenticate"].startswith("Bearer")
        assert client.post("/3/events", headers=headers, json={}).status_code == 401


def test_expired_token(host) -> None:
    make, clock = host
    client = make()
    token = _token(client)
    clock.now += 61
    answer = client.get("/3/footprints", headers=_bearer(token))
    assert answer.status_code == 401
    assert answer.json()["code"] == "TokenExpired"


def test_pagination_link_is_absolute_and_walks_everything(host) -> None:
    make, _ = host
    client = make()
    headers = _bearer(_token(client))
    seen = []
    url = "/3/footprints?limit=2"
    while url:
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200
        page = answer.json()["data"]
        assert len(page) <= 2
        seen += [d["productNameCompany"] for d in page]
        link = answer.headers.get("link")
        if link is None:
            break
        target, rel = link.split(";")
        assert rel.strip() == 'rel="next"'
        assert target.startswith("<https://pact.example.com/3/footprints?")
        url = target.strip("<> ").removeprefix("https://pact.example.com")
    assert seen == ["a", "b", "c"]


def test_filters(host) -> None:
    make, _ = host
    client = make()
    headers = _bearer(_token(client))

    def names(query: str) -> list[str]:
        answer = client.get(f"/3/footprints?{query}", headers=headers)
        assert answer.status_code == 200, answer.text
        return [d["productNameCompany"] for d in answer.json()["data"]]

    assert names("geography=DE") == ["a", "c"]
    assert names("productId=URN:PACT:EXAMPLE.COM:PRODUCT-ID:B") == ["b"]  # case-insensitive
    assert names(
        "productId=urn:pact:example.com:product-id:a&productid=urn:pact:example.com:product-id:b"
    ) == ["a", "b"]
    assert names("geography=DE&productId=urn:pact:example.com:product-id:b") == []
    assert names("validOn=2027-06-01T00:00:00Z") == ["a", "b", "c"]  # 3 years from 2026-01-01
    assert names("validOn=2029-06-01T00:00:00Z") == []
    assert names("status=Deprecated") == []
    bad = client.get("/3/footprints?limit=ten", headers=headers)
    assert bad.status_code == 400 and bad.json()["code"] == "BadRequest"


def test_get_one_not_found_and_access_rules(host, tmp_path: Path) -> None:
    make, _ = host
    client = make()
    documents = {d["productNameCompany"]: d for d in PactStore(tmp_path / "footprints.db").all()}
    buyer = _bearer(_token(client))
    answer = client.get(f"/3/footprints/{documents['b']['id']}", headers=buyer)
    assert answer.status_code == 200 and answer.json()["data"] == documents["b"]
    missing = client.get("/3/footprints/00000000-0000-4000-8000-000000000000", headers=buyer)
    assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    auditor = _bearer(_token(client, "auditor"))
    assert client.get(f"/3/footprints/{documents['a']['id']}", headers=auditor).status_code == 200
    denied = client.get(f"/3/footprints/{documents['b']['id']}", headers=auditor)
    assert denied.status_code == 403 and denied.json()["code"] == "AccessDenied"
    no_scope = client.get("/3/footprints", headers=auditor)  # auditor lacks footprint:list
    assert no_scope.status_code == 403


def test_token_endpoint_is_rate_limited(host) -> None:
    make, clock = host
    client = make()
    for _ in range(5):
        client.post("/auth/token", data={"grant_type": "client_credentials"})
    answer = client.post("/auth/token", data={"grant_type": "client_credentials"})
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) >= 1
    clock.now += 61
    assert _token(client)


def test_restart_keeps_footprints(host) -> None:
    make, _ = host
    first = make()
    before = first.get("/3/footprints", headers=_bearer(_token(first))).json()["data"]
    second = make()  # a new app: tokens are gone, footprints are not
    again = second.get("/3/footprints", headers=_bearer(_token(second))).json()["data"]
    assert again == before and len(again) == 3


def test_config_problems_one_line_each(tmp_path: Path) -> None:
    config = tmp_path / "pact.yaml"
    config.write_text(
        yaml.safe_dump({"clients": [{"id": "x", "secret_hash": "plain-text", "scopes": ["all"]}]}),
        encoding="utf-8",
    )
    with pytest.raises(FootprintError) as caught:
        load_host_config(config)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("pact.yaml, column store:")
    assert "secrets are never stored in clear" in lines[1]
    assert "scopes" in lines[2]


def test_openid_configuration_names_the_token_endpoint(host) -> None:
    make, _ = host
    answer = make().get("/.well-known/openid-configuration")
    assert answer.json()["token_endpoint"] == "https://pact.example.com/auth/token"


def test_serve_mounts_the_pact_api_on_a_real_loopback_server(host, tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "footprint",
            "serve",
            "--port",
            str(port),
            "--pact-config",
            str(tmp_path / "pact.yaml"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                answer = httpx.post(
                    f"{base}/auth/token",
                    data={"grant_type": "client_credentials"},
                    auth=("buyer", SECRET),
                    timeout=5,
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.5)
        assert answer.status_code == 200
        token = answer.json()["access_token"]
        listing = httpx.get(f"{base}/3/footprints", headers=_bearer(token), timeout=10)
        assert [d["productNameCompany"] for d in listing.json()["data"]] == ["a", "b", "c"]
        assert httpx.get(f"{base}/3/footprints", timeout=10).status_code == 401
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still starting its engine: stop it hard
            server.kill()
            server.wait(timeout=10)


def test_loopback_detection() -> None:
    from footprint.cli.serve_command import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.0.2.7")
