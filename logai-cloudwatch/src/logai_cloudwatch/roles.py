"""Reading another account through an IAM role: ``sts:AssumeRole`` with refreshing credentials.

A target of ``LOGAI_AWS_TARGETS`` may name a role to assume (``prod>arn:aws:iam::…:role/R``).
The role is assumed once, when the target's client is made, so a role that may not be assumed
is reported then, in the target's own words; botocore refreshes the temporary credentials
before they expire, so a long chat keeps working. Only ``sts:AssumeRole`` is called (it reads,
it changes nothing in the account).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from logai.sources.base import SourceAccessDenied, SourceAuthError

#: Names the session in the other account's CloudTrail, so its owners see who read what.
SESSION_NAME = "logai"


def logs_endpoint(explicit: str | None, environ: dict[str, str] | None = None) -> str | None:
    """The Logs endpoint boto3 will use, when one is configured (moto, LocalStack)."""
    env = os.environ if environ is None else environ
    if (env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") or "").strip().lower() in {"1", "true"}:
        return None
    return explicit or (env.get("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS") or "").strip() or None


def assume_role(session: Any, role_arn: str, *, endpoint: str | None) -> Any:
    """A boto3 session whose credentials are ``role_arn`` assumed with ``session``'s own.

    Blocking (one STS call). Raises :class:`SourceAuthError` when ``session`` has no
    credentials to assume the role with and :class:`SourceAccessDenied` when STS refuses.
    """
    import boto3  # type: ignore[import-untyped]
    import botocore.session  # type: ignore[import-untyped]
    from botocore.config import Config  # type: ignore[import-untyped]
    from botocore.configprovider import ConstantProvider  # type: ignore[import-untyped]
    from botocore.credentials import (  # type: ignore[import-untyped]
        AssumeRoleCredentialFetcher,
        CredentialProvider,
        CredentialResolver,
        RefreshableCredentials,
    )
    from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

    from logai_cloudwatch.session import sts_endpoint

    base = session._session  # the botocore session build_session configured
    source = base.get_credentials()
    if source is None:
        raise SourceAuthError(
            f"No AWS credentials to assume role {role_arn} with: give the target a profile "
            "(PROFILE>ROLE_ARN) or set AWS_PROFILE or an access key pair."
        )
    region = session.region_name or "us-east-1"
    create_client = functools.partial(
        base.create_client,
        region_name=region,
        endpoint_url=sts_endpoint(endpoint),
        config=Config(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5),
    )
    fetcher = AssumeRoleCredentialFetcher(
        create_client, source, role_arn, extra_args={"RoleSessionName": SESSION_NAME}
    )
    try:
        first = fetcher.fetch_credentials()
    except ClientError as exc:
        detail = exc.response.get("Error", {})
        code, message = detail.get("Code", "error"), detail.get("Message", "")
        if code in {"AccessDenied", "AccessDeniedException"}:
            raise SourceAccessDenied(
                f"Role {role_arn} may not be assumed with these credentials ({message or code}). "
                "Its trust policy must allow them (sts:AssumeRole).",
                action="sts:AssumeRole",
            ) from None
        raise SourceAuthError(
            f"Assuming role {role_arn} failed ({code}: {message}). Check the role ARN and the "
            "credentials it is assumed with."
        ) from None
    except BotoCoreError as exc:
        raise SourceAuthError(f"Assuming role {role_arn} failed: {exc}") from None
    credentials = RefreshableCredentials.create_from_metadata(
        metadata=first, refresh_using=fetcher.fetch_credentials, method="assume-role"
    )

    class _Assumed(CredentialProvider):  # type: ignore[misc]
        METHOD = "assume-role"

        def load(self) -> Any:
            return credentials

    target = botocore.session.Session()
    target.register_component("credential_provider", CredentialResolver([_Assumed()]))
    store = target.get_component("config_store")
    store.set_config_provider("profile", ConstantProvider(None))
    store.set_config_provider("region", ConstantProvider(region))
    return boto3.session.Session(botocore_session=target)
