"""Credentials inside URLs are masked wherever LogAI shows a URL: ``config show``, ``check``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from logai.cli.config_cmd import config
from logai.url_credentials import MASK, is_secret_parameter, mask_url, mask_urls_in_text

M = MASK


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://u:pass@h/v1?api-key=abc", f"https://u:{M}@h/v1?api-key={M}"),
        ("http://user:p%40ss@proxy:8080/", f"http://user:{M}@proxy:8080/"),
        ("http://user:p@ss@host/x", f"http://user:{M}@host/x"),  # '@' left unencoded
        ("https://h/o?X-Amz-Signature=ab12&X-Amz-Credential=AK%2F1&part=2",
         f"https://h/o?X-Amz-Signature={M}&X-Amz-Credential={M}&part=2"),
        ("https://acct.blob/c?sv=2022&sig=abc%3D&se=1", f"https://acct.blob/c?sv=2022&sig={M}&se=1"),
        ("https://h/v1?apiKey=1&access_token=2&client_secret=3&password=4&model=x",
         f"https://h/v1?apiKey={M}&access_token={M}&client_secret={M}&password={M}&model=x"),
        ("https://h/cb#access_token=t&state=s", f"https://h/cb#access_token={M}&state=s"),
        ("https://h/app;jsessionid=ABC?x=1", f"https://h/app;jsessionid={M}?x=1"),
        ("https://h/v1?key=", "https://h/v1?key="),  # nothing to hide
        ("http://localhost:11434", "http://localhost:11434"),
        ("https://user@h/v1", "https://user@h/v1"),  # a name is not a password
        ("not a url", "not a url"),
    ],
)  # fmt: skip
def test_mask_url_hides_passwords_and_secret_parameters(url: str, shown: str) -> None:
    assert mask_url(url) == shown


@pytest.mark.parametrize("name", ["api-key", "API_KEY", "x-api-key", "token", "Signature", "sig"])
def test_secret_parameter_names(name: str) -> None:
    assert is_secret_parameter(name)


@pytest.mark.parametrize("name", ["model", "region", "limit", "version", "sv", "se"])
def test_ordinary_parameter_names(name: str) -> None:
    assert not is_secret_parameter(name)


def test_urls_inside_a_message_are_masked_and_the_rest_kept() -> None:
    message = 'Could not connect to the endpoint URL: "http://a:hunter2@moto:5000/": refused'
    assert mask_urls_in_text(message) == (
        f'Could not connect to the endpoint URL: "http://a:{M}@moto:5000/": refused'
    )


SECRET_SETTINGS = {
    "LOGAI_LLM_API_BASE": "https://svc:llm-pass-1@proxy.internal/v1?api-key=llm-key-2",
    "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": "http://aws:aws-pass-3@moto:5000/?X-Amz-Signature=sig-4",
    "LOGAI_FILES_ROOT": "/srv/logs",
}
SECRETS = ["llm-pass-1", "llm-key-2", "aws-pass-3", "sig-4"]


@pytest.mark.parametrize("args", [["show"], ["show", "--json"]])
def test_config_show_masks_credentials_in_every_url_setting(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRET_SETTINGS.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(config, args)
    assert result.exit_code == 0, result.output
    for secret in SECRETS:
        assert secret not in result.output
    assert "proxy.internal/v1" in result.output and "moto:5000" in result.output
    if "--json" in args:
        shown = json.loads(result.output)
        assert shown["LOGAI_LLM_API_BASE"]["value"] == (
            f"https://svc:{M}@proxy.internal/v1?api-key={M}"
        )


def test_config_check_never_echoes_a_url_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRET_SETTINGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LOGAI_LLM_API_BASE", "ftp://svc:llm-pass-1@proxy/v1")  # a problem
    result = CliRunner().invoke(config, ["check"])
    assert "LOGAI_LLM_API_BASE" in result.output
    for secret in SECRETS:
        assert secret not in result.output
