"""The chat: conversation above, prompt below, status bar at the bottom.

Everything slow runs in workers so the screen never freezes: the orchestrator is created
(in a thread: its module pulls in the tool registry) and warmed up (litellm, the data source)
right after the first paint; each answer is one exclusive worker, which Escape cancels —
cancelling the task closes the orchestrator's event generator, and with it the LLM stream
and any running fetch; cache figures are read in a worker too.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from logai.aio import aclose
from logai.frontends.interrupts import QUIT_HINT, QUIT_WINDOW_SECONDS, InterruptCounter
from logai.llm.events import Usage
from logai_tui import formatting
from logai_tui.commands import is_command, run_command
from logai_tui.messages import (
    BackendReady,
    BackendUnavailable,
    CacheWarning,
    PromptSubmitted,
)
from logai_tui.widgets import ErrorMessage, NoticeMessage, PromptInput, StatusBar, UserMessage

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget
    from textual.worker import Worker

    from logai.config import LogAISettings, Problem
    from logai.history import SavedConversation
    from logai.llm.events import Event
    from logai.plugins import PluginHost
    from logai.sanitize import Sanitizer
    from logai_tui.backend import ChatBackend, OrchestratorFactory
    from logai_tui.cache_access import CacheAccess
    from logai_tui.conversations import ConversationAccess
    from logai_tui.history import InputHistory
    from logai_tui.widgets.answer import AnswerView
    from logai_tui.widgets.follow_panel import FollowPanel

WELCOME = (
    "[b]LogAI[/b] — ask about your logs in plain language, e.g. "
    "[i]which lambdas logged errors in the last hour?[/i]\n"
    "[dim]{privacy} Type /help for commands.[/dim]"
)
SCRUBBED = "Log text is scrubbed of PII and secrets before it reaches the model."
NOT_SCRUBBED = "[b]Sanitization is off:[/b] raw log text goes to the model."


class ChatScreen(Screen[None]):
    """One chat session with the orchestrator."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_answer", "Cancel answer", show=False),
        # Priority: the prompt must not swallow them. One contract with `ask` and the plain
        # chat: Ctrl+C cancels the running answer; a second Ctrl+C, or Ctrl+D on an empty
        # prompt, quits.
        Binding("ctrl+c", "interrupt", "Cancel answer / quit", show=False, priority=True),
        Binding("ctrl+d", "end_of_input", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        settings: LogAISettings,
        *,
        orchestrator_factory: OrchestratorFactory,
        cache: CacheAccess,
        history: InputHistory,
        host: PluginHost | None = None,
        warnings: list[Problem] | None = None,
        frozen: bool = False,
        conversations: ConversationAccess | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._conversations = conversations
        self._factory = orchestrator_factory
        self._cache = cache
        self._history = history
        self._host = host
        self._warnings = warnings or []
        self._frozen = frozen
        self.backend: ChatBackend | None = None
        self._backend_error: str | None = None
        self._backend_settled = asyncio.Event()
        self._answer_worker: Worker[None] | None = None
        self._interrupts = InterruptCounter()
        self._running_tools: set[str] = set()
        self._follow_worker: Worker[None] | None = None
        self.follow_interval = 2.0
        """Seconds between polls of a ``/follow`` panel, where the source polls."""
        from logai.llm.usage import UsageMeter

        self._usage = UsageMeter()

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="conversation"):
            yield self._welcome()
        yield PromptInput(self._history, blink=not self._frozen, id="prompt")
        yield StatusBar(spin=not self._frozen, id="status")

    def _welcome(self) -> Static:
        privacy = SCRUBBED if self.settings.pii_sanitization_enabled else NOT_SCRUBBED
        return Static(Content.from_markup(WELCOME.format(privacy=privacy)), id="welcome")

    @property
    def conversation(self) -> VerticalScroll:
        return self.query_one("#conversation", VerticalScroll)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    async def on_mount(self) -> None:
        status = self.status
        status.provider = self.settings.llm_provider
        status.model = self.settings.model
        status.aws_profile = self.settings.aws_profile or (
            "access keys" if self.settings.aws_keys_set() else "default"
        )
        status.aws_region = self.settings.effective_region() or ""
        status.aws_targets = _target_names(self.settings.aws_targets)
        status.cache = "cache off" if not self._cache.enabled else "cache …"
        for problem in self._warnings:
            await self.conversation.mount(NoticeMessage(f"{problem.variable}: {problem.message}"))
        self.conversation.anchor()
        self.prompt.focus()
        # Only once the first frame is on screen: the slow parts must never delay it.
        self.call_after_refresh(self._start_background_work)

    def _start_background_work(self) -> None:
        self._prepare_backend()
        self._load_cache_status()

    def on_unmount(self) -> None:
        self._route_cache_warnings(install=False)

    def _route_cache_warnings(self, *, install: bool) -> None:
        """Show the cache's warnings in the chat: a stderr line would be drawn over the UI.

        Called in a worker thread on install (importing the cache package takes ~0.1 s).
        """
        if not install and "logai.cache" not in sys.modules:
            return
        from logai.cache import set_warning_handler

        # post_message is thread-safe, and the cache may warn from a worker thread.
        set_warning_handler(self._post_cache_warning if install else None)

    def _post_cache_warning(self, text: str) -> None:
        self.post_message(CacheWarning(text))

    async def on_cache_warning(self, message: CacheWarning) -> None:
        text = message.text
        # The history store shares this warning channel; its messages name themselves.
        named = text.startswith(("conversation history", "history file"))
        await self._append(NoticeMessage(text if named else f"Cache: {text}"))

    # -- the backend -------------------------------------------------------------------------

    @work(group="backend", exit_on_error=False)
    async def _prepare_backend(self) -> None:
        """Create the orchestrator off the event loop, then warm it up."""
        try:
            await asyncio.to_thread(self._route_cache_warnings, install=True)
            backend = await asyncio.to_thread(self._factory, self.settings, self._host)
        except Exception as exc:
            self._backend_error = f"LogAI could not start its orchestrator: {exc}"
            self._backend_settled.set()
            self.post_message(BackendUnavailable(self._backend_error))
            return
        self.backend = backend
        with contextlib.suppress(Exception):
            # A failure here is reported by the first question, with its context.
            await backend.warm_up()
        self._backend_settled.set()
        self.post_message(BackendReady(self._model_of(backend)))

    @staticmethod
    def _model_of(backend: ChatBackend) -> str:
        try:
            return backend.model
        except Exception:
            return ""

    def on_backend_ready(self, message: BackendReady) -> None:
        if message.model:
            self.status.model = message.model

    async def on_backend_unavailable(self, message: BackendUnavailable) -> None:
        await self._append(ErrorMessage(message.reason))

    def restore(self, text: str) -> str:
        """Placeholders back to original values; unchanged text if that is impossible."""
        if self.backend is None:
            return text
        try:
            return self.backend.restore(text)
        except Exception:
            return text

    # -- input -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether an answer is running."""
        return self._answer_worker is not None and self._answer_worker.is_running

    @on(PromptSubmitted)
    async def _on_prompt_submitted(self, message: PromptSubmitted) -> None:
        text = message.text
        if is_command(text):
            await run_command(self, text)
            return
        if self.busy:
            self.notify("Still answering — press Escape to cancel it first.", severity="warning")
            self.prompt.load_text(text)
            return
        self.conversation.anchor()
        self._answer_worker = self._answer(text)

    def action_interrupt(self) -> None:
        """Ctrl+C: cancel the running answer; pressed again within a moment, quit."""
        second = self._interrupts.press()
        if self.busy:
            self.action_cancel_answer()
            return
        if second:
            self.app.exit()
            return
        self.notify(QUIT_HINT, timeout=QUIT_WINDOW_SECONDS)

    def action_end_of_input(self) -> None:
        """Ctrl+D on an empty prompt quits (as in a shell); otherwise the prompt handles it."""
        if self.prompt.text:
            raise SkipAction()
        self.app.exit()

    def action_cancel_answer(self) -> None:
        """Escape: stop the running answer (no-op when idle)."""
        if self._answer_worker is not None and self._answer_worker.is_running:
            self._answer_worker.cancel()

    # -- answering ---------------------------------------------------------------------------

    @work(group="answer", exclusive=True, exit_on_error=False)
    async def _answer(self, question: str) -> None:
        """Stream one answer into the conversation."""
        from logai_tui.widgets.answer import AnswerView

        await self._append(UserMessage(question))
        view = AnswerView(self.restore)
        await self._append(view)
        self._running_tools.clear()
        self._usage.start_question()
        self.status.activity = "thinking"
        try:
            if not self._backend_settled.is_set():
                self.status.activity = "starting"
                await self._backend_settled.wait()
                self.status.activity = "thinking"
            if self.backend is None:
                await view.mount(ErrorMessage(self._backend_error or "No orchestrator."))
                return
            await self._consume(view, self.backend.ask(question))
        except asyncio.CancelledError:
            await view.stop(cancelled=True)
            raise
        except Exception as exc:
            await view.stop(cancelled=False)
            await view.mount(ErrorMessage(f"Internal error while answering: {exc}"))
        finally:
            self.status.activity = ""
            self._load_cache_status()
            self._load_account()

    async def _consume(self, view: AnswerView, events: AsyncIterator[Event]) -> None:
        from logai_tui.widgets.answer import activity_for

        try:
            async for event in events:
                if isinstance(event, Usage):
                    self._usage.add(event)
                    self.status.usage = self._usage.status()
                activity = activity_for(event, self._running_tools)
                if activity is not None:
                    self.status.activity = activity
                await view.show(event)
        finally:
            # Closing the generator is what stops the LLM stream and any fetch when the
            # worker is cancelled between two events.
            await aclose(events)

    async def _append(self, widget: Widget) -> None:
        await self.conversation.mount(widget)

    # -- the AWS account ---------------------------------------------------------------------

    @work(group="account", exclusive=True, exit_on_error=False)
    async def _load_account(self) -> None:
        """Show the account once the source has learnt it (asking would cost an STS call)."""
        data_source = getattr(self.backend, "data_source", None)
        if data_source is None:
            return
        with contextlib.suppress(Exception):
            account = getattr(await data_source(), "account", None)
            if isinstance(account, str) and account:
                self.status.aws_account = account

    # -- cache figures -----------------------------------------------------------------------

    @work(group="cache", exclusive=True, exit_on_error=False)
    async def _load_cache_status(self) -> None:
        if not self._cache.enabled:
            self.status.cache = "cache off"
            return
        try:
            stats = await self._cache.stats()
        except Exception:
            stats = None
        if stats is None or stats.problem:
            self.status.cache = "cache unusable"
            return
        self.status.cache = (
            f"cache {formatting.count(stats.entries, 'entry', 'entries')}"
            f" · {formatting.percent(stats.hit_rate)} hits"
        )

    # -- CommandHost -------------------------------------------------------------------------

    @property
    def cache(self) -> CacheAccess:
        return self._cache

    async def show_info(self, markdown: str) -> None:
        from logai_tui.widgets.answer import InfoMessage

        self.conversation.anchor()
        await self._append(InfoMessage(markdown))

    async def show_error(self, message: str) -> None:
        self.conversation.anchor()
        await self._append(ErrorMessage(message))

    async def clear_conversation(self) -> None:
        await self.conversation.remove_children()
        await self._append(self._welcome())
        if self.backend is not None:
            self.backend.clear()
        self._usage.clear()
        self.status.usage = ""
        self.notify("Conversation cleared: the next question starts afresh.")

    async def refresh_cache_status(self) -> None:
        self._load_cache_status()

    async def follow(self, groups: list[str]) -> None:
        """Open the follow panel above the prompt (replacing one already open) and start."""
        from logai_tui.widgets.follow_panel import FollowPanel

        await self.unfollow(quiet=True)
        panel = FollowPanel(groups, id="follow")
        await self.mount(panel, before=self.prompt)
        self._follow_worker = self._follow(panel)

    async def unfollow(self, *, quiet: bool = False) -> None:
        """Stop following and close the panel."""
        worker, self._follow_worker = self._follow_worker, None
        if worker is not None:
            worker.cancel()
        panels = self.query("#follow")
        if panels:
            await panels.remove()
        elif not quiet:
            await self.show_error("Nothing is being followed. Use /follow GROUP to start.")

    @property
    def following(self) -> list[str]:
        """The groups the open follow panel shows; empty when none is open."""
        from logai_tui.widgets.follow_panel import FollowPanel

        panels = self.query(FollowPanel)
        return list(panels.first().groups) if panels else []

    @work(group="follow", exclusive=True, exit_on_error=False)
    async def _follow(self, panel: FollowPanel) -> None:
        """Feed ``panel`` with new, sanitized events until cancelled or the source fails.

        Runs beside the answer worker, so the chat goes on. Fails closed: when the sanitizer
        cannot be built, nothing is shown.
        """
        from logai.sanitize.stream import sanitize_events
        from logai.sources.base import DataSourceError
        from logai.sources.notes import collect_notes

        await self._backend_settled.wait()
        data_source = getattr(self.backend, "data_source", None)
        if data_source is None:
            panel.show_note(self._backend_error or "This backend has no data source to follow.")
            return
        try:
            sanitizer = await asyncio.to_thread(self._follow_sanitizer)
            source = await data_source()
        except Exception as exc:
            panel.show_note(f"Cannot follow: {exc}")
            return
        batches = source.follow(panel.groups, poll_interval=self.follow_interval)
        shown = 0
        try:
            with collect_notes() as notes:
                async for batch in batches:
                    for note in notes[shown:]:
                        panel.show_note(note)
                    shown = len(notes)
                    if batch:
                        panel.show_events(sanitize_events(batch, sanitizer)[0])
        except DataSourceError as exc:
            panel.show_note(str(exc))
        finally:
            await aclose(batches)

    def _follow_sanitizer(self) -> Sanitizer:
        from logai.sanitize import Sanitizer

        return Sanitizer.from_plugins(
            enabled=self.settings.pii_sanitization_enabled,
            disabled_rules=self.settings.sanitizer_disabled_rules,
            host=self._host,
        )

    # -- saved conversations -----------------------------------------------------------------

    async def open_history(self) -> None:
        from logai_tui.screens.history import HistoryScreen

        if self._conversations is None:
            await self.show_error("Saved conversations are not available in this chat.")
            return

        def picked(conversation_id: int | None) -> None:
            if conversation_id is not None:
                self._resume(conversation_id)

        await self.app.push_screen(HistoryScreen(self._conversations), picked)

    async def resume_conversation(self, conversation_id: int) -> None:
        self._resume(conversation_id)

    @work(group="answer", exclusive=True, exit_on_error=False)
    async def _resume(self, conversation_id: int) -> None:
        """Continue a saved conversation: the backend adopts it, the screen shows its turns."""
        await self._backend_settled.wait()
        resume = getattr(self.backend, "resume", None)
        if resume is None:
            await self.show_error(self._backend_error or "This chat cannot resume conversations.")
            return
        try:
            saved: SavedConversation = await resume(conversation_id)
        except Exception as exc:  # HistoryError says what to do; anything else, what broke
            await self.show_error(f"Could not resume conversation {conversation_id}: {exc}")
            return
        await self.conversation.remove_children()
        await self._append(self._welcome())
        for turn in saved.turns:
            await self._show_saved_turn(turn)
        self.conversation.anchor()
        self.notify(f"Resumed conversation {saved.id}: the next question continues it.")

    async def _show_saved_turn(self, turn: object) -> None:
        from logai.history import SavedTurn
        from logai.llm.events import Done, ToolCallFinished, ToolCallStarted
        from logai_tui.widgets.answer import AnswerView

        assert isinstance(turn, SavedTurn)
        await self._append(UserMessage(self.restore(turn.question)))
        view = AnswerView(self.restore)
        await self._append(view)
        for call in turn.tool_calls:
            await view.show(ToolCallStarted(call.call_id, call.name, call.arguments))
            await view.show(
                ToolCallFinished(
                    call_id=call.call_id,
                    name=call.name,
                    arguments=call.arguments,
                    duration_s=call.duration_s,
                    ok=call.ok,
                    summary=call.summary,
                    events=call.events,
                    cache=call.cache,
                )
            )
        await view.show(Done(turn.answer, iterations=turn.iterations, ok=turn.status == "ok"))
        if turn.status != "ok":
            await view.mount(NoticeMessage(f"This question ended {turn.status}."))

    async def export_conversation(self, path: str) -> None:
        from pathlib import Path

        from logai.history.export import to_markdown

        conversation_id = getattr(self.backend, "conversation_id", None)
        if conversation_id is None or self._conversations is None:
            await self.show_error("Nothing to export yet: ask a question (or /resume one) first.")
            return
        try:
            saved = await self._conversations.load(conversation_id)
        except Exception as exc:
            await self.show_error(f"Could not read conversation {conversation_id}: {exc}")
            return
        if saved is None:
            await self.show_error(f"Conversation {conversation_id} is not saved (any more).")
            return
        target = await asyncio.to_thread(Path(path).expanduser)
        try:
            await asyncio.to_thread(target.write_text, to_markdown(saved), encoding="utf-8")
        except OSError as exc:
            await self.show_error(f"Could not write {target}: {exc.strerror or exc}")
            return
        await self.show_info(
            f"Exported conversation {saved.id} to `{target}` as Markdown "
            "(placeholders kept; `logai history show --markdown --originals` restores values)."
        )

    def quit(self) -> None:
        self.app.exit(0)


def _target_names(text: str | None) -> str:
    """``prod-eu · prod-us · staging`` for the status bar; empty for one (or a broken) list,
    whose problems the configuration notices already show."""
    from logai.aws_targets import TargetSyntaxError, parse_targets

    try:
        targets = parse_targets(text)
    except TargetSyntaxError:
        return ""
    return " · ".join(target.alias for target in targets)
