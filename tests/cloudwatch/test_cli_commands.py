"""``logai groups`` and ``logai logs`` in-process (CliRunner) over moto's in-process mock.

The end-to-end path through a real ``logai`` process and moto's HTTP server is covered in
``tests/integration/test_cloudwatch_cli.py``; these cover the behaviours in detail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from logai.cli.groups_cmd import groups
from logai.cli.logs_cmd import logs
from logai.testing.hosts import isolated_host
from logai.timeparse import format_time
from logai_cloudwatch import plugin
from tests.cloudwatch.fixtures import now_ms, seed_events, seed_groups

if TYPE_CHECKING:
    import click
    from mypy_boto3_logs import CloudWatchLogsClient

try:
    import logai.sanitize  # noqa: F401

    HAVE_SANITIZER = True
except ImportError:  # pragma: no cover - while the sanitizer is being written
    HAVE_SANITIZER = False

needs_sanitizer = pytest.mark.skipif(not HAVE_SANITIZER, reason="logai.sanitize not available")

EMAIL = "jane.doe@example.com"


@pytest.fixture(autouse=True)
def _host_with_cloudwatch() -> Iterator[None]:
    """The built-ins plus this plugin, as an installed logai-cloudwatch would give."""
    with isolated_host(("cloudwatch", plugin)):
        yield


@pytest.fixture
def account(logs_client: CloudWatchLogsClient) -> CloudWatchLogsClient:
    """A mocked account with a few groups and events."""
    seed_groups(logs_client, ["/aws/lambda/payments", "/aws/ecs/web"])
    seed_events(
        logs_client,
        "/aws/lambda/checkout",
        [
            "START RequestId: 1",
            f"ERROR card declined for {EMAIL}",
            "Traceback (most recent call last):\n  File x\nValueError: boom\n",
            "END RequestId: 1",
        ],
        stream="2024/05/01/[$LATEST]abc",
    )
    return logs_client


def run(command: click.Command, *args: str) -> Result:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


# -- logai groups ----------------------------------------------------------------------------


def test_groups_prints_one_name_per_line(account: CloudWatchLogsClient) -> None:
    result = run(groups)

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "/aws/ecs/web",
        "/aws/lambda/checkout",
        "/aws/lambda/payments",
    ]


def test_groups_filters_by_prefix(account: CloudWatchLogsClient) -> None:
    result = run(groups, "--prefix", "/aws/lambda/")

    assert result.stdout.splitlines() == ["/aws/lambda/checkout", "/aws/lambda/payments"]


def test_groups_json_is_one_object_per_line(account: CloudWatchLogsClient) -> None:
    result = run(groups, "--json", "--prefix", "/aws/lambda/")

    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["name"] for row in rows] == ["/aws/lambda/checkout", "/aws/lambda/payments"]
    assert rows[0]["stored_bytes"] > 0


def test_groups_long_format_adds_size_and_retention(account: CloudWatchLogsClient) -> None:
    account.put_retention_policy(logGroupName="/aws/ecs/web", retentionInDays=14)

    lines = run(groups, "--long").stdout.splitlines()

    assert lines[0].startswith("/aws/ecs/web ") and "14d" in lines[0]
    assert "never expires" in lines[1] and " B " in lines[1]


def test_groups_notes_when_the_limit_cut_the_list(account: CloudWatchLogsClient) -> None:
    result = run(groups, "--limit", "2")

    assert len(result.stdout.splitlines()) == 2
    assert "Showing the first 2 groups" in result.stderr


def test_groups_with_nothing_found_says_so_on_stderr(logs_client: CloudWatchLogsClient) -> None:
    result = run(groups, "--prefix", "/nothing/")

    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No log groups starting with '/nothing/'" in result.stderr
    assert "region us-east-1" in result.stderr


def test_groups_with_an_unknown_source_exits_2(account: CloudWatchLogsClient) -> None:
    result = run(groups, "--source", "cloudwach")

    assert result.exit_code == 2
    assert result.stderr.strip().startswith(
        "logai: error: --source: No data source named 'cloudwach'."
    )
    assert "Did you mean cloudwatch?" in result.stderr


def test_groups_without_a_region_is_one_clear_line(
    mocked_aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")

    result = run(groups)

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "logai: error: No AWS region is configured. Set AWS_REGION (e.g. AWS_REGION=us-east-1) "
        "or a region in your profile (`aws configure set region us-east-1`)."
    ]


# -- logai logs ------------------------------------------------------------------------------


def test_logs_prints_one_event_per_line_timestamp_first(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--raw")

    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert len(lines) == 4
    stamps = [line.split(" ", 1)[0] for line in lines]
    assert all(stamp.endswith("Z") for stamp in stamps)
    assert [datetime.fromisoformat(s.replace("Z", "+00:00")).tzinfo for s in stamps] == [UTC] * 4
    assert stamps == sorted(stamps)
    assert lines[0].endswith(" START RequestId: 1")


def test_logs_keeps_a_multi_line_event_on_one_line(account: CloudWatchLogsClient) -> None:
    lines = run(logs, "/aws/lambda/checkout", "--raw").stdout.splitlines()

    assert lines[2].endswith(" Traceback (most recent call last):\\n  File x\\nValueError: boom")


def test_logs_show_stream_puts_the_stream_after_the_timestamp(
    account: CloudWatchLogsClient,
) -> None:
    line = run(logs, "/aws/lambda/checkout", "--raw", "--show-stream").stdout.splitlines()[0]

    assert line.split(" ")[1:3] == ["2024/05/01/[$LATEST]abc", "START"]


def test_logs_json_is_one_event_object_per_line(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--json", "--raw")

    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["message"] == "START RequestId: 1"
    assert rows[2]["message"].endswith("ValueError: boom\n")  # exact text in JSON
    assert set(rows[0]) == {"timestamp", "message", "group", "stream", "event_id"}


def test_logs_filter_pattern_is_passed_to_the_source(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--filter", "RequestId", "--raw")

    assert [line.split(" ", 1)[1] for line in result.stdout.splitlines()] == [
        "START RequestId: 1",
        "END RequestId: 1",
    ]


def test_logs_limit_keeps_the_oldest_and_says_so(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--limit", "2", "--raw")

    assert len(result.stdout.splitlines()) == 2
    assert "Stopped at the limit of 2 events" in result.stderr


def test_logs_honours_since_and_until(logs_client: CloudWatchLogsClient) -> None:
    start = now_ms() - 3_600_000
    seed_events(logs_client, "/app", ["old", "middle", "new"], start_ms=start, step_ms=1_200_000)
    since = format_time(datetime.fromtimestamp((start + 600_000) / 1000, UTC))
    until = str(start + 1_800_000)  # epoch milliseconds

    result = run(logs, "/app", "--since", since, "--until", until, "--raw")

    assert [line.split(" ", 1)[1] for line in result.stdout.splitlines()] == ["middle"]


def test_logs_empty_result_names_the_resolved_range(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/payments", "--since", "2h", "--until", "1h", "--filter", "x")

    assert result.exit_code == 0
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("No events in /aws/lambda/payments matching 'x' from 20")
    assert line.count("Z") == 2 and " to " in line


def test_logs_unknown_group_is_one_line_with_suggestions(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/chekout")

    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("logai: error: Log group '/aws/lambda/chekout' does not exist")
    assert "Did you mean '/aws/lambda/checkout'?" in line
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("option", "value"), [("--since", "last tuesday"), ("--until", "5 parsecs")]
)
def test_logs_bad_time_is_a_usage_error(
    account: CloudWatchLogsClient, option: str, value: str
) -> None:
    result = run(logs, "/aws/lambda/checkout", option, value)

    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"logai: error: {option}: Cannot understand the time '{value}'."
    )


def test_logs_start_after_end_shows_both_times(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--since", "1h", "--until", "2h")

    assert result.exit_code == 2
    assert "is after the end time" in result.stderr


@needs_sanitizer
def test_logs_are_sanitized_by_default(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout")

    assert result.exit_code == 0
    assert EMAIL not in result.stdout
    assert "ERROR card declined for " in result.stdout
    assert "Redacted 1 email" in result.stderr
    assert "--raw" not in result.stderr


@needs_sanitizer
def test_logs_json_is_sanitized_too(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--json")

    assert EMAIL not in result.stdout


def test_logs_raw_prints_unsanitized_with_a_warning(account: CloudWatchLogsClient) -> None:
    result = run(logs, "/aws/lambda/checkout", "--raw")

    assert EMAIL in result.stdout
    assert "warning: --raw: printing log lines unsanitized" in result.stderr


@needs_sanitizer
def test_logs_with_sanitization_switched_off_warns(
    account: CloudWatchLogsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_PII_SANITIZATION_ENABLED", "false")

    result = run(logs, "/aws/lambda/checkout")

    assert EMAIL in result.stdout
    assert "LOGAI_PII_SANITIZATION_ENABLED=false" in result.stderr


@needs_sanitizer
def test_logs_unknown_disabled_rule_is_a_usage_error(
    account: CloudWatchLogsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "no-such-rule")

    result = run(logs, "/aws/lambda/checkout")

    assert result.exit_code == 2
    assert result.stderr.startswith("logai: error: LOGAI_SANITIZER_DISABLED_RULES:")


def test_logs_unexpected_failure_is_still_one_line(
    account: CloudWatchLogsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logai_cloudwatch.source import CloudWatchSource

    async def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(CloudWatchSource, "fetch_logs", broken)

    result = run(logs, "/aws/lambda/checkout")

    assert result.exit_code == 1
    # A plugin's source raising something unexpected is attributed to the plugin (one line).
    assert result.stderr.splitlines() == [
        "logai: error: plugin 'cloudwatch' (inline): data source 'cloudwatch' method "
        "fetch_logs raised RuntimeError: something unexpected"
    ]


def test_logs_over_several_groups_names_each_events_group(
    account: CloudWatchLogsClient,
) -> None:
    seed_events(account, "/aws/ecs/web", ["GET / 200"], create_group=False)

    result = run(logs, "/aws/lambda/checkout", "/aws/ecs/web", "--filter", "RequestId", "--raw")
    web = run(logs, "/aws/lambda/checkout", "/aws/ecs/web", "--filter", "GET", "--raw")

    assert result.exit_code == 0, result.stderr
    assert [line.split(" ", 1)[1] for line in result.stdout.splitlines()] == [
        "/aws/lambda/checkout START RequestId: 1",
        "/aws/lambda/checkout END RequestId: 1",
    ]
    assert [line.split(" ", 1)[1] for line in web.stdout.splitlines()] == ["/aws/ecs/web GET / 200"]


def test_logs_follow_refuses_limit_and_until(account: CloudWatchLogsClient) -> None:
    limited = run(logs, "/aws/lambda/checkout", "-f", "-n", "5")
    bounded = run(logs, "/aws/lambda/checkout", "--follow", "--until", "1h ago")

    assert limited.exit_code == bounded.exit_code == 2
    assert "--limit cannot be used with --follow" in limited.stderr
    assert "--until cannot be used with --follow" in bounded.stderr
