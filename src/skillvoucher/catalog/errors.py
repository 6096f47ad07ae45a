"""Why a catalogue read or action was refused."""

from __future__ import annotations

from skillvoucher.core import Invalid, NotFound


class RegionNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"no region has the code {code}")
        self.region_code = code


class PageOutOfRange(Invalid):
    pass
