"""reduce_events and Reduction.render: exact when it fits, faithful and in budget when not."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from logai.reduce import reduce_events
from logai.reduce.tokens import estimate_tokens
from logai.sources import LogEvent

T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def _event(seconds: int, message: str) -> LogEvent:
    return LogEvent(timestamp=T0 + timedelta(seconds=seconds), message=message, group="app")


def _many_events(kinds: int = 60, per_kind: int = 50) -> list[LogEvent]:
    events = [
        _event(i, f"INFO step{k:03d}x worker {i} finished task {i * 7} in {i % 90} ms")
        for i in range(kinds * per_kind)
        for k in [i % kinds]
    ]
    events.append(_event(10_000, "ERROR payment gateway unreachable after 3 retries"))
    events.append(_event(10_001, "WARN queue depth 9000 above threshold"))
    return events


def test_reduce_events_keeps_exact_lines_when_they_fit() -> None:
    events = [_event(0, "service started"), _event(1, "listening on port 8080")]
    reduction = reduce_events(events, budget_tokens=1000)
    assert reduction.reduced is False
    text = reduction.render()
    assert "2024-03-01T10:00:00Z service started" in text
    assert "2024-03-01T10:00:01Z listening on port 8080" in text


def test_reduce_events_groups_when_over_budget_and_counts_add_up() -> None:
    events = _many_events(kinds=5, per_kind=200)
    reduction = reduce_events(events, budget_tokens=2000, count_tokens=estimate_tokens)
    assert reduction.reduced is True
    assert sum(g.count for g in reduction.groups) == len(events) == reduction.total_events
    assert reduction.summary() == f"{len(events):,} events → {len(reduction.groups)} templates"
    text = reduction.render()
    assert text.startswith(reduction.summary())
    assert estimate_tokens(text) <= 2000


def test_render_puts_errors_and_warnings_first() -> None:
    reduction = reduce_events(_many_events(5, 100), budget_tokens=3000)
    blocks = re.findall(r"^\[\d+\]( \w+)? ×", reduction.render(), flags=re.M)
    assert blocks[:2] == [" ERROR", " WARN"]


def test_render_reports_first_and_last_timestamps() -> None:
    events = [_event(i * 60, f"INFO job {i} done") for i in range(40)]
    reduction = reduce_events(events, budget_tokens=200)
    text = reduction.render()
    assert "2024-03-01T10:00:00Z → 2024-03-01T10:39:00Z" in text
    group = reduction.groups[0]
    assert group.first_timestamp == T0
    assert group.last_timestamp == T0 + timedelta(minutes=39)


def test_render_drops_samples_then_groups_and_says_what_it_omitted() -> None:
    events = _many_events(kinds=200, per_kind=5)
    budget = 1500
    reduction = reduce_events(events, budget_tokens=budget, count_tokens=estimate_tokens)
    text = reduction.render()
    assert estimate_tokens(text) <= budget
    assert "e.g." not in text  # samples went first
    omitted = re.search(r"… ([\d,]+) more templates \(([\d,]+) events\)", text)
    assert omitted is not None
    shown = len(re.findall(r"^\[\d+\]", text, flags=re.M))
    assert shown + int(omitted.group(1).replace(",", "")) == len(reduction.groups)
    # errors and warnings are the last to go
    assert " ERROR ×" in text and " WARN ×" in text


def test_render_respects_a_real_tokenizer_budget() -> None:
    calls: list[int] = []

    def words(text: str) -> int:
        calls.append(1)
        return len(text.split())

    reduction = reduce_events(_many_events(50, 20), budget_tokens=800, count_tokens=words)
    assert words(reduction.render()) <= 800


def test_render_cuts_huge_lines_visibly() -> None:
    events = [_event(i, "INFO payload " + "x" * 5000 + f" {i}") for i in range(20)]
    text = reduce_events(events, budget_tokens=2000).render()
    assert "…[cut]" in text
    assert estimate_tokens(text) <= 2000


def test_reduce_events_handles_a_hundred_thousand_events_quickly() -> None:
    import time

    events = [
        _event(i, f"INFO request {i} from 10.0.{i % 250}.{i % 7} took {i % 900} ms")
        for i in range(100_000)
    ]
    events[77_777] = _event(77_777, "ERROR database connection lost")
    start = time.process_time()
    reduction = reduce_events(events, budget_tokens=8000)
    text = reduction.render()
    assert time.process_time() - start < 10
    assert reduction.summary() == "100,000 events → 2 templates"
    assert "ERROR ×1" in text
    assert estimate_tokens(text) <= 8000


def test_render_says_so_when_the_budget_is_too_small_for_anything() -> None:
    reduction = reduce_events(_many_events(5, 10), budget_tokens=30, count_tokens=estimate_tokens)
    text = reduction.render()
    assert estimate_tokens(text) <= 30
    assert text.startswith(f"{reduction.total_events:,} events")


def test_render_omits_the_fewest_events_and_keeps_errors() -> None:
    events = [_event(i, f"INFO cache refreshed for shard {i}") for i in range(3000)]
    # 300 distinct rare templates (different lengths, so none generalises into another)
    events += [_event(5000 + k, "failed " + "again " * k) for k in range(300)]
    events.append(_event(9000, "ERROR disk full on /var"))
    reduction = reduce_events(events, budget_tokens=1000, count_tokens=estimate_tokens)
    text = reduction.render()
    assert estimate_tokens(text) <= 1000
    assert "cache refreshed for shard <*>" in text  # 3,000 events: never the one to go
    assert "ERROR ×1" in text
    omitted = re.search(r"… ([\d,]+) more templates \(([\d,]+) events\)", text)
    assert omitted is not None
    assert int(omitted.group(2).replace(",", "")) == int(omitted.group(1).replace(",", ""))


def test_reduce_events_accepts_no_events() -> None:
    reduction = reduce_events([], budget_tokens=500)
    assert reduction.reduced is False
    assert reduction.summary() == "0 events → 0 templates"
    assert reduction.render() == "0 events (all shown verbatim):"
