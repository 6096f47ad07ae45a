"""Structured logs for every entry point: readable lines in development, one JSON object a line in production.

Logs never carry personal data. Callers must not log it, and as a safety net `mask_personal_data` replaces
anything that looks like a resident ID number (18 characters) or a mainland mobile number (11 digits) in every
value, including exception text, and drops the values of keys whose names say they hold such data.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Literal, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

REDACTED = "[redacted]"
# 17 digits and a check character (digit or X), not part of a longer run of letters or digits.
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
# 11-digit mainland mobile numbers, optionally with +86/0086 and spaces or dashes in the usual places.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
SENSITIVE_KEYS = frozenset(
    {
        "resident_id",
        "id_number",
        "id_no",
        "phone",
        "mobile",
        "password",
        "secret",
        "token",
        "authorization",
        "cookie",
        "set-cookie",
    }
)


def mask_text(text: str) -> str:
    return _MOBILE.sub(REDACTED, _RESIDENT_ID.sub(REDACTED, text))


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        masked = mask_text(str(value))
        return value if masked == str(value) else REDACTED
    if isinstance(value, MutableMapping):
        return {key: REDACTED if _is_sensitive(key) else _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_mask(item) for item in value]
    return mask_text(str(value))


def _is_sensitive(key: object) -> bool:
    return isinstance(key, str) and key.lower() in SENSITIVE_KEYS


def mask_personal_data(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """A structlog processor: the last line of defence against personal data in logs."""
    return {key: REDACTED if _is_sensitive(key) else _mask(value) for key, value in event_dict.items()}


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        # Tracebacks become text here, so the masking below covers exception messages too.
        structlog.processors.format_exc_info,
        mask_personal_data,
    ]


def configure_logging(
    log_format: Literal["console", "json"], *, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Send structlog and standard-library logs (uvicorn, SQLAlchemy) through one masked, rendered stream."""
    renderer: Processor
    if log_format == "json":
        renderer = structlog.processors.JSONRenderer(ensure_ascii=False)
    else:
        # Plain tracebacks: rich's show local variables, and locals may hold personal data.
        renderer = structlog.dev.ConsoleRenderer(
            colors=(stream or sys.stderr).isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    shared = _shared_processors()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
