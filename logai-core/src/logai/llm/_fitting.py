"""Fit a rendered conversation into a token limit, giving up the least useful text first.

Only :class:`~logai.llm.conversation.Conversation` calls this, with text it already sanitized:
the fitter composes what it sends from those pieces and from fixed wording of its own, so it
cannot let anything unsanitized through.

Order of sacrifice, each step taken only while the request is still too long:

1. older tool results are condensed to a line (what was asked, what came back, the reduction
   summary), oldest first; the latest exchange keeps its results;
2. earlier questions are left out whole, oldest first, each with its answers and tool
   exchanges, and a short digest of them (the questions, the tool calls and their summaries)
   is added to the system prompt;
3. the latest exchange's results are condensed too;
4. the current question's earlier exchanges are left out, oldest first;
5. the digest is shortened.

The system prompt and the latest question are always sent, and a tool call always travels
with its results (both the OpenAI and the Anthropic format reject one without the other). When
even that does not fit, :attr:`Fitted.fits` is False and nothing should be sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Message = dict[str, Any]
Mode = Literal["full", "condensed", "dropped"]

#: Longest piece of a question or tool call quoted in the digest, in characters.
_DIGEST_QUOTE = 160
#: Most questions and tool calls the digest names, by pass (the last passes shorten it).
_DIGEST_SIZES = (8, 3, 0)


@dataclass(frozen=True)
class Block:
    """Messages that are sent together or not at all (an assistant turn and its results)."""

    full: tuple[Message, ...]
    condensed: tuple[Message, ...] | None = None
    """The same messages with their tool results condensed; None when that saves nothing."""
    question: str | None = None
    """The user's text, when this block is a question (questions start turns)."""
    calls: tuple[str, ...] = ()
    """One line per tool call, ``name {args} → summary``, for the digest."""


@dataclass(frozen=True)
class Fitted:
    """What to send, and what had to give way."""

    messages: list[Message]
    tokens: int
    """Prompt tokens of ``messages`` plus the fixed part (tools), as counted."""
    fits: bool
    condensed_results: int = 0
    """Tool results sent condensed."""
    dropped_questions: int = 0
    """Earlier questions left out (with their answers and tool exchanges)."""
    dropped_exchanges: int = 0
    """Tool exchanges of the current question left out."""

    @property
    def changed(self) -> bool:
        """Whether anything was condensed or left out."""
        return bool(self.condensed_results or self.dropped_questions or self.dropped_exchanges)


@dataclass
class _State:
    """Which form of each block is sent, and what that costs."""

    system: str | None
    blocks: list[Block]
    count: Callable[[Message], int]
    fixed_tokens: int
    digest_size: int = _DIGEST_SIZES[0]
    modes: list[Mode] = field(init=False)
    sizes: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.modes = ["full"] * len(self.blocks)
        self.sizes = [self._size(i) for i in range(len(self.blocks))]

    def _size(self, index: int) -> int:
        return sum(self.count(message) for message in self._messages(index))

    def _messages(self, index: int) -> tuple[Message, ...]:
        mode, block = self.modes[index], self.blocks[index]
        if mode == "dropped":
            return ()
        if mode == "condensed" and block.condensed is not None:
            return block.condensed
        return block.full

    def set(self, index: int, mode: Mode) -> None:
        self.modes[index] = mode
        self.sizes[index] = self._size(index)

    def system_message(self) -> Message | None:
        text = (self.system or "") + _digest(self.blocks, self.modes, self.digest_size)
        return {"role": "system", "content": text} if text else None

    def total(self) -> int:
        message = self.system_message()
        system = self.count(message) if message is not None else 0
        return self.fixed_tokens + system + sum(self.sizes)

    def result(self, limit: int, latest_question: int) -> Fitted:
        message = self.system_message()
        rendered = [] if message is None else [message]
        rendered += [dict(m) for i in range(len(self.blocks)) for m in self._messages(i)]
        pairs = list(enumerate(zip(self.blocks, self.modes, strict=True)))
        total = self.total()
        return Fitted(
            messages=rendered,
            tokens=total,
            fits=total <= limit,
            condensed_results=sum(_results(b) for _, (b, m) in pairs if m == "condensed"),
            dropped_questions=sum(
                1 for _, (b, m) in pairs if m == "dropped" and b.question is not None
            ),
            dropped_exchanges=sum(
                1 for i, (b, m) in pairs if m == "dropped" and b.calls and i > latest_question
            ),
        )


def fit(
    system: str | None,
    blocks: list[Block],
    *,
    limit: int,
    count: Callable[[Message], int],
    fixed_tokens: int = 0,
) -> Fitted:
    """The messages to send within ``limit`` tokens (``fixed_tokens`` are the tool specs)."""
    state = _State(system, blocks, count, fixed_tokens)
    last = len(blocks) - 1
    questions = [i for i, block in enumerate(blocks) if block.question is not None]
    latest_question = questions[-1] if questions else 0
    for step in _steps(state, last, latest_question):
        step()
        if state.total() <= limit:
            break
    return state.result(limit, latest_question)


def _steps(state: _State, last: int, latest_question: int) -> list[Callable[[], None]]:
    """Every change the fitter may make, in the order it makes them (see the module doc)."""
    blocks = state.blocks
    steps: list[Callable[[], None]] = [lambda: None]  # first, whether it fits as it is

    def setter(index: int, mode: Mode) -> Callable[[], None]:
        return lambda: state.set(index, mode)

    # 1. Older tool results condensed, oldest first.
    steps += [setter(i, "condensed") for i in range(last) if blocks[i].condensed is not None]
    # 2. Earlier questions left out whole: a turn ends where the next question starts, and
    #    a turn goes as one (half a turn never starts a request).
    starts = [i for i in range(latest_question) if i == 0 or blocks[i].question is not None]
    for start, end in zip(starts, [*starts[1:], latest_question][: len(starts)], strict=True):
        steps.append(_each([setter(i, "dropped") for i in range(start, end)]))
    # 3. The latest exchange condensed too.
    if last >= 0 and blocks[last].condensed is not None:
        steps.append(setter(last, "condensed"))
    # 4. The current question's earlier exchanges left out, oldest first.
    steps += [setter(i, "dropped") for i in range(latest_question + 1, last)]

    # 5. A shorter digest.
    def shorten(size: int) -> Callable[[], None]:
        def apply() -> None:
            state.digest_size = size

        return apply

    steps += [shorten(size) for size in _DIGEST_SIZES[1:]]
    return steps


def _each(steps: list[Callable[[], None]]) -> Callable[[], None]:
    def apply() -> None:
        for step in steps:
            step()

    return apply


def _results(block: Block) -> int:
    return sum(1 for message in block.full if message.get("role") == "tool")


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _DIGEST_QUOTE else flat[: _DIGEST_QUOTE - 1] + "…"


def _digest(blocks: list[Block], modes: list[Mode], size: int) -> str:
    """A note naming what was left out: the newest ``size`` questions and tool calls."""
    dropped = [block for block, mode in zip(blocks, modes, strict=True) if mode == "dropped"]
    if not dropped:
        return ""
    questions = [block.question for block in dropped if block.question is not None]
    calls = [line for block in dropped for line in block.calls]
    parts = [
        "[Note from LogAI: to fit the model's context window, earlier parts of this "
        "conversation were left out."
    ]
    if questions and size:
        shown = "; ".join(f"«{_quote(q)}»" for q in questions[-size:])
        more = f" (and {len(questions) - size} before them)" if len(questions) > size else ""
        parts.append(f"Earlier questions, oldest first{more}: {shown}.")
    elif questions:
        parts.append(f"{len(questions)} earlier questions.")
    if calls and size:
        shown = "; ".join(_quote(line) for line in calls[-size:])
        more = f" (and {len(calls) - size} before them)" if len(calls) > size else ""
        parts.append(f"Tool calls left out{more}: {shown}.")
    elif calls:
        parts.append(f"{len(calls)} tool calls left out.")
    parts.append("Call the tools again if you need those results.]")
    return "\n\n" + " ".join(parts)
