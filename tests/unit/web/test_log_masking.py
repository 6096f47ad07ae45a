"""No personal data in logs: resident ID numbers and mobile numbers are masked, whatever carries them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from skillvoucher.logging import REDACTED, configure_logging, get_logger, mask_personal_data, mask_text

RESIDENT_ID = "11010519491231002X"
MOBILE = "13812345678"


@pytest.mark.parametrize(
    "text",
    [
        f"person {RESIDENT_ID} imported",
        f"id={RESIDENT_ID.lower()}",
        "110105194912310021",
        f"call {MOBILE}",
        "call +86 138 1234 5678 now",
        "call 0086-13812345678",
        "mobile:138-1234-5678",
        f"{RESIDENT_ID},{MOBILE}",
    ],
)
def test_identifiers_are_masked(text: str) -> None:
    masked = mask_text(text)
    assert REDACTED in masked
    compact = masked.upper().replace(" ", "").replace("-", "")
    assert RESIDENT_ID[:17] not in compact
    assert MOBILE not in compact


@pytest.mark.parametrize(
    "text",
    [
        "request 4e17fe2171e148c88ef019aa7548570a done",  # a request id (hex) is not personal data
        "region 350203, occupation 4-10-01-05",
        "took 12345678 µs",
        "order 123456789012345678901234",  # a longer run of digits is something else
        "20211231235959",
    ],
)
def test_other_numbers_are_kept(text: str) -> None:
    assert mask_text(text) == text


def test_the_processor_masks_nested_values_and_drops_sensitive_keys() -> None:
    event = {
        "event": f"imported {RESIDENT_ID}",
        "phone": "anything",
        "count": 3,
        "number": 13812345678,
        "rows": [{"note": f"tel {MOBILE}"}, ("x", RESIDENT_ID)],
        "ok": True,
    }
    masked = mask_personal_data(None, "info", event)
    assert masked == {
        "event": f"imported {REDACTED}",
        "phone": REDACTED,
        "count": 3,
        "number": REDACTED,
        "rows": [{"note": f"tel {REDACTED}"}, ["x", REDACTED]],
        "ok": True,
    }


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level
    structlog.reset_defaults()


@pytest.mark.usefixtures("restore_logging")
def test_json_logs_carry_no_personal_data_even_in_tracebacks() -> None:
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    log = get_logger("skillvoucher.test")
    log.info("person.imported", row=f"{RESIDENT_ID},{MOBILE}", request_id="abc")
    try:
        raise ValueError(f"bad row for {RESIDENT_ID}")
    except ValueError:
        log.exception("import.failed")
    logging.getLogger("uvicorn.error").warning("client %s said %s", "127.0.0.1", MOBILE)
    output = stream.getvalue()
    assert RESIDENT_ID not in output
    assert RESIDENT_ID[:17] not in output
    assert MOBILE not in output
    lines = [json.loads(line) for line in output.splitlines()]
    assert [line["event"] for line in lines] == [
        "person.imported",
        "import.failed",
        f"client 127.0.0.1 said {REDACTED}",
    ]
    assert lines[0]["row"] == f"{REDACTED},{REDACTED}"
    assert "ValueError: bad row for [redacted]" in lines[1]["exception"]
    assert lines[2]["level"] == "warning"
    assert lines[2]["logger"] == "uvicorn.error"


@pytest.mark.usefixtures("restore_logging")
def test_console_logs_are_readable_lines() -> None:
    stream = io.StringIO()
    configure_logging("console", stream=stream)
    get_logger("skillvoucher.test").info("request", method="GET", path="/", status=200)
    line = stream.getvalue()
    assert "request" in line
    assert "status=200" in line
    assert not line.startswith("{")
