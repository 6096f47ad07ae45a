"""Errors of the statistics pages and API."""

from __future__ import annotations

from skillvoucher.core import NotFound


class UnknownScope(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"没有这个地区：{code} / no such region: {code}")
