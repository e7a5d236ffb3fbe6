"""The one AWS session builder: settings read once, blanks unset, keys from .env, one precedence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from logai.config import load_settings
from logai.sources.base import SourceAuthError
from logai_cloudwatch.session import (
    build_session,
    cached_account_id,
    forget_accounts,
    sts_endpoint,
)
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_RETRY
from tests.fakes.moto_server import MotoServer, moto_endpoint, moto_server  # noqa: F401

KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


@pytest.fixture(autouse=True)
def _no_remembered_accounts() -> Iterator[None]:
    forget_accounts()
    yield
    forget_accounts()


def _without_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*KEY_VARIABLES, "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("variable", ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
def test_a_blank_profile_variable_means_unset(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """boto3 alone fails here ("The config profile () could not be found"); requests over HTTP
    with a blank variable exported are in tests/integration/test_env_example_e2e.py (moto, in
    this process, would re-read the blank variable itself)."""
    monkeypatch.setenv(variable, "")
    session = build_session(load_settings())
    client = session.client("logs")
    assert client.meta.region_name == "us-east-1"
    assert session.get_credentials().access_key == "testing"


@pytest.mark.usefixtures("mocked_aws")
async def test_keys_in_the_dotenv_file_are_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, logs_client: object
) -> None:
    _without_keys(monkeypatch)
    env_file = tmp_path / ".env"
    env_file.write_text("AWS_PROFILE=\nAWS_ACCESS_KEY_ID=AKIDFROMDOTENV\nAWS_SECRET_ACCESS_KEY=s\n")
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    settings = load_settings()
    assert build_session(settings).get_credentials().access_key == "AKIDFROMDOTENV"
    source = CloudWatchSource(settings, retry=FAST_RETRY)
    try:
        assert await source.list_log_groups() == []
        assert "access keys" in source.describe()
    finally:
        await source.aclose()


def test_a_named_profile_wins_over_a_key_pair(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = x\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", "ops")
    settings = load_settings()
    assert build_session(settings).get_credentials().access_key == "AKIDOPS"
    assert settings.aws_in_use() == "profile ops, region us-east-1"


async def test_half_a_key_pair_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_keys(monkeypatch)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDONLY")
    source = CloudWatchSource(load_settings(), retry=FAST_RETRY)
    try:
        with pytest.raises(SourceAuthError, match="AWS_SECRET_ACCESS_KEY is missing"):
            await source.list_log_groups()
    finally:
        await source.aclose()


async def test_an_unknown_profile_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nosuch")
    source = CloudWatchSource(load_settings(), retry=FAST_RETRY)
    try:
        with pytest.raises(SourceAuthError, match="AWS profile 'nosuch' is not in"):
            await source.resolve_cache_identity()
    finally:
        await source.aclose()


@pytest.mark.parametrize(
    ("logs_endpoint", "environ", "expected"),
    [
        (None, {}, None),
        ("http://127.0.0.1:5000", {}, "http://127.0.0.1:5000"),
        ("http://localstack:4566", {}, "http://localstack:4566"),
        ("https://logs.us-east-1.amazonaws.com", {}, None),
        ("https://vpce-0a1.logs.eu-west-1.vpce.amazonaws.com", {}, None),
        ("https://logs.cn-north-1.amazonaws.com.cn", {}, None),
        ("http://127.0.0.1:5000", {"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:6000"}, None),
        ("http://127.0.0.1:5000", {"AWS_ENDPOINT_URL": "http://127.0.0.1:6000"}, None),
        ("http://127.0.0.1:5000", {"AWS_ENDPOINT_URL_STS": " "}, "http://127.0.0.1:5000"),
    ],
)
def test_sts_is_asked_at_an_emulator_and_at_aws_otherwise(
    logs_endpoint: str | None, environ: dict[str, str], expected: str | None
) -> None:
    assert sts_endpoint(logs_endpoint, environ) == expected


async def test_the_account_is_learnt_once_and_shown(
    moto_endpoint: MotoServer,  # noqa: F811
) -> None:
    source = CloudWatchSource(load_settings(), retry=FAST_RETRY)
    try:
        assert source.account is None and "account" not in source.describe()
        identity = await source.resolve_cache_identity()
        assert identity == (
            f"account 123456789012, region us-east-1, endpoint {moto_endpoint.endpoint}"
        )
        assert source.account == "123456789012"
        assert source.describe().endswith("account 123456789012)")
        client = source._client
        assert client is not None and cached_account_id(client) == "123456789012"
    finally:
        await source.aclose()


async def test_without_sts_the_access_key_names_the_principal(
    moto_endpoint: MotoServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", f"http://127.0.0.1:{port}")  # nothing listens
    source = CloudWatchSource(load_settings(), retry=FAST_RETRY)
    try:
        identity = await source.resolve_cache_identity()
        assert identity.startswith("access key ") and "testing" not in identity
        assert source.account is None
        assert await source.list_log_groups() == []
    finally:
        await source.aclose()
