"""An offline API reference at ``/docs``, rendered from the app's OpenAPI document.

FastAPI's Swagger and ReDoc pages load their scripts from a CDN; the app must work without
network access, so it lists the endpoints itself and links the raw ``/openapi.json``
(load that file into any OpenAPI viewer for an interactive console).
"""

from __future__ import annotations

from typing import Any

from footprint.web.pages import esc, page

_EXAMPLE = (
    "curl -F file=@examples/smartphone.xlsx -F rules=eu-battery-regulation "
    "-F as_of=2031-08-18 http://127.0.0.1:8000/api/assess"
)


def _fields(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("multipart/form-data", {}).get("schema", {})
    properties = schema.get("properties", {})
    if not properties:
        return ""
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{esc(name)}</code></td><td>{'required' if name in required else ''}</td>"
        f"<td>{esc(spec.get('description', ''))}</td></tr>"
        for name, spec in properties.items()
    )
    return (
        "<p>multipart/form-data fields:</p><table><thead><tr><th>Field</th><th></th>"
        f"<th>Meaning</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _responses(operation: dict[str, Any]) -> str:
    items = "".join(
        f"<li><code>{esc(code)}</code> {esc(spec.get('description', ''))}</li>"
        for code, spec in operation.get("responses", {}).items()
    )
    return f"<ul>{items}</ul>"


def render(openapi: dict[str, Any]) -> str:
    blocks = []
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            blocks.append(
                f"""<div class="endpoint"><h2><span class="method {esc(method)}">
{esc(method.upper())}</span> <code>{esc(path)}</code> {esc(operation.get("summary", ""))}</h2>
<p>{esc(operation.get("description", ""))}</p>{_fields(operation)}{_responses(operation)}</div>"""
            )
    info = openapi.get("info", {})
    return page(
        "API",
        f"""<section class="card apidoc">
<h1>footprint JSON API {esc(info.get("version", ""))}</h1>
<p class="lead">The same results as the page, for pipelines. The machine-readable description
is <a href="/openapi.json">/openapi.json</a>; errors come back as
<code>{{"detail": …, "problems": [{{"file", "sheet", "row", "column", "message"}}]}}</code>.</p>
<p>Example: <code>{esc(_EXAMPLE)}</code></p>
{"".join(blocks)}
</section>""",
    )
