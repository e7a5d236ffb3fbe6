"""Two AWS accounts under one profile name never share cache entries (moto over HTTP).

Account A is moto's default account (the fake ``testing`` keys); account B is reached the way
people reach a second account, by ``sts:AssumeRole`` into ``111111111111``: moto serves the
temporary credentials it returns from that account's own backends. Both credential sets are
stored under the same profile name, ``shared``, in two credentials files, with the same log
group name and different events. The cache is off first (to prove the two really differ), then
on, cold and warm, in one cache file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from logai.cache.wiring import wrap_with_cache
from logai.config import LogAISettings, load_settings
from logai.sources.base import DataSource, SourceAuthError
from logai_cloudwatch.session import forget_accounts
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.fixtures import seed_events
from tests.fakes.moto_server import MotoServer

pytestmark = pytest.mark.network_loopback

ACCOUNT_A = "123456789012"  # moto's default account
ACCOUNT_B = "111111111111"
GROUP = "/app/shared"
PROFILE = "shared"


@dataclass(frozen=True)
class Keys:
    access: str
    secret: str
    token: str | None = None

    def profile_file(self, path: Path) -> Path:
        token = f"aws_session_token = {self.token}\n" if self.token else ""
        path.write_text(
            f"[{PROFILE}]\naws_access_key_id = {self.access}\n"
            f"aws_secret_access_key = {self.secret}\n{token}"
        )
        return path


@pytest.fixture(autouse=True)
def _no_remembered_accounts() -> Iterator[None]:
    forget_accounts()
    yield
    forget_accounts()


@pytest.fixture
def accounts(moto_endpoint: MotoServer) -> tuple[Keys, Keys]:
    """Seed account A with the default keys, assume a role into B and seed it too."""
    import boto3  # type: ignore[import-untyped]

    a = Keys("testing", "testing")
    seed_events(moto_endpoint.logs_client(), GROUP, [f"A says {i}" for i in range(5)])
    moto_endpoint.logs_client().create_log_group(logGroupName="/app/only-in-a")
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=moto_endpoint.endpoint,
        aws_access_key_id=a.access,
        aws_secret_access_key=a.secret,
    )
    role = sts.assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT_B}:role/oncall", RoleSessionName="oncall-b"
    )
    raw = role["Credentials"]
    b = Keys(raw["AccessKeyId"], raw["SecretAccessKey"], raw["SessionToken"])
    logs_b = boto3.client(
        "logs",
        region_name="us-east-1",
        endpoint_url=moto_endpoint.endpoint,
        aws_access_key_id=b.access,
        aws_secret_access_key=b.secret,
        aws_session_token=b.token,
    )
    seed_events(logs_b, GROUP, [f"B says {i}" for i in range(3)])
    logs_b.create_log_group(logGroupName="/app/only-in-b")
    return a, b


def _as(
    keys: Keys | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> LogAISettings:
    """Settings naming profile ``shared``, whose credentials file (in the environment, read
    when the source makes its client) holds ``keys``."""
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    credentials = tmp_path / f"credentials-{name}"
    if keys is None:
        credentials.write_text(f"[{PROFILE}]\nregion = us-east-1\n")
    else:
        keys.profile_file(credentials)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", PROFILE)
    return load_settings()


async def _opened(settings: LogAISettings) -> CloudWatchSource:
    """A source whose client is made now, while its credentials file is the current one."""
    source = CloudWatchSource(settings)
    await source.resolve_cache_identity()
    return source


async def _messages(source: DataSource) -> list[str]:
    end = datetime.now(UTC) + timedelta(minutes=1)
    events = await source.fetch_logs(GROUP, end - timedelta(hours=2), end)
    return [event.message for event in events]


async def _groups(source: DataSource) -> list[str]:
    return [group.name for group in await source.list_log_groups("/app/")]


async def test_two_accounts_differ_with_the_cache_off(
    accounts: tuple[Keys, Keys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_keys, b_keys = accounts
    a = await _opened(_as(a_keys, tmp_path, monkeypatch, "a"))
    b = await _opened(_as(b_keys, tmp_path, monkeypatch, "b"))
    try:
        assert ACCOUNT_A in await a.resolve_cache_identity()
        assert ACCOUNT_B in await b.resolve_cache_identity()
        assert await _messages(a) == [f"A says {i}" for i in range(5)]
        assert await _messages(b) == [f"B says {i}" for i in range(3)]
        assert await _groups(a) == ["/app/only-in-a", GROUP]
        assert await _groups(b) == ["/app/only-in-b", GROUP]
        assert f"account {ACCOUNT_B}" in b.describe() and "profile shared" in b.describe()
    finally:
        await a.aclose()
        await b.aclose()


async def test_two_accounts_never_share_cache_entries(
    accounts: tuple[Keys, Keys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_keys, b_keys = accounts
    for _ in range(2):  # cold, then warm: each account keeps seeing only its own data
        settings_a = _as(a_keys, tmp_path, monkeypatch, "a")
        a = wrap_with_cache(await _opened(settings_a), settings_a)
        settings_b = _as(b_keys, tmp_path, monkeypatch, "b")
        b = wrap_with_cache(await _opened(settings_b), settings_b)
        assert settings_a.cache_enabled and settings_a.cache_dir == settings_b.cache_dir
        try:
            assert await _messages(a) == [f"A says {i}" for i in range(5)]
            assert await _groups(a) == ["/app/only-in-a", GROUP]
            assert await _messages(b) == [f"B says {i}" for i in range(3)]
            assert await _groups(b) == ["/app/only-in-b", GROUP]
        finally:
            await a.aclose()
            await b.aclose()


async def test_no_cached_entry_is_served_without_credentials(
    accounts: tuple[Keys, Keys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_keys, _ = accounts
    settings_a = _as(a_keys, tmp_path, monkeypatch, "a")
    warm = wrap_with_cache(CloudWatchSource(settings_a), settings_a)
    try:
        await _messages(warm)
        await _groups(warm)
    finally:
        await warm.aclose()
    forget_accounts()
    # Same profile name, same cache file, but the profile now holds no keys at all.
    settings_none = _as(None, tmp_path, monkeypatch, "none")
    cold = wrap_with_cache(CloudWatchSource(settings_none), settings_none)
    try:
        with pytest.raises(SourceAuthError, match="credentials"):
            await _groups(cold)
        with pytest.raises(SourceAuthError, match="credentials"):
            await _messages(cold)
    finally:
        await cold.aclose()
