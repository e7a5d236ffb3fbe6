"""Two AWS accounts and two regions on one moto HTTP server, as ``LOGAI_AWS_TARGETS`` sees them.

Account A is moto's default (the fake ``testing`` keys); account B is reached as people reach a
second account, by ``sts:AssumeRole`` into ``111111111111`` (moto serves the temporary
credentials from that account's own backends). The same group name holds different events in
each place, so an answer from the wrong target, or a cache entry shared between two, shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.cloudwatch.fixtures import seed_events
from tests.fakes.moto_server import MotoServer

ACCOUNT_A = "123456789012"
ACCOUNT_B = "111111111111"
ROLE_B = f"arn:aws:iam::{ACCOUNT_B}:role/LogReader"
SHARED = "/app/api"
SECRET = "/secure/payments"
#: Target name → (account, region): every combination the tests need.
TARGETS = {"a-us": (ACCOUNT_A, "us-east-1"), "a-eu": (ACCOUNT_A, "eu-west-1"),
           "b-eu": (ACCOUNT_B, "eu-west-1")}  # fmt: skip
TARGETS_VALUE = f"a-us=@us-east-1,a-eu=@eu-west-1,b-eu=>{ROLE_B}@eu-west-1"


@dataclass(frozen=True)
class World:
    server: MotoServer

    def messages(self, target: str) -> list[str]:
        """What :data:`SHARED` holds in ``target``."""
        return [f"{target} says {i}" for i in range(3)]


def _client(server: MotoServer, account: str, region: str) -> object:
    import boto3  # type: ignore[import-untyped]

    if account == ACCOUNT_A:
        return server.logs_client(region)
    sts = boto3.client(
        "sts",
        region_name=region,
        endpoint_url=server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    raw = sts.assume_role(RoleArn=ROLE_B, RoleSessionName="seeding")["Credentials"]
    return boto3.client(
        "logs",
        region_name=region,
        endpoint_url=server.endpoint,
        aws_access_key_id=raw["AccessKeyId"],
        aws_secret_access_key=raw["SecretAccessKey"],
        aws_session_token=raw["SessionToken"],
    )


def seed_world(server: MotoServer) -> World:
    """Seed :data:`SHARED` and :data:`SECRET` in every target, and one group of its own each."""
    world = World(server)
    for target, (account, region) in TARGETS.items():
        client = _client(server, account, region)
        seed_events(client, SHARED, world.messages(target))  # type: ignore[arg-type]
        seed_events(client, SECRET, [f"{target} card 4111 1111 1111 1111"])  # type: ignore[arg-type]
        client.create_log_group(logGroupName=f"/only/{target}")  # type: ignore[attr-defined]
    return world
