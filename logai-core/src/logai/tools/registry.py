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
from logai.tools.log_tools import with_targets

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
        """Every registered tool that is offered for the conversation's data source.

        Core's log tools come from the built-in plugin ``core-tools`` like any plugin's; a
        tool's :attr:`~logai.tools.Tool.for_source` decides whether (and as what) it is
        offered. One that raises or returns something else is the plugin's fault: a warning,
        and the tool is left out.
        """
        from logai.plugins import get_host
        from logai.sources.targets import targets_of

        source = await context.source()
        host = host or get_host()
        tools: list[Tool] = []
        for name, registered in host.tools().items():
            try:
                offered = registered.factory.offered_for(source)
            except Exception as exc:
                host.warn_ignored(
                    registered.plugin,
                    "register_tools",
                    f"tool '{name}' for_source raised {type(exc).__name__}: {exc}",
                )
                continue
            if offered is None:
                continue
            if not isinstance(offered, Tool) or offered.name != name:
                host.warn_ignored(
                    registered.plugin,
                    "register_tools",
                    f"tool '{name}' for_source returned {type(offered).__name__}, "
                    f"not a logai.tools.Tool named '{name}' or None",
                )
                continue
            tools.append(offered)
        return cls(with_targets(tools, targets_of(source)))

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
