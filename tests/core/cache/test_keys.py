"""Canonical keys: equivalent requests share a key, different ones never do (table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from logai.cache.clock import to_ms
from logai.cache.keys import (
    canonical_groups,
    canonical_pattern,
    canonical_prefixes,
    canonical_query,
    make_key,
)
from logai.cache.window import plan_window

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


def test_settled_range_is_kept_exact() -> None:
    start, end = T0 - timedelta(hours=3, seconds=17), T0 - timedelta(hours=1, seconds=3)
    window = plan_window(start, end, now=T0, ingestion_delay_seconds=300, bucket_seconds=60)
    assert not window.live
    assert (window.start, window.end) == (start, end)
    assert window.previous() is None


@pytest.mark.parametrize(
    ("end_offset", "live"),
    [(0, True), (-299, True), (-301, False), (600, True)],
)
def test_range_is_live_when_it_ends_within_the_ingestion_delay(end_offset: int, live: bool) -> None:
    end = T0 + timedelta(seconds=end_offset)
    window = plan_window(
        end - timedelta(hours=1), end, now=T0, ingestion_delay_seconds=300, bucket_seconds=60
    )
    assert window.live is live


def test_last_hour_asked_twice_within_a_bucket_gets_one_key() -> None:
    asked = []
    for seconds in (5, 30, 59):
        now = T0 + timedelta(seconds=seconds)
        window = plan_window(
            now - timedelta(hours=1), now, now=now, ingestion_delay_seconds=300, bucket_seconds=60
        )
        asked.append(window.key_params())
    assert asked[0] == asked[1] == asked[2]
    assert asked[0] == {
        "start": to_ms(T0 - timedelta(hours=1)),
        "end": to_ms(T0 + timedelta(seconds=60)),
    }


def test_live_window_covers_the_asked_range_and_knows_the_previous_bucket() -> None:
    now = T0 + timedelta(seconds=75)
    window = plan_window(
        now - timedelta(hours=1), now, now=now, ingestion_delay_seconds=0, bucket_seconds=60
    )
    assert window.start <= now - timedelta(hours=1) and window.end >= now
    assert (window.asked_start_ms, window.asked_end_ms) == (
        to_ms(now - timedelta(hours=1)),
        to_ms(now),
    )
    previous = window.previous()
    assert previous is not None
    assert previous.end_ms == window.end_ms - 60_000


def test_bucket_zero_turns_rounding_off() -> None:
    now = T0 + timedelta(seconds=7)
    window = plan_window(
        now - timedelta(hours=1), now, now=now, ingestion_delay_seconds=300, bucket_seconds=0
    )
    assert window.live and window.end == now and window.previous() is None
