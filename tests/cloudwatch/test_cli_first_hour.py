"""What a newcomer types wrong in ``logai groups`` and ``logai logs``, and what they are told.

Every error names what was wrong (the option, the endpoint) and offers the closest names; notes
about a cut list appear only when more really exists, with singular and plural right.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from logai.cli.groups_cmd import groups
from logai.cli.logs_cmd import logs
from logai.testing.hosts import isolated_host
from logai_cloudwatch import plugin
from tests.cloudwatch.fixtures import seed_events, seed_groups

if TYPE_CHECKING:
    import click
    from mypy_boto3_logs import CloudWatchLogsClient


@pytest.fixture(autouse=True)
def _host_with_cloudwatch() -> Iterator[None]:
    with isolated_host(("cloudwatch", plugin)):
        yield


def run(command: click.Command, *args: str) -> Result:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


@pytest.fixture
def lambdas(logs_client: CloudWatchLogsClient) -> CloudWatchLogsClient:
    seed_groups(logs_client, ["/aws/lambda/checkout-service", "/aws/lambda/web", "/aws/ecs/api"])
    seed_events(logs_client, "/aws/lambda/web", ["one", "two", "three"])
    return logs_client


def test_a_group_named_without_its_path_is_suggested_by_suffix(
    lambdas: CloudWatchLogsClient,
) -> None:
    result = run(logs, "checkout-service")
    assert result.exit_code == 1
    assert "Log group 'checkout-service' does not exist" in result.stderr
    assert "Did you mean '/aws/lambda/checkout-service'?" in result.stderr


def test_a_misspelt_prefix_suggests_the_existing_one(lambdas: CloudWatchLogsClient) -> None:
    result = run(groups, "--prefix", "/aws/lamda/")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No log groups starting with '/aws/lamda/'" in result.stderr
    assert "Did you mean --prefix /aws/lambda/?" in result.stderr


def test_a_prefix_with_nothing_close_suggests_nothing(lambdas: CloudWatchLogsClient) -> None:
    result = run(groups, "--prefix", "/zzz/qqq/")
    assert "No log groups starting with '/zzz/qqq/'" in result.stderr
    assert "Did you mean" not in result.stderr


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_a_misspelt_time_names_the_option_and_suggests(
    lambdas: CloudWatchLogsClient, option: str
) -> None:
    result = run(logs, "/aws/lambda/web", option, "yesterdy")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"logai: error: {option}: Cannot understand the time")
    assert "Did you mean 'yesterday'?" in result.stderr


def test_no_limit_note_when_the_group_holds_exactly_the_limit(
    lambdas: CloudWatchLogsClient,
) -> None:
    result = run(logs, "/aws/lambda/web", "--limit", "3", "--raw")
    assert len(result.stdout.splitlines()) == 3
    assert "Stopped at the limit" not in result.stderr


def test_limit_note_is_singular_for_one_event(lambdas: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/web", "--limit", "1", "--raw")
    assert len(result.stdout.splitlines()) == 1
    assert "Stopped at the limit of 1 event;" in result.stderr


def test_groups_note_only_when_more_groups_exist(lambdas: CloudWatchLogsClient) -> None:
    exact = run(groups, "--limit", "3")
    assert len(exact.stdout.splitlines()) == 3 and "Showing" not in exact.stderr
    one = run(groups, "--limit", "1")
    assert len(one.stdout.splitlines()) == 1
    assert "Showing the first group;" in one.stderr


def test_a_long_listing_is_written_whole_and_in_order(logs_client: CloudWatchLogsClient) -> None:
    messages = [f"line {i}" for i in range(1300)]  # more than two write batches
    seed_events(logs_client, "/big", messages)
    result = run(logs, "/big", "--limit", "2000", "--raw")
    assert [line.split(" ", 1)[1] for line in result.stdout.splitlines()] == messages
    assert result.stdout.endswith("\n")


class _NotAws(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b"<html><body>404 Not Found</body></html>"
        self.send_response(404)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def not_aws_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _NotAws)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", url)
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def test_a_non_aws_server_at_the_endpoint_is_named(not_aws_endpoint: str) -> None:
    result = run(groups)
    assert result.exit_code == 1
    assert "does not look like CloudWatch Logs" in result.stderr
    assert f"endpoint {not_aws_endpoint}" in result.stderr
    assert "HTTP 404" in result.stderr
    assert "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS" in result.stderr


def _client_error(code: str, status: int, headers: dict[str, str]) -> Exception:
    from botocore.exceptions import ClientError  # type: ignore[import-untyped]

    response: Any = {
        "Error": {"Code": code, "Message": ""},
        "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": headers},
    }
    return ClientError(response, "DescribeLogGroups")


@pytest.mark.parametrize(
    ("code", "status", "headers", "foreign"),
    [
        ("404", 404, {"content-type": "text/html"}, True),
        ("", 403, {}, True),
        ("404", 404, {"x-amzn-requestid": "abc"}, False),  # an AWS answer, however odd
        ("ResourceNotFoundException", 400, {}, False),
        ("502", 502, {}, False),  # 5xx: maybe a proxy in front of AWS; retried as a server error
    ],
)
def test_only_a_client_error_without_aws_markers_is_called_foreign(
    code: str, status: int, headers: dict[str, str], foreign: bool
) -> None:
    from logai_cloudwatch.errors import ErrorContext, map_error

    ctx = ErrorContext("logs:DescribeLogGroups", target="region us-east-1, endpoint http://x")
    message = str(map_error(_client_error(code, status, headers), ctx))
    assert ("does not look like CloudWatch Logs" in message) is foreign
    assert "endpoint http://x" in message or code == "ResourceNotFoundException"
