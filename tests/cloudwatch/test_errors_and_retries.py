"""Retries (tenacity, the only retry layer) and the mapping of AWS failures to LogAI errors.

Most cases use botocore's Stubber on a client built by the real factory, so the client
configuration under test is the one users get; transport failures use a closed local port.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import (  # type: ignore[import-untyped]
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
    UnauthorizedSSOTokenError,
)
from botocore.stub import ANY, Stubber  # type: ignore[import-untyped]

from logai.config import LogAISettings, load_settings
from logai.sources.base import (
    DataSourceError,
    SourceAccessDenied,
    SourceAuthError,
    SourceNotFound,
    SourceThrottled,
    SourceUnavailable,
    SourceValidationError,
)
from logai_cloudwatch.client import make_client
from logai_cloudwatch.errors import is_retryable
from logai_cloudwatch.retry import RetryPolicy
from logai_cloudwatch.source import CloudWatchSource

GROUP = "/app/api"
ATTEMPTS = 3


def _hour() -> tuple[datetime, datetime]:
    end = datetime.now(UTC)
    return end - timedelta(hours=1), end


def _events_page() -> dict[str, Any]:
    return {
        "events": [
            {"eventId": "1", "timestamp": 1_700_000_000_000, "message": "ok", "logStreamName": "s"}
        ]
    }


@pytest.fixture
def stubbed(settings: LogAISettings) -> Iterator[tuple[Any, Stubber]]:
    client = make_client(settings)
    with Stubber(client) as stubber:
        yield client, stubber


@pytest.fixture
async def cw(
    settings: LogAISettings, stubbed: tuple[Any, Stubber]
) -> AsyncIterator[CloudWatchSource]:
    source = CloudWatchSource(
        settings, client=stubbed[0], retry=RetryPolicy.immediate(max_attempts=ATTEMPTS)
    )
    yield source
    await source.aclose()


def _error(stubber: Stubber, code: str, status: int = 400, message: str = "", op: str = "") -> None:
    stubber.add_client_error(
        op or "filter_log_events",
        service_error_code=code,
        service_message=message or code,
        http_status_code=status,
    )


# -- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("ThrottlingException", 400),
        ("TooManyRequestsException", 429),
        ("LimitExceededException", 400),
        ("ServiceUnavailableException", 503),
        ("InternalFailure", 500),
    ],
)
async def test_retries_transient_errors_then_succeeds(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber], code: str, status: int
) -> None:
    _, stubber = stubbed
    _error(stubber, code, status)
    _error(stubber, code, status)
    stubber.add_response("filter_log_events", _events_page())

    events = await cw.fetch_logs(GROUP, *_hour())

    assert [e.message for e in events] == ["ok"]
    stubber.assert_no_pending_responses()


async def test_throttling_forever_gives_source_throttled(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    for _ in range(ATTEMPTS):
        _error(stubber, "ThrottlingException", message="Rate exceeded")

    with pytest.raises(SourceThrottled) as caught:
        await cw.fetch_logs(GROUP, *_hour())

    stubber.assert_no_pending_responses()
    message = str(caught.value)
    assert f"after {ATTEMPTS} attempts" in message
    assert "ThrottlingException" in message and "logs:FilterLogEvents" in message
    assert caught.value.retryable


async def test_server_errors_forever_give_source_unavailable(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    for _ in range(ATTEMPTS):
        _error(stubber, "ServiceUnavailableException", 503)

    with pytest.raises(SourceUnavailable, match=r"server error .*HTTP 503.* 3 attempts in a row"):
        await cw.fetch_logs(GROUP, *_hour())


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("AccessDeniedException", SourceAccessDenied),
        ("InvalidParameterException", SourceValidationError),
        ("ExpiredTokenException", SourceAuthError),
        ("UnrecognizedClientException", SourceAuthError),
        ("InvalidSignatureException", SourceAuthError),
        ("SomethingNew", DataSourceError),
    ],
)
async def test_client_faults_are_not_retried(
    cw: CloudWatchSource,
    stubbed: tuple[Any, Stubber],
    code: str,
    expected: type[DataSourceError],
) -> None:
    _, stubber = stubbed
    _error(stubber, code)
    stubber.add_response("filter_log_events", _events_page())  # must stay unused

    with pytest.raises(expected):
        await cw.fetch_logs(GROUP, *_hour())

    with pytest.raises(AssertionError):
        stubber.assert_no_pending_responses()


async def test_botocore_does_not_retry_on_its_own(settings: LogAISettings) -> None:
    """Exactly ``max_attempts`` requests reach the wire: botocore's retries are off."""
    port = _closed_port()
    settings = load_settings(aws_endpoint_url_cloudwatch_logs=f"http://127.0.0.1:{port}")
    client = make_client(settings)
    sent: list[str] = []
    client.meta.events.register("before-send.logs.*", lambda **kw: sent.append("x"))
    cw = CloudWatchSource(settings, client=client, retry=RetryPolicy.immediate(max_attempts=4))

    with pytest.raises(SourceUnavailable) as caught:
        await cw.list_log_groups()
    await cw.aclose()

    assert len(sent) == 4
    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "after 4 attempts" in str(caught.value)


def _aws_error(code: str, status: int = 400) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "FilterLogEvents",
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (EndpointConnectionError(endpoint_url="http://x"), True),
        (ConnectTimeoutError(endpoint_url="http://x"), True),
        (ReadTimeoutError(endpoint_url="http://x"), True),
        (_aws_error("ThrottlingException"), True),
        (_aws_error("RequestLimitExceeded"), True),
        (_aws_error("Whatever", 502), True),
        (_aws_error("Whatever", 429), True),
        (_aws_error("ResourceNotFoundException"), False),
        (_aws_error("AccessDeniedException", 403), False),
        (_aws_error("InvalidParameterException"), False),
        (_aws_error("ExpiredTokenException"), False),
        (ValueError("bug"), False),
    ],
)  # fmt: skip
def test_is_retryable(error: BaseException, retry: bool) -> None:
    assert is_retryable(error) is retry


# -- error messages ----------------------------------------------------------------------------


async def test_access_denied_names_the_iam_action_and_group(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    aws_says = (
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
        "logs:FilterLogEvents on resource: arn:aws:logs:us-east-1:123456789012:log-group:/app/api"
    )
    _error(stubber, "AccessDeniedException", message=aws_says)

    with pytest.raises(SourceAccessDenied) as caught:
        await cw.fetch_logs(GROUP, *_hour())

    assert caught.value.action == "logs:FilterLogEvents"
    assert "may not call logs:FilterLogEvents on log group '/app/api'" in str(caught.value)
    assert "user/dev" in str(caught.value)


async def test_access_denied_on_listing_names_describe_log_groups(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _error(stubber, "AccessDeniedException", op="describe_log_groups")

    with pytest.raises(SourceAccessDenied) as caught:
        await cw.list_log_groups()

    assert caught.value.action == "logs:DescribeLogGroups"


async def test_expired_credentials_say_how_to_log_in_again(
    stubbed: tuple[Any, Stubber],
) -> None:
    client, stubber = stubbed
    _error(stubber, "ExpiredTokenException", message="The security token included has expired")
    cw = CloudWatchSource(load_settings(aws_profile="prod"), client=client)

    with pytest.raises(SourceAuthError) as caught:
        await cw.fetch_logs(GROUP, *_hour())

    assert "expired" in str(caught.value)
    assert "aws sso login --profile prod" in str(caught.value)


async def test_unrecognised_key_says_to_check_the_key(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _error(stubber, "UnrecognizedClientException", message="The security token is invalid")

    with pytest.raises(SourceAuthError, match="AWS_ACCESS_KEY_ID / AWS_PROFILE"):
        await cw.fetch_logs(GROUP, *_hour())


async def test_expired_sso_session_says_aws_sso_login(settings: LogAISettings) -> None:
    class ExpiredSSO:
        def describe_log_groups(self, **_: Any) -> Any:
            raise UnauthorizedSSOTokenError()

    cw = CloudWatchSource(load_settings(aws_profile="dev-sso"), client=ExpiredSSO())  # type: ignore[arg-type]

    with pytest.raises(SourceAuthError, match="aws sso login --profile dev-sso"):
        await cw.list_log_groups()


async def test_missing_credentials_say_how_to_provide_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_SECURITY_TOKEN"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(aws_endpoint_url_cloudwatch_logs=f"http://127.0.0.1:{_closed_port()}")
    cw = CloudWatchSource(settings, retry=RetryPolicy.immediate())

    with pytest.raises(SourceAuthError) as caught:
        await cw.list_log_groups()
    await cw.aclose()

    assert "No AWS credentials found" in str(caught.value)
    assert "AWS_PROFILE" in str(caught.value) and "aws sso login" in str(caught.value)


async def test_missing_region_says_how_to_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    cw = CloudWatchSource(load_settings())

    with pytest.raises(SourceAuthError, match=r"No AWS region is configured\. Set AWS_REGION"):
        await cw.list_log_groups()
    await cw.aclose()


async def test_unknown_profile_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    cw = CloudWatchSource(load_settings())

    with pytest.raises(SourceAuthError, match=r"'no-such-profile' is not in ~/\.aws/config"):
        await cw.list_log_groups()
    await cw.aclose()


async def test_not_found_suggests_names_from_a_listing(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _error(stubber, "ResourceNotFoundException", message="The specified log group does not exist.")
    names = ["/app/apis", "/app/web", "/app/worker"]
    stubber.add_response(
        "describe_log_groups",
        {"logGroups": [{"logGroupName": name} for name in names]},
        {"logGroupNamePrefix": "/app/", "limit": ANY},
    )
    stubber.add_response("describe_log_groups", {"logGroups": []}, {"limit": ANY})

    with pytest.raises(SourceNotFound) as caught:
        await cw.fetch_logs(GROUP, *_hour())

    assert caught.value.suggestions == ["/app/apis"]
    assert "Did you mean '/app/apis'?" in str(caught.value)
    stubber.assert_no_pending_responses()


async def test_not_found_without_listing_permission_still_explains(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _error(stubber, "ResourceNotFoundException")
    _error(stubber, "AccessDeniedException", op="describe_log_groups")

    with pytest.raises(SourceNotFound) as caught:
        await cw.fetch_logs(GROUP, *_hour())

    assert caught.value.suggestions == []
    assert "Log group '/app/api' does not exist" in str(caught.value)


async def test_invalid_filter_pattern_is_a_validation_error(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _error(stubber, "InvalidParameterException", message="Invalid character(s) in term '{'")

    with pytest.raises(SourceValidationError, match=r"Invalid character\(s\) in term"):
        await cw.fetch_logs(GROUP, *_hour(), filter_pattern="{")


async def test_read_timeouts_are_retried_then_reported(settings: LogAISettings) -> None:
    class Slow:
        calls = 0

        def describe_log_groups(self, **_: Any) -> Any:
            Slow.calls += 1
            raise ReadTimeoutError(endpoint_url="https://logs.us-east-1.amazonaws.com/")

    cw = CloudWatchSource(settings, client=Slow(), retry=RetryPolicy.immediate(3))  # type: ignore[arg-type]

    with pytest.raises(SourceUnavailable, match="timed out after 3 attempts"):
        await cw.list_log_groups()
    assert Slow.calls == 3


def test_retry_waits_grow_exponentially_with_a_cap() -> None:
    from tenacity import RetryCallState

    policy = RetryPolicy(initial_wait=0.5, max_wait=3.0, jitter=0.0)
    state = RetryCallState(None, None, (), {})  # type: ignore[arg-type]
    waits = []
    for attempt in range(1, 6):
        state.attempt_number = attempt
        waits.append(policy.wait_seconds(state))
    assert waits == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_retry_jitter_stays_within_its_bound() -> None:
    from tenacity import RetryCallState

    policy = RetryPolicy(initial_wait=1.0, max_wait=100.0, jitter=0.5)
    state = RetryCallState(None, None, (), {})  # type: ignore[arg-type]
    state.attempt_number = 1
    assert all(1.0 <= policy.wait_seconds(state) <= 1.5 for _ in range(200))


@pytest.mark.parametrize(
    ("typed", "existing", "expected"),
    [
        ("/aws/lambda/chekout", ["/aws/lambda/checkout", "/aws/lambda/web"],
         ["/aws/lambda/checkout"]),
        ("/app/api", ["/app/apis", "/app/web", "/app/worker"], ["/app/apis"]),
        ("/aws/lambda/checkout", ["/aws/lambda/checkout-prod", "/aws/lambda/checkout-dev-long"],
         ["/aws/lambda/checkout-prod", "/aws/lambda/checkout-dev-long"]),
        ("/AWS/Lambda/Orders", ["/aws/lambda/orders"], ["/aws/lambda/orders"]),
        ("/aws/lambda/orders", ["/aws/ecs/orders", "/aws/lambda/payments"], []),
        ("/aws/lambda/orders", ["/aws/lambda/orders"], []),
        ("prod-api", ["prod-apis", "staging-api", "dev-web"], ["prod-apis"]),
        ("checkout-service", ["/aws/lambda/web", "/aws/lambda/checkout-service"],
         ["/aws/lambda/checkout-service"]),
        ("checkout-servce", ["/aws/lambda/web", "/aws/lambda/checkout-service"],
         ["/aws/lambda/checkout-service"]),
        ("lambda/checkout", ["/aws/lambda/checkout", "/aws/lambda/other"],
         ["/aws/lambda/checkout"]),
    ],
)  # fmt: skip
def test_closest_names_prefers_siblings_and_extensions(
    typed: str, existing: list[str], expected: list[str]
) -> None:
    from logai_cloudwatch._suggest import closest_names

    assert closest_names(typed, existing) == expected


@pytest.mark.parametrize(
    ("code", "expected", "said"),
    [
        ("InvalidClientTokenId", SourceAuthError, "does not recognise these credentials"),
        ("AccessDenied", SourceAccessDenied, "may not call logs:FilterLogEvents"),
        ("Throttled", DataSourceError, "Throttled on logs:FilterLogEvents"),
    ],
)
def test_an_xml_error_document_on_a_json_service_is_read_for_its_code(
    code: str, expected: type[DataSourceError], said: str
) -> None:
    """botocore leaves the HTTP status as the code and the XML as the message: look inside."""
    from logai_cloudwatch.errors import ErrorContext, map_error

    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<ErrorResponse><Errors><Error>'
        f"<Code>{code}</Code><Message>The request was refused.</Message><Type>Sender</Type>"
        "</Error></Errors></ErrorResponse>"
    )
    error = ClientError(
        {
            "Error": {"Code": "403", "Message": xml},
            "ResponseMetadata": {"HTTPStatusCode": 403, "RequestId": "r-1"},
        },
        "FilterLogEvents",
    )
    mapped = map_error(error, ErrorContext("logs:FilterLogEvents", target="region us-east-1"))

    assert type(mapped) is expected
    assert said in str(mapped) and "<" not in str(mapped) and "\n" not in str(mapped)
