"""A chat whose every question is saved as it happens, and which can pick up a saved one.

:class:`ChatSession` wraps an :class:`~logai.llm.orchestrator.Orchestrator` and offers the same
face to a frontend (``ask``, ``restore``, ``clear``, ``model``, ``warm_up``), so ``logai ask``,
the plain chat and the TUI record alike. Each question is written as its answer begins (status
"running") and again, in one transaction, when its answer ends: a process killed mid-answer
leaves every earlier turn intact and this one marked unfinished.

Resuming goes through the conversation's own sanitizing methods: the saved messages are added
again one by one (they are placeholders already, so this changes nothing unless a rule pack was
added since, which then redacts more), after the saved placeholder mapping is adopted so
``<EMAIL_1>`` stays the same person.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from logai.aio import aclose
from logai.history.store import NewToolCall, NewUsage, TurnOutcome
from logai.llm.conversation import SanitizerUnavailable
from logai.llm.events import Done, Failed, Redacted, ToolCallFinished, Usage

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.history.records import SavedConversation
    from logai.history.store import HistoryStore
    from logai.llm.conversation import Conversation
    from logai.llm.events import Event
    from logai.llm.orchestrator import Orchestrator
    from logai.sanitize import PlaceholderEntry
    from logai.sources.base import DataSource

__all__ = ["ChatSession", "HistoryError", "open_session", "replay"]

_TITLE_CHARS = 80


class HistoryError(Exception):
    """A saved conversation cannot be used; ``str()`` says why and what to do."""


def open_session(
    settings: LogAISettings,
    orchestrator: Orchestrator,
    *,
    frontend: str,
    warn: Any = None,
) -> ChatSession:
    """A session over ``orchestrator`` recording into ``LOGAI_HISTORY_DIR`` (unless disabled)."""
    store = None
    if settings.history_enabled:
        from logai.history.store import open_history

        store = open_history(settings, warn=warn)
    return ChatSession(orchestrator, store, frontend=frontend)


class ChatSession:
    """An orchestrator whose questions are saved to a :class:`HistoryStore` (when given one)."""

    def __init__(
        self, orchestrator: Orchestrator, store: HistoryStore | None, *, frontend: str
    ) -> None:
        self.orchestrator = orchestrator
        self.store = store
        self.frontend = frontend
        self.conversation_id: int | None = None
        """The saved conversation questions go to; None until the first question is saved."""
        self._last_row: asyncio.Future[None] | None = None
        """The latest question's "running" row being written: the next one waits for it."""

    # -- the orchestrator's face -------------------------------------------------------------

    @property
    def model(self) -> str:
        return self.orchestrator.model

    async def warm_up(self) -> None:
        await self.orchestrator.warm_up()

    def restore(self, text: str) -> str:
        return self.orchestrator.restore(text)

    async def data_source(self) -> DataSource:
        return await self.orchestrator.data_source()

    def clear(self) -> None:
        """Start a new conversation: the next question opens a new saved record."""
        self.orchestrator.clear()
        self.conversation_id = None

    async def aclose(self) -> None:
        try:
            await self.orchestrator.aclose()
        finally:
            if self.store is not None:
                if self._last_row is not None and not self._last_row.done():
                    # A question cancelled twice left its row being written: closing the store
                    # under it would have it reopened, and left open at exit.
                    await asyncio.wait([self._last_row])
                await self.store.aclose()

    # -- resuming ----------------------------------------------------------------------------

    async def latest_id(self) -> int | None:
        """The conversation most recently added to (``--continue``), or None."""
        return None if self.store is None else await self.store.latest_id()

    async def resume(self, conversation_id: int) -> SavedConversation:
        """Continue saved conversation ``conversation_id``: its messages and placeholders.

        Raises :class:`HistoryError` when the history is off, the id is unknown, or the saved
        messages cannot form a conversation; the current conversation is then left as it was.
        """
        if self.store is None:
            raise HistoryError(
                "conversation history is off (LOGAI_HISTORY_ENABLED=false): nothing to resume"
            )
        saved = await self.store.load(conversation_id)
        if saved is None:
            if self.store.problem:
                raise HistoryError(f"cannot read the history: {self.store.problem}")
            raise HistoryError(
                f"no saved conversation {conversation_id}; `logai history` lists them"
            )
        try:
            conversation = self.orchestrator.new_conversation()
        except SanitizerUnavailable as exc:
            raise HistoryError(str(exc)) from exc
        messages = saved.messages()
        from logai.sanitize import placeholders_in

        reserved = placeholders_in(json.dumps(messages, ensure_ascii=False))
        conversation.adopt_placeholders(saved.placeholders, reserved)
        try:
            replay(conversation, messages)
        except (ValueError, RuntimeError, KeyError, TypeError) as exc:
            conversation.rollback(0)
            raise HistoryError(
                f"saved conversation {conversation_id} cannot be resumed ({exc}); "
                "`logai history show` still shows it"
            ) from exc
        self.conversation_id = saved.id
        return saved

    # -- asking ------------------------------------------------------------------------------

    async def ask(self, question: str) -> AsyncIterator[Event]:
        """The orchestrator's events for ``question``, recorded as they pass."""
        store = self.store
        conversation: Conversation | None = None
        if store is not None and store.available:
            with contextlib.suppress(SanitizerUnavailable):
                conversation = self.orchestrator.conversation
        if store is None or conversation is None:
            # Nothing to record into, or no sanitizer: the orchestrator reports that itself.
            async with _closing(self.orchestrator.ask(question)) as events:
                async for event in events:
                    yield event
            return
        recorder = _TurnRecorder(self, store, conversation)
        try:
            async with _closing(self.orchestrator.ask(question)) as events:
                async for event in events:
                    recorder.start(question)
                    with contextlib.suppress(Exception):
                        recorder.see(event)
                    if isinstance(event, Done):
                        # Committed before the frontend hears the answer is done, so a
                        # consumer that stops at Done (or exits right after) keeps the turn.
                        with contextlib.suppress(Exception):
                            await recorder.finish(event)
                    yield event
        finally:
            if not recorder.finished:
                recorder.start(question)
                with contextlib.suppress(BaseException):
                    await recorder.cancelled()


@contextlib.asynccontextmanager
async def _closing(events: AsyncIterator[Event]) -> AsyncIterator[AsyncIterator[Event]]:
    """Close the orchestrator's stream when the consumer stops early (stops the LLM call)."""
    try:
        yield events
    finally:
        await aclose(events)


class _TurnRecorder:
    """Collects one question's events and writes its turn row."""

    def __init__(self, session: ChatSession, store: HistoryStore, conversation: Conversation):
        self._session = session
        self._store = store
        self._conversation = conversation
        self._before = conversation.mark()
        self._turn_id: int | None = None
        self._conversation_id: int | None = None
        self._calls: list[NewToolCall] = []
        self._usage: list[NewUsage] = []
        self._redactions: dict[str, int] = {}
        self._error: str | None = None
        self._question = ""
        self._begun: asyncio.Future[None] | None = None
        self.finished = False

    def start(self, question: str) -> None:
        """Write the question's "running" row in the background, once (from the first event on).

        Not before the question is sent: the first write opens the history database (importing
        SQLAlchemy, creating the file), a few tenths of a second of CPU that would otherwise
        delay the request (the LLM client is still importing in another thread of the same
        interpreter); from the first event on, it overlaps the LLM's answer instead. A question
        killed before the LLM said anything leaves no row; every earlier turn is kept.
        """
        if self._begun is None:
            previous = self._session._last_row
            self._begun = asyncio.ensure_future(self._begin_quietly(question, previous))
            self._session._last_row = self._begun

    async def _begin_quietly(self, question: str, previous: asyncio.Future[None] | None) -> None:
        # Recording must never cost the answer: a failure here only means no record.
        with contextlib.suppress(Exception):
            if previous is not None and not previous.done():
                # An earlier question cancelled twice stopped waiting for its row, which may
                # still be creating the conversation this one must join.
                await asyncio.wait([previous])
            self._question = self._conversation.redact(question)
            await self._begin()

    async def _begun_row(self) -> None:
        """Wait until the "running" row is written (or failed to be): it is the row to finish."""
        if self._begun is not None:
            await asyncio.shield(self._begun)

    async def _begin(self) -> None:
        redact = self._conversation.redact
        session = self._session
        if session.conversation_id is None:
            title = " ".join(self._question.split())
            if len(title) > _TITLE_CHARS:
                title = title[: _TITLE_CHARS - 1] + "…"
            session.conversation_id = await self._store.start_conversation(
                title=title, frontend=session.frontend
            )
        if session.conversation_id is None:
            return
        # The turn belongs to this conversation even if /clear starts another meanwhile.
        self._conversation_id = session.conversation_id
        source, target = self._source()
        self._turn_id = await self._store.start_turn(
            self._conversation_id,
            question=self._question,
            model=redact(session.model),
            source=source,
            target=target or "",
        )

    def _source(self) -> tuple[str, str | None]:
        """The data source's name and where it points, if a question created it already.

        Never creates it: a source that fails to build must fail inside the answer, where the
        orchestrator reports it, not here.
        """
        from logai.url_credentials import mask_urls_in_text

        orchestrator = self._session.orchestrator
        source = orchestrator.source_if_created
        if source is None:
            return orchestrator.settings.data_source, None
        try:
            described = mask_urls_in_text(source.describe())
        except Exception:
            return source.name, None
        return source.name, self._conversation.redact(described)

    def see(self, event: Event) -> None:
        redact = self._conversation.redact
        if isinstance(event, ToolCallFinished):
            self._calls.append(
                NewToolCall(
                    call_id=event.call_id,
                    name=event.name,
                    arguments=event.arguments,
                    ok=event.ok,
                    summary=redact(event.summary),
                    duration_s=event.duration_s,
                    events=event.events,
                    cache=event.cache,
                )
            )
        elif isinstance(event, Usage):
            self._usage.append(
                NewUsage(
                    model=event.model,
                    prompt_tokens=event.prompt_tokens,
                    completion_tokens=event.completion_tokens,
                    cost_usd=event.cost_usd,
                    at=self._store._now(),
                )
            )
        elif isinstance(event, Redacted):
            self._redactions = dict(event.counts)
        elif isinstance(event, Failed):
            self._error = redact(event.message)

    async def finish(self, done: Done) -> None:
        self.finished = True
        await self._begun_row()
        rendered = self._rendered()
        system = ""
        if rendered and rendered[0].get("role") == "system":
            system = str(rendered[0].get("content") or "")
            rendered = rendered[1:]
        messages = self._turn_messages(rendered, done)
        answer = self._conversation.redact(done.text)
        source, target = self._source()
        await self._write(
            TurnOutcome(
                source=source,
                target=target,
                status="ok" if done.ok else "failed",
                answer=answer,
                error=self._error,
                system=system,
                messages=messages,
                redactions=self._redactions,
                iterations=done.iterations,
                tool_calls=self._calls,
                usage=self._usage,
                placeholders=self._used_placeholders(messages, answer, system),
            )
        )

    async def cancelled(self) -> None:
        self.finished = True
        await self._begun_row()
        await self._write(
            TurnOutcome(
                status="cancelled",
                answer="",
                error=None,
                system="",
                messages=[],
                redactions=self._redactions,
                iterations=0,
                tool_calls=self._calls,
                usage=self._usage,
                placeholders=self._used_placeholders([], "", ""),
            )
        )

    def _turn_messages(self, body: list[dict[str, Any]], done: Done) -> list[dict[str, Any]]:
        """The messages this question added: from its user message to the end.

        Found from the end rather than by position, so that a conversation whose older turns
        were condensed or dropped meanwhile (to fit the context window) still yields this turn.
        A failed answer that was rolled back added nothing.
        """
        if not done.ok and len(body) <= self._before:
            return []
        for start in range(len(body) - 1, -1, -1):
            if body[start].get("role") == "user":
                if body[start].get("content") == self._question:
                    return body[start:]
                break
        return body[self._before :]

    def _rendered(self) -> list[dict[str, Any]]:
        try:
            return self._conversation.render()
        except RuntimeError:  # tool calls without results: nothing of this turn is kept
            return []

    def _used_placeholders(
        self, messages: list[dict[str, Any]], answer: str, system: str
    ) -> list[PlaceholderEntry]:
        """The mapping entries this turn's stored text refers to (and no other conversation's)."""
        text = "\n".join(
            [
                json.dumps(messages, ensure_ascii=False),
                answer,
                system,
                self._question,
                self._error or "",
                json.dumps([call.arguments for call in self._calls], ensure_ascii=False),
                "\n".join(call.summary for call in self._calls),
            ]
        )
        if "<" not in text:
            return []
        used = set(re.findall(r"<[A-Z][A-Z0-9_]*_[0-9]+>", text))
        return [e for e in self._conversation.placeholder_entries() if e.placeholder in used]

    async def _write(self, outcome: TurnOutcome) -> None:
        if self._conversation_id is None or self._turn_id is None:
            return
        await self._store.finish_turn(self._conversation_id, self._turn_id, outcome)


def replay(conversation: Conversation, messages: Iterable[dict[str, Any]]) -> None:
    """Add saved OpenAI-format ``messages`` to ``conversation`` through its sanitizing methods."""
    from logai.llm.provider import ToolCallRequest

    for message in messages:
        role = message.get("role")
        content = message.get("content")
        text = "" if content is None else str(content)
        if role == "user":
            conversation.add_user(text)
        elif role == "assistant":
            calls = [
                ToolCallRequest(
                    str(call["id"]),
                    str(call["function"]["name"]),
                    str(call["function"].get("arguments") or "{}"),
                )
                for call in message.get("tool_calls") or []
            ]
            conversation.add_assistant(text, calls)
        elif role == "tool":
            conversation.add_tool_result(str(message.get("tool_call_id", "")), text)
        else:
            raise ValueError(f"a saved message has role {role!r}")
    conversation.mark()  # raises when a tool call was left without its result
