"""Talking to LLMs: the provider interface and its LiteLLM implementation.

Importing this package is cheap: it re-exports the interface types only. The LiteLLM
implementation lives in :mod:`logai.llm.litellm_provider` and imports litellm lazily.
"""

from __future__ import annotations

from logai.llm.provider import (
    Completed,
    LLMAuthError,
    LLMBadRequest,
    LLMError,
    LLMProvider,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
    StreamEvent,
    TextDelta,
    ToolCallRequest,
    ToolCallsReady,
    ToolSpec,
)

__all__ = [
    "Completed",
    "LLMAuthError",
    "LLMBadRequest",
    "LLMError",
    "LLMProvider",
    "LLMRateLimited",
    "LLMTimeout",
    "LLMUnavailable",
    "StreamEvent",
    "TextDelta",
    "ToolCallRequest",
    "ToolCallsReady",
    "ToolSpec",
]
