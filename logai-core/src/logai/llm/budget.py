"""What each LLM call may carry and cost: the orchestrator's budget for one chat.

Before every call the conversation is fitted into the model's window
(:meth:`QuestionBudget.fit`), the user hears once when that began to give something up
(:meth:`QuestionBudget.fit_notice`), and a cost cap stops the question before a call that would
exceed it (:meth:`QuestionBudget.over_cap`). After the call, the provider's usage becomes a
:class:`~logai.llm.events.Usage` priced from LiteLLM's local map (:meth:`QuestionBudget.usage`).
The fitting itself happens inside the :class:`~logai.llm.conversation.Conversation`, so what is
sent stays what the sanitizer let in.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logai.llm.events import Usage
from logai.llm.provider import Completed, LLMBadRequest
from logai.wording import counted

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm._fitting import Fitted
    from logai.llm.context import ModelFacts, TokenCounter
    from logai.llm.conversation import Conversation

__all__ = ["Budget", "ContextOverflow", "QuestionBudget"]

#: Smallest token budget one tool result is given, however small the window.
_MIN_RESULT_TOKENS = 300


class ContextOverflow(LLMBadRequest):
    """Even the system prompt and the latest question alone exceed the model's window."""


@dataclass
class _Told:
    """What the fitting notices said: the figures, and which kinds this question reported."""

    figures: tuple[int, int, int] = (0, 0, 0)
    kinds: set[int] = field(default_factory=set)


class Budget:
    """One chat's budget: the model's limits (read once per model) and what the user was told."""

    def __init__(self) -> None:
        self._facts: ModelFacts | None = None
        self._counter: TokenCounter | None = None
        self.told = _Told()
        """What the fitting notices said so far in this conversation."""
        self.result_tokens: int | None = None
        """Budget of one tool result: the setting, or less when the window is small."""

    def reset(self) -> None:
        """A new conversation: fitting notices start again."""
        self.told = _Told()

    async def start_question(self, model: str, settings: LogAISettings) -> QuestionBudget:
        """The budget of one question (LiteLLM's map is read in a worker thread, once)."""
        from logai.llm.context import TokenCounter, model_facts

        if self._facts is None or self._counter is None or self._facts.model != model:
            self._facts = await asyncio.to_thread(model_facts, model, settings)
            self._counter = TokenCounter(model)
        self.told.kinds = set()
        return QuestionBudget(self, self._facts, self._counter, settings)


class QuestionBudget:
    """Fitting, notices, the cost cap and usage for the calls of one question."""

    def __init__(
        self, budget: Budget, facts: ModelFacts, counter: TokenCounter, settings: LogAISettings
    ) -> None:
        self._budget = budget
        self.facts = facts
        self._counter = counter
        self._settings = settings
        self._cap = settings.max_cost_per_question
        self._tools_tokens = 0
        self._tools_exact = True
        self._tools_specs = ""
        self.spent = 0.0
        """USD the question's calls cost so far (calls with a known price)."""

    def refusal(self) -> str | None:
        """Why nothing may be sent at all: a cost cap that cannot be enforced (else None)."""
        if self._cap is None or self.facts.priced:
            return None
        from logai.llm.usage import format_cost

        return (
            f"Nothing was sent: a cost cap of {format_cost(self._cap)} is set "
            f"(LOGAI_MAX_COST_PER_QUESTION or --max-cost), but LiteLLM's local cost map has no "
            f"price for '{self.facts.model}', so the cap cannot be enforced. Remove the cap, or "
            "use a model whose price LiteLLM knows."
        )

    async def offer_tools(self, conversation: Conversation) -> None:
        """Count the tool specs once; size one tool result to what the window leaves."""
        specs = json.dumps([spec.to_openai() for spec in conversation.tools()])
        setting = self._settings.tool_result_max_tokens
        self._tools_specs = specs
        # One result may take at most half of what the window leaves beside the tools. When
        # even the specs' upper bound leaves the setting whole, exact counting would too.
        bound = self._counter.bound({"role": "user", "content": specs})
        if min(setting, (self.facts.input_limit - bound) // 2) >= setting:
            self._tools_tokens, self._tools_exact = bound, False
            self._budget.result_tokens = setting
            return
        self._tools_tokens = await asyncio.to_thread(self._counter.text, specs)
        self._tools_exact = True
        room = self.facts.input_limit - self._tools_tokens
        self._budget.result_tokens = max(_MIN_RESULT_TOKENS, min(setting, room // 2))

    async def fit(self, conversation: Conversation) -> Fitted:
        """The next request's messages, within the window; raises :class:`ContextOverflow`.

        First with upper bounds only (no tokenizer): when the conversation fits as it is by
        those, it fits as it is by exact counts too, and the messages are the same. The cost
        cap needs the real figure, so with a cap set the counts are always exact.
        """
        if self._cap is None:
            quick = await asyncio.to_thread(
                conversation.render_fitted,
                self.facts.input_limit,
                self._counter.bound,
                fixed_tokens=self._tools_tokens,
            )
            if quick.fits and not quick.changed:
                return quick
        if not self._tools_exact:
            self._tools_tokens = await asyncio.to_thread(self._counter.text, self._tools_specs)
            self._tools_exact = True
        fitted = await asyncio.to_thread(
            conversation.render_fitted,
            self.facts.input_limit,
            self._counter.message,
            fixed_tokens=self._tools_tokens,
        )
        if not fitted.fits:
            raise ContextOverflow(self._overflow_message(fitted))
        return fitted

    def fit_notice(self, fitted: Fitted) -> str | None:
        """One line when fitting gave up something new, at most once per kind per question.

        Within a question more results are condensed with every round; saying so each time
        would bury the answer, so a kind of change is reported again only in a later question.
        """
        told = self._budget.told
        now = (fitted.condensed_results, fitted.dropped_questions, fitted.dropped_exchanges)
        changed = {kind for kind in range(3) if now[kind] and now[kind] != told.figures[kind]}
        if not changed - told.kinds:
            return None
        told.figures = now
        told.kinds |= changed
        parts = []
        if fitted.condensed_results:
            parts.append(counted(fitted.condensed_results, "older tool result") + " condensed")
        if fitted.dropped_questions:
            parts.append(counted(fitted.dropped_questions, "earlier question") + " left out")
        if fitted.dropped_exchanges:
            exchanges = counted(fitted.dropped_exchanges, "earlier tool exchange")
            parts.append(f"{exchanges} of this question left out")
        return (
            f"Conversation fitted to the model's {self.facts.context_tokens:,}-token context "
            f"window: {', '.join(parts)}."
        )

    def over_cap(self, fitted: Fitted) -> str | None:
        """Why the next call must not go: its prompt would take the question over the cap."""
        estimate = self.facts.prompt_cost(fitted.tokens)
        if self._cap is None or estimate is None or self.spent + estimate <= self._cap:
            return None
        from logai.llm.usage import format_cost

        return (
            f"Stopped before the next LLM call: its prompt alone would cost about "
            f"{format_cost(estimate)}, taking this question to "
            f"{format_cost(self.spent + estimate)}, over the {format_cost(self._cap)} cap "
            "(LOGAI_MAX_COST_PER_QUESTION or --max-cost). Raise the cap and say 'continue', or "
            "ask a narrower question."
        )

    def usage(self, model: str, completed: Completed | None) -> Usage | None:
        """The call's usage as the provider reported it, priced from LiteLLM's local map."""
        if completed is None or not completed.usage:
            return None
        prompt = completed.usage.get("prompt_tokens")
        completion = completed.usage.get("completion_tokens")
        if prompt is None and completion is None:
            return None
        from logai.llm.context import call_cost

        prompt, completion = prompt or 0, completion or 0
        usage = Usage(model, prompt, completion, call_cost(model, prompt, completion))
        self.spent += usage.cost_usd or 0.0
        return usage

    def cut_notice(self, completed: Completed | None) -> str | None:
        """A line when the reply stopped at the reply limit the request asked for."""
        if completed is None or completed.finish_reason != "length":
            return None
        return (
            f"The reply reached its limit of {self.facts.reply_tokens:,} tokens and was cut "
            "(LOGAI_LLM_MAX_OUTPUT_TOKENS raises it)."
        )

    def _overflow_message(self, fitted: Fitted) -> str:
        facts = self.facts
        where = {
            "setting": "LOGAI_LLM_CONTEXT_TOKENS",
            "litellm": "LiteLLM's model map",
            "default": "the default for models LiteLLM does not know",
        }[facts.window_source]
        return (
            f"Nothing was sent: even the question alone (with the system prompt and tool "
            f"descriptions) needs about {fitted.tokens:,} tokens, and '{facts.model}' has room "
            f"for {facts.input_limit:,} ({facts.context_tokens:,}-token window from {where}, "
            f"{facts.reply_tokens:,} kept for the reply). Ask a shorter question, or set "
            "LOGAI_LLM_CONTEXT_TOKENS to the model's real window if it is larger."
        )
