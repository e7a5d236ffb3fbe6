"""Fixtures for the CloudWatch source tests: fake AWS credentials, moto in-process, fast retries.

Every test here runs with fake credentials and region and no AWS_PROFILE, so nothing can reach a
real account; moto intercepts every request in-process unless a test points at a server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from logai.config import LogAISettings, load_settings
from logai_cloudwatch.insights import PollPolicy
from logai_cloudwatch.retry import RetryPolicy
from logai_cloudwatch.source import CloudWatchSource
from tests.fakes.moto_server import use_fake_aws

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

#: Retries and polling that cost no wall time.
FAST_RETRY = RetryPolicy.immediate(max_attempts=3)
FAST_POLL = PollPolicy(initial=0.0, factor=1.0, maximum=0.0)


@pytest.fixture(autouse=True)
def _fake_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_aws(monkeypatch)


@pytest.fixture
def mocked_aws() -> Iterator[None]:
    """moto's in-process mock of every AWS API, empty at the start of each test."""
    from moto import mock_aws

    with mock_aws():
        yield


@pytest.fixture
def logs_client(mocked_aws: None) -> CloudWatchLogsClient:
    """A boto3 client for seeding the mocked account."""
    import boto3  # type: ignore[import-untyped]

    client: CloudWatchLogsClient = boto3.client("logs")
    return client


@pytest.fixture
def settings() -> LogAISettings:
    return load_settings()


@pytest.fixture
async def source(mocked_aws: None, settings: LogAISettings) -> AsyncIterator[CloudWatchSource]:
    """A CloudWatch source over the mocked account, with instant retries and polling."""
    cw = CloudWatchSource(settings, retry=FAST_RETRY, poll=FAST_POLL)
    yield cw
    await cw.aclose()
