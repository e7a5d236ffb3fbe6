"""The tool abstraction: typed arguments, a JSON schema derived from them, an async body.

A tool's arguments are a pydantic model, so the schema the LLM sees and the validation of what
it sends come from one declaration. Tools never sanitize their output: the orchestrator does
that at its single choke point, for every tool alike.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm.provider import ToolSpec
    from logai.sources.base import DataSource, LogEvent


class SourceMaker(Protocol):
    """What a :class:`ToolContext` needs of the plugin host: creating the data source by name.

    :class:`logai.plugins.PluginHost` is one; naming only this keeps the tool contract free of
    the host (the host hands out tools, so the two must not import each other).
    """

    def create_data_source(
        self, settings: LogAISettings, name: str | None = None
    ) -> DataSource: ...


class ToolError(Exception):
    """A problem the LLM can react to (bad argument, unknown group); ``str()`` goes to it."""


@dataclass(frozen=True)
class ToolResult:
    """What a tool produced.

    Tools that return log events put them in ``events`` (with a one-line ``header``); the
    orchestrator renders them, grouping into templates when they exceed the context budget.
    Other tools return ready ``text``.
    """

    text: str = ""
    events: Sequence[LogEvent] | None = None
    header: str = ""
    summary: str = ""
    """One line for the user: "120 events", "37 log groups"."""
    summarize: bool = False
    """Group events into templates even when the exact lines would fit."""


class ToolContext:
    """What a tool body may use: settings, the data source (created on first use), the clock."""

    def __init__(
        self,
        settings: LogAISettings,
        *,
        source: DataSource | None = None,
        source_name: str | None = None,
        host: SourceMaker | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self._source = source
        self._source_name = source_name
        self._host = host
        self._now = now or (lambda: datetime.now(UTC))
        self._lock = asyncio.Lock()

    def now(self) -> datetime:
        return self._now()

    async def source(self) -> DataSource:
        """The data source, created in a worker thread the first time (boto3 import is slow)."""
        if self._source is None:
            async with self._lock:
                if self._source is None:
                    maker = self._host
                    if maker is None:
                        from logai.plugins import get_host

                        maker = get_host()
                    self._source = await asyncio.to_thread(
                        maker.create_data_source, self.settings, self._source_name
                    )
        return self._source

    @property
    def created_source(self) -> DataSource | None:
        """The data source if it exists already; never creates it (for records and status)."""
        return self._source

    async def aclose(self) -> None:
        """Close the data source (and the cache behind it) if one was created."""
        if self._source is not None:
            await self._source.aclose()


ToolBody = Callable[[Any, ToolContext], Awaitable["ToolResult | str"]]


def _clean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop pydantic's ``title`` noise: every token in a tool schema costs on every request."""
    cleaned: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title":
            continue
        if isinstance(value, dict):
            if key == "properties":
                cleaned[key] = {name: _clean_schema(prop) for name, prop in value.items()}
            else:
                cleaned[key] = _clean_schema(value)
        elif isinstance(value, list):
            cleaned[key] = [_clean_schema(v) if isinstance(v, dict) else v for v in value]
        else:
            cleaned[key] = value
    return cleaned


@dataclass(frozen=True)
class Tool:
    """A callable offered to the LLM."""

    name: str
    description: str
    parameters: type[BaseModel]
    body: ToolBody
    for_source: Callable[[DataSource], Tool | None] | None = None
    """Decides, per conversation, whether and how the tool is offered: given the conversation's
    data source, the tool to offer (this one, or a variant described for that source) or
    ``None`` to leave it out. Unset: offered for every source."""

    def offered_for(self, source: DataSource) -> Tool | None:
        """The tool to offer for ``source`` (see :attr:`for_source`), or ``None``."""
        return self if self.for_source is None else self.for_source(source)

    def schema(self) -> dict[str, Any]:
        """JSON schema of the arguments, as sent to the LLM."""
        schema = _clean_schema(self.parameters.model_json_schema())
        schema.setdefault("properties", {})
        schema["additionalProperties"] = False
        return schema

    def spec(self) -> ToolSpec:
        from logai.llm.provider import ToolSpec

        return ToolSpec(self.name, self.description, self.schema())

    async def run(self, arguments: BaseModel, context: ToolContext) -> ToolResult:
        result = await self.body(arguments, context)
        return ToolResult(text=result) if isinstance(result, str) else result


def tool(
    name: str,
    description: str,
    parameters: type[BaseModel],
    *,
    for_source: Callable[[DataSource], Tool | None] | None = None,
) -> Callable[[ToolBody], Tool]:
    """Decorator turning ``async def body(args, context)`` into a :class:`Tool`.

    Example (in a plugin)::

        class Args(BaseModel):
            service: str

        @tool("service_owner", "Who owns a service.", Args)
        async def service_owner(args: Args, context: ToolContext) -> str:
            return OWNERS.get(args.service, "unknown")

    ``for_source`` (see :attr:`Tool.for_source`) offers the tool only for some data sources,
    e.g. ``for_source=lambda source: service_owner if source.name == "loki" else None``.
    """

    def wrap(body: ToolBody) -> Tool:
        return Tool(name, description, parameters, body, for_source)

    return wrap
