"""Classify botocore failures (retry or not) and turn them into LogAI's typed source errors.

Every message says what happened *and what to do*, because it is shown verbatim to the user or
handed to the LLM as a tool error. AWS's own message is quoted when it adds something (it names
the IAM principal and action on access denied); tracebacks never leave this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from botocore.exceptions import (  # type: ignore[import-untyped]
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ParamValidationError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

from logai.sources.base import (
    DataSourceError,
    SourceAccessDenied,
    SourceAuthError,
    SourceNotFound,
    SourceThrottled,
    SourceUnavailable,
    SourceValidationError,
)

#: Error codes that mean "slow down": retried, then :class:`SourceThrottled`.
THROTTLING_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "TooManyRequestsException",
        "LimitExceededException",  # StartQuery: too many concurrent Insights queries
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "ProvisionedThroughputExceededException",
    }
)
#: Error codes of a struggling service: retried, then :class:`SourceUnavailable`.
UNAVAILABLE_CODES = frozenset(
    {
        "ServiceUnavailableException",
        "ServiceUnavailable",
        "InternalFailure",
        "InternalServerError",
        "InternalServiceError",
        "InternalServiceException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
_AUTH_CODES = frozenset(
    {
        "ExpiredTokenException",
        "ExpiredToken",
        "RequestExpired",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "AuthFailure",
    }
)
_ACCESS_CODES = frozenset({"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"})
_NOT_FOUND_CODES = frozenset({"ResourceNotFoundException"})
_VALIDATION_CODES = frozenset(
    {
        "InvalidParameterException",
        "ValidationException",
        "MalformedQueryException",
        "InvalidOperationException",
        "InvalidSequenceTokenException",
    }
)
#: Transport failures worth another attempt: the network may recover.
_RETRYABLE_TRANSPORT = (
    EndpointConnectionError,
    ConnectionClosedError,
    ReadTimeoutError,
    ConnectTimeoutError,
)


@dataclass(frozen=True)
class ErrorContext:
    """What the failing call was about, so messages can name the action, group and profile."""

    action: str
    """IAM action of the call, e.g. ``logs:FilterLogEvents``."""

    group: str = ""
    """Log group the call was about, when there was one."""

    profile: str = ""
    """AWS profile in use (empty: the default credential chain)."""

    target: str = ""
    """Profile, region and endpoint, as :func:`logai_cloudwatch.client.describe_target` says."""

    attempts: int = 1
    """How many attempts were made before giving up."""


def error_code(exc: BaseException) -> str:
    """The AWS error code of a ``ClientError``; empty for anything else.

    An XML error document answering a JSON-protocol call (an authentication layer in front of
    the service, as some emulators and proxies have) leaves botocore with the bare HTTP status
    as the code and the XML as the message: the code inside the document is the real one.
    """
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code.isdigit():
            return _xml_field(exc, "Code") or code
        return code
    return ""


def _xml_field(exc: ClientError, field: str) -> str:
    """``<Field>value</Field>`` of an XML error document botocore left in the message."""
    raw = str(exc.response.get("Error", {}).get("Message", ""))
    if not raw.lstrip().startswith("<"):
        return ""
    found = re.search(rf"<{field}>([^<]{{1,500}})</{field}>", raw)
    return found.group(1).strip() if found else ""


def _http_status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def _aws_message(exc: ClientError) -> str:
    raw = str(exc.response.get("Error", {}).get("Message", "")).strip()
    return _xml_field(exc, "Message") or raw


def is_retryable(exc: BaseException) -> bool:
    """True for throttling, 5xx and transient connection failures; never for the caller's fault."""
    if isinstance(exc, _RETRYABLE_TRANSPORT):
        return True
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code in THROTTLING_CODES or code in UNAVAILABLE_CODES:
            return True
        status = _http_status(exc)
        known_client_fault = code in _AUTH_CODES | _ACCESS_CODES | _NOT_FOUND_CODES
        return not known_client_fault and (status == 429 or status >= 500)
    return False


def _login_hint(profile: str) -> str:
    if profile:
        return (
            f"run `aws sso login --profile {profile}` (SSO) or refresh the keys of "
            f"profile '{profile}'"
        )
    return (
        "set AWS_PROFILE to a working profile and run `aws sso login --profile NAME` (SSO), "
        "or set fresh AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN"
    )


def _auth_error(exc: BaseException, ctx: ErrorContext) -> SourceAuthError | None:
    """Credential and configuration problems: the user has to fix their AWS setup."""
    profile = ctx.profile
    if isinstance(exc, ProfileNotFound):
        return SourceAuthError(
            f"AWS profile '{profile or exc.kwargs.get('profile', '')}' is not in ~/.aws/config or "
            "~/.aws/credentials. Check AWS_PROFILE (`aws configure list-profiles` lists them), "
            "or create it with `aws configure --profile NAME` or `aws configure sso`."
        )
    if isinstance(exc, NoRegionError):
        return SourceAuthError(
            "No AWS region is configured. Set AWS_REGION (e.g. AWS_REGION=us-east-1) or a region "
            "in your profile (`aws configure set region us-east-1`)."
        )
    if isinstance(exc, SSOError | TokenRetrievalError):
        return SourceAuthError(
            f"The AWS SSO session has expired or was never started: {_login_hint(profile)}."
        )
    if isinstance(exc, NoCredentialsError):
        return SourceAuthError(
            "No AWS credentials found. Set AWS_PROFILE to a configured profile (then "
            "`aws sso login --profile NAME` if it uses SSO), or set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY."
        )
    if isinstance(exc, PartialCredentialsError):
        return SourceAuthError(
            f"Incomplete AWS credentials ({exc.kwargs.get('cred_var', 'a value')} is missing). "
            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use a profile."
        )
    if isinstance(exc, CredentialRetrievalError):
        return SourceAuthError(
            f"Could not obtain AWS credentials from {exc.kwargs.get('provider', 'the provider')}: "
            f"{_login_hint(profile)}."
        )
    code = error_code(exc)
    if code not in _AUTH_CODES:
        return None
    if code in {"ExpiredTokenException", "ExpiredToken", "RequestExpired"}:
        return SourceAuthError(f"The AWS credentials have expired: {_login_hint(profile)}.")
    if code in {"InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature"}:
        return SourceAuthError(
            "AWS rejected the request signature: the secret access key is wrong, or this "
            "machine's clock is off by more than 5 minutes. Check AWS_SECRET_ACCESS_KEY or the "
            "profile's keys, and the system time."
        )
    where = f" Asked: {ctx.action} ({ctx.target})." if ctx.target else ""
    return SourceAuthError(
        "AWS does not recognise these credentials (the access key or session token is invalid "
        "or from another partition). Check AWS_ACCESS_KEY_ID / AWS_PROFILE, or "
        f"{_login_hint(profile)}.{where}"
    )


def _retry_exhausted(exc: BaseException, ctx: ErrorContext) -> DataSourceError | None:
    tries = f"{ctx.attempts} attempt{'s' if ctx.attempts != 1 else ''}"
    if isinstance(exc, _RETRYABLE_TRANSPORT):
        kind = "timed out" if isinstance(exc, ReadTimeoutError | ConnectTimeoutError) else "failed"
        return SourceUnavailable(
            f"Connecting to CloudWatch Logs {kind} after {tries} ({ctx.target}). Check the network "
            "connection, the region, and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS if you set one."
        )
    if not isinstance(exc, ClientError) or not is_retryable(exc):
        return None
    code = error_code(exc)
    if code in THROTTLING_CODES or _http_status(exc) == 429:
        what = (
            "too many Logs Insights queries are running"
            if code == "LimitExceededException"
            else "CloudWatch Logs is throttling requests"
        )
        return SourceThrottled(
            f"{what} ({code or 'HTTP 429'} on {ctx.action}); gave up after {tries}. Wait a "
            "minute and try again, search fewer log groups at once "
            "(LOGAI_CLOUDWATCH_MAX_CONCURRENCY), or ask AWS for a higher quota."
        )
    status = _http_status(exc)
    label = " ".join(part for part in (code, f"HTTP {status}" if status else "") if part)
    return SourceUnavailable(
        f"CloudWatch Logs answered with a server error ({label}) on {ctx.action}, {tries} in a "
        f"row ({ctx.target or 'default endpoint'}). AWS may be having trouble; try again shortly."
    )


def _looks_like_aws(exc: ClientError) -> bool:
    """False for an HTTP error without an AWS error code or request id: not an AWS service.

    Only asked of client errors (4xx): a 5xx without them may come from a proxy in front of
    AWS, and is retried and reported as a server error instead.

    botocore falls back to the bare HTTP status as the error code when the body is not an
    AWS error document; every AWS (and AWS-compatible) service also returns a request id.
    """
    code = error_code(exc)
    metadata = exc.response.get("ResponseMetadata", {})
    headers = {str(key).lower() for key in metadata.get("HTTPHeaders", {})}
    has_request_id = bool(metadata.get("RequestId")) or bool(
        headers & {"x-amzn-requestid", "x-amz-request-id"}
    )
    return (bool(code) and not code.isdigit()) or has_request_id


def _not_cloudwatch(exc: ClientError, ctx: ErrorContext) -> SourceUnavailable:
    status = _http_status(exc) or error_code(exc) or "?"
    body = " ".join(_aws_message(exc).split())
    said = f" ({body[:80]}{'…' if len(body) > 80 else ''})" if body else ""
    return SourceUnavailable(
        f"The endpoint answered HTTP {status}{said} to {ctx.action} without an AWS error: it "
        f"does not look like CloudWatch Logs ({ctx.target or 'default endpoint'}). Check "
        "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS and AWS_ENDPOINT_URL, or unset them to use AWS."
    )


def map_error(exc: BaseException, ctx: ErrorContext) -> DataSourceError:
    """The LogAI error for a botocore failure (after retries, if it was retryable)."""
    if isinstance(exc, DataSourceError):
        return exc
    auth = _auth_error(exc, ctx)
    if auth is not None:
        return auth
    if isinstance(exc, ClientError) and _http_status(exc) < 500 and not _looks_like_aws(exc):
        return _not_cloudwatch(exc, ctx)
    exhausted = _retry_exhausted(exc, ctx)
    if exhausted is not None:
        return exhausted
    if isinstance(exc, ParamValidationError):
        return SourceValidationError(
            f"Invalid request for {ctx.action}: {' '.join(str(exc).split())}"
        )
    if not isinstance(exc, ClientError):
        detail = " ".join(str(exc).split()) or type(exc).__name__
        return SourceUnavailable(f"CloudWatch Logs request failed ({ctx.action}): {detail}")
    code, message = error_code(exc), _aws_message(exc)
    if code in _ACCESS_CODES:
        where = f" on log group '{ctx.group}'" if ctx.group else ""
        aws_says = f" AWS said: {message}" if message else ""
        return SourceAccessDenied(
            f"Access denied: this AWS identity may not call {ctx.action}{where}. Ask for an IAM "
            f"policy that allows {ctx.action} (see the read-only policy in docs/cloudwatch.md), "
            f"or switch AWS_PROFILE.{aws_says}",
            action=ctx.action,
        )
    if code in _NOT_FOUND_CODES:
        name = ctx.group
        what = f"Log group '{name}' does not exist" if name else "The log group does not exist"
        return SourceNotFound(f"{what} ({ctx.target}).", name=name)
    if code in _VALIDATION_CODES:
        return SourceValidationError(
            f"CloudWatch Logs rejected the request ({code} on {ctx.action}): {message}"
        )
    said = f": {message}" if message else " (no message)"
    return DataSourceError(f"CloudWatch Logs error {code} on {ctx.action} ({ctx.target}){said}")
