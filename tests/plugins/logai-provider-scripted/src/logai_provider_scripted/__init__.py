"""A third-party LLM provider: OpenAI chat completions over the standard library's HTTP client.

Selected with ``LOGAI_LLM_PROVIDER=scripted``; it talks to ``LOGAI_LLM_API_BASE`` without
LiteLLM, which is the point: LogAI must use a plugin's provider, not its own.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncGenerator, Callable
from typing import Any

from logai import hookimpl
from logai.config import LogAISettings
from logai.llm import (
    Completed,
    LLMUnavailable,
    StreamEvent,
    TextDelta,
    ToolCallRequest,
    ToolCallsReady,
    ToolSpec,
)


class ScriptedProvider:
    name = "scripted"

    def __init__(self, settings: LogAISettings) -> None:
        self.model = settings.llm_model or "scripted-model"
        self._url = f"{(settings.llm_api_base or '').rstrip('/')}/chat/completions"

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self._url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-Provider": "scripted"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, Any] = json.loads(response.read())
        return answer

    async def stream(
        self, messages: list[dict[str, Any]], tools: list[ToolSpec]
    ) -> AsyncGenerator[StreamEvent, None]:
        body = {
            "model": self.model,
            "messages": messages,
            "tools": [tool.to_openai() for tool in tools],
            "stream": False,
        }
        try:
            answer = await asyncio.to_thread(self._post, body)
        except OSError as exc:
            raise LLMUnavailable(f"scripted provider: {exc}") from None
        choice = answer["choices"][0]
        message = choice["message"]
        if message.get("content"):
            yield TextDelta(message["content"])
        calls = [
            ToolCallRequest(c["id"], c["function"]["name"], c["function"]["arguments"] or "{}")
            for c in message.get("tool_calls") or []
        ]
        if calls:
            yield ToolCallsReady(calls)
        yield Completed(choice.get("finish_reason"))

    async def warm_up(self) -> None:
        return None


@hookimpl
def register_llm_providers(register: Callable[..., None]) -> None:
    register("scripted", ScriptedProvider)
