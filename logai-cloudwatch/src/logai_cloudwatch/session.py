"""The one AWS session builder: every command, the TUI and the tools get their boto3 session here.

AWS settings are read once, by :mod:`logai.config`: the environment first, then LogAI's ``.env``
file, an empty value meaning "not set" (``AWS_PROFILE=`` as in ``.env.example``). The session is
then built from those values only, so botocore never re-reads a blank variable from the
environment and a key pair in ``.env`` works for ``logai groups`` exactly as for ``logai ask``.

Precedence, stated once: a named profile (``AWS_PROFILE``) is used as if passed to
``aws --profile`` (a key pair in the environment does not override it); without one, an access
key pair; without that, boto3's default chain (the ``default`` profile, SSO, container and
instance roles).

:func:`account_id` answers "whose data is this?" for the cache: the AWS account the credentials
belong to, from ``sts:GetCallerIdentity``, remembered per credential set for a few minutes.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

    from logai.config import LogAISettings

#: How long an account ID learnt from STS is reused for the same credentials.
ACCOUNT_TTL_SECONDS = 300.0
#: Hosts of AWS's own endpoints: STS is reached at its own endpoint there, not the Logs one.
_AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
_STS_ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL")

#: Per credential set: (account, principal ARN, expiry on the monotonic clock).
_accounts: dict[str, tuple[str, str, float]] = {}
_accounts_lock = threading.Lock()


@dataclass(frozen=True)
class StaticKeys:
    """An access key pair from the environment or ``.env``."""

    access_key: str
    secret_key: str
    token: str | None


def static_keys(settings: LogAISettings) -> StaticKeys | None:
    """The configured key pair, None when there is none; half a pair is an error, as in boto3."""
    from botocore.exceptions import PartialCredentialsError  # type: ignore[import-untyped]

    access, secret = settings.aws_access_key_id, settings.aws_secret_access_key
    if access is None and secret is None:
        return None
    if access is None or secret is None:
        missing = "AWS_ACCESS_KEY_ID" if access is None else "AWS_SECRET_ACCESS_KEY"
        raise PartialCredentialsError(provider="env", cred_var=missing)
    token = settings.aws_session_token
    return StaticKeys(
        access.get_secret_value(),
        secret.get_secret_value(),
        token.get_secret_value() if token is not None else None,
    )


def build_session(settings: LogAISettings) -> Any:
    """A ``boto3.session.Session`` configured from LogAI's settings alone.

    Blocking (botocore reads the AWS config files). Raises botocore's ``ProfileNotFound`` for a
    profile that does not exist and ``PartialCredentialsError`` for half a key pair; callers map
    them to LogAI errors.
    """
    import boto3  # type: ignore[import-untyped]
    import botocore.session  # type: ignore[import-untyped]
    from botocore.configprovider import ConstantProvider  # type: ignore[import-untyped]

    core = botocore.session.Session()
    store = core.get_component("config_store")
    if settings.aws_profile:
        # botocore's "explicit profile": its credentials, not a key pair from the environment.
        core.set_config_variable("profile", settings.aws_profile)
    else:
        # A blank AWS_PROFILE / AWS_DEFAULT_PROFILE left in the environment is never re-read.
        store.set_config_provider("profile", ConstantProvider(None))
    region = settings.aws_region or core.get_scoped_config().get("region") or None
    store.set_config_provider("region", ConstantProvider(region))
    keys = None if settings.aws_profile else static_keys(settings)
    if keys is not None:
        core.set_credentials(keys.access_key, keys.secret_key, keys.token)
    return boto3.session.Session(botocore_session=core)


def sts_endpoint(logs_endpoint: str | None, environ: dict[str, str] | None = None) -> str | None:
    """Where to ask STS, or None for boto3's own choice.

    A local emulator (moto, LocalStack) serves STS on the same address as Logs, and must be
    asked there (real STS would not know its credentials). AWS's own endpoints, including VPC
    endpoints for Logs, and an explicitly configured STS endpoint leave the choice to boto3.
    """
    env = os.environ if environ is None else environ
    if any((env.get(name) or "").strip() for name in _STS_ENDPOINT_VARIABLES):
        return None
    if not logs_endpoint:
        return None
    host = (urlparse(logs_endpoint).hostname or "").lower()
    if not host or host.endswith(_AWS_HOST_SUFFIXES):
        return None
    return logs_endpoint


def client_credentials(client: CloudWatchLogsClient) -> Any:
    """The frozen credentials a client signs with. Raises ``NoCredentialsError`` if none."""
    from botocore.exceptions import NoCredentialsError

    signer = getattr(client, "_request_signer", None)
    credentials = getattr(signer, "_credentials", None)
    if credentials is None:
        raise NoCredentialsError()
    frozen = credentials.get_frozen_credentials()
    if not frozen.access_key or not frozen.secret_key:
        raise NoCredentialsError()
    return frozen


def _fingerprint(*parts: str | None) -> str:
    digest = hashlib.sha256("\0".join(part or "" for part in parts).encode())
    return digest.hexdigest()


def key_fingerprint(client: CloudWatchLogsClient) -> str:
    """A stable, non-secret name for the access key a client uses (one key: one account)."""
    return _fingerprint(client_credentials(client).access_key)[:16]


def cached_account_id(client: CloudWatchLogsClient, *, now: float | None = None) -> str | None:
    """The account of ``client``'s credentials if learnt recently; never makes a call."""
    try:
        key = _account_key(client)
    except Exception:  # no credentials: nothing known
        return None
    with _accounts_lock:
        found = _accounts.get(key)
    moment = time.monotonic() if now is None else now
    return found[0] if found is not None and found[2] > moment else None


def _account_key(client: CloudWatchLogsClient) -> str:
    frozen = client_credentials(client)
    endpoint = sts_endpoint(client.meta.endpoint_url)
    return _fingerprint(frozen.access_key, frozen.secret_key, frozen.token, endpoint)


@dataclass(frozen=True)
class CallerIdentity:
    """Whose credentials these are: the account and the principal (user or assumed role)."""

    account: str
    arn: str


def account_id(settings: LogAISettings, client: CloudWatchLogsClient) -> str:
    """The AWS account ``client``'s credentials belong to (see :func:`caller_identity`)."""
    return caller_identity(settings, client).account


def caller_identity(
    settings: LogAISettings, client: CloudWatchLogsClient, *, fresh: bool = False
) -> CallerIdentity:
    """Account and principal ARN of ``client``'s credentials (``sts:GetCallerIdentity``).

    Blocking. Asked once per credential set and remembered for :data:`ACCOUNT_TTL_SECONDS`
    (refreshed credentials of the same role are a new set, asked once more); ``fresh`` asks
    again regardless, for a check that must prove the credentials work now. Raises botocore's
    errors (no credentials, invalid or expired ones, no connection) for the caller to map.
    """
    from botocore.config import Config  # type: ignore[import-untyped]

    frozen = client_credentials(client)
    key = _account_key(client)
    if not fresh:
        with _accounts_lock:
            found = _accounts.get(key)
        if found is not None and found[2] > time.monotonic():
            return CallerIdentity(found[0], found[1])
    sts = build_session(settings).client(
        "sts",
        region_name=client.meta.region_name,
        endpoint_url=sts_endpoint(client.meta.endpoint_url),
        aws_access_key_id=frozen.access_key,
        aws_secret_access_key=frozen.secret_key,
        aws_session_token=frozen.token,
        config=Config(
            retries={"mode": "standard", "total_max_attempts": 2},
            connect_timeout=5,
            read_timeout=10,
        ),
    )
    try:
        answer = sts.get_caller_identity()
    finally:
        sts.close()
    identity = CallerIdentity(str(answer["Account"]), str(answer.get("Arn") or ""))
    with _accounts_lock:
        _accounts[key] = (identity.account, identity.arn, time.monotonic() + ACCOUNT_TTL_SECONDS)
    return identity


def forget_accounts() -> None:
    """Drop every remembered account ID (tests; a credential change the user announces)."""
    with _accounts_lock:
        _accounts.clear()
