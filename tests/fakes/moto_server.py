"""moto's CloudWatch Logs (and any other AWS service) over real HTTP on 127.0.0.1.

Tests that exercise the full stack - boto3's endpoint resolution from
``AWS_ENDPOINT_URL_CLOUDWATCH_LOGS``, HTTP, a ``logai`` subprocess - point it at one of these:

* :class:`MotoServer` runs moto's threaded server inside the test process (cheap to start;
  state is shared with in-process ``mock_aws``, so reset it between tests).
* :class:`MotoServerProcess` runs it in a child process, so measurements of the client
  (benchmarks: memory, CPU) do not include moto's own work.

Both bind an ephemeral port and never touch real AWS. :data:`FAKE_AWS_ENV` is the environment
every such test should run with.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import pytest

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

HOST = "127.0.0.1"
REGION = "us-east-1"

#: Fake credentials and a region: boto3 signs requests, moto accepts anything.
FAKE_AWS_ENV: dict[str, str] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}
#: Variables that would send requests elsewhere or to a real account.
UNSET_AWS_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


_CHILD_SCRIPT = """
import logging, sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on stderr
server = ThreadedMotoServer(ip_address=sys.argv[1], port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # serve until the parent closes our stdin
server.stop()
"""


def use_fake_aws(monkeypatch: pytest.MonkeyPatch, endpoint: str | None = None) -> None:
    """Fake credentials and region in ``os.environ``; optionally the Logs endpoint too."""
    for name in UNSET_AWS_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    if endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", endpoint)


def use_fake_aws_for_good(endpoint: str | None = None) -> None:
    """:func:`use_fake_aws` for a process outside pytest (a benchmark): never undone, and no
    ``.env`` file read."""
    use_fake_aws(pytest.MonkeyPatch(), endpoint)
    os.environ.setdefault("LOGAI_ENV_FILE", os.devnull)


def fake_aws_env(endpoint: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for a subprocess that talks to the moto server at ``endpoint`` only."""
    env = {
        k: v for k, v in (os.environ if base is None else base).items() if k not in UNSET_AWS_ENV
    }
    env.update(FAKE_AWS_ENV)
    env["AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"] = endpoint
    return env


class _Endpoint:
    endpoint: str

    def reset(self) -> None:
        """Forget every log group, stream and event (moto's reset API)."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def logs_client(self, region: str = REGION) -> CloudWatchLogsClient:
        """A boto3 Logs client for seeding, pinned to this server with fake credentials."""
        import boto3  # type: ignore[import-untyped]

        client: CloudWatchLogsClient = boto3.client(
            "logs",
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        return client


class MotoServer(_Endpoint):
    """moto's threaded HTTP server in this process, on 127.0.0.1 and an ephemeral port."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
        self.endpoint = ""

    def start(self) -> Self:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not one line per request
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class MotoServerProcess(_Endpoint):
    """moto's HTTP server in a child process (stopped by closing its stdin)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def start(self) -> Self:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _CHILD_SCRIPT, HOST],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        port = self._process.stdout.readline().strip()
        if not port.isdigit():
            self.stop()
            raise RuntimeError("the moto server process did not report its port")
        self.endpoint = f"http://{HOST}:{port}"
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    """One in-process moto HTTP server for the session; use :func:`moto_endpoint` per test."""
    with MotoServer() as server:
        yield server


@pytest.fixture
def moto_endpoint(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """The session's moto server, emptied, with this process pointed at it via the environment."""
    moto_server.reset()
    use_fake_aws(monkeypatch, moto_server.endpoint)
    return moto_server
