"""The cache in front of real CloudWatch traffic: a repeated ``logai logs`` costs (almost) nothing.

A counting HTTP proxy on 127.0.0.1 sits between boto3 and moto's threaded server and records
every CloudWatch Logs request it forwards, so "zero requests" is measured on the wire, with the
cache, the CloudWatch source and the ``logs`` command all real. Seeding talks to moto directly
and is not counted. A range ending "now" asked again a moment later is not the same range: the
cache then asks CloudWatch for the new moments only, and nothing it already holds.
"""

from __future__ import annotations

import http.client
import importlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from tests.fakes.moto_server import MotoServer, fake_aws_env, use_fake_aws
from tests.fakes.moto_server import moto_server as moto_server  # the session fixture

pytestmark = pytest.mark.network_loopback

GROUP = "/app/api"
EMAILS = ("alice@example.com", "bob.smith@corp.example.org")
PLACEHOLDER = re.compile(rb"<[A-Z][A-Z_]*_\d+>")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class CountingProxy:
    """A reverse proxy that forwards to ``upstream`` and records each request's AWS action."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.actions: list[str] = []
        self.bodies: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                target = self.headers.get("X-Amz-Target", f"{self.command} {self.path}")
                action = target.rpartition(".")[2] or target
                if b"Action=GetCallerIdentity" in (body or b""):
                    action = "sts:GetCallerIdentity"  # the cache asking whose data this is
                with proxy._lock:
                    proxy.actions.append(action)
                    proxy.bodies.append(_json_body(body))
                upstream = http.client.HTTPConnection(*proxy._upstream, timeout=30)
                try:
                    upstream.request(self.command, self.path, body, dict(self.headers.items()))
                    answer = upstream.getresponse()
                    payload = answer.read()
                finally:
                    upstream.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def take(self) -> list[str]:
        """The CloudWatch Logs actions seen since the last call, and forget every action.

        STS calls (one per process and credential set, to learn the account) are not counted.
        """
        return [action for action, _ in self.take_requests()]

    def take_requests(self) -> list[tuple[str, dict[str, Any]]]:
        """The CloudWatch Logs actions and JSON bodies since the last call (STS not counted)."""
        with self._lock:
            seen = list(zip(self.actions, self.bodies, strict=True))
            self.actions, self.bodies = [], []
        return [(action, body) for action, body in seen if not action.startswith("sts:")]


def _json_body(body: bytes | None) -> dict[str, Any]:
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def assert_asked_only_after(proxy: CountingProxy, moment: datetime) -> None:
    """Every request since the last look was a FilterLogEvents for the moments after ``moment``.

    Within the live TTL (60 s) the repeat starts where the first fetch ended; on a machine so
    slow that the TTL passed, it starts at that fetch's settled point (5 minutes earlier).
    """
    moment -= timedelta(minutes=5, seconds=1)
    requests = proxy.take_requests()
    assert requests, "expected CloudWatch to be asked for the new moments"
    for action, body in requests:
        assert action == "FilterLogEvents"
        assert body["startTime"] > int(moment.timestamp() * 1000)


@pytest.fixture
def proxy(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingProxy]:
    """An empty moto server behind a counting proxy, with this process pointed at the proxy."""
    moto_server.reset()
    with CountingProxy(moto_server.endpoint) as counting:
        use_fake_aws(monkeypatch, counting.endpoint)
        monkeypatch.setenv("LOGAI_DATA_SOURCE", "cloudwatch")
        yield counting


@pytest.fixture
def seeded(moto_server: MotoServer, proxy: CountingProxy) -> datetime:
    """A log group with events over the last half hour, some naming people; returns now.

    Depends on ``proxy`` so the server is reset before, not after, seeding.
    """
    now = datetime.now(UTC)
    client = moto_server.logs_client()
    client.create_log_group(logGroupName=GROUP)
    client.create_log_stream(logGroupName=GROUP, logStreamName="web-1")
    start = now - timedelta(minutes=30)
    client.put_log_events(
        logGroupName=GROUP,
        logStreamName="web-1",
        logEvents=[
            {
                "timestamp": int((start + timedelta(seconds=20 * i)).timestamp() * 1000),
                "message": f"ERROR login failed for {EMAILS[i % 2]} attempt {i}"
                if i % 4 == 0
                else f"INFO request {i} served in {i % 50} ms",
            }
            for i in range(60)
        ],
    )
    return now


def _run_logs(*args: str) -> str:
    from logai.cli.logs_cmd import logs

    result = CliRunner().invoke(logs, [GROUP, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _sanitizer_ready() -> bool:
    try:
        module = importlib.import_module("logai.sanitize")
    except ImportError:
        return False
    return hasattr(module, "Sanitizer")


def test_last_hour_again_asks_only_for_the_moments_since(
    proxy: CountingProxy, seeded: datetime
) -> None:
    first = _run_logs("--since", "1h", "--json", "--raw")
    assert "FilterLogEvents" in proxy.take()
    assert len(first.splitlines()) == 60
    second = _run_logs("--since", "1h", "--json", "--raw")
    assert_asked_only_after(proxy, seeded)
    assert second == first


@pytest.mark.usefixtures("seeded")
def test_same_settled_range_twice_makes_zero_cloudwatch_requests(
    proxy: CountingProxy, seeded: datetime
) -> None:
    window = ("--since", "45m", "--until", (seeded - timedelta(minutes=15)).isoformat())
    first = _run_logs(*window, "--json", "--raw")
    assert "FilterLogEvents" in proxy.take()
    assert 0 < len(first.splitlines()) < 60
    fewer = _run_logs(*window, "--json", "--raw", "--limit", "3")
    assert _run_logs(*window, "--json", "--raw") == first
    assert proxy.take() == []
    assert fewer.splitlines() == first.splitlines()[:3]


@pytest.mark.usefixtures("seeded")
def test_equivalent_phrasing_of_a_settled_range_hits(
    proxy: CountingProxy, seeded: datetime
) -> None:
    start = (seeded - timedelta(minutes=40)).replace(microsecond=0)
    end = (seeded - timedelta(minutes=10)).replace(microsecond=0)
    as_iso = ("--since", start.isoformat(), "--until", end.isoformat())
    as_epoch_ms = (
        "--since", str(int(start.timestamp() * 1000)), "--until", str(int(end.timestamp()) * 1000)
    )  # fmt: skip
    first = _run_logs(*as_iso, "--filter", "ERROR", "--raw")
    assert proxy.take()
    second = _run_logs(*as_epoch_ms, "--filter", "  ERROR ", "--raw")
    assert proxy.take() == []
    assert second == first and first


@pytest.mark.usefixtures("seeded")
def test_group_listing_is_cached(proxy: CountingProxy) -> None:
    from logai.cli.groups_cmd import groups

    first = CliRunner().invoke(groups, [], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "DescribeLogGroups" in proxy.take()
    second = CliRunner().invoke(groups, [], catch_exceptions=False)
    assert proxy.take() == []
    assert second.stdout == first.stdout and GROUP in first.stdout


@pytest.mark.usefixtures("seeded")
def test_disabled_cache_always_asks_cloudwatch(
    proxy: CountingProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    _run_logs("--since", "1h", "--raw")
    _run_logs("--since", "1h", "--raw")
    assert proxy.take().count("FilterLogEvents") >= 2


@pytest.mark.skipif(not _sanitizer_ready(), reason="logai.sanitize does not export Sanitizer yet")
def test_sanitized_logs_run_stores_raw_events_and_no_placeholders(
    proxy: CountingProxy, tmp_path: Path, seeded: datetime
) -> None:
    shown = _run_logs("--since", "1h")
    assert "<EMAIL" in shown and EMAILS[0] not in shown  # the output was sanitized
    proxy.take()
    assert _run_logs("--since", "1h") == shown
    assert_asked_only_after(proxy, seeded)
    db = tmp_path / "cache" / "cache.sqlite3"
    files = b"".join(p.read_bytes() for p in db.parent.glob("cache.sqlite3*") if p.is_file())
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT payload, meta FROM entries").fetchall()
    decoded = b"".join(zlib.decompress(payload) + meta.encode() for payload, meta in rows)
    for blob in (files, decoded):
        assert PLACEHOLDER.search(blob) is None and b"EMAIL_" not in blob
    assert EMAILS[0].encode() in decoded  # what the source returned, untouched


#: Runs the ``logs`` click command in a fresh interpreter, whether or not the ``logai`` group has
#: registered it yet.
_LOGS_COMMAND = (
    "import sys\n"
    "from logai.cli.logs_cmd import logs\n"
    "logs.main(args=sys.argv[1:], prog_name='logai logs')\n"
)


@pytest.mark.slow
def test_second_logai_process_is_answered_from_the_cache(
    proxy: CountingProxy, seeded: datetime
) -> None:
    env = fake_aws_env(proxy.endpoint)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    until = (seeded - timedelta(minutes=15)).isoformat()
    settled = [GROUP, "--since", "45m", "--until", until, "--json", "--raw"]
    command = [sys.executable, "-c", _LOGS_COMMAND, *settled]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "FilterLogEvents" in proxy.take()
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0, second.stderr
    assert proxy.take() == []
    assert second.stdout == first.stdout
    assert len([json.loads(line) for line in second.stdout.splitlines()]) == 46
