"""A tool result as the model reads it: rendered and kept inside the token budget.

Shared by every consumer of the tool registry (the chat orchestrator, the MCP server), so a
result is reduced the same way wherever it goes, and always says when it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from logai.tools.base import ToolResult

__all__ = ["fit_text", "render_result"]


def render_result(result: ToolResult, budget: int) -> tuple[str, str]:
    """The text for ``result`` within ``budget`` tokens, and a one-line summary for the user."""
    from logai.reduce import count_tokens, reduce_events

    if result.events is None:
        return fit_text(result.text, budget, count_tokens), result.summary
    if not result.events:
        return f"{result.header}\nNo events in this range.", result.summary or "0 events"
    header_tokens = count_tokens(result.header) + 8
    reduction = reduce_events(
        list(result.events),
        budget_tokens=max(budget - header_tokens, 200),
        count_tokens=count_tokens,
    )
    if result.summarize and not reduction.reduced:
        reduction = dataclasses.replace(reduction, reduced=True)
    summary = reduction.summary() if reduction.reduced else result.summary
    return f"{result.header}\n{reduction.render()}", summary


def fit_text(text: str, budget: int, count_tokens: Callable[[str], int]) -> str:
    """Keep a non-event result inside the budget, saying exactly what was left out."""
    if count_tokens(text) <= budget:
        return text
    lines = text.splitlines()
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = count_tokens(line) + 1
        if used + cost > budget - 60:
            break
        kept.append(line)
        used += cost
    omitted = len(lines) - len(kept)
    kept.append(
        f"[{omitted} of {len(lines)} lines omitted to fit the context budget; "
        "narrow the request to see them]"
    )
    return "\n".join(kept)
