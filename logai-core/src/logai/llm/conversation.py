"""The conversation with the LLM: the one place where text becomes something the LLM is sent.

A :class:`Conversation` holds one chat's messages and offers one method per kind of text that
may enter it — the system prompt, the user's question, the assistant's turn, a tool's result
or error, a notice — and every one of them runs the sanitizer before storing anything. The
provider only ever receives :meth:`Conversation.render`'s fresh copies; there is no list to
append to. So the sanitization choke point is a type, not a convention every caller must keep.

A conversation cannot exist without a built :class:`~logai.sanitize.Sanitizer`: when the
sanitizer cannot be built (a broken rule pack, an unknown disabled rule), :func:`open_conversation`
raises :class:`SanitizerUnavailable` and there is nothing that could be rendered and sent.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from logai.llm.provider import ToolCallRequest, ToolSpec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from logai.config import LogAISettings
    from logai.llm._fitting import Block, Fitted
    from logai.plugins import PluginHost
    from logai.sanitize import PlaceholderEntry, Sanitizer, SanitizeStats

__all__ = ["AcceptedCall", "Conversation", "SanitizerUnavailable", "open_conversation"]

#: How much of a malformed argument string is quoted back to the model in the tool error.
_RAW_QUOTE_CHARS = 300


class SanitizerUnavailable(Exception):
    """The sanitizer could not be built or could not run, so nothing may go to the LLM.

    ``str()`` is a complete message for the user: it says nothing was sent, and why.
    """


def open_conversation(
    settings: LogAISettings, host: PluginHost | None = None, sanitizer: Sanitizer | None = None
) -> Conversation:
    """A conversation over ``sanitizer``, or over one built from the installed rule packs.

    Raises :class:`SanitizerUnavailable` when building the sanitizer fails for any reason: a
    rule pack that cannot be loaded means the data it exists to protect would go out raw, so
    the safe outcome is to send nothing at all.
    """
    if sanitizer is None:
        from logai.sanitize import Sanitizer

        try:
            sanitizer = Sanitizer.from_plugins(
                enabled=settings.pii_sanitization_enabled,
                disabled_rules=settings.sanitizer_disabled_rules,
                host=host,
            )
        except Exception as exc:
            raise SanitizerUnavailable(
                f"Nothing was sent to the LLM: the sanitizer could not be built. {exc}"
            ) from exc
    return Conversation(sanitizer)


@dataclass(frozen=True)
class AcceptedCall:
    """One tool call as the conversation stored it (and as the LLM will see it next turn).

    ``arguments`` is always a JSON object, sanitized. When the model's own text was not one,
    ``problem`` says why (the orchestrator sends it back as this call's tool error instead of
    running the tool) and ``raw`` keeps the model's text, sanitized, for display.
    """

    id: str
    name: str
    arguments: str
    problem: str | None = None
    raw: str = ""

    def shown_arguments(self) -> dict[str, Any]:
        """The arguments as a dict, for tool-activity displays."""
        if self.problem is not None:
            return {"_raw": self.raw}
        parsed: dict[str, Any] = json.loads(self.arguments)
        return parsed


Role = Literal["user", "assistant", "tool"]


@dataclass(frozen=True)
class _Message:
    role: Role
    content: str | None
    calls: tuple[AcceptedCall, ...] = ()
    call_id: str = ""
    summary: str = ""
    """For a tool result: the one-line summary kept when the result is condensed."""

    def render(self) -> dict[str, Any]:
        message: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.calls:
            message["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments},
                }
                for call in self.calls
            ]
        if self.role == "tool":
            message["tool_call_id"] = self.call_id
        return message


@dataclass
class _Pending:
    """The tool calls of the last assistant turn, waiting for their results (any order)."""

    order: tuple[str, ...]
    results: dict[str, _Message] = field(default_factory=dict)


class Conversation:
    """One chat's messages for the LLM. Every text that enters is sanitized on the way in.

    Tool results may arrive in any order (calls run concurrently); they are rendered in the
    order the model made the calls, once every call of the turn has one, so what the provider
    receives is always a well-formed exchange.
    """

    __slots__ = ("_messages", "_pending", "_sanitizer", "_system", "_tools")

    def __init__(self, sanitizer: Sanitizer) -> None:
        self._sanitizer = sanitizer
        self._system: str | None = None
        self._tools: tuple[ToolSpec, ...] = ()
        self._messages: list[_Message] = []
        self._pending: _Pending | None = None

    def __len__(self) -> int:
        """Messages after the system prompt (tool results still waiting for siblings included)."""
        pending = len(self._pending.results) if self._pending is not None else 0
        return len(self._messages) + pending

    def __repr__(self) -> str:
        # Counts only: never message text, and never the placeholder mapping.
        return f"<Conversation {len(self)} messages, {len(self._tools)} tools>"

    # -- adding text: every path sanitizes -----------------------------------------------------

    def set_system(self, text: str) -> SanitizeStats:
        """Replace the system prompt (it carries the time, so it is renewed every question)."""
        self._system, stats = self._sanitize(text)
        return stats

    def set_tools(self, specs: Iterable[ToolSpec]) -> None:
        """The tools offered to the model; descriptions are text too and are sanitized."""
        self._tools = tuple(
            ToolSpec(
                name=spec.name,
                description=self._sanitize(spec.description)[0],
                parameters=self._sanitize_schema(spec.parameters),
            )
            for spec in specs
        )

    def add_user(self, text: str) -> SanitizeStats:
        """The user's question."""
        self._require_no_pending("a user message")
        clean, stats = self._sanitize(text)
        self._messages.append(_Message("user", clean))
        return stats

    def add_assistant(
        self, text: str, calls: Sequence[ToolCallRequest] = ()
    ) -> tuple[list[AcceptedCall], SanitizeStats]:
        """The model's turn: its text and tool calls, sanitized, with arguments made valid.

        Arguments that are not one JSON object (a stream cut mid-string, say) are stored as
        ``{}`` with the reason in :attr:`AcceptedCall.problem`: the stored turn must stay one
        every provider accepts next time, or the whole conversation is lost.
        """
        self._require_no_pending("an assistant turn")
        from logai.sanitize import SanitizeStats

        stats = SanitizeStats()
        clean_text, found = self._sanitize(text)
        stats.merge(found)
        accepted: list[AcceptedCall] = []
        for call in calls:
            name, found = self._sanitize(call.name)
            stats.merge(found)
            accepted.append(self._accept_call(call, name, stats))
        ids = [call.id for call in accepted]
        if len(set(ids)) < len(ids):
            # A server that repeats an id would make the results ambiguous; ours are unique.
            accepted = [
                dataclasses.replace(call, id=f"{call.id}_{n}") for n, call in enumerate(accepted)
            ]
        self._messages.append(_Message("assistant", clean_text or None, tuple(accepted)))
        if accepted:
            self._pending = _Pending(tuple(call.id for call in accepted))
        return accepted, stats

    def add_tool_result(self, call_id: str, text: str, summary: str = "") -> SanitizeStats:
        """What a tool returned for one call of the last assistant turn.

        ``summary`` (``"12,408 events → 37 templates"``) is what remains of the result when
        the conversation outgrows the context window and older results are condensed.
        """
        return self._add_tool_message(call_id, text, summary)

    def add_tool_error(self, call_id: str, message: str) -> SanitizeStats:
        """Why one call failed, for the model to read and correct."""
        return self._add_tool_message(call_id, f"Error: {message}")

    def add_notice(self, text: str) -> SanitizeStats:
        """Something LogAI itself says in the conversation (the iteration limit, say)."""
        self._require_no_pending("a notice")
        clean, stats = self._sanitize(text)
        self._messages.append(_Message("assistant", clean))
        return stats

    # -- what leaves ---------------------------------------------------------------------------

    def render(self) -> list[dict[str, Any]]:
        """The messages in OpenAI chat format: fresh copies, so nobody can edit the history."""
        self._require_complete()
        rendered = [message.render() for message in self._messages]
        if self._system is not None:
            rendered.insert(0, {"role": "system", "content": self._system})
        return rendered

    def render_fitted(
        self, limit: int, count: Callable[[dict[str, Any]], int], *, fixed_tokens: int = 0
    ) -> Fitted:
        """The messages to send, fitted into ``limit`` tokens (see :mod:`logai.llm._fitting`).

        Like :meth:`render`, only stored (sanitized) text and LogAI's own wording go out; the
        history itself is left whole, so a larger window later sees everything again.
        ``fixed_tokens`` is what the rest of the request (the tool specs) takes.
        """
        from logai.llm._fitting import fit

        self._require_complete()
        return fit(
            self._system,
            self._blocks(),
            limit=limit,
            count=count,
            fixed_tokens=fixed_tokens,
        )

    def tools(self) -> list[ToolSpec]:
        """The tool specs as offered (sanitized), with schemas copied."""
        return [
            ToolSpec(spec.name, spec.description, json.loads(json.dumps(spec.parameters)))
            for spec in self._tools
        ]

    # -- local use only ------------------------------------------------------------------------

    def redact(self, text: str) -> str:
        """``text`` sanitized for an event the frontend shows; nothing is added here."""
        return self._sanitize(text)[0]

    def restore(self, text: str) -> str:
        """Placeholders back to original values: for local display and tool arguments only."""
        return self._sanitizer.restore(text)

    def placeholder_entries(self) -> list[PlaceholderEntry]:
        """The placeholder mapping, for the saved-conversation store only (docs/history.md)."""
        return self._sanitizer.placeholder_entries()

    def fresh_sanitizer(self) -> Sanitizer:
        """This conversation's rules with an empty mapping, for the next conversation."""
        return self._sanitizer.fresh()

    def adopt_placeholders(
        self, entries: Iterable[PlaceholderEntry], reserved: Iterable[str] = ()
    ) -> None:
        """Continue a saved conversation's placeholder numbering; before anything is added."""
        self._sanitizer.adopt_placeholders(entries, reserved)

    # -- history -------------------------------------------------------------------------------

    def mark(self) -> int:
        """A point to :meth:`rollback` to (before a question, say)."""
        self._require_no_pending("a mark")
        return len(self._messages)

    def rollback(self, mark: int) -> None:
        """Forget everything added after ``mark`` (half a turn is never kept)."""
        del self._messages[mark:]
        self._pending = None

    def clear(self) -> None:
        """Forget the messages; placeholder numbering carries on, so none is ever reused."""
        self.rollback(0)

    # -- internals -----------------------------------------------------------------------------

    def _sanitize(self, text: str) -> tuple[str, SanitizeStats]:
        try:
            return self._sanitizer.sanitize_text(text)
        except Exception as exc:
            raise SanitizerUnavailable(
                "Stopped before sending unsanitized text to the LLM: the sanitizer failed "
                f"({type(exc).__name__}: {exc})."
            ) from exc

    def _sanitize_value(self, value: Any, stats: SanitizeStats) -> Any:
        if isinstance(value, str):
            clean, found = self._sanitize(value)
            stats.merge(found)
            return clean
        if isinstance(value, list):
            return [self._sanitize_value(item, stats) for item in value]
        if isinstance(value, dict):
            return {
                self._sanitize_value(str(key), stats): self._sanitize_value(item, stats)
                for key, item in value.items()
            }
        return value

    def _sanitize_schema(self, schema: Any) -> Any:
        """A JSON schema with its ``description`` texts sanitized (names and types kept)."""
        if isinstance(schema, list):
            return [self._sanitize_schema(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        return {
            key: self._sanitize(value)[0]
            if key == "description" and isinstance(value, str)
            else self._sanitize_schema(value)
            for key, value in schema.items()
        }

    def _accept_call(self, call: ToolCallRequest, name: str, stats: SanitizeStats) -> AcceptedCall:
        raw = call.arguments if call.arguments.strip() else "{}"
        try:
            payload = json.loads(raw)
        except ValueError as exc:
            problem = f"not valid JSON ({exc})"
        else:
            if isinstance(payload, dict):
                clean = self._sanitize_value(payload, stats)
                return AcceptedCall(call.id, name, json.dumps(clean, ensure_ascii=False))
            problem = f"a JSON {_json_type(payload)}, not an object"
        shown, found = self._sanitize(raw[:_RAW_QUOTE_CHARS])
        stats.merge(found)
        cut = "…" if len(raw) > _RAW_QUOTE_CHARS else ""
        message = (
            f"The arguments for {name} were {problem}; you sent: {shown}{cut} "
            "Send one JSON object matching the tool's schema."
        )
        return AcceptedCall(call.id, name, "{}", problem=message, raw=shown + cut)

    def _add_tool_message(self, call_id: str, text: str, summary: str = "") -> SanitizeStats:
        pending = self._pending
        if pending is None or call_id not in pending.order:
            raise ValueError(f"no tool call {call_id!r} is waiting for a result")
        if call_id in pending.results:
            raise ValueError(f"tool call {call_id!r} already has a result")
        clean, stats = self._sanitize(text)
        clean_summary, found = self._sanitize(summary)
        stats.merge(found)
        pending.results[call_id] = _Message("tool", clean, call_id=call_id, summary=clean_summary)
        if len(pending.results) == len(pending.order):
            self._messages.extend(pending.results[i] for i in pending.order)
            self._pending = None
        return stats

    def _blocks(self) -> list[Block]:
        """The stored messages grouped so that each call travels with its results."""
        from logai.llm._fitting import Block

        blocks: list[Block] = []
        index = 0
        while index < len(self._messages):
            message = self._messages[index]
            index += 1
            if message.role == "user":
                blocks.append(Block((message.render(),), question=message.content or ""))
                continue
            if not message.calls:
                blocks.append(Block((message.render(),)))
                continue
            results = self._messages[index : index + len(message.calls)]
            index += len(results)
            blocks.append(_exchange_block(message, results))
        return blocks

    def _require_complete(self) -> None:
        if self._pending is not None:
            missing = [i for i in self._pending.order if i not in self._pending.results]
            raise RuntimeError(f"tool calls {missing} have no result yet")

    def _require_no_pending(self, what: str) -> None:
        if self._pending is not None:
            raise RuntimeError(f"cannot add {what}: the last tool calls have no results yet")


#: Longest first line of a result kept in its condensed form, in characters.
_CONDENSED_HEADER_CHARS = 300


def _exchange_block(assistant: _Message, results: Sequence[_Message]) -> Block:
    """An assistant turn with tool calls and their results, full and condensed."""
    from logai.llm._fitting import Block

    calls = {call.id: call for call in assistant.calls}
    condensed: list[dict[str, Any]] = [assistant.render()]
    lines: list[str] = []
    saved = False
    for result in results:
        call = calls.get(result.call_id)
        name = call.name if call is not None else "the tool"
        arguments = call.arguments if call is not None else "{}"
        short = _condensed_result(name, result)
        if len(short) < len(result.content or ""):
            condensed.append(dataclasses.replace(result, content=short).render())
            saved = True
        else:
            condensed.append(result.render())
        outcome = result.summary or _first_line(result.content or "")
        lines.append(f"{name} {arguments} → {outcome}")
    return Block(
        full=(assistant.render(), *(result.render() for result in results)),
        condensed=tuple(condensed) if saved else None,
        calls=tuple(lines),
    )


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0]
    if len(line) > _CONDENSED_HEADER_CHARS:
        line = line[: _CONDENSED_HEADER_CHARS - 1] + "…"
    return line


def _condensed_result(name: str, result: _Message) -> str:
    """A tool result cut to its first line and summary (both already sanitized)."""
    header = _first_line(result.content or "")
    summary = f" Summary: {result.summary}." if result.summary else ""
    return (
        f"[Condensed by LogAI to fit the context window. The result began: {header}{summary} "
        f"Call {name} again if you need the details.]"
    )


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, as the model would call it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else type(value).__name__
