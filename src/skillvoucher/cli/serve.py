"""`skillvoucher serve`: prepare the database on first start and serve the web application."""

from __future__ import annotations


def serve_command() -> None:
    """Serve the web application."""
    raise NotImplementedError
