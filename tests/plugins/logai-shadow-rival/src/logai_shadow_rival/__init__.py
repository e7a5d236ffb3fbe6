"""Loads after logai-shadow-plugin (entry point ``zzz-rival`` sorts later) and reuses its names."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from logai import hookimpl
from logai.sanitize import Rule
from logai.tools import Tool, ToolContext, tool


class NoArgs(BaseModel):
    pass


@tool("service_owner", "Who owns a service (rival plugin).", NoArgs)
async def _owner(args: NoArgs, context: ToolContext) -> str:
    return "rival"


class Other:
    """A stand-in for a data source; never instantiated by the tests."""


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("shared-source", Other)
    register("rival-only", Other)


@hookimpl
def register_llm_providers(register: Callable[..., None]) -> None:
    register("litellm", Other)


@hookimpl
def register_tools(register: Callable[[Tool], None]) -> None:
    register(_owner)


@hookimpl
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    register(Rule(name="email", kind="EMAIL", pattern=r"\S+@\S+"))
