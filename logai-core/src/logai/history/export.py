"""A saved conversation as an incident note (Markdown) or as JSON.

The note reads top to bottom as what happened: each question, the evidence the model gathered
(every tool call with its log group, time range, filter and how many events came back), then the
answer. Text is shown as stored — with placeholders — unless ``originals=True`` asks for the
saved mapping to put the real values back (docs/history.md says when that is wise).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from logai.history.records import SavedConversation, SavedToolCall, SavedTurn, SavedUsage

__all__ = ["format_cost", "format_tokens", "to_json_data", "to_markdown"]

#: Argument names that say where a tool looked; the rest are listed after them.
_WHERE = ("log_group", "log_groups", "log_group_prefixes", "prefix")
#: How an argument is named in the note.
_LABELS = {"filter_pattern": "filter"}
_PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*_[0-9]+)>")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")


def _escape_placeholders(line: str) -> str:
    r"""Placeholders outside inline code written ``\<EMAIL_1\>``.

    Markdown renderers (GitHub, wikis) take a bare ``<EMAIL_1>`` for an HTML tag and show nothing.
    """
    parts: list[str] = []
    position = 0
    for code in _INLINE_CODE.finditer(line):
        parts.append(_PLACEHOLDER.sub(r"\\<\1\\>", line[position : code.start()]))
        parts.append(code.group(0))
        position = code.end()
    parts.append(_PLACEHOLDER.sub(r"\\<\1\\>", line[position:]))
    return "".join(parts)


def markdown_safe(text: str) -> str:
    """``text`` (Markdown) with placeholders escaped everywhere but in code."""
    lines: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            lines.append(line)
        else:
            lines.append(line if fenced else _escape_placeholders(line))
    return "\n".join(lines)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "–"


def format_tokens(prompt: int | None, completion: int | None) -> str:
    """``1,234 in / 56 out``, or "–" when no call reported usage."""
    if prompt is None or completion is None:
        return "–"
    return f"{prompt:,} in / {completion:,} out"


def format_cost(cost: float | None) -> str:
    """``$0.0123``, or "–" when no call had a known price (never a guess)."""
    return "–" if cost is None else f"${cost:.4f}"


def usage_totals(rows: list[SavedUsage]) -> tuple[int | None, int | None, float | None]:
    """Prompt tokens, completion tokens and cost over ``rows`` (None where nothing is known)."""
    if not rows:
        return None, None, None
    costs = [row.cost_usd for row in rows if row.cost_usd is not None]
    return (
        sum(row.prompt_tokens for row in rows),
        sum(row.completion_tokens for row in rows),
        sum(costs) if costs else None,
    )


def _code(value: Any) -> str:
    """A value as inline code that no backtick inside can break out of."""
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(str(text).split()).replace("`", "'")
    return f"`{text}`" if text else "``"


def _evidence_line(number: int, call: SavedToolCall, show: Callable[[str], str]) -> str:
    arguments = {key: value for key, value in call.arguments.items() if value not in (None, "")}
    where = [
        _code(show(_plain(arguments.pop(key))))
        for key in _WHERE
        if key in arguments and key != "query"
    ]
    parts = [f"{number}. **{call.name}**" + (f" on {', '.join(where)}" if where else "")]
    start, end = arguments.pop("start_time", None), arguments.pop("end_time", None)
    if start is not None or end is not None:
        parts.append(
            f"from {_code(show(str(start))) if start is not None else 'the start'} "
            f"to {_code(show(str(end))) if end is not None else 'now'}"
        )
    for key, value in arguments.items():
        parts.append(f"{_LABELS.get(key, key)} {_code(show(_plain(value)))}")
    summary = _escape_placeholders(" ".join(show(call.summary).split()))
    outcome = f"→ {summary}" if call.ok else f"→ failed: {summary}"
    details = [f"{call.duration_s:.1f} s"]
    if call.cache:
        details.append(f"cache {call.cache}")
    return ", ".join(parts) + f" {outcome} ({', '.join(details)})"


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _turn_markdown(turn: SavedTurn, show: Callable[[str], str]) -> list[str]:
    question = _escape_placeholders(" ".join(show(turn.question).split()))
    lines = [f"## {turn.seq}. {question}", ""]
    facts = [f"asked {_when(turn.started)}", turn.status]
    if turn.duration_s is not None:
        facts.append(f"{turn.duration_s:.1f} s")
    if turn.model:
        facts.append(turn.model)
    prompt, completion, cost = usage_totals(turn.usage)
    if prompt is not None:
        facts.append(f"{format_tokens(prompt, completion)} tokens, {format_cost(cost)}")
    lines += [f"*{' · '.join(facts)}*", ""]
    if turn.source:
        target = f" ({show(turn.target)})" if turn.target and turn.target != turn.source else ""
        lines += [_escape_placeholders(f"Data source: {turn.source}{target}"), ""]
    lines += ["### Evidence", ""]
    if turn.tool_calls:
        lines += [_evidence_line(n, call, show) for n, call in enumerate(turn.tool_calls, 1)]
    else:
        lines.append("No tool calls: the answer came from the conversation so far.")
    lines += ["", "### Answer", ""]
    if turn.answer.strip():
        lines.append(markdown_safe(show(turn.answer).strip()))
    elif turn.status == "unfinished":
        lines.append("*(no answer: the process ended before the answer did)*")
    else:
        lines.append(f"*(no answer: {turn.status})*")
    if turn.error:
        error = _escape_placeholders(" ".join(show(turn.error).split()))
        lines += ["", f"> **Error:** {error}"]
    if turn.redactions:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(turn.redactions.items()))
        lines += ["", f"*Replaced before the LLM saw it: {kinds}.*"]
    return [*lines, ""]


def to_markdown(saved: SavedConversation, *, originals: bool = False) -> str:
    """The conversation as an incident note; placeholders kept unless ``originals``."""
    show: Callable[[str], str] = saved.restore if originals else (lambda text: text)
    prompt, completion, cost = usage_totals(saved.usage)
    title = _escape_placeholders(" ".join(show(saved.title).split()))
    lines = [
        f"# {title or f'Conversation {saved.id}'}",
        "",
        f"- Conversation: {saved.id} (`logai ask --session {saved.id}` continues it)",
        f"- Started: {_when(saved.started)}; last question: {_when(saved.updated)}",
        f"- Model: {saved.model or '–'}",
        f"- Tokens: {format_tokens(prompt, completion)}; cost: {format_cost(cost)}",
        "- Values: "
        + (
            "**real values restored** — handle this note like the raw logs"
            if originals
            else "sensitive values appear as placeholders such as \\<EMAIL_1\\>"
        ),
        "",
    ]
    for turn in saved.turns:
        lines += _turn_markdown(turn, show)
    return "\n".join(lines).rstrip() + "\n"


def _restore_all(value: Any, restore: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return restore(value)
    if isinstance(value, list):
        return [_restore_all(item, restore) for item in value]
    if isinstance(value, dict):
        return {key: _restore_all(item, restore) for key, item in value.items()}
    return value


def to_json_data(saved: SavedConversation, *, originals: bool = False) -> dict[str, Any]:
    """The conversation as JSON-ready data; placeholders kept unless ``originals``."""
    data = saved.to_dict()
    prompt, completion, cost = usage_totals(saved.usage)
    data["totals"] = {"prompt_tokens": prompt, "completion_tokens": completion, "cost_usd": cost}
    if originals:
        data = _restore_all(data, saved.restore)
    data["originals_restored"] = originals
    return dict(data)
