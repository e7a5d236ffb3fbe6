"""What a model can read, how long its reply may be, and what it charges: LiteLLM's local map.

Everything here reads LiteLLM's bundled model map (``get_model_info``), never the network:
:func:`~logai.llm._litellm.load_litellm` sets ``LITELLM_LOCAL_MODEL_COST_MAP`` before the
import. A model the map does not know gets ``LOGAI_LLM_CONTEXT_TOKENS`` (or
:data:`DEFAULT_CONTEXT_TOKENS`) as its window and no price at all: a price is never guessed.

The functions need litellm imported; they call :func:`load_litellm`, which takes seconds the
first time, so async callers run them in a worker thread.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from logai.llm._litellm import load_litellm

if TYPE_CHECKING:
    from logai.config import LogAISettings

__all__ = [
    "DEFAULT_CONTEXT_TOKENS",
    "DEFAULT_MAX_OUTPUT_TOKENS",
    "TOKENIZER_MARGIN",
    "ModelFacts",
    "TokenCounter",
    "call_cost",
    "model_facts",
]

#: Context window assumed for a model LiteLLM's map does not know (LOGAI_LLM_CONTEXT_TOKENS
#: overrides): most models served today read at least this much; smaller ones need the setting.
DEFAULT_CONTEXT_TOKENS = 32_768

#: Most reply tokens asked for by default; the model's own output limit is used when smaller.
DEFAULT_MAX_OUTPUT_TOKENS = 16_384

#: Share of the input room left unused: LiteLLM counts with an OpenAI tokenizer for most
#: models, and other vendors' tokenizers produce somewhat more tokens for the same text.
TOKENIZER_MARGIN = 0.10

WindowSource = Literal["setting", "litellm", "default"]


@dataclass(frozen=True)
class ModelFacts:
    """One model's limits and prices, as LogAI uses them for every request."""

    model: str
    context_tokens: int
    """The whole window: prompt and reply together."""
    window_source: WindowSource
    """Where ``context_tokens`` came from: the setting, LiteLLM's map, or the default."""
    reply_tokens: int
    """Reply room kept free in every request, and sent as the request's ``max_tokens``."""
    input_cost_per_token: float | None = None
    """USD per prompt token; None when LiteLLM's map has no price for the model."""
    output_cost_per_token: float | None = None
    """USD per completion token; None when LiteLLM's map has no price for the model."""

    @property
    def input_limit(self) -> int:
        """Most prompt tokens (as LiteLLM counts them) one request may carry."""
        return int((self.context_tokens - self.reply_tokens) * (1 - TOKENIZER_MARGIN))

    @property
    def priced(self) -> bool:
        """Whether LiteLLM's map knows what this model costs."""
        return self.input_cost_per_token is not None and self.output_cost_per_token is not None

    def prompt_cost(self, prompt_tokens: int) -> float | None:
        """What ``prompt_tokens`` cost at the input price; None when the price is unknown."""
        if self.input_cost_per_token is None:
            return None
        return prompt_tokens * self.input_cost_per_token


def _model_info(model: str) -> dict[str, Any]:
    """LiteLLM's map entry for ``model``, or an empty dict when the map does not know it."""
    litellm = load_litellm()
    try:
        info = litellm.get_model_info(model)
    except Exception:  # "This model isn't mapped yet", or a model string it cannot parse
        return {}
    return dict(info) if info else {}


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _price(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


def model_facts(model: str, settings: LogAISettings) -> ModelFacts:
    """Window, reply room and prices for ``model`` (LOGAI_LLM_CONTEXT_TOKENS wins when set).

    The reply room is LOGAI_LLM_MAX_OUTPUT_TOKENS when set (at most half the window), else the
    smaller of :data:`DEFAULT_MAX_OUTPUT_TOKENS` and the model's output limit (at most a
    quarter of the window), so that a question always keeps most of the window.
    """
    info = _model_info(model)
    known_window = _positive_int(info.get("max_input_tokens")) or _positive_int(
        info.get("max_tokens")
    )
    window: int
    source: WindowSource
    if settings.llm_context_tokens is not None:
        window, source = settings.llm_context_tokens, "setting"
    elif known_window is not None:
        window, source = known_window, "litellm"
    else:
        window, source = DEFAULT_CONTEXT_TOKENS, "default"
    model_output = _positive_int(info.get("max_output_tokens"))
    if settings.llm_max_output_tokens is not None:
        reply = min(settings.llm_max_output_tokens, window // 2)
    else:
        reply = min(DEFAULT_MAX_OUTPUT_TOKENS, model_output or DEFAULT_MAX_OUTPUT_TOKENS)
        reply = min(reply, window // 4)
    input_price = _price(info.get("input_cost_per_token"))
    output_price = _price(info.get("output_cost_per_token"))
    if input_price is None or output_price is None:
        input_price = output_price = None
    return ModelFacts(model, window, source, reply, input_price, output_price)


def call_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD for one call from LiteLLM's local cost map; None when the map has no price.

    LiteLLM's own ``cost_per_token`` is used (it knows tiered prices) only for a model its map
    lists with both prices, so an unknown model never borrows a neighbour's price.
    """
    info = _model_info(model)
    if _price(info.get("input_cost_per_token")) is None:
        return None
    if _price(info.get("output_cost_per_token")) is None:
        return None
    litellm = load_litellm()
    try:
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=model, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens
        )
    except Exception:
        return None
    return float(prompt_cost) + float(completion_cost)


#: Tokens a chat format may add around one message beyond its text (role markers, separators).
_FRAMING = 8


class TokenCounter:
    """Tokens of chat messages for one model, with each distinct message counted once.

    A conversation is re-fitted before every call and most of it has not changed, so counts
    are remembered (least recently used go first beyond ``capacity``). Each message is counted
    on its own, so the per-request overhead LiteLLM adds is counted once per message: a small,
    deliberate over-estimate.
    """

    def __init__(self, model: str, *, capacity: int = 4096) -> None:
        self.model = model
        self._capacity = capacity
        self._counts: OrderedDict[tuple[Any, ...], int] = OrderedDict()
        self._lock = threading.Lock()

    def message(self, message: dict[str, Any]) -> int:
        """Tokens of one OpenAI-format message."""
        # Keyed on the message's own strings: hashing a str is cached by Python and a stored
        # message renders the same str objects every time, so a hit costs almost nothing.
        calls = message.get("tool_calls")
        key = (
            message.get("role"),
            message.get("content"),
            message.get("tool_call_id"),
            json.dumps(calls, sort_keys=True) if calls else None,
        )
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        count = self._count_message(message)
        with self._lock:
            self._counts[key] = count
            while len(self._counts) > self._capacity:
                self._counts.popitem(last=False)
        return count

    @staticmethod
    def bound(message: dict[str, Any]) -> int:
        """An upper bound on :meth:`message` that needs no tokenizer: the message's bytes.

        A byte-pair tokenizer never makes a token of less than one byte, and the JSON text
        counted here carries the role, the keys and the quoting besides the content, which is
        more than the few tokens of framing a chat format adds per message (:data:`_FRAMING`
        covers the rest). Loading a tokenizer costs ~0.1-0.3 s, paid before the first request
        of every ``logai ask``; while a conversation is far from its window the bound settles
        the question "does it fit as it is?" without one.
        """
        return len(json.dumps(message, ensure_ascii=False).encode()) + _FRAMING

    def messages(self, messages: list[dict[str, Any]]) -> int:
        """Tokens of a whole request's messages."""
        return sum(self.message(message) for message in messages)

    def text(self, text: str) -> int:
        """Tokens of plain text (a tool schema, say), counted as one user message."""
        return self.message({"role": "user", "content": text})

    def _count_message(self, message: dict[str, Any]) -> int:
        from logai.reduce.tokens import estimate_tokens

        litellm = load_litellm()
        try:
            return int(litellm.token_counter(model=self.model, messages=[message]))
        except Exception:  # a model LiteLLM cannot tokenize for: the conservative estimate
            return estimate_tokens(json.dumps(message, ensure_ascii=False))
