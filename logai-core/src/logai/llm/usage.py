"""Tokens and cost added up per question and per conversation, worded for frontends.

The orchestrator emits one :class:`~logai.llm.events.Usage` per LLM call; ``logai ask``, the
plain chat and the TUI feed them to a :class:`UsageMeter` and show its lines, so all three say
the same thing the same way. A call whose model has no price in LiteLLM's local map adds
tokens but no cost, and the wording says the total is incomplete instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logai.wording import counted

if TYPE_CHECKING:
    from logai.llm.events import Usage

__all__ = ["UsageMeter", "UsageTotals", "format_cost", "format_tokens"]


def format_cost(usd: float) -> str:
    """``$0.0123``, ``$1.50``; amounts too small for four decimals say so."""
    if usd == 0:
        return "$0"
    if usd < 0.0001:
        return "<$0.0001"
    return f"${usd:.4f}" if usd < 1 else f"${usd:,.2f}"


def format_tokens(tokens: int) -> str:
    """``950``, ``12.3k``, ``1.2M``: short enough for a status bar."""
    if tokens < 1000:
        return str(tokens)
    if tokens < 1_000_000:
        return f"{tokens / 1000:.1f}k"
    return f"{tokens / 1_000_000:.1f}M"


@dataclass
class UsageTotals:
    """What some LLM calls consumed together."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    """Sum over the calls whose price is known."""
    unpriced_calls: int = 0
    """Calls whose model has no price in LiteLLM's map (their cost is not in ``cost_usd``)."""

    def add(self, usage: Usage) -> None:
        self.calls += 1
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        if usage.cost_usd is None:
            self.unpriced_calls += 1
        else:
            self.cost_usd += usage.cost_usd

    @property
    def known_cost_usd(self) -> float | None:
        """The total cost, or None when it is not known: no call reported usage, or some
        call's model has no price (a partial sum is never passed off as the total)."""
        if self.unpriced_calls or not self.calls:
            return None
        return self.cost_usd

    def to_dict(self) -> dict[str, int | float | None]:
        """For JSON output: the counts, and ``cost_usd`` as :attr:`known_cost_usd`."""
        return {
            "calls": self.calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.known_cost_usd,
            "unpriced_calls": self.unpriced_calls,
        }

    def cost_text(self) -> str:
        """The cost as far as it is known: ``$0.0123``, ``cost unknown``, ``$0.01 + unpriced``."""
        if self.unpriced_calls == self.calls:
            return "cost unknown"
        if self.unpriced_calls:
            return f"{format_cost(self.cost_usd)} + {self.unpriced_calls} unpriced"
        return format_cost(self.cost_usd)

    def describe(self) -> str:
        """``3 LLM calls, 12,345 tokens in, 678 out, $0.0021``."""
        return (
            f"{counted(self.calls, 'LLM call')}, {self.prompt_tokens:,} tokens in, "
            f"{self.completion_tokens:,} out, {self.cost_text()}"
        )

    def short(self) -> str:
        """``12.3k/678 tok $0.0021``: for a status bar."""
        tokens = f"{format_tokens(self.prompt_tokens)}/{format_tokens(self.completion_tokens)}"
        cost = self.cost_text().replace("cost unknown", "cost ?")
        return f"{tokens} tok {cost}"


@dataclass
class UsageMeter:
    """The current question's totals and the whole conversation's."""

    question: UsageTotals = field(default_factory=UsageTotals)
    conversation: UsageTotals = field(default_factory=UsageTotals)

    def start_question(self) -> None:
        self.question = UsageTotals()

    def clear(self) -> None:
        """A new conversation: both totals start again."""
        self.question = UsageTotals()
        self.conversation = UsageTotals()

    def add(self, usage: Usage) -> None:
        self.question.add(usage)
        self.conversation.add(usage)

    def line(self, *, with_conversation: bool = False) -> str | None:
        """``usage: …`` for after an answer, or None when no call reported usage."""
        if not self.question.calls:
            return None
        line = f"usage: {self.question.describe()}"
        if with_conversation and self.conversation.calls > self.question.calls:
            line += f" (conversation: {self.conversation.describe()})"
        return line

    def status(self) -> str:
        """``question 12.3k/678 tok $0.0021 · chat 40.1k/2.2k tok $0.0093``; empty at first."""
        if not self.conversation.calls:
            return ""
        return f"question {self.question.short()} · chat {self.conversation.short()}"
