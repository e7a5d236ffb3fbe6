"""Canonical keys: equivalent requests share a key, different ones never do (table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from logai.cache.keys import (
    canonical_groups,
    canonical_pattern,
    canonical_prefixes,
    canonical_query,
    make_key,
)
from logai.cache.window import settled_before_ms, span_of
from logai.clock import to_ms

from .conftest import T0


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ERROR", "ERROR"),
        ("  ERROR   timeout\t", "ERROR timeout"),
        ("ERROR\n\ttimeout", "ERROR timeout"),
        ('"connection  reset"', '"connection  reset"'),
        ('  ERROR   "a  b"   c ', 'ERROR "a  b" c'),
        ('{ $.level   =   "a  b" }', '{ $.level = "a  b" }'),
        ("%ERR  OR%   x", "%ERR  OR% x"),
        ('"escaped \\"  quote"  x', '"escaped \\"  quote" x'),
        ('"unterminated   text', '"unterminated   text'),
        ("   ", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_pattern(given: str | None, expected: str | None) -> None:
    assert canonical_pattern(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("fields @message\n| filter  x", "fields @message | filter x"),
        ("fields @message\r\n|   limit 5  ", "fields @message | limit 5"),
        ("filter @message like /a  b/", "filter @message like /a  b/"),
        ("filter msg = 'two  spaces'", "filter msg = 'two  spaces'"),
        ("# note  here\nfields  x", "# note  here\nfields x"),
    ],
)
def test_canonical_query(given: str, expected: str) -> None:
    assert canonical_query(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["b/", "a/", "b/"], ("a/", "b/")),
        ([" app/ ", "app/api", "app/"], ("app/",)),
        (["/aws/lambda/x", "/aws/lambda/"], ("/aws/lambda/",)),
        ([], ()),
    ],
)
def test_canonical_prefixes(given: list[str], expected: tuple[str, ...]) -> None:
    assert canonical_prefixes(given) == expected


@pytest.mark.parametrize(
    ("groups", "prefixes", "expected"),
    [
        (["b", "a", "b", " a "], (), ("a", "b")),
        (["app/x", "db"], ("app/",), ("db",)),
        (["", "  "], (), ()),
    ],
)
def test_canonical_groups(
    groups: list[str], prefixes: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert canonical_groups(groups, prefixes) == expected


def test_key_ignores_argument_order() -> None:
    first = make_key("ns", "fetch", {"group": "g", "filter": "x", "start": 1, "end": 2})
    second = make_key("ns", "fetch", {"end": 2, "start": 1, "filter": "x", "group": "g"})
    assert first == second


@pytest.mark.parametrize(
    "other",
    [
        ("ns2", "fetch", {"group": "g"}),
        ("ns", "search", {"group": "g"}),
        ("ns", "fetch", {"group": "h"}),
        ("ns", "fetch", {"group": "g", "filter": None}),
    ],
)
def test_key_differs_when_the_request_differs(other: tuple[str, str, dict[str, object]]) -> None:
    assert make_key("ns", "fetch", {"group": "g"}) != make_key(*other)


EQUIVALENT_MOMENTS = [
    datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
    datetime(2026, 3, 1, 7, 0, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2026, 3, 1, 12, 0, 0, 400, tzinfo=UTC),  # sub-millisecond noise
    datetime(2026, 3, 1, 12, 0),  # naive means UTC
]


@pytest.mark.parametrize("moment", EQUIVALENT_MOMENTS)
def test_equivalent_times_normalise_to_the_same_milliseconds(moment: datetime) -> None:
    assert to_ms(moment) == to_ms(EQUIVALENT_MOMENTS[0])


def test_a_span_is_the_asked_range_in_whole_milliseconds() -> None:
    start = T0 - timedelta(hours=3, seconds=17, microseconds=400)
    end = T0 - timedelta(seconds=3, microseconds=900)
    span = span_of(start, end)
    assert (span.start_ms, span.end_ms) == (to_ms(start), to_ms(end))
    # The source is asked from the first to the last microsecond of those milliseconds.
    assert to_ms(span.start) == span.start_ms and to_ms(span.end) == span.end_ms
    assert span.start <= start and span.end >= end  # only the milliseconds' own edges
    assert span.end - span.start < end - start + timedelta(milliseconds=2)
    assert not span.empty and span_of(end, start).empty


@pytest.mark.parametrize(
    ("end_offset", "settled"),
    [(0, False), (-299, False), (-300, True), (-301, True), (600, False)],
)
def test_range_settles_once_it_ends_an_ingestion_delay_before_now(
    end_offset: int, settled: bool
) -> None:
    end = T0 + timedelta(seconds=end_offset)
    span = span_of(end - timedelta(hours=1), end)
    assert (span.end_ms <= settled_before_ms(T0, 300)) is settled
