"""History benchmark: what saving a conversation costs a question, and listing and loading.

Figures (wall clock, real SQLite file in a temporary directory, WAL mode):

- **turn**: one question recorded as the chat session does it — ``start_turn`` when asked,
  ``finish_turn`` (messages, tool calls, usage rows, placeholders in one transaction) when the
  answer ends — p50/p95 per question, with a tool result of ~8,000 tokens in the messages.
- **list**: ``logai history`` over N conversations (totals of questions, tokens, cost).
- **load**: one conversation of 20 turns with every message, as ``--continue`` reads it.
- **file**: bytes on disk per turn.

Run: ``python benchmarks/bench_history.py`` (``--conversations N``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from logai.history import HistoryStore
from logai.history.store import NewToolCall, NewUsage, TurnOutcome
from logai.sanitize import PlaceholderEntry

TOOL_RESULT = "\n".join(
    f"2026-12-04T10:{n % 60:02d}:00Z ERROR checkout request {n:06d} for <EMAIL_{n % 7 + 1}> "
    f"timed out after {n % 900 + 100} ms calling payments at <IP_{n % 5 + 1}>"
    for n in range(320)
)


def _outcome(turn: int) -> TurnOutcome:
    function = {"name": "fetch_logs", "arguments": '{"log_group":"/aws/lambda/checkout"}'}
    call: dict[str, Any] = {"id": f"c{turn}", "type": "function", "function": function}
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": f"question {turn} about <EMAIL_1>?"},
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": f"c{turn}", "content": TOOL_RESULT},
        {"role": "assistant", "content": "The payments service timed out " * 20},
    ]
    return TurnOutcome(
        status="ok",
        answer="The payments service timed out " * 20,
        error=None,
        system="You answer questions about logs. " * 30,
        messages=messages,
        redactions={"email": 320, "ip": 320},
        iterations=2,
        tool_calls=[
            NewToolCall(
                f"c{turn}", "fetch_logs", {"log_group": "/x"}, True, "320 events", 0.4, 320, "miss"
            ),
        ],
        usage=[NewUsage("anthropic/claude-sonnet-4-5", 9_000, 300, 0.0315, datetime.now(UTC))],
        placeholders=[
            PlaceholderEntry("EMAIL", n, f"user{n}@example.com", f"user{n}@example.com")
            for n in range(1, 8)
        ],
    )


def _folder_bytes(folder: Path) -> int:
    return sum(member.stat().st_size for member in folder.iterdir())


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main(conversations: int, turns: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        store = HistoryStore(path)
        await store.open()
        per_turn: list[float] = []
        last = 0
        for n in range(conversations):
            conversation_id = await store.start_conversation(title=f"c{n}", frontend="bench")
            assert conversation_id is not None
            last = conversation_id
            for turn in range(turns):
                started = time.perf_counter()
                turn_id = await store.start_turn(
                    conversation_id, question=f"q{turn}", model="m", source="s", target="t"
                )
                assert turn_id is not None
                await store.finish_turn(conversation_id, turn_id, _outcome(turn))
                per_turn.append(time.perf_counter() - started)
        started = time.perf_counter()
        listed = await store.list()
        list_s = time.perf_counter() - started
        started = time.perf_counter()
        saved = await store.load(last)
        load_s = time.perf_counter() - started
        await store.aclose()
        size = _folder_bytes(Path(folder))
    assert saved is not None and len(listed) == conversations
    total = conversations * turns
    print(f"history: {conversations} conversations x {turns} turns ({total} turns)")
    print(
        f"  turn recorded   p50 {statistics.median(per_turn) * 1000:.1f} ms"
        f"   p95 {_percentile(per_turn, 0.95) * 1000:.1f} ms"
    )
    print(f"  list            {list_s * 1000:.1f} ms for {len(listed)} conversations")
    print(f"  load            {load_s * 1000:.1f} ms for one of {turns} turns")
    print(f"  file            {size / total / 1024:.1f} KiB per turn ({size / 2**20:.1f} MiB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--turns", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.conversations, options.turns))
