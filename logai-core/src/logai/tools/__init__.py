"""Tools the LLM may call: the core log tools over any data source, plus plugin tools."""

from __future__ import annotations

from logai.tools.base import Tool, ToolContext, ToolError, ToolResult, tool

__all__ = ["Tool", "ToolContext", "ToolError", "ToolResult", "tool"]
