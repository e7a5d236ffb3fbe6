"""The CloudWatch source passes the data-source contract suite of ``logai.testing``.

moto runs in-process (``mock_aws``). The account is seeded once for the whole class, which is
what makes the suite fast: the contract only reads. The source pages at ``page_size`` events, so
the paged group spans more than three FilterLogEvents pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from logai.config import LogAISettings
from logai.sources.base import DataSource
from logai.testing import ContractDataset, DataSourceContract
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_POLL, FAST_RETRY
from tests.cloudwatch.fixtures import PUT_BATCH, seed_groups
from tests.fakes.moto_server import use_fake_aws

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient
    from mypy_boto3_logs.type_defs import InputLogEventTypeDef

STREAM = "contract-stream"


def seed_dataset(client: CloudWatchLogsClient, dataset: ContractDataset) -> None:
    """Create every group of the dataset and put its events, at their exact timestamps."""
    seed_groups(client, [group.name for group in dataset.groups])
    for group in dataset.groups:
        if not group.events:
            continue  # the empty group exists without streams or events
        client.create_log_stream(logGroupName=group.name, logStreamName=STREAM)
        for offset in range(0, len(group.events), PUT_BATCH):
            batch: list[InputLogEventTypeDef] = [
                {"timestamp": event.timestamp_ms, "message": event.message}
                for event in group.events[offset : offset + PUT_BATCH]
            ]
            answer = client.put_log_events(
                logGroupName=group.name, logStreamName=STREAM, logEvents=batch
            )
            assert not answer.get("rejectedLogEventsInfo"), answer["rejectedLogEventsInfo"]


class TestCloudWatchContract(DataSourceContract):
    page_size = 10

    @pytest.fixture(scope="class")
    @classmethod
    def seeded_account(cls, contract_dataset: ContractDataset) -> Iterator[None]:
        """A mocked AWS account holding the dataset, for every test of the class."""
        import boto3  # type: ignore[import-untyped]
        from moto import mock_aws

        with pytest.MonkeyPatch.context() as monkeypatch, mock_aws():
            use_fake_aws(monkeypatch)
            seed_dataset(boto3.client("logs"), contract_dataset)
            yield

    @pytest.fixture
    def contract_source(self, seeded_account: None, settings: LogAISettings) -> DataSource:
        return CloudWatchSource(
            settings, retry=FAST_RETRY, poll=FAST_POLL, page_size=self.page_size
        )
