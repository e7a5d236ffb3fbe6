"""The tool registry: core log tools plus plugin tools, and safe execution of a tool call.

:meth:`ToolRegistry.execute` never raises for anything the LLM or a data source did wrong: a
malformed argument, an unknown group or a throttled API all become a :class:`ToolError` text the
LLM can read and correct. Only cancellation propagates.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from logai.tools.base import Tool, ToolContext, ToolError, ToolResult
from logai.tools.log_tools import CORE_TOOLS, query_tool, with_targets

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from logai.llm.provider import ToolSpec
    from logai.plugins import PluginHost


def _validation_message(tool: Tool, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "arguments"
        problems.append(f"{where}: {item['msg']}")
    return (
        f"Invalid arguments for {tool.name}: "
        + "; ".join(problems)
        + ". Call the tool again with corrected arguments."
    )


def _restore_strings(value: Any, restore: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return restore(value)
    if isinstance(value, list):
        return [_restore_strings(v, restore) for v in value]
    if isinstance(value, dict):
        return {k: _restore_strings(v, restore) for k, v in value.items()}
    return value


class ToolRegistry:
    """The tools of one conversation, by name."""

    def __init__(self, tools: Iterable[Tool]) -> None:
        self._tools: dict[str, Tool] = {}
        for item in tools:
            self._tools.setdefault(item.name, item)

    @classmethod
    async def build(cls, context: ToolContext, host: PluginHost | None = None) -> ToolRegistry:
        """Core tools (with the query tool when the source has a query language) and plugins'."""
        from logai.plugins import get_host
        from logai.sources.targets import targets_of

        source = await context.source()
        tools: list[Tool] = list(CORE_TOOLS)
        if source.supports_query:
            tools.append(query_tool(source.query_language or "the source's query language"))
        tools = with_targets(tools, targets_of(source))
        host = host or get_host()
        owners = {item.name: "core" for item in tools}
        for registration in host.collect("register_tools"):
            candidate = registration.args[0] if registration.args else None
            if isinstance(candidate, Tool) and host.claim(
                "tool", candidate.name, registration.plugin, owners
            ):
                tools.append(candidate)
        return cls(tools)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    def specs(self) -> list[ToolSpec]:
        return [item.spec() for item in self._tools.values()]

    async def execute(
        self,
        name: str,
        raw_arguments: str,
        context: ToolContext,
        *,
        restore: Callable[[str], str] | None = None,
    ) -> ToolResult:
        """Validate and run one call. Raises :class:`ToolError` with a message for the LLM.

        ``restore`` maps sanitizer placeholders the LLM may use in its arguments (it only ever
        saw ``<EMAIL_1>``) back to the real values before the data source is queried.
        """
        from logai.sources.base import DataSourceError

        target = self._tools.get(name)
        if target is None:
            raise ToolError(f"Unknown tool '{name}'. Available tools: {', '.join(self._tools)}.")
        try:
            payload = json.loads(raw_arguments) if raw_arguments.strip() else {}
        except ValueError as exc:
            raise ToolError(
                f"The arguments for {name} were not valid JSON ({exc}). "
                "Send one JSON object matching the tool's schema."
            ) from None
        if not isinstance(payload, dict):
            raise ToolError(f"The arguments for {name} must be a JSON object.")
        if restore is not None:
            payload = _restore_strings(payload, restore)
        try:
            arguments = target.parameters.model_validate(payload)
        except ValidationError as exc:
            raise ToolError(_validation_message(target, exc)) from None
        try:
            return await target.run(arguments, context)
        except ToolError:
            raise
        except DataSourceError as exc:
            raise ToolError(str(exc)) from None
        except Exception as exc:  # a plugin tool's bug must not end the conversation
            raise ToolError(f"{name} failed: {type(exc).__name__}: {exc}") from None
