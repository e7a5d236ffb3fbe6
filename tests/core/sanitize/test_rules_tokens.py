"""Default rules for credentials with a vendor prefix or a fixed shape."""

from __future__ import annotations

import pytest

from logai.sanitize import Rule, Sanitizer
from tests.core.sanitize.rule_table import assert_redacts, assert_untouched

CASES: dict[str, list[str]] = {
    "aws_access_key_id": [
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAY34FZKBOKMUTVV7A",
    ],
    "jwt": [
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fw",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.",
        "eyJhbGciOiJSU0EtT0FFUCJ9.ZW5jcnlwdGVka2V5.aXZpdmVjdG9y.Y2lwaGVydGV4dA.dGFnZ2Vk",
    ],
    "github_token": [
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
        "ghs_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0",
    ],
    "slack_token": [
        "xoxb-2048123456-1357911131-AbCdEfGhIjKlMnOpQrStUvWx",
        "xoxp-1234567890-0987654321-1122334455-abcdef0123456789",
        "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef",
    ],
    "stripe_key": [
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "rk_test_51Hxyz0123456789abcdefghijKLMN",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ],
    "google_api_key": ["AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"],
    "google_oauth": [
        "ya29.a0AfH6SMBx3gkLp0nTqYwErT5uIoPzXcVbNmLkJhG",
        "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",
    ],
    "anthropic_api_key": ["sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa-EXAMPLE"],
    "openai_api_key": [
        "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
        "sk-9fK2mQ7vL0xR3tW8yB5nC1dE6gH4jA2sU7pZ0",
    ],
    "gitlab_token": ["glpat-xK9mP2vL8nQ4wR7tY3zB"],
    "npm_token": ["npm_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4"],
    "sendgrid_api_key": [
        "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",
    ],
    "huggingface_token": ["hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    "pypi_token": ["pypi-AgEIcHlwaS5vcmcCJDk2NTRhMWI4LTRhYzQtNDRkZC1hZDYwLWQ4ZjFlOTc"],
    "webhook_url": [
        "https://hooks.slack.com/services/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MN",
        "https://discord.com/api/webhooks/112233445566778899/AbCdEfGhIjKlMnOpQrStUvWxYz01",
    ],
}

#: Where tokens show up: bare, quoted, after a name, in a URL, in a header.
CONTEXTS = ["{}", "token={} next", '{{"key": "{}"}}', "GET /x?k={}&y=1", "Authorization: Bearer {}"]

LOOKALIKES = [
    "scikit sk-learn; disk-usage-alert; task-processing-queue-worker-1",
    "AIza prefix seen but short: AIzaShort",
    "eyJ alone is not a token, nor eyJhbGci",
    "docs say tokens look like ghp_xxx",
    "xoxb- tokens are rotated monthly",
    "stripe publishable key pk_live_51HxyzABCDEFGHIJKLMNOPQRS in browser",
    "cloudtrail principalId=AROAEXAMPLEID12345678:session-1",
    "not a key: XAKIAIOSFODNN7EXAMPLE nor AKIAIOSFODNN7EXAMPLE1",
    "hf_model_name=bert-base-uncased",
    "https://hooks.slack.com/services/ (no path)",
]


@pytest.mark.parametrize(
    ("name", "token", "context"),
    [(n, t, c) for n, tokens in CASES.items() for t in tokens for c in CONTEXTS],
)
def test_token_rule_redacts_in_every_context(
    rules_by_name: dict[str, Rule], name: str, token: str, context: str
) -> None:
    assert_redacts(rules_by_name[name], context.format(token), token)


@pytest.mark.parametrize("line", LOOKALIKES)
def test_token_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


def test_anthropic_keys_are_not_reported_as_openai(full_pack: Sanitizer) -> None:
    out, stats = Sanitizer(full_pack.rules).sanitize_text(
        "key sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa-EXAMPLE"
    )
    assert out == "key <ANTHROPIC_API_KEY_1>"
    assert stats.counts == {"ANTHROPIC_API_KEY": 1}
