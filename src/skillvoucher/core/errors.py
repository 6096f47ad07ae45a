"""Domain errors. Each names its condition; the edges map the four kinds to HTTP status or exit codes."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused an action. `message` is safe to show to the user (no personal data)."""

    kind = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or type(self).__name__


class NotFound(DomainError):
    kind = "not_found"


class Conflict(DomainError):
    kind = "conflict"


class Forbidden(DomainError):
    kind = "forbidden"


class Invalid(DomainError):
    kind = "invalid"


class Unauthenticated(DomainError):
    """The caller must sign in (or confirm their real name again) first."""

    kind = "unauthenticated"


class RateLimited(DomainError):
    """Too many attempts; try again later."""

    kind = "rate_limited"
