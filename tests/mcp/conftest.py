"""Fixtures for ``logai mcp``: moto's HTTP server seeded with planted PII, and the child's env."""

from __future__ import annotations

import os

import pytest

from tests.cloudwatch.fixtures import seed_events, seed_groups
from tests.fakes.moto_server import MotoServer, fake_aws_env
from tests.fakes.moto_server import moto_endpoint as moto_endpoint  # re-exported fixtures
from tests.fakes.moto_server import moto_server as moto_server

GROUP = "/aws/lambda/checkout"
OTHER_GROUPS = ("/aws/lambda/payments", "/aws/ecs/web")
JANE = "jane.doe@example.com"
BOB = "bob.smith@example.org"
CARD = "4111 1111 1111 1111"
KEY = "AKIAIOSFODNN7EXAMPLE"
#: Every value that must never reach the agent.
PLANTED = (JANE, BOB, CARD, KEY)

MESSAGES = [
    "START RequestId: 7",
    f"ERROR card declined for {JANE} card={CARD}",
    f"INFO login ok for {BOB}",
    f"ERROR payment timeout for {JANE} key={KEY}",
    "END RequestId: 7",
]


@pytest.fixture
def seeded(moto_endpoint: MotoServer) -> MotoServer:
    """The test's moto server with three groups; one holds the planted values."""
    client = moto_endpoint.logs_client()
    seed_groups(client, list(OTHER_GROUPS))
    seed_events(client, GROUP, MESSAGES)
    return moto_endpoint


@pytest.fixture
def child_env(seeded: MotoServer) -> dict[str, str]:
    """The environment for a ``logai mcp`` child: fake AWS at moto, this test's isolated config."""
    env = fake_aws_env(seeded.endpoint, os.environ)
    env["LOGAI_DATA_SOURCE"] = "cloudwatch"
    return env
