"""``footprint serve``: the web page and JSON API on this machine (loopback by default)."""

from __future__ import annotations

import typer

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
) -> None:
    """Serve the upload page and the JSON API (open http://HOST:PORT/ in a browser)."""
    import uvicorn

    from footprint.web import WebSettings, create_app
    from footprint.web.settings import MEGABYTE

    settings = WebSettings(
        max_upload_bytes=int(max_upload_mb * MEGABYTE), brightway_project=brightway_project
    )
    typer.echo(f"footprint: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    except OSError as error:
        raise FootprintError(Problem(f"cannot listen on {host}:{port}: {error}")) from None


def register(app: typer.Typer) -> None:
    """Add this room's commands to ``app``."""
    app.command("serve")(serve)
