"""The module-level convenience functions and the process-wide default sanitizer."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

import logai.sanitize as api
from logai.plugins import PluginHost, set_host
from logai.sources import LogEvent


@pytest.fixture(autouse=True)
def _fresh_default() -> None:
    api.reset_default_sanitizer()


def test_sanitize_text_uses_the_plugins_default_pack() -> None:
    out, stats = api.sanitize_text("jane@example.com from 10.1.2.3")
    assert out == "<EMAIL_1> from <IP_1>"
    assert str(stats) == "Redacted 1 email, 1 IP"
    again, _ = api.sanitize_text("10.1.2.3 again")
    assert again == "<IP_1> again"  # one process-wide conversation


def test_sanitize_logs() -> None:
    event = LogEvent(datetime(2026, 11, 25, tzinfo=UTC), "card 4111111111111111", "/g")
    events, stats = api.sanitize_logs([event])
    assert events[0].message == "card <CREDIT_CARD_1>"
    assert stats.counts == {"CREDIT_CARD": 1}


def test_default_honours_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "email")
    assert api.sanitize_text("jane@example.com 10.1.2.3")[0] == "jane@example.com <IP_1>"
    api.reset_default_sanitizer()
    monkeypatch.setenv("LOGAI_PII_SANITIZATION_ENABLED", "false")
    assert api.sanitize_text("10.1.2.3")[0] == "10.1.2.3"


def test_default_is_rebuilt_for_a_new_plugin_host() -> None:
    first = api.default_sanitizer()
    assert api.default_sanitizer() is first
    set_host(PluginHost(load_entry_points=False))
    assert api.default_sanitizer() is not first


def test_default_rules_lists_the_pack() -> None:
    names = {rule.name for rule in api.default_rules()}
    assert {
        "email",
        "ipv4",
        "ipv6",
        "credit_card",
        "ssn",
        "phone",
        "jwt",
        "private_key",
        "aws_access_key_id",
        "aws_secret_access_key",
        "password",
        "url_password",
        "authorization",
        "secret_assignment",
    } <= names


def test_importing_the_package_stays_cheap() -> None:
    """The CLI imports this on every start: no rules compiled, no settings, no heavy deps."""
    probe = (
        "import sys, logai.sanitize; "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'litellm', 'sqlalchemy',"
        " 'logai.config', 'logai.sanitize.rules', 'click', 'boto'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
