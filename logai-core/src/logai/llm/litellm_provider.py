"""The LLM provider LogAI ships: any model LiteLLM can reach, streamed, retried in one place.

Retrying is deliberate and happens here only. The ``openai`` SDK that LiteLLM uses for OpenAI
retries 429/5xx twice by itself and LiteLLM's Anthropic client does not retry at all, so both
are switched off (``max_retries=0``, ``num_retries=0``) and this class retries 429, 5xx, 529
and connection failures with exponential backoff that honours ``Retry-After``. A retry only
happens before the first event was handed to the caller: an answer the user has started reading
is never replayed. Timeouts are not retried (a hung provider would multiply the wait); the
timeout bounds the wait for the response and for every chunk after it.

The API key is passed per request (``api_key=``), never put into ``os.environ`` or logged, and
is scrubbed from every error message as a last line of defence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
from collections.abc import AsyncGenerator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from logai.llm._assembly import ToolCallAssembler
from logai.llm._errors import ErrorContext, Failure, classify, to_llm_error
from logai.llm._litellm import is_loaded, load_litellm
from logai.llm._retry import backoff_delay
from logai.llm.provider import (
    Completed,
    LLMAuthError,
    StreamEvent,
    TextDelta,
    ToolCallsReady,
    ToolSpec,
)

if TYPE_CHECKING:
    from pydantic import SecretStr

    from logai.config import LogAISettings
    from logai.llm.probe import Probe

__all__ = ["LiteLLMProvider"]

log = logging.getLogger(__name__)

#: LogAI's variable for each provider whose key it manages, and the provider's own variable,
#: which LiteLLM reads when LogAI passes no key (so an existing setup keeps working).
_KEY_VARIABLES: dict[str, tuple[str, str]] = {
    "anthropic": ("LOGAI_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"),
    "openai": ("LOGAI_OPENAI_API_KEY", "OPENAI_API_KEY"),
}

#: Sent to a custom ``LOGAI_LLM_API_BASE`` when no key is configured: local servers (vLLM,
#: Ollama) ignore it, and the ``openai`` SDK refuses to send a request without some key.
_NO_KEY_PLACEHOLDER = "logai-no-key"


class LiteLLMProvider:
    """An :class:`~logai.llm.provider.LLMProvider` backed by ``litellm.acompletion``.

    ``model`` overrides the settings' model (``logai ask --model``); a model without a
    ``provider/`` prefix gets ``settings.llm_provider``. ``backoff_base`` and
    ``max_retry_wait`` shape the backoff (seconds; a ``Retry-After`` longer than
    ``max_retry_wait`` fails at once instead); ``rng`` makes the jitter reproducible.
    """

    name = "litellm"

    def __init__(
        self,
        settings: LogAISettings,
        *,
        model: str | None = None,
        backoff_base: float = 0.5,
        max_retry_wait: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        chosen = (model or "").strip() or settings.model
        if "/" not in chosen:
            chosen = f"{settings.llm_provider}/{chosen}"
        self.model: str = chosen
        self._provider = chosen.split("/", 1)[0].lower()
        self._api_base = _normalise_api_base(settings.llm_api_base, self._provider)
        self._api_key = self._choose_key(settings)
        self._timeout = float(settings.llm_timeout)
        self._max_retries = int(settings.llm_max_retries)
        self._backoff_base = backoff_base
        self._max_retry_wait = max_retry_wait
        self._rng = rng or random.Random()
        self._settings = settings
        self._reply_tokens: int | None = None

    def __repr__(self) -> str:
        return f"LiteLLMProvider(model={self.model!r}, api_base={self._api_base!r})"

    def _choose_key(self, settings: LogAISettings) -> SecretStr | None:
        """The key for the model's provider (the model prefix wins over ``llm_provider``)."""
        if self._provider == "anthropic":
            return settings.anthropic_api_key
        if self._provider == "openai":
            return settings.openai_api_key
        return settings.api_key()

    # -- public API ------------------------------------------------------------------------

    async def warm_up(self) -> None:
        """Import litellm in a worker thread (seconds of work) without blocking the event loop."""
        await asyncio.to_thread(load_litellm)

    async def probe(self) -> Probe:
        """Check that the endpoint answers, accepts the key and serves the model.

        Asks the provider's free model list where there is one (see :mod:`logai.llm.probe`);
        never raises: a problem is a failed :class:`~logai.llm.probe.Probe` whose message says
        what to change.
        """
        from logai.llm.probe import MAX_PROBE_SECONDS, LLMTarget, Probe, probe_llm

        try:
            key = self._resolve_key()
        except LLMAuthError as exc:
            return Probe(f"LLM {self.model}", False, 0.0, str(exc), "key")
        variables = _KEY_VARIABLES.get(self._provider)
        if key is None and variables:  # LiteLLM would read the provider's own variable
            key = os.environ.get(variables[1])
        placeholder = key == _NO_KEY_PLACEHOLDER  # no key configured for a custom endpoint
        target = LLMTarget(
            model=self.model,
            provider=self._provider,
            api_base=self._api_base,
            api_key=None if placeholder else key,
            key_variable=variables[0] if variables else None,
            timeout=min(self._timeout, MAX_PROBE_SECONDS),
            placeholder_key=key if placeholder else None,
        )
        return await probe_llm(target)

    async def stream(
        self, messages: list[dict[str, Any]], tools: list[ToolSpec]
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one turn; see :meth:`logai.llm.provider.LLMProvider.stream`."""
        litellm = load_litellm() if is_loaded() else await asyncio.to_thread(load_litellm)
        request = self._request(messages, tools)
        context = self._error_context()
        attempt = 0
        while True:
            attempt += 1
            yielded = False
            try:
                async with contextlib.aclosing(self._attempt(litellm, request)) as events:
                    async for event in events:
                        yielded = True
                        yield event
                return
            except Exception as exc:
                failure = classify(exc, litellm)
                # A server asking for a longer wait than we are willing to make gets no retry:
                # better a clear "try later" now than a frozen prompt for minutes.
                too_long = (failure.retry_after or 0.0) > self._max_retry_wait
                if yielded or not failure.retryable or too_long or attempt > self._max_retries:
                    raise to_llm_error(
                        failure, context, attempts=attempt, mid_stream=yielded
                    ) from None
                delay = self._delay(attempt, failure)
                log.info(
                    "LLM %s (%s); retry %d of %d in %.2f s",
                    failure.kind, failure.status or "-", attempt, self._max_retries, delay,
                )  # fmt: skip
            await asyncio.sleep(delay)

    # -- internals -------------------------------------------------------------------------

    def _delay(self, attempt: int, failure: Failure) -> float:
        return backoff_delay(
            attempt,
            base=self._backoff_base,
            cap=self._max_retry_wait,
            retry_after=failure.retry_after,
            rng=self._rng,
        )

    def _error_context(self) -> ErrorContext:
        secret = self._api_key.get_secret_value() if self._api_key is not None else ""
        variables = _KEY_VARIABLES.get(self._provider)
        return ErrorContext(
            model=self.model,
            provider=self._provider,
            key_variable=variables[0] if variables else None,
            api_base=self._api_base,
            timeout=self._timeout,
            max_retries=self._max_retries,
            max_retry_wait=self._max_retry_wait,
            secrets=(secret,) if secret else (),
        )

    def _resolve_key(self) -> str | None:
        """The key to send, or ``None`` to let LiteLLM read the provider's own variable.

        Raises :class:`LLMAuthError` before any request when a provider that needs a key has
        none anywhere: failing fast beats LiteLLM's confusing "500 Missing credentials".
        """
        if self._api_key is not None:
            return self._api_key.get_secret_value()
        variables = _KEY_VARIABLES.get(self._provider)
        if variables is None or os.environ.get(variables[1]):
            return None
        if self._api_base:
            return _NO_KEY_PLACEHOLDER
        raise LLMAuthError(
            f"No API key for {self._provider}: set {variables[0]} (in the environment or in "
            f".env), or point LOGAI_LLM_API_BASE at a server that needs none.",
            status=None,
            attempts=0,
        )

    def _max_tokens(self) -> int:
        if self._reply_tokens is None:
            from logai.llm.context import model_facts

            self._reply_tokens = model_facts(self.model, self._settings).reply_tokens
        return self._reply_tokens

    def _request(self, messages: list[dict[str, Any]], tools: list[ToolSpec]) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": list(messages),
            # The reply room the orchestrator kept free when it fitted the messages.
            "max_tokens": self._max_tokens(),
            "stream": True,
            "stream_options": {"include_usage": True},
            "timeout": self._timeout,
            # One retry policy, ours: none in the openai SDK, none in LiteLLM's wrapper.
            "max_retries": 0,
            "num_retries": 0,
            "drop_params": True,
        }
        if tools:
            request["tools"] = [tool.to_openai() for tool in tools]
        if self._api_base:
            request["api_base"] = self._api_base
        key = self._resolve_key()
        if key is not None:
            request["api_key"] = key
        return request

    async def _attempt(
        self, litellm: ModuleType, request: dict[str, Any]
    ) -> AsyncGenerator[StreamEvent, None]:
        """One request: text as it arrives, then the tool calls, then completion.

        ``asyncio.timeout`` backs LiteLLM's own timeout up: both bound the silence, whichever
        transport (httpx, aiohttp) the path uses.
        """
        async with asyncio.timeout(self._timeout):
            response = await litellm.acompletion(**request)
        try:
            calls = ToolCallAssembler()
            finish_reason: str | None = None
            usage: dict[str, int] | None = None
            chunks = aiter(response)
            while True:
                try:
                    async with asyncio.timeout(self._timeout):
                        chunk = await anext(chunks)
                except StopAsyncIteration:
                    break
                usage = _usage(chunk) or usage
                for choice in getattr(chunk, "choices", None) or []:
                    delta = getattr(choice, "delta", None)
                    text = getattr(delta, "content", None)
                    if text:
                        yield TextDelta(str(text))
                    for tool_delta in getattr(delta, "tool_calls", None) or []:
                        calls.add(tool_delta)
                    finish_reason = getattr(choice, "finish_reason", None) or finish_reason
            if calls:
                yield ToolCallsReady(calls.calls())
            yield Completed(finish_reason, usage)
        finally:
            closer = getattr(response, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()


def _normalise_api_base(api_base: str | None, provider: str) -> str | None:
    """Strip what users commonly paste too much of.

    LiteLLM appends ``/v1/messages`` to an Anthropic base, so ``https://host/v1`` would become
    ``/v1/v1/messages``; an OpenAI-compatible base keeps its ``/v1``.
    """
    if not api_base or not api_base.strip():
        return None
    base = api_base.strip().rstrip("/")
    if provider == "anthropic" and base.endswith("/v1"):
        base = base[: -len("/v1")]
    return base


def _usage(chunk: Any) -> dict[str, int] | None:
    usage = getattr(chunk, "usage", None)
    if usage is None:
        return None
    found = {}
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        value = usage.get(name) if isinstance(usage, dict) else getattr(usage, name, None)
        if isinstance(value, int):
            found[name] = value
    return found or None
