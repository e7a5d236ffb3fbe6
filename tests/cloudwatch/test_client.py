"""The client factory: AWS configuration exactly as boto3 reads it, plus LogAI's own settings."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from logai.config import LogAISettings, load_settings
from logai_cloudwatch.client import ClientOptions, describe_target, explicit_endpoint, make_client
from logai_cloudwatch.source import CloudWatchSource

ENDPOINT = "http://127.0.0.1:4566"


def test_endpoint_variable_is_left_to_boto3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", ENDPOINT)
    settings = load_settings()

    assert settings.aws_endpoint_url_cloudwatch_logs == ENDPOINT
    assert explicit_endpoint(settings) is None  # boto3 reads the variable itself
    assert make_client(settings).meta.endpoint_url == ENDPOINT


def test_endpoint_only_in_logai_settings_is_passed_explicitly() -> None:
    settings = load_settings(aws_endpoint_url_cloudwatch_logs=ENDPOINT)

    assert explicit_endpoint(settings) == ENDPOINT
    assert make_client(settings).meta.endpoint_url == ENDPOINT


def test_endpoint_from_the_env_file_reaches_boto3(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS={ENDPOINT}\n", encoding="utf-8")

    settings = load_settings(env_file=env_file)

    assert make_client(settings).meta.endpoint_url == ENDPOINT


def test_ignore_configured_endpoints_switch_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", ENDPOINT)
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")

    client = make_client(load_settings())

    assert client.meta.endpoint_url == "https://logs.us-east-1.amazonaws.com"


def test_global_endpoint_variable_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", ENDPOINT)

    assert make_client(load_settings()).meta.endpoint_url == ENDPOINT


def _write_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> None:
    config = tmp_path / "aws-config"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))


def test_profile_region_and_services_endpoint_come_from_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_config(
        monkeypatch,
        tmp_path,
        "[profile dev]\nregion = eu-west-2\nservices = local\n"
        f"[services local]\ncloudwatch_logs =\n  endpoint_url = {ENDPOINT}\n",
    )
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_PROFILE", "dev")

    settings = load_settings()
    client = make_client(settings)

    assert settings.aws_profile == "dev"
    assert client.meta.region_name == "eu-west-2"
    assert client.meta.endpoint_url == ENDPOINT
    assert describe_target(settings) == "profile dev, region eu-west-2"
    assert (
        describe_target(settings, client) == f"profile dev, region eu-west-2, endpoint {ENDPOINT}"
    )


def test_region_variable_wins_over_the_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _write_config(monkeypatch, tmp_path, "[profile dev]\nregion = eu-west-2\n")
    monkeypatch.setenv("AWS_PROFILE", "dev")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")

    assert make_client(load_settings()).meta.region_name == "ap-south-1"


def test_connection_pool_and_timeouts_follow_the_options() -> None:
    options = ClientOptions(max_pool_connections=24, connect_timeout=3, read_timeout=7)

    config = make_client(load_settings(), options).meta.config

    assert (config.max_pool_connections, config.connect_timeout, config.read_timeout) == (24, 3, 7)
    assert "logai/" in config.user_agent_extra


async def test_client_is_made_once_on_first_use_and_sized_to_the_concurrency(
    settings: LogAISettings,
) -> None:
    made: list[ClientOptions] = []

    class Client:
        def describe_log_groups(self, **_: Any) -> dict[str, Any]:
            return {"logGroups": []}

    def factory(settings: LogAISettings, options: ClientOptions) -> Any:
        made.append(options)
        return Client()

    cw = CloudWatchSource(settings, client_factory=factory, max_concurrency=16)
    assert made == []  # constructing the source is free

    await asyncio.gather(*(cw.list_log_groups() for _ in range(5)))
    await cw.aclose()

    assert len(made) == 1
    assert made[0].max_pool_connections == 16


def test_describe_names_profile_region_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", ENDPOINT)
    cw = CloudWatchSource(load_settings(aws_profile="prod"))

    assert cw.describe() == f"cloudwatch (profile prod, region us-east-1, endpoint {ENDPOINT})"
