"""Turn whatever LiteLLM raised into a :class:`~logai.llm.provider.LLMError` a user can act on.

LiteLLM's exception classes do not map one-to-one onto what happened (checked with 1.110):

* a refused or dropped connection arrives as ``InternalServerError`` (status 500), with the
  real cause (``httpx.ConnectError``, ``aiohttp.ClientConnectorError``…) in ``__cause__``;
* Anthropic's 529 ``overloaded_error`` arrives as ``InternalServerError`` with status 500
  (the body still says ``overloaded_error``); on the OpenAI path a 529 is a plain ``APIError``;
* a missing OpenAI key is an ``InternalServerError`` ("Missing credentials"), not an auth error;
* a failure after the stream started is wrapped in ``MidStreamFallbackError`` (a 503 class)
  whose ``original_exception`` and ``status_code`` tell what really happened.

So classification looks at status codes, the cause chain and the body text, not only types.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from types import ModuleType
from typing import Literal

from logai.llm._retry import parse_retry_after
from logai.llm.provider import (
    LLMAuthError,
    LLMBadRequest,
    LLMError,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
)

FailureKind = Literal[
    "auth",
    "rate_limit",
    "timeout",
    "unavailable",
    "connection",
    "bad_url",
    "not_found",
    "context",
    "bad_request",
    "unexpected",
]

_RETRYABLE: frozenset[FailureKind] = frozenset({"rate_limit", "unavailable", "connection"})

#: Statuses that mean "try again later"; 501 and 505 mean "never", so they are not here.
_RETRYABLE_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524, 529})

#: Exception class names (any library) that mean the connection itself failed.
_CONNECTION_ERRORS = frozenset(
    {
        "APIConnectionError", "ConnectError", "RemoteProtocolError", "ReadError", "WriteError",
        "ClientConnectorError", "ClientConnectionError", "ServerDisconnectedError",
        "ClientOSError", "ClientPayloadError", "TransferEncodingError",
    }
)  # fmt: skip

#: ... and those that mean the URL itself is unusable (retrying cannot help).
_URL_ERRORS = frozenset(
    {"InvalidURL", "UnsupportedProtocol", "InvalidUrlClientError", "InvalidURLError"}
)

_TIMEOUT_ERRORS = frozenset(
    {"APITimeoutError", "Timeout", "ReadTimeout", "ConnectTimeout", "PoolTimeout", "WriteTimeout",
     "TimeoutException", "ServerTimeoutError"}
)  # fmt: skip

_MAX_DETAIL = 300


@dataclass(frozen=True)
class Failure:
    """What went wrong with one attempt, independent of which library said so."""

    kind: FailureKind
    status: int | None
    detail: str
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        """Whether another attempt may succeed (only safe before anything was yielded)."""
        return self.kind in _RETRYABLE


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the exceptions it wraps, and their causes, without loops."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(seen) < 12:
        current = pending.pop(0)
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        original = getattr(current, "original_exception", None)
        wrapped = original if isinstance(original, BaseException) else None
        pending.extend([wrapped, current.__cause__, current.__context__])
    return seen


def _status(exc: BaseException) -> int | None:
    for name in ("provider_status_code", "status_code"):
        value = getattr(exc, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def _headers(exc: BaseException) -> dict[str, str]:
    """Response headers of a failed request; LiteLLM keeps them in different places per path."""
    found: dict[str, str] = {}
    for candidate in (
        getattr(getattr(exc, "response", None), "headers", None),
        getattr(exc, "litellm_response_headers", None),
    ):
        if candidate is not None:
            try:
                found.update({str(k).lower(): str(v) for k, v in candidate.items()})
            except (AttributeError, TypeError):
                continue
    return found


def provider_detail(exc: BaseException) -> str:
    """The provider's own words, without LiteLLM's prefixes, JSON wrapping or advice."""
    text = str(getattr(exc, "message", "") or exc or type(exc).__name__)
    text = re.sub(r"^(litellm\.[A-Za-z]+:\s*)+", "", text)
    text = re.sub(r"^([A-Za-z_]+(Error|Exception)(:| -)\s*)+", "", text)
    text = re.sub(r" ssl:<[^>]*>", "", text)
    text = re.sub(r"\.?\s*Handle with `litellm\.[A-Za-z]+`\.?", "", text)
    text = re.sub(r"\s*Original exception:.*$", "", text, flags=re.S)
    # LiteLLM appends the whole request to some errors; it is the user's own conversation
    # (sanitized, but long) and says nothing about what went wrong.
    text = re.sub(r"\s*Received (Messages|Model Group)=.*$", "", text, flags=re.S)
    match = re.search(r"\{.*\}", text, flags=re.S)
    if match:
        try:
            body = json.loads(match.group(0))
        except ValueError:
            body = None
        if isinstance(body, dict):
            error = body.get("error", body)
            message = error.get("message") if isinstance(error, dict) else error
            if isinstance(message, str) and message.strip():
                text = message
    text = " ".join(text.split()).strip(" .")
    if len(text) > _MAX_DETAIL:
        text = text[: _MAX_DETAIL - 1] + "…"
    return text or type(exc).__name__


def classify(exc: BaseException, litellm: ModuleType) -> Failure:
    """Decide what kind of failure ``exc`` is and whether retrying makes sense."""
    chain = _chain(exc)
    names = {type(c).__name__ for c in chain}
    # MidStreamFallbackError hides the real error; judge by what it wraps.
    real = chain[1] if type(exc).__name__ == "MidStreamFallbackError" and len(chain) > 1 else exc
    status = _status(real) or _status(exc)
    detail = provider_detail(real)
    lowered = (detail + " " + str(exc)).lower()
    retry_after = parse_retry_after(_headers(exc) or _headers(real))

    if isinstance(real, litellm.Timeout) or status == 408 or names & _TIMEOUT_ERRORS:
        return Failure("timeout", status, detail)
    if isinstance(real, TimeoutError):
        return Failure("timeout", status, detail)
    if status in (401, 403) or isinstance(real, litellm.AuthenticationError):
        return Failure("auth", status, detail)
    if "missing credentials" in lowered or "api_key client option must be set" in lowered:
        return Failure("auth", None, detail)
    if status == 429:
        return Failure("rate_limit", status, detail, retry_after)
    if "overloaded_error" in lowered or status == 529:
        return Failure("unavailable", 529, detail, retry_after)
    if names & _URL_ERRORS:
        return Failure("bad_url", None, detail)
    if names & _CONNECTION_ERRORS or any(isinstance(c, ConnectionError) for c in chain):
        return Failure("connection", None, detail, retry_after)
    if isinstance(real, litellm.ContextWindowExceededError):
        return Failure("context", status, detail)
    if status == 404:
        return Failure("not_found", status, detail)
    if status is None:
        # Not an HTTP answer at all: a bug or an unforeseen failure inside LiteLLM.
        return Failure("unexpected", None, f"{type(real).__name__}: {detail}")
    if status in _RETRYABLE_STATUSES or (status >= 500 and status not in (501, 505)):
        return Failure("unavailable", status, detail, retry_after)
    return Failure("bad_request", status, detail)


@dataclass(frozen=True)
class ErrorContext:
    """What the messages need to say where to look and what to change."""

    model: str
    provider: str
    """Provider prefix of the model (``anthropic``, ``openai``, ``ollama``…)."""

    key_variable: str | None
    """The LogAI variable holding this provider's key, if LogAI manages one."""

    api_base: str | None
    timeout: float
    max_retries: int
    max_retry_wait: float = 60.0
    secrets: tuple[str, ...] = ()


_PROVIDER_NAMES = {"anthropic": "Anthropic", "openai": "OpenAI"}


def _status_text(status: int | None) -> str:
    if status is None:
        return ""
    if status == 529:
        return "529 Overloaded"
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _who(ctx: ErrorContext) -> str:
    if ctx.api_base:
        return f"The LLM server at {ctx.api_base}"
    return f"The LLM provider ({_PROVIDER_NAMES.get(ctx.provider, ctx.provider)})"


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """Replace every secret value (e.g. the API key) in ``text`` with ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def to_llm_error(
    failure: Failure, ctx: ErrorContext, *, attempts: int, mid_stream: bool = False
) -> LLMError:
    """The user-facing error for a failure that will not be retried (any more).

    ``mid_stream`` means part of the answer was already shown; a failure whose
    ``retry_after`` exceeds ``ctx.max_retry_wait`` was given up on without waiting.
    """
    who = _who(ctx)
    wait = failure.retry_after
    too_long = wait is not None and wait > ctx.max_retry_wait
    said = f" It said: {failure.detail}." if failure.detail else ""
    tries = f"after {attempts} attempts" if attempts > 1 else "on the first attempt"
    error: LLMError
    if failure.kind == "auth":
        if ctx.key_variable:
            fix = (
                f"Set {ctx.key_variable} to a valid "
                f"{_PROVIDER_NAMES.get(ctx.provider, ctx.provider)} API key "
                "(in the environment or in .env)."
            )
        else:
            fix = (
                f"Check the credentials LiteLLM uses for '{ctx.provider}' "
                "(usually that provider's standard environment variable)."
            )
        status = f" ({_status_text(failure.status)})" if failure.status else ""
        message = f"{who} rejected the credentials{status}.{said} {fix}"
        error = LLMAuthError(message, status=failure.status, attempts=attempts)
    elif failure.kind == "rate_limit":
        if too_long:
            what = (
                f"answered 429 Too Many Requests and asked to wait {wait:g} s, longer than "
                f"LogAI waits ({ctx.max_retry_wait:g} s); try again later"
            )
        elif attempts > 1:
            what = (
                f"kept answering 429 Too Many Requests after {attempts} attempts; wait a "
                f"minute and try again, or raise LOGAI_LLM_MAX_RETRIES (now {ctx.max_retries})"
            )
        else:
            what = (
                "answered 429 Too Many Requests and retries are off (LOGAI_LLM_MAX_RETRIES=0); "
                "wait a minute and try again"
            )
        message = f"{who} {what}.{said}"
        error = LLMRateLimited(message, status=429, attempts=attempts)
    elif failure.kind == "timeout":
        where = "in the middle of the answer" if mid_stream else "before answering"
        message = (
            f"{who} sent nothing for {ctx.timeout:g} s {where}, so LogAI gave up "
            f"(LOGAI_LLM_TIMEOUT={ctx.timeout:g}). Try again, or raise LOGAI_LLM_TIMEOUT."
        )
        error = LLMTimeout(message, status=failure.status, attempts=attempts)
    elif failure.kind == "connection":
        target = ctx.api_base or "the provider's API"
        message = (
            f"Could not talk to {target} {tries} (connection failed: {failure.detail}). "
            "Check your network connection"
            + (" and LOGAI_LLM_API_BASE." if ctx.api_base else " or proxy settings.")
        )
        error = LLMUnavailable(message, status=None, attempts=attempts)
    elif failure.kind == "unavailable":
        message = (
            f"{who} failed with {_status_text(failure.status) or 'an error'} {tries}; it may "
            f"be down or overloaded, try again later.{said}"
        )
        error = LLMUnavailable(message, status=failure.status, attempts=attempts)
    elif failure.kind == "not_found":
        hint = (
            " With LOGAI_LLM_API_BASE, an OpenAI-compatible URL usually ends in /v1 and an "
            "Anthropic-compatible one is the host root."
            if ctx.api_base
            else ""
        )
        message = (
            f"{who} answered 404 Not Found for the model '{ctx.model}'.{said} Check "
            f"LOGAI_LLM_MODEL (a LiteLLM model string such as anthropic/claude-sonnet-4-5).{hint}"
        )
        error = LLMBadRequest(message, status=404, attempts=attempts)
    elif failure.kind == "context":
        message = (
            f"The conversation no longer fits in the context window of '{ctx.model}'.{said} "
            "LogAI fits every request to the window it knows: set LOGAI_LLM_CONTEXT_TOKENS to "
            "the model's real window (smaller than assumed), or start a new conversation (/clear)."
        )
        error = LLMBadRequest(message, status=failure.status, attempts=attempts)
    elif failure.kind == "bad_url":
        message = (
            f"LOGAI_LLM_API_BASE ({ctx.api_base}) is not a usable URL ({failure.detail}). Use a "
            "full http:// or https:// URL, e.g. http://localhost:11434/v1 for Ollama."
        )
        error = LLMBadRequest(message, status=None, attempts=attempts)
    elif failure.kind == "unexpected":
        message = (
            f"LiteLLM failed unexpectedly while calling '{ctx.model}' ({failure.detail}). "
            "This is probably a bug; please report it with the model name and LiteLLM version."
        )
        error = LLMError(message, status=None, attempts=attempts)
    else:
        status = f" ({_status_text(failure.status)})" if failure.status else ""
        message = (
            f"{who} refused the request{status}.{said} Check LOGAI_LLM_MODEL and, if you use "
            "a proxy or local server, LOGAI_LLM_API_BASE."
        )
        error = LLMBadRequest(message, status=failure.status, attempts=attempts)
    if too_long and failure.kind != "rate_limit":
        error.message += (
            f" It asked to wait {wait:g} s, longer than LogAI waits ({ctx.max_retry_wait:g} s)."
        )
    if mid_stream and failure.kind != "timeout":
        error.message += " The answer was cut off part-way; ask again."
    error.message = scrub(error.message, ctx.secrets)
    error.args = (error.message,)
    return error
