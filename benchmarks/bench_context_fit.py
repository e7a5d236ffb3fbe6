"""Benchmark fitting a long conversation into a context window before each LLM call.

The orchestrator re-fits the whole conversation before every call, counting tokens with
``litellm.token_counter``. This builds a 40-question conversation (two tool rounds each, every
result 600 real Loghub lines reduced as the tools reduce them, up to 8,000 tokens) and prints
milliseconds per fit:

- **cold**: a fresh token counter (every message tokenized), as on the first call of a session;
- **warm**: the same conversation again (counts remembered), as most calls are;
- **next call**: one new question and tool round appended, then fitted;
- **count only**: ``token_counter`` over every message once, no cache, for scale.

Windows: 128,000 (gpt-4o-mini's; little gives way) and 16,000 (much gives way). Reads
``../shared/data/loghub`` next to the repository (or ``$LOGAI_LOGHUB_DIR``); skips cleanly when
it is absent.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from logai.llm.conversation import Conversation
from logai.llm.provider import ToolCallRequest
from logai.reduce import count_tokens, reduce_events
from logai.sanitize import Sanitizer, default_rules
from logai.sources import LogEvent

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "loghub"
MODEL = "openai/gpt-4o-mini"
QUESTIONS = 40
ROUNDS = 2
LINES_PER_RESULT = 600
START = datetime(2026, 11, 25, tzinfo=UTC)


def _lines(root: Path) -> list[str]:
    lines: list[str] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        log = folder / f"{folder.name}_2k.log"
        if log.is_file():
            lines += log.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines


def _add_round(conversation: Conversation, lines: list[str], cursor: int, call_id: str) -> None:
    chunk = [lines[(cursor + i) % len(lines)] for i in range(LINES_PER_RESULT)]
    events = [
        LogEvent(START + timedelta(seconds=i), line, "/app", "s", str(i))
        for i, line in enumerate(chunk)
    ]
    reduction = reduce_events(events, budget_tokens=8000, count_tokens=count_tokens)
    arguments = json.dumps({"log_group": "/app", "start_time": "1h ago"})
    conversation.add_assistant("", [ToolCallRequest(call_id, "fetch_logs", arguments)])
    text = f"/app: {LINES_PER_RESULT} events\n{reduction.render()}"
    conversation.add_tool_result(call_id, text, reduction.summary())


def _conversation(lines: list[str]) -> Conversation:
    conversation = Conversation(Sanitizer(default_rules()))
    conversation.set_system("You answer questions about logs. " * 20)
    cursor = 0
    for number in range(QUESTIONS):
        conversation.add_user(f"Question {number}: what failed in the last hour, and why?")
        for round_ in range(ROUNDS):
            _add_round(conversation, lines, cursor, f"q{number}r{round_}")
            cursor += LINES_PER_RESULT
        conversation.add_assistant(f"Answer {number}: the upstream timed out. " * 10)
    return conversation


def _ms(function: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> int:
    root = Path(os.environ.get("LOGAI_LOGHUB_DIR") or DEFAULT_DIR)
    if not root.is_dir():
        print(f"bench_context_fit: skipped, no Loghub data at {root}")
        return 0
    from logai.llm._litellm import load_litellm
    from logai.llm.context import TokenCounter

    litellm = load_litellm()
    lines = _lines(root)
    conversation = _conversation(lines)
    messages = conversation.render()
    TokenCounter(MODEL).text("load the encoding")  # a one-time cost, not the fit's
    total = sum(int(litellm.token_counter(model=MODEL, messages=[m])) for m in messages)
    print(
        f"conversation: {QUESTIONS} questions, {QUESTIONS * ROUNDS} tool results, "
        f"{len(messages)} messages, {total:,} tokens"
    )
    count_only = _ms(
        lambda: [litellm.token_counter(model=MODEL, messages=[m]) for m in messages], 3
    )
    print(f"count only (every message, no cache): {count_only:.1f} ms")
    for window in (128_000, 16_000):
        limit = int((window - min(16_384, window // 4)) * 0.9)
        counter = TokenCounter(MODEL)
        fitted = conversation.render_fitted(limit, counter.message)
        cold = _ms(lambda n=limit: conversation.render_fitted(n, TokenCounter(MODEL).message), 3)
        warm = _ms(lambda n=limit, c=counter: conversation.render_fitted(n, c.message), 5)
        next_call = []
        for extra in range(3):
            conversation.add_user(f"Follow-up {extra} for window {window}?")
            _add_round(conversation, lines, 7919 * (extra + 1), f"w{window}x{extra}")
            started = time.perf_counter()
            conversation.render_fitted(limit, counter.message)
            next_call.append((time.perf_counter() - started) * 1000)
            conversation.add_assistant("ok")
        print(
            f"window {window:,}: input limit {limit:,}, sent {fitted.tokens:,} tokens "
            f"({fitted.condensed_results} results condensed, {fitted.dropped_questions} "
            f"questions left out); per fit: cold {cold:.1f} ms, warm {warm:.1f} ms, "
            f"next call {statistics.median(next_call):.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
