"""``footprint serve``: the web page and JSON API on this machine (loopback by default)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from footprint.cli.terminal import echo
from footprint.errors import FootprintError, Problem


def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on; loopback by default"),
    port: int = typer.Option(8000, min=1, max=65535, help="port to listen on"),
    max_upload_mb: float = typer.Option(
        20.0, min=0.001, help="largest accepted upload per file, in MB"
    ),
    brightway_project: str | None = typer.Option(
        None, help="an existing Brightway project to use as background"
    ),
    pact_config: Annotated[
        Path | None,
        typer.Option(
            "--pact-config",
            help="also serve the PACT v3 API (/auth/token, /3/footprints) for the footprints of "
            "a --pact-store file; the YAML names the store and the clients (docs/exchange.md)",
        ),
    ] = None,
) -> None:
    """Serve the upload page and the JSON API (open http://HOST:PORT/ in a browser)."""
    import uvicorn

    from footprint.web import WebSettings, create_app
    from footprint.web.settings import MEGABYTE

    settings = WebSettings(
        max_upload_bytes=int(max_upload_mb * MEGABYTE), brightway_project=brightway_project
    )
    app = create_app(settings)
    if pact_config is not None:
        from footprint.web.pact_host import load_host_config, pact_router

        config = load_host_config(pact_config)
        app.include_router(pact_router(config))
        echo(
            f"footprint: PACT API on /3/footprints for {len(config.clients)} client(s), "
            f"footprints from {config.store}",
            err=True,
        )
    if not _is_loopback(host):
        echo(
            f"footprint: warning: listening on {host}, beyond this machine. The upload page and "
            "/api have no authentication; put an authenticating HTTPS proxy in front of them"
            + (
                " (the PACT API checks its own tokens but needs HTTPS too)." if pact_config else "."
            ),
            err=True,
        )
    echo(f"footprint: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    except OSError as error:
        raise FootprintError(Problem(f"cannot listen on {host}:{port}: {error}")) from None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``app``."""
    app.command("serve")(serve)
