"""The chat's tool registry behind an MCP server: one sanitizer per MCP session.

Everything an agent receives passes the same choke point as the chat: a
:class:`~logai.llm.conversation.Conversation` per MCP session (so one value keeps one
placeholder across calls, and placeholders the agent sends back are restored locally before
the source is queried), and results are reduced to ``LOGAI_TOOL_RESULT_MAX_TOKENS`` by the
same renderer. Nothing here imports an LLM client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from logai.llm.conversation import Conversation, SanitizerUnavailable, open_conversation
from logai.tools.base import ToolContext, ToolError
from logai.tools.fit import render_result
from logai.tools.registry import ToolRegistry

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm.provider import ToolSpec
    from logai.plugins import PluginHost
    from logai.sources.base import DataSource


@dataclass(frozen=True)
class Outcome:
    """What one tool call returns to the agent: sanitized text, and whether it is an error."""

    text: str
    is_error: bool = False


class LogToolsService:
    """Tools for every MCP session of one server; the data source (and cache) is shared."""

    def __init__(
        self,
        settings: LogAISettings,
        *,
        source_name: str | None = None,
        source: DataSource | None = None,
        host: PluginHost | None = None,
    ) -> None:
        self.settings = settings
        self._host = host
        self._context = ToolContext(settings, source=source, source_name=source_name, host=host)
        self._registry: ToolRegistry | None = None
        self._registry_lock = asyncio.Lock()

    async def registry(self) -> ToolRegistry:
        """The tools for the configured source, built once (creating the source)."""
        if self._registry is None:
            async with self._registry_lock:
                if self._registry is None:
                    self._registry = await ToolRegistry.build(self._context, self._host)
        return self._registry

    def open_session(self) -> ToolSession:
        """A new MCP session's view: its own sanitizer, built lazily on its first call."""
        return ToolSession(self)

    def _open_conversation(self) -> Conversation:
        return open_conversation(self.settings, self._host)

    async def warm_up(self, session: ToolSession) -> None:
        """Create the source and build ``session``'s sanitizer now, before the first request
        needs them; failures are left for that request to report."""
        with contextlib.suppress(Exception):
            await asyncio.gather(self.registry(), session.ready())

    async def aclose(self) -> None:
        """Close the data source and its cache."""
        await self._context.aclose()


class ToolSession:
    """One MCP session: the placeholder mapping its agent has seen."""

    def __init__(self, service: LogToolsService) -> None:
        self._service = service
        self._conversation: Conversation | None = None
        # Built in a worker thread, maybe by two requests at once: two sanitizers would split
        # the placeholder mapping, so building is serialized.
        self._lock = threading.Lock()

    def conversation(self) -> Conversation:
        """This session's sanitizer; raises :class:`SanitizerUnavailable` (retried next call)."""
        with self._lock:
            if self._conversation is None:
                self._conversation = self._service._open_conversation()
            return self._conversation

    async def ready(self) -> Conversation:
        """:meth:`conversation`, built off the event loop the first time (compiling the rules
        takes a quarter of a second, during which other requests must still be answered)."""
        if self._conversation is not None:
            return self._conversation
        return await asyncio.to_thread(self.conversation)

    async def specs(self) -> list[ToolSpec]:
        """The tools as the chat offers them; descriptions sanitized when the sanitizer runs.

        The schemas are code, not log data: when the sanitizer cannot be built the tools are
        still listed, and every call is refused with the reason. Raises :class:`ToolError`
        when the data source cannot be created.
        """
        try:
            conversation: Conversation | None = await self.ready()
        except SanitizerUnavailable:
            conversation = None
        try:
            specs = (await self._service.registry()).specs()
        except Exception as exc:
            message = f"The data source is unavailable: {exc}"
            if conversation is None:
                raise ToolError("The data source is unavailable.") from None
            raise ToolError(conversation.redact(message)) from None
        if conversation is None:
            return specs
        conversation.set_tools(specs)
        return conversation.tools()

    async def group_names(self, limit: int) -> list[str]:
        """Log group names, sanitized, for the resource list.

        Raises :class:`ToolError` (source failures, with the CLI's message) and
        :class:`SanitizerUnavailable`.
        """
        from logai.sources.base import DataSourceError

        conversation = await self.ready()
        source = await self._service._context.source()
        try:
            groups = await source.list_log_groups(limit=limit)
        except DataSourceError as exc:
            raise ToolError(conversation.redact(str(exc))) from None
        return [conversation.redact(group.qualified_name) for group in groups]

    async def prompt_text(self, text: str) -> str:
        """A prompt filled with the user's words, sanitized like everything else that leaves.

        Raises :class:`SanitizerUnavailable` when the sanitizer cannot run (the SDK returns
        the message as the request's error).
        """
        return (await self.ready()).redact(text)

    async def call(self, name: str, arguments: dict[str, Any] | None) -> Outcome:
        """Run one call end to end; every text returned has passed the sanitizer.

        Cancellation propagates (the source stops its work, Insights sends StopQuery).
        """
        try:
            conversation = await self.ready()
        except SanitizerUnavailable as exc:
            return Outcome(_refusal(exc), is_error=True)
        try:
            registry = await self._service.registry()
        except Exception as exc:  # the source could not be created: say why, stay up
            return self._error(conversation, f"The data source is unavailable: {exc}")
        try:
            result = await registry.execute(
                name,
                json.dumps(arguments or {}),
                self._service._context,
                restore=conversation.restore,
            )
            text, _summary = render_result(result, self._service.settings.tool_result_max_tokens)
            is_error = False
        except ToolError as exc:
            text, is_error = str(exc), True
        except Exception as exc:  # rendering or a bug: this call fails, the server stays up
            text, is_error = f"{name} failed: {type(exc).__name__}: {exc}", True
        if is_error:
            return self._error(conversation, text)
        try:
            return Outcome(conversation.redact(text))
        except SanitizerUnavailable as exc:
            return Outcome(_refusal(exc), is_error=True)

    @staticmethod
    def _error(conversation: Conversation, message: str) -> Outcome:
        try:
            return Outcome(conversation.redact(message), is_error=True)
        except SanitizerUnavailable as exc:
            return Outcome(_refusal(exc), is_error=True)


def _refusal(error: SanitizerUnavailable) -> str:
    """The sanitizer's own message: fail closed, and say why."""
    return str(error)
