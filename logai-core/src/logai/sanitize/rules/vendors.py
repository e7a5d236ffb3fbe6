"""Default rules for vendor tokens that need no keyword: a table, one row per vendor.

Each row is a fact about a vendor's token format (literal prefix, length, alphabet), as public
secret-scanning catalogues list them; the pattern is the prefix, a look-behind refusing a
prefix glued to a longer word, the body, and a check that the token ends there. Bodies with a
loose alphabet must also look random (:func:`~logai.sanitize.validators.looks_random`), so
``hvs.example`` in a sentence stays.

Hints are chosen for the one-pass prefilter: most prefixes hold a rare letter (``dckr_``,
``hvs.``, ``shpat_``, ``glc_``, ``sntrys_``, ``pmak-``); the others ride scans the pack runs
anyway (``dop_v1_``, ``dp.pt.``, ``dapi`` with ``dni``/``dob``; ``lin_api_`` and ``nrii-``
with ``nino``/``national``; ``.atlasv1.`` with ``secret``/``ssn``). Atlassian's ``ATATT3``
shares the scan for ``A`` with AWS access key IDs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import KNOWN_FORMAT_PRIORITY
from logai.sanitize.rules.tokens import END, after_prefix_boundary
from logai.sanitize.validators import looks_random

__all__ = ["vendor_rules"]


@dataclass(frozen=True)
class _Vendor:
    """One row of the table."""

    name: str
    kind: str
    pattern: str
    description: str
    example: str
    hints: tuple[str, ...] = ()
    trigger: str | None = None
    reach: int | None = 0
    reach_chars: str = ""
    random: bool = False
    group: int | str = 0


def _random_ok(match: re.Match[str]) -> bool:
    return looks_random(match.group())


def _prefixed(prefixes: str, boundary: int, body: str) -> str:
    """``prefixes`` (a regex of literal alternatives, all ``boundary`` long), then ``body``."""
    return rf"(?:{prefixes}){after_prefix_boundary(boundary)}{body}{END}"


_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

_VENDORS = (
    _Vendor(
        "docker_hub_token",
        "DOCKER_TOKEN",
        _prefixed(r"dckr_pat_|dckr_oat_", 9, r"[A-Za-z0-9_-]{27,64}"),
        "Docker Hub personal and organisation access tokens (dckr_pat_..., dckr_oat_...).",
        "docker login -u ci --password dckr_pat_2b3e9f1c7d4a8e6b0c5d9f2a1e7",
        hints=("dckr_",),
        random=True,
    ),
    _Vendor(
        "vault_token",
        "VAULT_TOKEN",
        _prefixed(r"hvs\.|hvb\.|hvr\.", 4, r"[A-Za-z0-9_-]{24,}"),
        "HashiCorp Vault service, batch and recovery tokens (hvs., hvb., hvr.).",
        "vault login: using token hvs.CAESIJk2Q7m8vN3xL0pR5tY9wB1cF4hD6gK2jM8nP0qS3uV5",
        hints=("hvs.", "hvb.", "hvr."),
        random=True,
    ),
    _Vendor(
        "terraform_cloud_token",
        "TERRAFORM_TOKEN",
        r"(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}" + END,
        "Terraform Cloud / Enterprise API tokens (xxxxxxxxxxxxxx.atlasv1.xxx...).",
        "TF_TOKEN_app_terraform_io=U8JZpDE0iGXlD6.atlasv1.gNCFbaEPFjbD0kH8Oool8DklZDOCj2ISaJ"
        "iHkTj0rLGlkoMXGjtEkDnNfribxUdl7dX",
        hints=("sv1.",),
        reach=19,
        reach_chars=_ALNUM + ".",
    ),
    _Vendor(
        "digitalocean_token",
        "DIGITALOCEAN_TOKEN",
        _prefixed(r"dop_v1_|doo_v1_|dor_v1_", 7, r"[a-f0-9]{64}"),
        "DigitalOcean personal, OAuth and refresh tokens (dop_v1_, doo_v1_, dor_v1_).",
        "doctl auth init -t "
        "dop_v1_975729fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc742",
        hints=("dop_v1_", "doo_v1_", "dor_v1_"),
    ),
    _Vendor(
        "shopify_token",
        "SHOPIFY_TOKEN",
        _prefixed(r"shpat_|shpca_|shppa_|shpss_", 6, r"[a-fA-F0-9]{32}"),
        "Shopify access tokens and shared secrets (shpat_, shpca_, shppa_, shpss_).",
        "X-Shopify-Access-Token: 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",
        hints=("shpat_", "shpca_", "shppa_", "shpss_"),
    ),
    _Vendor(
        "mailgun_api_key",
        "MAILGUN_API_KEY",
        _prefixed(r"key-", 4, r"[0-9a-z]{32}"),
        "Mailgun API keys (key- and 32 lower-case letters and digits).",
        "mailgun: POST /v3/mg.example.com/messages api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
        hints=("key-",),
        random=True,
    ),
    _Vendor(
        "new_relic_key",
        "NEW_RELIC_KEY",
        r"NR(?:AK-"
        + after_prefix_boundary(5)
        + r"[A-Z0-9]{27}|II-"
        + after_prefix_boundary(5)
        + r"[A-Za-z0-9_-]{32})"
        + END,
        "New Relic user API keys (NRAK-) and Insights insert keys (NRII-).",
        'newrelic.yml: api_key: "NRAK-7Q2W9E4R1T8Y5U3I6O0P2A7S9D4"',
        hints=("nrak-", "nrii-"),
    ),
    _Vendor(
        "grafana_token",
        "GRAFANA_TOKEN",
        r"gl(?:c_"
        + after_prefix_boundary(4)
        + r"[A-Za-z0-9+/]{32,400}={0,2}|sa_"
        + after_prefix_boundary(5)
        + r"[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})"
        + END,
        "Grafana Cloud tokens (glc_...) and service account tokens (glsa_..._8hex).",
        "grafana-agent: remote_write password "
        "glc_eyJvIjoiNzI4MTQ0IiwibiI6InN0YWNrLXB1c2giLCJrIjoiM2Y",
        hints=("glc_", "glsa_"),
        random=True,
    ),
    _Vendor(
        "sentry_token",
        "SENTRY_TOKEN",
        _prefixed(r"sntrys_|sntryu_", 7, r"[A-Za-z0-9+/=_-]{40,}"),
        "Sentry organisation and user auth tokens (sntrys_..., sntryu_...).",
        "sentry-cli --auth-token "
        "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",
        hints=("sntrys_", "sntryu_"),
        random=True,
    ),
    _Vendor(
        "doppler_token",
        "DOPPLER_TOKEN",
        _prefixed(
            r"dp\.pt\.|dp\.st\.|dp\.sa\.|dp\.ct\.|dp\.scim\.|dp\.audit\.",
            6,
            r"(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9]{40,44}",
        ),
        "Doppler personal, service, service-account, CLI, SCIM and audit tokens (dp.pt. ...).",
        "doppler configure set token dp.pt.Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8Kl3Z",
        hints=("dp.",),
    ),
    _Vendor(
        "linear_api_key",
        "LINEAR_API_KEY",
        _prefixed(r"lin_api_", 8, r"[A-Za-z0-9]{40}"),
        "Linear API keys (lin_api_...).",
        "linear: Authorization lin_api_Xq7Lk9Vb2Nc4Mz8Pw1Rt5Ys3Uo6Ia0Eh2Gd4Jf8K",
        hints=("lin_api_",),
        reach=2,
    ),
    _Vendor(
        "atlassian_api_token",
        "ATLASSIAN_TOKEN",
        _prefixed(r"ATATT3", 6, r"[A-Za-z0-9_=-]{180,}"),
        "Atlassian (Jira, Confluence, Bitbucket) API tokens (ATATT3...).",
        "jira: basic auth ops@example.org:ATATT3auSDmLhuVtcqcYezdZ-tDDj8hYs5suKcNd8Zra9A9sKPxZ9"
        "W3qLy7zKUVQDT7S8sTQCBNR3YbDgbleph1QHt61QTC4XATWS8PHp9NHfYjFM5DI4pZj59fhZ5R1Py4oJe2J"
        "bmPTuSgR7cMy_UcU3zr1ZtoLuCr64CxqlIOdNKhiFXiQ2hzT-pLjHX2J",
        trigger="ATATT3",
    ),
    _Vendor(
        "postman_api_key",
        "POSTMAN_API_KEY",
        _prefixed(r"PMAK-", 5, r"[a-f0-9]{24}-[a-f0-9]{34}"),
        "Postman API keys (PMAK-...).",
        "newman run collection.json --env-var apiKey=PMAK-64f1c2d3e4b5a69788d9e0f1-"
        "2a3b4c5d6e7f8091a2b3c4d5e6f7081920",
        hints=("pmak-",),
    ),
    _Vendor(
        "databricks_token",
        "DATABRICKS_TOKEN",
        _prefixed(r"dapi", 4, r"[a-f0-9]{32}(?:-[0-9]{1,2})?"),
        "Databricks personal access tokens (dapi + 32 hex digits).",
        "databricks configure --token dapi54770f58904dba41ecccc3fc1626e53a",
        hints=("dapi",),
    ),
    _Vendor(
        "telegram_bot_token",
        "TELEGRAM_TOKEN",
        # the bot's numeric ID, a colon, then 35 characters starting with A; in Bot API URLs
        # glued to "bot" (/bot7123456789:AAF...), so only a digit may not precede it
        r"(?<![0-9])[0-9]{5,16}:A[A-Za-z0-9_-]{33,34}" + END,
        "Telegram bot tokens (7123456789:AAF..., also in api.telegram.org/bot.../ URLs).",
        "telegram: POST https://api.telegram.org/bot7123456789:AAF9xK2mQ8vL3nR7tY1wZ5cB0dH4jE6"
        "gU2s/sendMessage 200",
        hints=("0:A",),
        reach=16,
        reach_chars="0123456789",
        random=True,
    ),
    _Vendor(
        "twilio_api_key",
        "TWILIO_API_KEY",
        r"(?i:twilio)[^\n]{0,80}?(?<![A-Za-z0-9])(?P<value>SK[0-9a-fA-F]{32})(?![A-Za-z0-9])",
        "Twilio API key SIDs (SK + 32 hex digits) on a line that names Twilio; account SIDs "
        "(AC...) identify an account, not a person, and stay.",
        "twilio client: account AC0123456789abcdef0123456789abcdef "
        "key SK2b7d1c9e8a4b3f6d0c2e1a9b8f7e6d5c",
        hints=("twilio",),
        reach=None,
        group="value",
    ),
)


def vendor_rules() -> list[Rule]:
    """The vendor-token rules of the default pack, one per row of the table."""
    return [
        Rule(
            name=vendor.name,
            kind=vendor.kind,
            pattern=vendor.pattern,
            validator=_random_ok if vendor.random else None,
            group=vendor.group,
            description=vendor.description,
            hints=vendor.hints,
            trigger=vendor.trigger,
            reach=vendor.reach,
            reach_chars=vendor.reach_chars,
            priority=KNOWN_FORMAT_PRIORITY,
            example=vendor.example,
        )
        for vendor in _VENDORS
    ]
