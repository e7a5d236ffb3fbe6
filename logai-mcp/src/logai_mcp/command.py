"""``logai mcp``: serve LogAI's log tools to an MCP agent over stdio or streamable HTTP.

Over stdio, stdout carries the protocol and nothing else: every diagnostic goes to stderr. No
LLM is involved, so no LLM setting is required and no LLM client library is imported.
"""

from __future__ import annotations

import sys

import click

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


@click.command("mcp")
@click.option("--source", "source_name", help="Data source to use (overrides LOGAI_DATA_SOURCE).")
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio for a local agent that starts `logai mcp`; http serves streamable HTTP at /mcp.",
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to bind (http).")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port (http).",
)
def mcp(source_name: str | None, transport: str, host: str, port: int) -> None:
    """Serve LogAI's sanitized log tools over the Model Context Protocol."""
    from logai.cli._common import (
        EXIT_INTERRUPTED,
        EXIT_USAGE,
        fail,
        load_settings_or_exit,
        require_ready,
    )

    overrides = {"data_source": source_name} if source_name else {}
    settings = load_settings_or_exit(**overrides)
    require_ready(settings, for_llm=False)
    try:
        if transport == "http":
            from logai_mcp.http import HttpRefused, serve_http

            try:
                serve_http(settings, source_name, host, port)
            except HttpRefused as exc:
                fail(str(exc), EXIT_USAGE)
        else:
            from logai_mcp.stdio import serve_stdio

            serve_stdio(settings, source_name)
    except KeyboardInterrupt:
        fail("interrupted.", EXIT_INTERRUPTED)
    sys.exit(0)
