"""`skillvoucher serve` as an operator runs it: first start prepares the database, the site answers, Ctrl-C stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(url: str, process: subprocess.Popen[str], seconds: float = 30) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}: {process.communicate()[0]}")
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"{url} did not answer within {seconds} s")


def test_serve_prepares_the_database_serves_chinese_pages_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "SKILLVOUCHER_DATA_DIR": str(tmp_path / "data"),
        "SKILLVOUCHER_LOAD_DEMO_DATA": "false",
        "SKILLVOUCHER_LOG_FORMAT": "json",
        "COLUMNS": "200",
    }
    env.pop("SKILLVOUCHER_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "skillvoucher", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        assert health.status_code == 200
        assert health.json()["schema"] == "up_to_date"
        home = httpx.get(f"http://127.0.0.1:{port}/")
        assert '<html lang="zh-CN">' in home.text
        assert "职业培训券" in home.text
        assert "server" not in home.headers
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert f"data folder: {tmp_path / 'data'}" in output
    assert f"serving on http://127.0.0.1:{port}/" in output
    assert '"event": "request"' in output
    assert '"path": "/healthz"' not in output
    assert output.rstrip().endswith("stopped")
    assert (tmp_path / "data" / "skillvoucher.sqlite3").exists()
