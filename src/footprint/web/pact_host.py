"""A PACT v3 host inside ``footprint serve`` (``--pact-config FILE``): the footprints that
``footprint assess --pact … --pact-store DB`` stored, served by the PACT REST API.

Written from the PACT Technical Specification v3 (``spec/v3/index.md`` "Authentication Flow",
``openapi.yaml`` 3.0.3):

- ``POST /auth/token`` — OAuth 2.0 client credentials (RFC 6749 §4.4): ``grant_type=
  client_credentials``, the client's id and secret in HTTP Basic or in the form.  Failures
  answer 401 ``{"error": "invalid_client", …}`` (RFC 6749 §5.2); a client that asks too often
  gets 429 with ``Retry-After``.  Tokens are random (256 bits), expire, and only their SHA-256
  is kept, in memory (a restart asks clients for new tokens; footprints stay in the store).
- ``GET /3/footprints`` — the footprints the client may see, filtered by ``productId``,
  ``companyId``, ``geography``, ``classification``, ``validOn``, ``validAfter``, ``validBefore``
  and ``status`` (OR within a criterion, AND between criteria), at most ``limit`` of them, with
  an absolute ``Link: <…>; rel="next"`` when more remain.
- ``GET /3/footprints/{id}`` — one footprint; 404 ``NotFound``, 403 ``AccessDenied`` when the
  client may not see it.
- ``POST /3/events`` — not implemented (501 ``NotImplemented``): footprint publishes
  footprints to be pulled; it does not take requests for footprints yet.
- ``GET /.well-known/openid-configuration`` — names the token endpoint.

The clients file (YAML) lists each client's id, the PBKDF2-SHA256 hash of its secret
(``footprint pact hash-secret``), its scopes (``footprint:list``, ``footprint:read``) and,
optionally, the product ids whose footprints it may see.  Secrets are compared in constant
time, and an unknown client id costs the same hash as a known one.  PACT requires HTTPS:
footprint speaks HTTP, so put a TLS-terminating proxy in front of any non-loopback use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from footprint.errors import FootprintError, Problem
from footprint.exchange.pact_store import ListQuery, PactStore

SCOPES = ("footprint:list", "footprint:read")
HASH_SCHEME = "pbkdf2_sha256"
HASH_ITERATIONS = 600_000  # OWASP Password Storage Cheat Sheet (2023) for PBKDF2-HMAC-SHA256
MAX_PAGE = 1000


# --------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------


def hash_secret(
    secret: str, *, iterations: int = HASH_ITERATIONS, salt: bytes | None = None
) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (salt and hash base64) of a client secret."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, iterations)
    return "$".join(
        (
            HASH_SCHEME,
            str(iterations),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )


def _parse_hash(text: str) -> tuple[int, bytes, bytes]:
    scheme, iterations, salt, digest = text.split("$")
    if scheme != HASH_SCHEME or int(iterations) < 1:
        raise ValueError(text)
    return (
        int(iterations),
        base64.b64decode(salt, validate=True),
        base64.b64decode(digest, validate=True),
    )


def verify_secret(secret: str, stored: str) -> bool:
    """True when ``secret`` hashes to ``stored``; compared in constant time."""
    iterations, salt, expected = _parse_hash(stored)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, iterations)
    return hmac.compare_digest(digest, expected)


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PactClient:
    id: str
    secret_hash: str
    scopes: frozenset[str]
    product_ids: frozenset[str] | None = None  # None: every footprint

    def may_see(self, document: dict[str, Any]) -> bool:
        if self.product_ids is None:
            return True
        return bool(self.product_ids & {str(p).lower() for p in document.get("productIds", [])})


@dataclass(frozen=True)
class PactHostConfig:
    store: Path
    clients: dict[str, PactClient]
    token_lifetime_seconds: int = 3600
    token_requests_per_minute: int = 10


def load_host_config(path: Path) -> PactHostConfig:
    """Read the PACT host's YAML file; raise ``FootprintError`` listing every problem."""
    path = Path(path)

    def problem(message: str, column: str | None = None) -> Problem:
        return Problem(message, file=str(path), column=column)

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FootprintError(problem(f"cannot read: {error.strerror}")) from None
    except yaml.YAMLError as error:
        raise FootprintError(problem(f"not YAML: {str(error).splitlines()[0]}")) from None
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise FootprintError(problem("expected keys store, clients"))
    store = data.get("store")
    if not isinstance(store, str) or not store.strip():
        problems.append(problem("store: give the SQLite file of the footprints", "store"))
    clients: dict[str, PactClient] = {}
    entries = data.get("clients")
    if not isinstance(entries, list) or not entries:
        problems.append(problem("clients: give at least one client", "clients"))
        entries = []
    for number, entry in enumerate(entries, start=1):
        label = f"clients[{number}]"
        if not isinstance(entry, dict):
            problems.append(problem(f"{label}: expected id, secret_hash, scopes"))
            continue
        client_id = entry.get("id")
        secret_hash = entry.get("secret_hash")
        scopes = entry.get("scopes", list(SCOPES))
        if not isinstance(client_id, str) or not client_id:
            problems.append(problem(f"{label}.id: missing", "id"))
        elif client_id in clients:
            problems.append(problem(f"{label}.id: {client_id!r} is listed twice", "id"))
        try:
            _parse_hash(str(secret_hash))
        except (ValueError, TypeError):
            problems.append(
                problem(
                    f"{label}.secret_hash: not a hash from `footprint pact hash-secret` "
                    "(pbkdf2_sha256$…); secrets are never stored in clear",
                    "secret_hash",
                )
            )
        if not isinstance(scopes, list) or not set(scopes) <= set(SCOPES) or not scopes:
            problems.append(
                problem(f"{label}.scopes: {scopes!r}; allowed {', '.join(SCOPES)}", "scopes")
            )
        allowed = entry.get("product_ids")
        if allowed is not None and not (isinstance(allowed, list) and allowed):
            problems.append(problem(f"{label}.product_ids: a non-empty list of URNs"))
        if isinstance(client_id, str) and client_id and client_id not in clients:
            clients[client_id] = PactClient(
                client_id,
                str(secret_hash),
                frozenset(scopes if isinstance(scopes, list) else []),
                frozenset(str(p).lower() for p in allowed) if isinstance(allowed, list) else None,
            )
    numbers = {}
    for key, default in (("token_lifetime_seconds", 3600), ("token_requests_per_minute", 10)):
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(problem(f"{key}: {value!r} is not a whole number ≥ 1", key))
            value = default
        numbers[key] = value
    if problems:
        raise FootprintError(problems)
    store_path = Path(str(store))
    if not store_path.is_absolute():
        store_path = path.parent / store_path
    return PactHostConfig(store_path, clients, **numbers)


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------


@dataclass
class _Token:
    client: PactClient
    expires: float


@dataclass
class TokenIssuer:
    config: PactHostConfig
    clock: Callable[[], float] = time.time
    tokens: dict[str, _Token] = field(default_factory=dict)  # SHA-256 of the token → token
    attempts: dict[str, deque[float]] = field(default_factory=dict)
    _dummy_hash: str = field(default_factory=lambda: hash_secret(secrets.token_urlsafe(16)))

    def too_many(self, who: str) -> float | None:
        """Seconds to wait when ``who`` asked for tokens too often in the last minute."""
        now = self.clock()
        recent = self.attempts.setdefault(who, deque())
        while recent and recent[0] <= now - 60:
            recent.popleft()
        if len(recent) >= self.config.token_requests_per_minute:
            return max(recent[0] + 60 - now, 1.0)
        recent.append(now)
        return None

    def issue(self, client_id: str, secret: str) -> tuple[str, PactClient] | None:
        client = self.config.clients.get(client_id)
        # an unknown id costs the same hash as a known one: no timing oracle on client ids
        valid = verify_secret(secret, client.secret_hash if client else self._dummy_hash)
        if client is None or not valid:
            return None
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self.tokens = {k: t for k, t in self.tokens.items() if t.expires > now}
        self.tokens[_digest(token)] = _Token(client, now + self.config.token_lifetime_seconds)
        return token, client

    def check(self, token: str) -> PactClient | str:
        """The token's client, or why it is refused ("expired", "invalid")."""
        found = self.tokens.get(_digest(token))
        if found is None:
            return "invalid"
        if found.expires <= self.clock():
            return "expired"
        return found.client


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# The routes
# --------------------------------------------------------------------------------------------


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _oauth_error(
    status: int, error: str, description: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def pact_router(config: PactHostConfig, *, clock: Callable[[], float] = time.time) -> APIRouter:
    """The PACT routes over ``config``'s store and clients."""
    store = PactStore(config.store)
    issuer = TokenIssuer(config, clock)
    router = APIRouter()
    bearer_challenge = {"WWW-Authenticate": 'Bearer realm="pact"'}

    def authorise(request: Request, scope: str) -> PactClient | JSONResponse:
        header = request.headers.get("authorization", "")
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            return _error(
                401,
                "AccessDenied",
                "a bearer token is required (POST /auth/token)",
                bearer_challenge,
            )
        found = issuer.check(token.strip())
        if found == "expired":
            return _error(401, "TokenExpired", "the access token has expired", bearer_challenge)
        if isinstance(found, str):
            return _error(401, "AccessDenied", "the access token is not valid", bearer_challenge)
        if scope not in found.scopes:
            return _error(403, "AccessDenied", f"this client lacks the scope {scope}")
        return found

    @router.get("/.well-known/openid-configuration", include_in_schema=False)
    async def openid_configuration(request: Request) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        return {
            "issuer": base,
            "token_endpoint": f"{base}/auth/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": list(SCOPES),
        }

    @router.post("/auth/token", include_in_schema=False)
    async def token(request: Request) -> Response:
        who = request.client.host if request.client else "unknown"
        wait = issuer.too_many(who)
        if wait is not None:
            return _oauth_error(
                429,
                "invalid_request",
                "too many token requests; try later",
                {"Retry-After": str(int(wait) + 1)},
            )
        form = await request.form()
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "grant_type must be client_credentials"
            )
        client_id, secret = _credentials(request, form)
        if client_id is None or secret is None:
            return _oauth_error(
                401,
                "invalid_client",
                "Authentication failed",
                {"WWW-Authenticate": 'Basic realm="pact"'},
            )
        issued = issuer.issue(client_id, secret)
        if issued is None:
            return _oauth_error(
                401,
                "invalid_client",
                "Authentication failed",
                {"WWW-Authenticate": 'Basic realm="pact"'},
            )
        value, client = issued
        return JSONResponse(
            {
                "access_token": value,
                "token_type": "Bearer",
                "expires_in": config.token_lifetime_seconds,
                "scope": " ".join(sorted(client.scopes)),
            },
            headers={"Cache-Control": "no-store"},
        )

    @router.get("/3/footprints", include_in_schema=False)
    async def list_footprints(request: Request) -> Response:
        client = authorise(request, "footprint:list")
        if isinstance(client, JSONResponse):
            return client
        try:
            query, limit, offset = _list_query(request)
        except ValueError as error:
            return _error(400, "BadRequest", str(error))
        found = [d for d in store.list(query) if client.may_see(d)]
        page = found[offset : offset + limit]
        headers = {}
        if offset + limit < len(found):
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
            params.append(("offset", str(offset + limit)))
            headers["Link"] = f'<{request.url.replace(query=urlencode(params))}>; rel="next"'
        return JSONResponse({"data": page}, headers=headers)

    @router.get("/3/footprints/{footprint_id}", include_in_schema=False)
    async def get_footprint(footprint_id: str, request: Request) -> Response:
        client = authorise(request, "footprint:read")
        if isinstance(client, JSONResponse):
            return client
        document = store.get(footprint_id)
        if document is None:
            return _error(404, "NotFound", "The requested footprint could not be found.")
        if not client.may_see(document):
            return _error(403, "AccessDenied", "this client may not read this footprint")
        return JSONResponse({"data": document})

    @router.post("/3/events", include_in_schema=False)
    async def events(request: Request) -> Response:
        client = authorise(request, "footprint:read")
        if isinstance(client, JSONResponse):
            return client
        return _error(
            501,
            "NotImplemented",
            "this host publishes footprints to be pulled "
            "(GET /3/footprints); it does not take events",
        )

    return router


def _credentials(request: Request, form: Any) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    kind, _, encoded = header.partition(" ")
    if kind.lower() == "basic" and encoded:
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return None, None
        client_id, sep, secret = decoded.partition(":")
        return (client_id, secret) if sep else (None, None)
    client_id, secret = form.get("client_id"), form.get("client_secret")
    return (
        (client_id, secret)
        if isinstance(client_id, str) and isinstance(secret, str)
        else (None, None)
    )


def _list_query(request: Request) -> tuple[ListQuery, int, int]:
    params = request.query_params

    def many(name: str) -> list[str]:  # productId and productid alike (the spec writes both)
        return [v for k, v in params.multi_items() if k.lower() == name.lower()]

    def moment(name: str) -> datetime | None:
        values = many(name)
        if not values:
            return None
        try:
            parsed = datetime.fromisoformat(values[0].replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"{name}={values[0]!r} is not a date-time (2025-04-01T00:00:00Z)"
            ) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def whole(name: str, default: int | None) -> int | None:
        values = many(name)
        if not values:
            return default
        if not values[0].isdigit():
            raise ValueError(f"{name}={values[0]!r} is not a whole number ≥ 0")
        return int(values[0])

    status = many("status")
    if status and status[0].lower() not in ("active", "deprecated"):
        raise ValueError(f"status={status[0]!r}; use Active or Deprecated")
    limit = min(whole("limit", MAX_PAGE) or 0, MAX_PAGE)  # no limit given: pages of MAX_PAGE
    offset = whole("offset", 0) or 0
    query = ListQuery(
        product_ids=many("productId"),
        company_ids=many("companyId"),
        geography=many("geography"),
        classifications=many("classification"),
        valid_on=moment("validOn"),
        valid_after=moment("validAfter"),
        valid_before=moment("validBefore"),
        status=status[0] if status else None,
    )
    return query, limit, offset
