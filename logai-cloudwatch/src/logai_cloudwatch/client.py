"""The one place a CloudWatch Logs client is made (tests and benchmarks patch or replace it here).

The session comes from :func:`logai_cloudwatch.session.build_session`, the one AWS session
builder (profile, region and keys from the environment or LogAI's ``.env``, blanks unset); the
shared config and credentials files, SSO and the endpoint variables
(``AWS_ENDPOINT_URL_CLOUDWATCH_LOGS``, ``AWS_ENDPOINT_URL``,
``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS``) are then read by boto3 itself.

botocore's own retries are switched off (one attempt in total): :mod:`logai_cloudwatch.retry`
retries with tenacity instead, so the two layers never multiply into 5 × 5 attempts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

    from logai.config import LogAISettings

SERVICE = "logs"
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"
_IGNORE_ENDPOINTS_VARIABLE = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"


@dataclass(frozen=True)
class ClientOptions:
    """Transport settings of the client."""

    max_pool_connections: int = 10
    """HTTP connections kept open; at least the source's concurrency, or requests queue."""

    connect_timeout: float = 10.0
    """Seconds to open a connection before giving up (then retried by tenacity)."""

    read_timeout: float = 60.0
    """Seconds to wait for an answer; FilterLogEvents over a wide range can be slow."""

    role_arn: str | None = None
    """An IAM role to assume with the configured credentials (a target in another account)."""


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def explicit_endpoint(
    settings: LogAISettings, environ: Mapping[str, str] | None = None
) -> str | None:
    """The endpoint to pass to boto3 explicitly, or None to let boto3 resolve it itself.

    When the variable is in the process environment boto3 already honours it (and
    ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS``); passing it again would override that switch. Only a
    value boto3 cannot see - from LogAI's ``.env`` file or an override - is passed explicitly.
    """
    env = os.environ if environ is None else environ
    value = (settings.aws_endpoint_url_cloudwatch_logs or "").strip()
    if not value or _is_true(env.get(_IGNORE_ENDPOINTS_VARIABLE)):
        return None
    if env.get(ENDPOINT_VARIABLE, "").strip() == value:
        return None
    return value


def make_client(
    settings: LogAISettings, options: ClientOptions | None = None
) -> CloudWatchLogsClient:
    """Create a CloudWatch Logs client from LogAI's settings and the standard AWS configuration.

    Blocking (boto3 loads its service model from disk): call it from a worker thread.
    Raises botocore's ``ProfileNotFound`` or ``NoRegionError``; callers map them to LogAI errors.
    With ``options.role_arn`` the role is assumed first (:mod:`logai_cloudwatch.roles`).
    """
    from botocore.config import Config  # type: ignore[import-untyped]

    from logai import __version__
    from logai_cloudwatch.session import build_session

    opts = options or ClientOptions()
    session = build_session(settings)
    if opts.role_arn:
        from logai_cloudwatch.roles import assume_role, logs_endpoint

        session = assume_role(
            session, opts.role_arn, endpoint=logs_endpoint(explicit_endpoint(settings))
        )
    config = Config(
        # ``total_max_attempts`` counts the first request; botocore's older ``max_attempts``
        # key counts *retries*, so {"max_attempts": 1} would still send every request twice.
        retries={"mode": "standard", "total_max_attempts": 1},
        max_pool_connections=opts.max_pool_connections,
        connect_timeout=opts.connect_timeout,
        read_timeout=opts.read_timeout,
        user_agent_extra=f"logai/{__version__}",
    )
    endpoint = explicit_endpoint(settings)
    if endpoint:
        client: CloudWatchLogsClient = session.client(SERVICE, config=config, endpoint_url=endpoint)
    else:
        client = session.client(SERVICE, config=config)
    return client


def describe_target(
    settings: LogAISettings,
    client: CloudWatchLogsClient | None = None,
    *,
    account: str | None = None,
    role: str | None = None,
) -> str:
    """Which credentials, region and endpoint requests go to, for status lines and errors.

    Prefers what a live client resolved; before one exists, reads the settings without
    importing boto3. ``account`` is added when already known (it takes an STS call to learn);
    ``role`` names a role assumed with those credentials.
    """
    if settings.aws_profile or not settings.aws_keys_set():
        who = f"profile {settings.aws_profile or 'default'}"
    else:
        who = "access keys"
    meta = getattr(client, "meta", None)  # test doubles may lack it
    if meta is not None:
        region: str | None = meta.region_name
        endpoint: str | None = meta.endpoint_url
        if endpoint and ".amazonaws.com" in endpoint:
            endpoint = None
    else:
        region = settings.effective_region()
        endpoint = explicit_endpoint(settings) or os.environ.get(ENDPOINT_VARIABLE) or None
    parts = [who, *([f"role {role}"] if role else []), f"region {region or '(not set)'}"]
    if endpoint:
        parts.append(f"endpoint {endpoint}")
    if account:
        parts.append(f"account {account}")
    return ", ".join(parts)
