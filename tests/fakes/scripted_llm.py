"""A scripted LLMProvider for orchestrator unit tests (the HTTP-level fake is fake_llm.py).

Each turn is either a ``Reply`` or a function of the messages returning one, so a test can
answer based on what the orchestrator actually sent (a tool result, say).
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from typing import Any

from logai.llm.provider import (
    Completed,
    LLMError,
    StreamEvent,
    TextDelta,
    ToolCallRequest,
    ToolCallsReady,
    ToolSpec,
)


@dataclass
class Reply:
    text: str = ""
    calls: list[tuple[str, dict[str, Any] | str]] = field(default_factory=list)
    error: LLMError | None = None
    hang: bool = False
    usage: dict[str, int] | None = None
    """What the provider reports in ``Completed.usage`` (nothing by default)."""
    finish_reason: str | None = None
    """Overrides the finish reason (``"length"``: the reply was cut)."""


Turn = Reply | Callable[[list[dict[str, Any]]], Reply]


class ScriptedProvider:
    name = "scripted"
    model = "scripted/test-model"

    def __init__(self, *turns: Turn) -> None:
        self.turns = list(turns)
        self.requests: list[list[dict[str, Any]]] = []
        self.tools: list[list[ToolSpec]] = []
        self._ids = 0

    async def warm_up(self) -> None:
        return None

    def all_request_text(self) -> str:
        return json.dumps(self.requests)

    async def stream(
        self, messages: list[dict[str, Any]], tools: list[ToolSpec]
    ) -> AsyncGenerator[StreamEvent, None]:
        self.requests.append(copy.deepcopy(messages))
        self.tools.append(list(tools))
        if not self.turns:
            raise AssertionError("the orchestrator asked for more turns than scripted")
        turn = self.turns.pop(0)
        reply = turn(messages) if callable(turn) else turn
        if reply.error is not None:
            raise reply.error
        if reply.hang:
            await asyncio.sleep(3600)
        for start in range(0, len(reply.text), 7):
            yield TextDelta(reply.text[start : start + 7])
            await asyncio.sleep(0)
        if reply.calls:
            requests = []
            for name, arguments in reply.calls:
                self._ids += 1
                raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
                requests.append(ToolCallRequest(f"call_{self._ids}", name, raw))
            yield ToolCallsReady(requests)
        finish = reply.finish_reason or ("tool_calls" if reply.calls else "stop")
        yield Completed(finish, reply.usage)


def last_tool_result(messages: list[dict[str, Any]]) -> str:
    return next(m["content"] for m in reversed(messages) if m["role"] == "tool")
