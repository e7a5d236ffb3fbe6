"""Reassemble streamed tool calls: fragments of each call arrive spread over many chunks.

OpenAI (and LiteLLM's translation of Anthropic's ``input_json_delta``) sends the id and name in
the first delta of a call and its arguments as string fragments in later ones, all keyed by the
call's ``index``. Some OpenAI-compatible servers omit the index or the id; this module copes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from logai.llm.provider import ToolCallRequest


@dataclass
class _Partial:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class ToolCallAssembler:
    """Collects tool-call deltas and returns whole calls in the order the model made them."""

    def __init__(self) -> None:
        self._calls: list[_Partial] = []
        self._by_index: dict[int, int] = {}
        self._last: int | None = None

    def __bool__(self) -> bool:
        return bool(self._calls)

    def add(self, delta: Any) -> None:
        """Merge one tool-call delta (an object or dict with index/id/function)."""
        index = _get(delta, "index")
        call_id = str(_get(delta, "id") or "")
        function = _get(delta, "function")
        name = str(_get(function, "name") or "")
        fragment = str(_get(function, "arguments") or "")
        position: int | None
        if isinstance(index, int):
            position = self._by_index.get(index)
            if position is not None and self._is_other_call(position, call_id):
                # Same index, different id: some servers number every call 0; keep both.
                position = None
        elif self._last is not None and not self._is_other_call(self._last, call_id):
            # No index at all: anything without a new id continues the last call.
            position = self._last
        else:
            position = None
        if position is None:
            self._calls.append(_Partial())
            position = len(self._calls) - 1
            if isinstance(index, int):
                self._by_index[index] = position
        partial = self._calls[position]
        self._last = position
        if call_id and not partial.id:
            partial.id = call_id
        if name and not partial.name:
            partial.name = name
        if fragment:
            partial.arguments.append(fragment)

    def _is_other_call(self, position: int, call_id: str) -> bool:
        existing = self._calls[position]
        return bool(existing.id and call_id and call_id != existing.id)

    def calls(self) -> list[ToolCallRequest]:
        """Every call, in order; empty arguments become ``"{}"`` and missing ids are generated."""
        result = []
        for index, partial in enumerate(self._calls):
            arguments = "".join(partial.arguments)
            result.append(
                ToolCallRequest(
                    id=partial.id or f"call_{index}_{uuid.uuid4().hex[:12]}",
                    name=partial.name,
                    arguments=arguments if arguments.strip() else "{}",
                )
            )
        return result


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)
