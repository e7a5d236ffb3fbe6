"""Prove the configured LLM endpoint answers, accepts the key and serves the model: no tokens.

``logai config check --live`` asks the provider's free model list instead of a completion:

* Anthropic: ``GET {base}/v1/models/{model}`` (which also resolves aliases such as
  ``claude-sonnet-4-5``), and on 404 ``GET {base}/v1/models`` for the names it does serve;
* OpenAI and OpenAI-compatible servers (vLLM, LM Studio, a proxy): ``GET {api_base}/models``;
* Ollama's own API: ``GET {base}/api/tags``.

Any other provider, or a server without a model list, gets one completion capped at one output
token through LiteLLM, and the result says so: that is the only probe that costs money.

Requests go to the configured endpoint only, with the configured key, and time out after the
configured LLM timeout (at most :data:`MAX_PROBE_SECONDS`). Every failure is one of: connection
refused, timeout, key refused (401/403), model not served (404 or not listed), or another
answer, each as a message that names the URL or model and what to change.
"""

from __future__ import annotations

import difflib
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["MAX_PROBE_SECONDS", "LLMTarget", "Probe", "probe_llm"]

#: A live check should answer in seconds; a slower endpoint is reported as a timeout.
MAX_PROBE_SECONDS = 15.0
ANTHROPIC_DEFAULT_BASE = "https://api.anthropic.com"
OPENAI_DEFAULT_BASE = "https://api.openai.com/v1"
OLLAMA_DEFAULT_BASE = "http://localhost:11434"
ANTHROPIC_VERSION = "2023-06-01"
#: LiteLLM providers that speak OpenAI's API (and so list models at ``{api_base}/models``).
OPENAI_COMPATIBLE = frozenset(
    {"openai", "hosted_vllm", "lm_studio", "openai_like", "custom_openai", "text-completion-openai"}
)
OLLAMA = frozenset({"ollama", "ollama_chat"})
_MAX_DETAIL = 200

Outcome = Literal["ok", "refused", "timeout", "key", "model", "other"]


@dataclass(frozen=True)
class Probe:
    """One live check: what was checked, how long it took, and what it proved or found wrong."""

    target: str
    """What was probed, e.g. ``LLM`` or ``cloudwatch identity``."""

    ok: bool
    seconds: float
    message: str
    """What the check proved, or the problem and how to fix it."""

    outcome: Outcome = "ok"
    """Which case of failure this was (tests and ``--json`` readers branch on it)."""


@dataclass(frozen=True)
class LLMTarget:
    """Everything a probe needs to reach the LLM exactly as a question would."""

    model: str
    """The LiteLLM model string, ``provider/name``."""

    provider: str
    api_base: str | None
    api_key: str | None
    key_variable: str | None
    """LogAI's variable for the key (``LOGAI_OPENAI_API_KEY``), if it manages one."""

    timeout: float
    placeholder_key: str | None = None
    """Sent as the key of a completion when none is configured (the OpenAI client insists on
    one; keyless servers ignore it). The free model-list requests send no key then."""

    @property
    def model_name(self) -> str:
        """The model as the provider names it (without LiteLLM's ``provider/`` prefix)."""
        prefix, _, rest = self.model.partition("/")
        return rest if rest and prefix.lower() == self.provider else self.model


class _Failed(Exception):
    def __init__(self, outcome: Outcome, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.outcome: Outcome = outcome
        self.message = message
        self.status = status


@dataclass(frozen=True)
class _Answer:
    status: int
    body: Any


def _get(url: str, headers: dict[str, str], timeout: float) -> _Answer:
    """GET ``url`` and parse JSON; HTTP errors are answers, transport failures :class:`_Failed`."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = int(response.status), response.read()
    except urllib.error.HTTPError as error:
        status, raw = int(error.code), error.read() or b""
    except TimeoutError as error:
        raise _Failed("timeout", _timeout_message(url, timeout)) from error
    except urllib.error.URLError as error:
        raise _transport_failure(url, error.reason, timeout) from error
    except (http.client.HTTPException, ConnectionError, OSError) as error:
        raise _transport_failure(url, error, timeout) from error
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf-8", "replace")
    return _Answer(status, body)


def _timeout_message(url: str, timeout: float) -> str:
    return (
        f"no answer from {url} within {timeout:g} s: check LOGAI_LLM_API_BASE, that the server "
        "is up and not overloaded, and any proxy or firewall in between."
    )


def _transport_failure(url: str, reason: object, timeout: float) -> _Failed:
    if isinstance(reason, TimeoutError | socket.timeout):
        return _Failed("timeout", _timeout_message(url, timeout))
    if isinstance(reason, ConnectionRefusedError):
        return _Failed(
            "refused",
            f"connection refused by {url}: nothing listens there. Start the server, or fix the "
            "host and port in LOGAI_LLM_API_BASE.",
        )
    if isinstance(reason, socket.gaierror):
        host = urllib.parse.urlsplit(url).hostname
        return _Failed("other", f"cannot resolve host '{host}' of {url}: check LOGAI_LLM_API_BASE.")
    if isinstance(reason, ssl.SSLError):
        return _Failed("other", f"TLS with {url} failed: {reason}.")
    if isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
        return _Failed(
            "other", f"{url} closed the connection without answering: is it an HTTP API?"
        )
    return _Failed("other", f"cannot reach {url}: {reason}.")


def _detail(body: Any) -> str:
    """The server's own error message, short."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            body = error.get("message") or error
        elif isinstance(error, str):
            body = error
        elif "detail" in body:
            body = body["detail"]
    text = " ".join(str(body or "").split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _key_refused(target: LLMTarget, url: str, status: int, body: Any) -> _Failed:
    variable = target.key_variable or "the provider's API key variable"
    what = "refused the API key" if target.api_key else "wants an API key and none was sent"
    detail = _detail(body)
    return _Failed(
        "key",
        f"{url} {what} (HTTP {status}{': ' + detail if detail else ''}): set {variable} to a "
        "valid key for this endpoint.",
        status,
    )


def _wrong_model(target: LLMTarget, where: str, served: list[str], how: str) -> _Failed:
    name = target.model_name
    close = difflib.get_close_matches(name, served, n=3, cutoff=0.5)
    if close:
        hint = f" Did you mean {' or '.join(close)}?"
    elif served:
        shown = ", ".join(served[:8]) + (", …" if len(served) > 8 else "")
        hint = f" It serves: {shown}."
    else:
        hint = ""
    return _Failed(
        "model",
        f"model '{name}' is not served by {where} ({how}).{hint} Set LOGAI_LLM_MODEL to one "
        "it serves (or pass --model).",
    )


def _other(url: str, answer: _Answer) -> _Failed:
    detail = _detail(answer.body)
    return _Failed(
        "other",
        f"{url} answered HTTP {answer.status}{': ' + detail if detail else ''}.",
        answer.status,
    )


def _ids(body: Any, list_key: str, id_key: str) -> list[str] | None:
    """Model names in a listing, or None when the body is not one."""
    if not isinstance(body, dict) or not isinstance(body.get(list_key), list):
        return None
    return [
        str(item[id_key]) for item in body[list_key] if isinstance(item, dict) and id_key in item
    ]


# -- per protocol --------------------------------------------------------------------------------


def _anthropic(target: LLMTarget) -> str | None:
    base = (target.api_base or ANTHROPIC_DEFAULT_BASE).rstrip("/")
    headers = {"anthropic-version": ANTHROPIC_VERSION}
    if target.api_key:
        headers["x-api-key"] = target.api_key
    name = target.model_name
    url = f"{base}/v1/models/{urllib.parse.quote(name, safe='')}"
    answer = _get(url, headers, target.timeout)
    if answer.status == 200:
        served = answer.body.get("id") if isinstance(answer.body, dict) else None
        shown = f" (as {served})" if served and served != name else ""
        return f"{base}: key accepted, model {name} served{shown}"
    if answer.status in (401, 403):
        raise _key_refused(target, url, answer.status, answer.body)
    if answer.status != 404:
        raise _other(url, answer)
    listing_url = f"{base}/v1/models?limit=1000"
    listing = _get(listing_url, headers, target.timeout)
    served = _ids(listing.body, "data", "id") if listing.status == 200 else None
    if served is None:
        return None  # no model list here (a proxy?): only a completion can tell
    raise _wrong_model(target, base, served, f"HTTP 404 from {url}")


def _openai(target: LLMTarget) -> str | None:
    base = (target.api_base or OPENAI_DEFAULT_BASE).rstrip("/")
    headers = {"Authorization": f"Bearer {target.api_key}"} if target.api_key else {}
    url = f"{base}/models"
    answer = _get(url, headers, target.timeout)
    if answer.status in (401, 403):
        raise _key_refused(target, url, answer.status, answer.body)
    if answer.status in (404, 405, 501):
        return None  # an OpenAI-compatible server without the model list
    if answer.status != 200:
        raise _other(url, answer)
    served = _ids(answer.body, "data", "id")
    if served is None:
        raise _Failed(
            "other",
            f"{url} did not answer like an OpenAI-compatible API (no model list): is "
            "LOGAI_LLM_API_BASE the API's base URL, ending in /v1?",
        )
    if target.model_name not in served:
        raise _wrong_model(target, base, served, f"not among the {len(served)} models {url} lists")
    return f"{base}: key accepted, model {target.model_name} listed"


def _ollama(target: LLMTarget) -> str | None:
    base = (target.api_base or OLLAMA_DEFAULT_BASE).rstrip("/")
    url = f"{base}/api/tags"
    answer = _get(url, {}, target.timeout)
    if answer.status == 404:
        return None
    if answer.status != 200:
        raise _other(url, answer)
    served = _ids(answer.body, "models", "name")
    if served is None:
        raise _other(url, answer)
    name = target.model_name
    if name not in served and f"{name}:latest" not in served:
        raise _wrong_model(target, base, served, f"not among the models {url} lists; pull it")
    return f"{base}: model {name} pulled"


async def _completion(target: LLMTarget) -> str:
    """One completion of at most one token: the fallback where no free endpoint is known."""
    from logai.llm._errors import ErrorContext, classify, to_llm_error
    from logai.llm._litellm import load_litellm

    litellm = load_litellm()
    request: dict[str, Any] = {
        "model": target.model,
        "messages": [{"role": "user", "content": "Reply with one word."}],
        "max_tokens": 1,
        "timeout": target.timeout,
        "max_retries": 0,
        "num_retries": 0,
        "drop_params": True,
    }
    if target.api_base:
        request["api_base"] = target.api_base
    if target.api_key or target.placeholder_key:
        request["api_key"] = target.api_key or target.placeholder_key
    try:
        await litellm.acompletion(**request)
    except Exception as exc:
        failure = classify(exc, litellm)
        context = ErrorContext(
            model=target.model,
            provider=target.provider,
            key_variable=target.key_variable,
            api_base=target.api_base,
            timeout=target.timeout,
            max_retries=0,
            secrets=(target.api_key,) if target.api_key else (),
        )
        outcome: Outcome = {
            "auth": "key", "timeout": "timeout", "connection": "refused", "not_found": "model"
        }.get(failure.kind, "other")  # type: ignore[assignment]  # fmt: skip
        raise _Failed(outcome, to_llm_error(failure, context, attempts=1).message) from None
    where = target.api_base or f"{target.provider}'s API"
    return f"{where}: model answered (one completion of at most 1 token was spent)"


async def probe_llm(target: LLMTarget) -> Probe:
    """Check ``target`` as a question would reach it; never raises."""
    import asyncio

    label = f"LLM {target.model}"
    started = time.perf_counter()
    try:
        proved: str | None = None
        if target.provider == "anthropic":
            proved = await asyncio.to_thread(_anthropic, target)
        elif target.provider in OLLAMA:
            proved = await asyncio.to_thread(_ollama, target)
        elif target.provider in OPENAI_COMPATIBLE and (
            target.provider == "openai" or target.api_base
        ):
            proved = await asyncio.to_thread(_openai, target)
        if proved is None:
            proved = await _completion(target)
        else:
            proved += " (no tokens spent)"
    except _Failed as failed:
        return Probe(label, False, time.perf_counter() - started, failed.message, failed.outcome)
    return Probe(label, True, time.perf_counter() - started, proved)
