"""The MCP server: the chat's tools, listed and called over the SDK's low-level ``Server``.

The low-level API keeps the tool schemas byte for byte those the chat sends its LLM, lets a
long call report progress, and runs each call in a task the SDK cancels on
``notifications/cancelled`` (the cancellation reaches the data source: Insights sends
``StopQuery``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server import Server, ServerRequestContext
from mcp.shared.exceptions import MCPError

from logai.llm.conversation import SanitizerUnavailable
from logai.tools.base import ToolError
from logai_mcp.prompts import PROMPTS, UnknownPrompt, render_prompt
from logai_mcp.resources import MAX_LISTED, READ_RANGE, group_from_uri, group_uri
from logai_mcp.service import LogToolsService, ToolSession

if TYPE_CHECKING:
    from collections.abc import Awaitable

#: Seconds between progress notifications while a call runs (when the client asked for them).
PROGRESS_INTERVAL_S = 2.0

INSTRUCTIONS = (
    "LogAI's read-only log tools. Every result is sanitized: personal data and secrets appear "
    "as placeholders such as <EMAIL_1>, stable for this session. Pass a placeholder back in an "
    "argument (a filter pattern, say) and LogAI uses the real value locally. Large results are "
    "reduced to fit a token budget and say so."
)

#: Which MCP session a request belongs to: ``None`` means the server's single session (stdio).
SessionKey = Callable[[ServerRequestContext[Any]], str | None]


def _one_session(_ctx: ServerRequestContext[Any]) -> str | None:
    return None


#: Sessions remembered at once over HTTP; the least recently used is forgotten beyond this.
MAX_SESSIONS = 256


class SessionTable:
    """A :class:`ToolSession` per MCP session key, so each agent has its own placeholders.

    Bounded: an HTTP server lives long and clients come and go without saying so. A forgotten
    session's placeholders can no longer be restored; its agent gets fresh ones.
    """

    def __init__(self, service: LogToolsService, limit: int = MAX_SESSIONS) -> None:
        self._service = service
        self._limit = limit
        self._sessions: OrderedDict[str | None, ToolSession] = OrderedDict()

    def get(self, key: str | None) -> ToolSession:
        session = self._sessions.get(key)
        if session is None:
            session = self._sessions[key] = self._service.open_session()
            while len(self._sessions) > self._limit:
                self._sessions.popitem(last=False)
        else:
            self._sessions.move_to_end(key)
        return session


def build_server(
    service: LogToolsService,
    *,
    session_key: SessionKey = _one_session,
    sessions: SessionTable | None = None,
    progress_interval: float = PROGRESS_INTERVAL_S,
) -> Server[Any]:
    """An MCP server offering ``service``'s tools to the sessions of ``sessions``."""
    from logai import __version__

    sessions = sessions or SessionTable(service)

    async def list_tools(
        ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        try:
            specs = await sessions.get(session_key(ctx)).specs()
        except ToolError as exc:
            raise MCPError(types.INTERNAL_ERROR, str(exc)) from None
        return types.ListToolsResult(
            tools=[
                types.Tool(
                    name=spec.name,
                    description=spec.description,
                    input_schema=spec.parameters,
                    annotations=types.ToolAnnotations(
                        read_only_hint=True, destructive_hint=False, open_world_hint=True
                    ),
                )
                for spec in specs
            ]
        )

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        session = sessions.get(session_key(ctx))
        async with _heartbeat(_progress_sender(ctx, params.name), progress_interval):
            outcome = await session.call(params.name, dict(params.arguments or {}))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=outcome.text)],
            is_error=outcome.is_error,
        )

    async def list_prompts(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        return types.ListPromptsResult(prompts=PROMPTS)

    async def get_prompt(
        ctx: ServerRequestContext[Any], params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        try:
            text = await sessions.get(session_key(ctx)).prompt_text(
                render_prompt(params.name, params.arguments)
            )
        except UnknownPrompt as exc:
            raise MCPError(types.INVALID_PARAMS, str(exc)) from None
        except SanitizerUnavailable as exc:
            raise MCPError(types.INTERNAL_ERROR, str(exc)) from None
        return types.GetPromptResult(
            description="Investigate an incident",
            messages=[
                types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))
            ],
        )

    async def list_resources(
        ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        try:
            names = await sessions.get(session_key(ctx)).group_names(MAX_LISTED)
        except (ToolError, SanitizerUnavailable) as exc:
            raise MCPError(types.INTERNAL_ERROR, str(exc)) from None
        return types.ListResourcesResult(
            resources=[
                types.Resource(
                    name=name,
                    uri=group_uri(name),
                    description=f"Log group {name}: its events of the last {READ_RANGE}",
                    mime_type="text/plain",
                )
                for name in names
            ]
        )

    async def read_resource(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        group = group_from_uri(str(params.uri))
        if group is None:
            raise MCPError(types.INVALID_PARAMS, f"Unknown resource {params.uri!s}.")
        outcome = await sessions.get(session_key(ctx)).call(
            "fetch_logs", {"log_group": group, "start_time": READ_RANGE}
        )
        if outcome.is_error:
            raise MCPError(types.INVALID_PARAMS, outcome.text)
        return types.ReadResourceResult(
            contents=[
                types.TextResourceContents(
                    uri=str(params.uri), mime_type="text/plain", text=outcome.text
                )
            ]
        )

    return Server(
        "logai",
        version=__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_prompts=list_prompts,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
        on_get_prompt=get_prompt,
    )


def _progress_sender(
    ctx: ServerRequestContext[Any], name: str
) -> Callable[[float], Awaitable[None]]:
    """Progress for this request; the SDK sends nothing when the client asked for none."""

    async def report(elapsed: float) -> None:
        await ctx.session.report_progress(
            round(elapsed, 3), message=f"{name} running for {elapsed:.0f} s"
        )

    return report


@contextlib.asynccontextmanager
async def _heartbeat(
    report: Callable[[float], Awaitable[None]], interval: float
) -> AsyncIterator[None]:
    """Report elapsed time every ``interval`` seconds while the body runs.

    The sources do not know how far a search is, only that it is still going: elapsed
    seconds are the honest progress (monotonic, no total), and keep clients from timing out.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def beat() -> None:
        while True:
            await asyncio.sleep(interval)
            with contextlib.suppress(Exception):  # a client gone away must not fail the call
                await report(loop.time() - started)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
