"""`skillvoucher serve`: prepare the database on first start and serve the web application."""

from __future__ import annotations

import typer
import uvicorn

from skillvoucher.bootstrap import prepare
from skillvoucher.cli.context import console, runtime
from skillvoucher.logging import configure_logging
from skillvoucher.web.app import create_app


def serve_command(
    host: str | None = typer.Option(None, help="Address to listen on [default: SKILLVOUCHER_HOST or 127.0.0.1]"),
    port: int | None = typer.Option(None, help="Port to listen on [default: SKILLVOUCHER_PORT or 8000]"),
    reload: bool = typer.Option(False, "--reload/--no-reload", help="Restart when the code changes (development)"),
) -> None:
    """Migrate the database, load reference (and, in development, demo) data on first start, then serve the web
    application until Ctrl-C."""
    with runtime() as rt:
        settings = rt.settings
        configure_logging(settings.effective_log_format)
        prepare(rt, echo=console.print)
        host, port = host or settings.host, port or settings.port
        console.print(f"data folder: [bold]{settings.data_dir.resolve()}[/bold]")
        if settings.database_url is not None:
            console.print(f"database: {rt.engine.url.render_as_string(hide_password=True)}")
        console.print(f"serving on [bold]http://{host}:{port}/[/bold] ({settings.mode} mode) — Ctrl-C stops")
        # Logging is ours (structlog, one line per request with its id): uvicorn's own setup and access log are off.
        # The reloader imports the app in a fresh process, which builds its own runtime from the environment.
        app = "skillvoucher.web.app:create_app_from_environment" if reload else create_app(rt)
        uvicorn.run(
            app,
            factory=reload,
            reload=reload,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            server_header=False,
        )
    console.print("stopped")
