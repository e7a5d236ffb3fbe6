"""One user message in, an async stream of events out: the LLM tool loop.

The orchestrator runs the tool calls the LLM asks for (several at once when it asks for
several) and fits each result into the context budget. Everything it sends goes through its
:class:`~logai.llm.conversation.Conversation`, whose only ways to add text sanitize it: the
provider receives nothing but that conversation's rendered copies, so nothing can bypass the
sanitizer. When the sanitizer cannot be built, there is no conversation and nothing is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from logai.llm.budget import Budget, ContextOverflow
from logai.llm.conversation import (
    AcceptedCall,
    Conversation,
    SanitizerUnavailable,
    open_conversation,
)
from logai.llm.events import (
    Done,
    Event,
    Failed,
    Notice,
    Redacted,
    TextDelta,
    ToolCallFinished,
    ToolCallStarted,
)
from logai.llm.provider import (
    Completed,
    LLMAuthError,
    LLMBadRequest,
    LLMError,
    LLMProvider,
    LLMRateLimited,
    LLMTimeout,
    ToolCallRequest,
    ToolCallsReady,
)
from logai.llm.provider import TextDelta as StreamText
from logai.sources.base import DataSourceError
from logai.tools.base import ToolContext, ToolError, ToolResult
from logai.tools.fit import render_result
from logai.tools.registry import ToolRegistry

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.plugins import PluginHost
    from logai.sanitize import Sanitizer, SanitizeStats
    from logai.sources.base import DataSource

MAX_ITERATIONS = 10

_ERROR_KINDS: tuple[tuple[type[LLMError], str], ...] = (
    (LLMAuthError, "llm_auth"),
    (LLMRateLimited, "llm_rate_limited"),
    (LLMTimeout, "llm_timeout"),
    (ContextOverflow, "context_overflow"),
    (LLMBadRequest, "llm_bad_request"),
)


def _error_kind(error: LLMError) -> str:
    return next((kind for cls, kind in _ERROR_KINDS if isinstance(error, cls)), "llm_error")


class Orchestrator:
    """A conversation with the LLM about logs. Keep one per chat session."""

    def __init__(
        self,
        settings: LogAISettings,
        *,
        host: PluginHost | None = None,
        provider: LLMProvider | None = None,
        source: DataSource | None = None,
        source_name: str | None = None,
        sanitizer: Sanitizer | None = None,
        now: Callable[[], datetime] | None = None,
        max_iterations: int = MAX_ITERATIONS,
    ) -> None:
        self.settings = settings
        self._host = host
        self._provider = provider
        self._sanitizer = sanitizer
        self._now = now or (lambda: datetime.now(UTC))
        self._max_iterations = max_iterations
        self._context = ToolContext(
            settings, source=source, source_name=source_name, host=host, now=self._now
        )
        self._registry: ToolRegistry | None = None
        self._conversation: Conversation | None = None
        # warm_up builds the conversation in a worker thread while a question may already be
        # asking for it: two conversations would split the placeholder mapping.
        self._conversation_lock = threading.Lock()
        self._budget = Budget()

    # -- lazily built parts -----------------------------------------------------------------

    @property
    def model(self) -> str:
        return self._provider.model if self._provider is not None else self.settings.model

    def provider(self) -> LLMProvider:
        """The LLM client: a plugin's provider named by LOGAI_LLM_PROVIDER, else LiteLLM."""
        if self._provider is None:
            from logai.faults import build_provider
            from logai.plugins import get_host
            from logai.registries import llm_providers, lookup

            registered = llm_providers(self._host)
            name = (
                self.settings.llm_provider
                if self.settings.llm_provider in registered
                else "litellm"
            )
            registration = lookup("LLM provider", name, registered)
            self._provider = build_provider(registration, self.settings, self._host or get_host())
        return self._provider

    @property
    def conversation(self) -> Conversation:
        """This chat's conversation; the first use builds the sanitizer.

        Raises :class:`~logai.llm.conversation.SanitizerUnavailable` when the sanitizer cannot
        be built; the next use tries again (the user may have fixed the configuration).
        """
        with self._conversation_lock:
            if self._conversation is None:
                self._conversation = open_conversation(self.settings, self._host, self._sanitizer)
            return self._conversation

    async def data_source(self) -> DataSource:
        """The data source the tools read (created on first use), for status lines."""
        return await self._context.source()

    @property
    def source_if_created(self) -> DataSource | None:
        """The data source if a question created it already (looking never creates one)."""
        return self._context.created_source

    async def _tools(self) -> ToolRegistry:
        if self._registry is None:
            self._registry = await ToolRegistry.build(self._context, self._host)
        return self._registry

    async def warm_up(self) -> None:
        """Import litellm and create the data source now, in worker threads.

        A frontend calls this right after its first paint, so the first question does not wait
        ~3 s for imports. Failures are left for the first question to report properly.
        """
        with contextlib.suppress(Exception):
            await asyncio.gather(self.provider().warm_up(), self._tools())
        with contextlib.suppress(Exception):
            await asyncio.to_thread(lambda: self.conversation)

    async def aclose(self) -> None:
        """Close the data source and its cache; a frontend calls this before its loop ends."""
        await self._context.aclose()

    def clear(self) -> None:
        """Forget the conversation (placeholder numbering carries on, so nothing is reused)."""
        if self._conversation is not None:
            self._conversation.clear()
        self._budget.reset()

    def new_conversation(self) -> Conversation:
        """Start a conversation with an empty placeholder mapping (to resume a saved one into)."""
        with self._conversation_lock:
            if self._conversation is not None:
                self._sanitizer = self._conversation.fresh_sanitizer()
            self._conversation = None
        return self.conversation

    def restore(self, text: str) -> str:
        """Placeholders back to the original values, for display to the local user only.

        Before the conversation exists no placeholder has been issued, so there is nothing to
        restore (and a sanitizer that cannot be built is reported by :meth:`ask`, not here).
        """
        if self._conversation is None:
            return text
        return self._conversation.restore(text)

    # -- the loop ----------------------------------------------------------------------------

    async def ask(self, question: str) -> AsyncIterator[Event]:
        """Answer one user message. Always ends with :class:`Done`.

        On failure or cancellation the conversation is rolled back to before the question, so
        a retry starts clean and history never holds half a turn. When the sanitizer cannot
        be built, nothing at all is sent and the user is told why.
        """
        try:
            conversation = self.conversation
        except SanitizerUnavailable as exc:
            yield Failed(str(exc), kind="sanitizer")
            yield Done("", iterations=0, ok=False)
            return
        checkpoint = conversation.mark()
        totals: dict[str, int] = {}
        answer: list[str] = []
        try:
            # aclosing: when the consumer stops early, the inner generators (and the tool tasks
            # they own) are closed now, not whenever the garbage collector gets to them.
            events = self._ask(conversation, question, totals, answer)
            async with contextlib.aclosing(events) as stream:
                async for event in stream:
                    yield event
        except LLMError as exc:
            conversation.rollback(checkpoint)
            yield Failed(str(exc), kind=_error_kind(exc))
            yield Done("".join(answer), iterations=0, ok=False)
        except SanitizerUnavailable as exc:
            conversation.rollback(checkpoint)
            yield Failed(str(exc), kind="sanitizer")
            yield Done("".join(answer), iterations=0, ok=False)
        except DataSourceError as exc:
            # A data source that cannot be created (a plugin's fault, or its configuration).
            conversation.rollback(checkpoint)
            yield Failed(str(exc), kind="source")
            yield Done("".join(answer), iterations=0, ok=False)
        except (asyncio.CancelledError, GeneratorExit):
            conversation.rollback(checkpoint)
            raise
        except Exception as exc:
            # Shown to the local user only; it never enters the conversation.
            conversation.rollback(checkpoint)
            yield Failed(f"Internal error while answering: {type(exc).__name__}: {exc}", "internal")
            yield Done("".join(answer), iterations=0, ok=False)

    async def _ask(
        self,
        conversation: Conversation,
        question: str,
        totals: dict[str, int],
        answer: list[str],
    ) -> AsyncGenerator[Event, None]:
        from logai.llm.prompts import system_prompt
        from logai.sources.guard import GuardedSource
        from logai.sources.targets import describe_targets

        registry = await self._tools()
        source = await self._context.source()
        provider = self.provider()
        budget = await self._budget.start_question(provider.model, self.settings)
        refusal = budget.refusal()
        if refusal is not None:
            yield Failed(refusal, kind="cost_limit")
            yield Done("", iterations=0, ok=False)
            return
        # The prompt embeds settings-derived text (the source's endpoint, folder, profile):
        # it enters through the conversation like everything else.
        conversation.set_system(
            system_prompt(
                self._now(),
                registry.names,
                source.describe(),
                targets=describe_targets(source),
                guardrails=isinstance(source, GuardedSource),
            )
        )
        conversation.set_tools(registry.specs())
        _count(totals, conversation.add_user(question))
        await budget.offer_tools(conversation)

        for iteration in range(1, self._max_iterations + 1):
            # What is sent is fitted into the model's window (raises ContextOverflow).
            fitted = await budget.fit(conversation)
            notice = budget.fit_notice(fitted)
            if notice is not None:
                yield Notice(notice)
            message = budget.over_cap(fitted)
            if message is not None:
                conversation.add_notice(message)
                if totals:
                    yield Redacted(_render_totals(totals), dict(totals))
                yield Failed(message, kind="cost_limit")
                yield Done("".join(answer), iterations=iteration - 1, ok=False)
                return
            text: list[str] = []
            calls: list[ToolCallRequest] = []
            completed: Completed | None = None
            stream = provider.stream(fitted.messages, conversation.tools())
            async with contextlib.aclosing(stream) as items:
                async for item in items:
                    if isinstance(item, StreamText):
                        text.append(item.text)
                        answer.append(item.text)
                        yield TextDelta(item.text)
                    elif isinstance(item, ToolCallsReady):
                        calls = list(item.calls)
                    elif isinstance(item, Completed):
                        completed = item
            usage = budget.usage(provider.model, completed)
            if usage is not None:
                yield usage
            cut = budget.cut_notice(completed)
            if cut is not None:
                yield Notice(cut)
            accepted, stats = conversation.add_assistant("".join(text), calls)
            _count(totals, stats)
            if not accepted:
                if totals:
                    yield Redacted(_render_totals(totals), dict(totals))
                yield Done("".join(answer), iterations=iteration)
                return
            runs = self._run_calls(conversation, registry, accepted, totals)
            async with contextlib.aclosing(runs) as events:
                async for event in events:
                    yield event

        message = (
            f"Stopped after {self._max_iterations} rounds of tool calls without a final answer. "
            "Ask a narrower question (one log group, a shorter time range), or say 'continue'."
        )
        conversation.add_notice(message)
        if totals:
            yield Redacted(_render_totals(totals), dict(totals))
        yield Failed(message, kind="iteration_limit")
        yield Done("".join(answer), iterations=self._max_iterations, ok=False)

    async def _run_calls(
        self,
        conversation: Conversation,
        registry: ToolRegistry,
        calls: list[AcceptedCall],
        totals: dict[str, int],
    ) -> AsyncGenerator[Event, None]:
        """Run this turn's calls concurrently, reporting each as it finishes."""
        for call in calls:
            yield ToolCallStarted(call.id, call.name, call.shown_arguments())
        tasks = [
            asyncio.create_task(self._run_one(conversation, registry, call, totals))
            for call in calls
        ]
        try:
            for next_done in asyncio.as_completed(tasks):
                yield await next_done
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _run_one(
        self,
        conversation: Conversation,
        registry: ToolRegistry,
        call: AcceptedCall,
        totals: dict[str, int],
    ) -> ToolCallFinished:
        from logai.cache import cache_outcome

        started = time.perf_counter()
        cache_outcome.set(None)
        events_count: int | None = None
        raw = ""
        error: str | None = call.problem
        if error is None:
            try:
                result = await registry.execute(
                    call.name, call.arguments, self._context, restore=conversation.restore
                )
                raw, summary = self._render(result)
                if result.events is not None:
                    events_count = len(result.events)
            except ToolError as exc:
                error = str(exc)
            except Exception as exc:  # rendering or a bug: report it as this call's failure
                error = f"{call.name} failed: {type(exc).__name__}: {exc}"
        if error is None:
            stats = conversation.add_tool_result(call.id, raw, summary)
        else:
            stats = conversation.add_tool_error(call.id, error)
            summary = conversation.redact(error)
        _count(totals, stats)
        return ToolCallFinished(
            call_id=call.id,
            name=call.name,
            arguments=call.shown_arguments(),
            duration_s=round(time.perf_counter() - started, 3),
            ok=error is None,
            summary=summary,
            events=events_count,
            cache=cache_outcome.get(),
            redactions=str(stats) if stats else "",
            redaction_counts=stats.to_dict(),
        )

    def _render(self, result: ToolResult) -> tuple[str, str]:
        """The text the LLM reads for a result, within the token budget, and a summary line."""
        budget = self._budget.result_tokens or self.settings.tool_result_max_tokens
        return render_result(result, budget)


def _count(totals: dict[str, int], stats: SanitizeStats) -> None:
    for kind, count in stats.to_dict().items():
        totals[kind] = totals.get(kind, 0) + count


def _render_totals(totals: dict[str, int]) -> str:
    from logai.sanitize import SanitizeStats

    return str(SanitizeStats(counts=dict(totals)))
