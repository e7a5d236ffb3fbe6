"""``logai mcp`` over stdio: one MCP session for the life of the process."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logai.config import LogAISettings


def serve_stdio(settings: LogAISettings, source_name: str | None) -> None:
    """Serve until the client closes stdin."""
    from logai.cli._common import run_async

    run_async(_serve(settings, source_name))


async def _serve(settings: LogAISettings, source_name: str | None) -> None:
    from mcp.server.stdio import stdio_server

    from logai_mcp.server import SessionTable, build_server
    from logai_mcp.service import LogToolsService

    service = LogToolsService(settings, source_name=source_name)
    sessions = SessionTable(service)
    server = build_server(service, sessions=sessions)
    name = source_name or settings.data_source
    # stdout is the protocol's: this line, like every diagnostic, goes to stderr.
    sys.stderr.write(f"logai mcp: serving the {name} log tools over stdio\n")
    sys.stderr.flush()
    # The agent sends tools/list right after initialize: have the source and the sanitizer
    # ready by then.
    warm_up = asyncio.create_task(service.warm_up(sessions.get(None)))
    try:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())
    finally:
        warm_up.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await warm_up
        await service.aclose()
