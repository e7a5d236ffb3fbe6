"""``logai config check --live`` asks what a run would talk to: moto's STS and Logs, the LLM.

The LLM cases run against the fake LLM server in both protocols: reachable with the key
accepted, connection refused, timeout, key refused, model not served; and the fallback to a
one-token completion where the server has no model list. The AWS cases run against moto's
HTTP server, with its credential checking switched on for the "bad credentials" case.
"""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from logai.cli.app import cli
from tests.fakes.fake_llm import FakeLLMServer
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import MotoServer

pytestmark = pytest.mark.network_loopback

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "sample-logs"
KEY = "sk-live-check-key"
KEY_VARIABLE = {"openai": "LOGAI_OPENAI_API_KEY", "anthropic": "LOGAI_ANTHROPIC_API_KEY"}


def _llm_env(server: FakeLLMServer, protocol: str, **extra: str | None) -> dict[str, str | None]:
    """The files source over the sample logs (no AWS) and the fake server as the LLM."""
    base = server.openai_base if protocol == "openai" else server.anthropic_base
    env: dict[str, str | None] = {
        "LOGAI_DATA_SOURCE": "files",
        "LOGAI_FILES_ROOT": str(SAMPLES),
        "LOGAI_LLM_PROVIDER": protocol,
        "LOGAI_LLM_API_BASE": base,
        "LOGAI_LLM_MODEL": "fake-model",
        KEY_VARIABLE[protocol]: KEY,
    }
    env.update(extra)
    return env


def _check(env: Mapping[str, str | None], *options: str) -> Result:
    return CliRunner(env=dict(env)).invoke(cli, ["config", "check", "--live", *options])


def _line(output: str, target: str) -> str:
    (line,) = [line for line in output.splitlines() if target in line]
    return line


@pytest.fixture
def keyed_llm(fake_llm: FakeLLMServer) -> FakeLLMServer:  # noqa: F811
    """The fake server, answering 401 to any request without :data:`KEY`."""
    fake_llm.api_key = KEY
    return fake_llm


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
def test_a_reachable_endpoint_with_a_good_key_and_model_passes_without_spending_tokens(
    keyed_llm: FakeLLMServer, protocol: str
) -> None:
    result = _check(_llm_env(keyed_llm, protocol))

    assert result.exit_code == 0, result.output
    line = _line(result.stdout, f"LLM {protocol}/fake-model")
    assert line.startswith("✓") and " ms " in line
    assert "key accepted" in line and "no tokens spent" in line
    assert keyed_llm.chat_requests() == []  # only the free model list was asked
    assert {request.method for request in keyed_llm.requests} == {"GET"}
    assert "every live check passed" in result.stdout


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
def test_a_refused_key_names_the_url_and_the_variable(
    keyed_llm: FakeLLMServer, protocol: str
) -> None:
    result = _check(_llm_env(keyed_llm, protocol, **{KEY_VARIABLE[protocol]: "sk-wrong"}))

    assert result.exit_code == 1
    line = _line(result.stderr, "LLM ")
    assert line.startswith("✗")
    assert f"{keyed_llm.base_url}/v1/models" in line and "refused the API key (HTTP 401" in line
    assert f"set {KEY_VARIABLE[protocol]}" in line
    assert "sk-wrong" not in result.output
    assert "1 live check failed." in result.stderr


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
def test_a_model_the_server_does_not_serve_gets_the_closest_names(
    keyed_llm: FakeLLMServer, protocol: str
) -> None:
    result = _check(_llm_env(keyed_llm, protocol, LOGAI_LLM_MODEL="fake-modle"))

    assert result.exit_code == 1
    line = _line(result.stderr, "LLM ")
    assert "model 'fake-modle' is not served by" in line and keyed_llm.base_url in line
    assert "Did you mean fake-model" in line and "LOGAI_LLM_MODEL" in line


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
def test_a_closed_port_is_reported_as_connection_refused(protocol: str) -> None:
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}" + ("/v1" if protocol == "openai" else "")
    env = {
        "LOGAI_DATA_SOURCE": "files",
        "LOGAI_FILES_ROOT": str(SAMPLES),
        "LOGAI_LLM_PROVIDER": protocol,
        "LOGAI_LLM_API_BASE": base,
        "LOGAI_LLM_MODEL": "fake-model",
        KEY_VARIABLE[protocol]: KEY,
    }
    result = _check(env)

    assert result.exit_code == 1
    line = _line(result.stderr, "LLM ")
    assert f"connection refused by http://127.0.0.1:{port}/v1/models" in line
    assert "LOGAI_LLM_API_BASE" in line


def test_a_silent_endpoint_is_reported_as_a_timeout(keyed_llm: FakeLLMServer) -> None:
    keyed_llm.hang()
    result = _check(_llm_env(keyed_llm, "openai", LOGAI_LLM_TIMEOUT="1"))

    assert result.exit_code == 1
    line = _line(result.stderr, "LLM ")
    assert f"no answer from {keyed_llm.openai_base}/models within 1 s" in line


@pytest.mark.slow  # imports litellm for the one completion
def test_a_server_without_a_model_list_gets_one_token_completion_and_says_so(
    keyed_llm: FakeLLMServer,
) -> None:
    keyed_llm.fail(404)  # the model list: an OpenAI-compatible server that has none
    keyed_llm.script("ok")
    result = _check(_llm_env(keyed_llm, "openai"))

    assert result.exit_code == 0, result.output
    assert "one completion of at most 1 token was spent" in _line(result.stdout, "LLM ")
    (request,) = keyed_llm.chat_requests()
    assert request.json["max_tokens"] == 1


def test_commands_that_need_no_llm_are_checked_without_it(keyed_llm: FakeLLMServer) -> None:
    env = _llm_env(keyed_llm, "openai", LOGAI_LLM_MODEL="fake-modle")
    result = _check(env, "--for", "logs")

    assert result.exit_code == 0, result.output
    assert "LLM" not in result.output and "files identity" in result.stdout
    assert keyed_llm.requests == []


def test_configuration_errors_stop_before_any_probe(keyed_llm: FakeLLMServer) -> None:
    result = _check(_llm_env(keyed_llm, "openai", LOGAI_SANITIZER_DISABLED_RULES="emial"))

    assert result.exit_code == 1
    assert "Live checks not run: fix the problems above first." in result.stderr
    assert keyed_llm.requests == []


# -- AWS ---------------------------------------------------------------------------------------


@pytest.fixture
def aws(moto_endpoint: MotoServer, keyed_llm: FakeLLMServer) -> Iterator[dict[str, str | None]]:
    moto_endpoint.logs_client().create_log_group(logGroupName="/aws/lambda/checkout-service")
    yield {
        "LOGAI_DATA_SOURCE": "cloudwatch",
        "LOGAI_CACHE_DIR": None,
        "LOGAI_LLM_PROVIDER": "openai",
        "LOGAI_LLM_API_BASE": keyed_llm.openai_base,
        "LOGAI_LLM_MODEL": "fake-model",
        "LOGAI_OPENAI_API_KEY": KEY,
    }


def test_aws_identity_and_one_read_are_proved_with_their_latency(
    aws: dict[str, str | None], moto_endpoint: MotoServer, tmp_path: Path
) -> None:
    result = _check({**aws, "LOGAI_CACHE_DIR": str(tmp_path)})

    assert result.exit_code == 0, result.output
    identity = _line(result.stdout, "cloudwatch identity")
    assert identity.startswith("✓") and " ms " in identity
    assert "account 123456789012, principal arn:aws:" in identity
    assert f"region us-east-1, endpoint {moto_endpoint.endpoint}" in identity
    read = _line(result.stdout, "cloudwatch read")
    assert "first: /aws/lambda/checkout-service" in read
    assert _line(result.stdout, "LLM openai/fake-model").startswith("✓")


def _require_aws_credentials(endpoint: str, count: str) -> str:
    """moto's switch for checking credentials against its IAM; returns the previous value."""
    request = urllib.request.Request(
        f"{endpoint}/moto-api/reset-auth",
        data=count.encode(),
        method="POST",
        headers={"Content-Type": "text/plain"},  # a form body would be parsed away
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"])


def test_bad_aws_credentials_fail_both_aws_checks_and_the_llm_is_still_checked(
    aws: dict[str, str | None], moto_endpoint: MotoServer, tmp_path: Path
) -> None:
    previous = _require_aws_credentials(moto_endpoint.endpoint, "0")
    try:
        result = _check({**aws, "LOGAI_CACHE_DIR": str(tmp_path)})
    finally:
        _require_aws_credentials(moto_endpoint.endpoint, previous)

    assert result.exit_code == 1
    identity = _line(result.stderr, "cloudwatch identity")
    assert identity.startswith("✗") and "AWS does not recognise these credentials" in identity
    assert f"Asked: sts:GetCallerIdentity (access keys, region us-east-1, endpoint " \
        f"{moto_endpoint.endpoint})" in identity  # fmt: skip
    read = _line(result.stderr, "cloudwatch read")
    assert read.startswith("✗") and "AWS does not recognise these credentials" in read
    assert "Asked: logs:DescribeLogGroups" in read and "<ErrorResponse>" not in read
    assert _line(result.stdout, "LLM openai/fake-model").startswith("✓")
    assert "2 live checks failed." in result.stderr
    assert "Traceback" not in result.output


def test_connect_still_proves_the_credentials_alone(
    aws: dict[str, str | None], keyed_llm: FakeLLMServer, tmp_path: Path
) -> None:
    env = {**aws, "LOGAI_CACHE_DIR": str(tmp_path)}
    result = CliRunner(env=env).invoke(cli, ["config", "check", "--connect"])

    assert result.exit_code == 0, result.output
    assert "Connected: cloudwatch (" in result.stdout and "account 123456789012" in result.stdout
    assert keyed_llm.requests == []


def test_a_keyless_local_server_is_asked_without_a_key(
    fake_llm: FakeLLMServer,  # noqa: F811
) -> None:
    result = _check(_llm_env(fake_llm, "openai", LOGAI_OPENAI_API_KEY=None))

    assert result.exit_code == 0, result.output
    (request,) = fake_llm.requests
    assert "authorization" not in request.headers


def test_a_server_that_wants_a_key_when_none_is_set_says_which_variable(
    keyed_llm: FakeLLMServer,
) -> None:
    result = _check(_llm_env(keyed_llm, "openai", LOGAI_OPENAI_API_KEY=None))

    assert result.exit_code == 1
    line = _line(result.stderr, "LLM ")
    assert "wants an API key and none was sent (HTTP 401" in line
    assert "set LOGAI_OPENAI_API_KEY" in line
