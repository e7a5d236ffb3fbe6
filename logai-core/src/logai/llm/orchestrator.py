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
import json
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

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
    Usage,
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
from logai.wording import counted

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm._fitting import Fitted
    from logai.llm.context import ModelFacts, TokenCounter
    from logai.plugins import PluginHost
    from logai.sanitize import Sanitizer, SanitizeStats
    from logai.sources.base import DataSource

MAX_ITERATIONS = 10


class ContextOverflow(LLMBadRequest):
    """Even the system prompt and the latest question alone exceed the model's window."""


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
        self._budget = _Budget()

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
        self._budget.last_fit = (0, 0, 0)
        self._budget.told = set()

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

        registry = await self._tools()
        source = await self._context.source()
        provider = self.provider()
        facts, counter = await self._budget.start_question(provider.model, self.settings)
        cap = self.settings.max_cost_per_question
        if cap is not None and not facts.priced:
            yield Failed(_unpriced_cap_message(facts, cap), kind="cost_limit")
            yield Done("", iterations=0, ok=False)
            return
        # The prompt embeds settings-derived text (the source's endpoint, folder, profile):
        # it enters through the conversation like everything else.
        conversation.set_system(system_prompt(self._now(), registry.names, source.describe()))
        conversation.set_tools(registry.specs())
        _count(totals, conversation.add_user(question))
        tools_tokens = await asyncio.to_thread(
            counter.text, json.dumps([spec.to_openai() for spec in conversation.tools()])
        )
        self._budget.result_tokens = _result_budget(
            self.settings.tool_result_max_tokens, facts.input_limit - tools_tokens
        )
        spent = 0.0

        for iteration in range(1, self._max_iterations + 1):
            fitted = await asyncio.to_thread(
                conversation.render_fitted,
                facts.input_limit,
                counter.message,
                fixed_tokens=tools_tokens,
            )
            if not fitted.fits:
                raise ContextOverflow(_overflow_message(facts, fitted))
            notice = self._budget.fit_notice(fitted, facts)
            if notice is not None:
                yield Notice(notice)
            estimate = facts.prompt_cost(fitted.tokens)
            if cap is not None and estimate is not None and spent + estimate > cap:
                message = _cap_message(cap, spent, estimate)
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
            usage = _usage_event(provider.model, completed)
            if usage is not None:
                spent += usage.cost_usd or 0.0
                yield usage
            if completed is not None and completed.finish_reason == "length":
                yield Notice(
                    f"The reply reached its limit of {facts.reply_tokens:,} tokens and was cut "
                    "(LOGAI_LLM_MAX_OUTPUT_TOKENS raises it)."
                )
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


class _Budget:
    """The model's limits and a token counter, kept per model, and what the user was told."""

    def __init__(self) -> None:
        self._facts: ModelFacts | None = None
        self._counter: TokenCounter | None = None
        self.result_tokens: int | None = None
        """Budget of one tool result: the setting, or less when the window is small."""
        self.last_fit: tuple[int, int, int] = (0, 0, 0)
        """The figures of the last fitting notice (condensed, questions and exchanges left out)."""
        self.told: set[int] = set()
        """Which of those figures this question's notices already reported."""

    async def start_question(
        self, model: str, settings: LogAISettings
    ) -> tuple[ModelFacts, TokenCounter]:
        """Limits and counter for ``model`` (LiteLLM's map is read in a worker thread).

        Called once per question: it also starts the question's notices afresh.
        """
        from logai.llm.context import TokenCounter, model_facts

        if self._facts is None or self._counter is None or self._facts.model != model:
            self._facts = await asyncio.to_thread(model_facts, model, settings)
            self._counter = TokenCounter(model)
        self.told = set()
        return self._facts, self._counter

    def fit_notice(self, fitted: Fitted, facts: ModelFacts) -> str | None:
        """One line when fitting gave up something new, at most once per kind per question.

        Within a question more results are condensed with every round; saying so each time
        would bury the answer, so a kind of change is reported again only in a later question.
        """
        now = (fitted.condensed_results, fitted.dropped_questions, fitted.dropped_exchanges)
        changed = {kind for kind in range(3) if now[kind] and now[kind] != self.last_fit[kind]}
        if not changed - self.told:
            return None
        self.last_fit = now
        self.told |= changed
        parts = []
        if fitted.condensed_results:
            parts.append(counted(fitted.condensed_results, "older tool result") + " condensed")
        if fitted.dropped_questions:
            parts.append(counted(fitted.dropped_questions, "earlier question") + " left out")
        if fitted.dropped_exchanges:
            parts.append(
                counted(fitted.dropped_exchanges, "earlier tool exchange") + " of this question"
                " left out"
            )
        return (
            f"Conversation fitted to the model's {facts.context_tokens:,}-token context window: "
            f"{', '.join(parts)}."
        )


def _result_budget(setting: int, room: int) -> int:
    """One tool result may take at most half of what the window leaves beside the tools."""
    return max(300, min(setting, room // 2))


def _usage_event(model: str, completed: Completed | None) -> Usage | None:
    """The call's usage as the provider reported it, priced from LiteLLM's local map."""
    if completed is None or not completed.usage:
        return None
    prompt = completed.usage.get("prompt_tokens")
    completion = completed.usage.get("completion_tokens")
    if prompt is None and completion is None:
        return None
    from logai.llm.context import call_cost

    prompt, completion = prompt or 0, completion or 0
    return Usage(model, prompt, completion, call_cost(model, prompt, completion))


def _overflow_message(facts: ModelFacts, fitted: Fitted) -> str:
    where = {
        "setting": "LOGAI_LLM_CONTEXT_TOKENS",
        "litellm": "LiteLLM's model map",
        "default": "the default for models LiteLLM does not know",
    }[facts.window_source]
    return (
        f"Nothing was sent: even the question alone (with the system prompt and tool "
        f"descriptions) needs about {fitted.tokens:,} tokens, and '{facts.model}' has room for "
        f"{facts.input_limit:,} ({facts.context_tokens:,}-token window from {where}, "
        f"{facts.reply_tokens:,} kept for the reply). Ask a shorter question, or set "
        "LOGAI_LLM_CONTEXT_TOKENS to the model's real window if it is larger."
    )


def _cap_message(cap: float, spent: float, estimate: float) -> str:
    from logai.llm.usage import format_cost

    return (
        f"Stopped before the next LLM call: its prompt alone would cost about "
        f"{format_cost(estimate)}, taking this question to {format_cost(spent + estimate)}, over "
        f"the {format_cost(cap)} cap (LOGAI_MAX_COST_PER_QUESTION or --max-cost). Raise the cap "
        "and say 'continue', or ask a narrower question."
    )


def _unpriced_cap_message(facts: ModelFacts, cap: float) -> str:
    from logai.llm.usage import format_cost

    return (
        f"Nothing was sent: a cost cap of {format_cost(cap)} is set (LOGAI_MAX_COST_PER_QUESTION "
        f"or --max-cost), but LiteLLM's local cost map has no price for '{facts.model}', so the "
        "cap cannot be enforced. Remove the cap, or use a model whose price LiteLLM knows."
    )


def _count(totals: dict[str, int], stats: SanitizeStats) -> None:
    for kind, count in stats.to_dict().items():
        totals[kind] = totals.get(kind, 0) + count


def _render_totals(totals: dict[str, int]) -> str:
    from logai.sanitize import SanitizeStats

    return str(SanitizeStats(counts=dict(totals)))
