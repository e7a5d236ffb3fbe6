"""Time parsing: every accepted form, against a fixed ``now``; clear errors for the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from logai.timeparse import (
    ACCEPTED_FORMS,
    TimeInput,
    TimeParseError,
    format_time,
    parse_duration,
    parse_time,
    resolve_range,
)

NOW = datetime(2024, 5, 1, 12, 30, 45, 123000, tzinfo=UTC)


def _at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, ms: int = 0
) -> datetime:
    moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return moment + timedelta(milliseconds=ms)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 with a zone, converted to UTC
        ("2024-04-30T10:00:00Z", _at(2024, 4, 30, 10)),
        ("2024-04-30T10:00:00z", _at(2024, 4, 30, 10)),
        ("2024-04-30T10:00:00.250Z", _at(2024, 4, 30, 10, ms=250)),
        ("2024-04-30T10:00:00+02:00", _at(2024, 4, 30, 8)),
        ("2024-04-30T10:00:00-05:30", _at(2024, 4, 30, 15, 30)),
        ("2024-04-30 10:00+0000", _at(2024, 4, 30, 10)),
        # ISO 8601 without a zone: UTC, not local time
        ("2024-04-30T10:00:00", _at(2024, 4, 30, 10)),
        ("2024-04-30 10:00", _at(2024, 4, 30, 10)),
        ("2024-04-30t10:00", _at(2024, 4, 30, 10)),
        ("2024-04-30", _at(2024, 4, 30)),
        ("  2024-04-30  ", _at(2024, 4, 30)),
        # epoch seconds and milliseconds, told apart by magnitude
        ("1714564800", _at(2024, 5, 1, 12)),
        ("1714564800.5", _at(2024, 5, 1, 12, ms=500)),
        ("1714564800000", _at(2024, 5, 1, 12)),
        ("1714564800123", _at(2024, 5, 1, 12, ms=123)),
        (1714564800, _at(2024, 5, 1, 12)),
        (1714564800123, _at(2024, 5, 1, 12, ms=123)),
        (1714564800.25, _at(2024, 5, 1, 12, ms=250)),
        (99_999_999_999, _at(5138, 11, 16, 9, 46, 39)),  # the largest value read as seconds
        (100_000_000_000, _at(1973, 3, 3, 9, 46, 40)),  # the smallest read as milliseconds
        # words
        ("now", NOW),
        ("NOW", NOW),
        ("today", _at(2024, 5, 1)),
        ("yesterday", _at(2024, 4, 30)),
        # relative, always into the past
        ("30m", NOW - timedelta(minutes=30)),
        ("90s", NOW - timedelta(seconds=90)),
        ("1h", NOW - timedelta(hours=1)),
        ("1.5h", NOW - timedelta(minutes=90)),
        ("1w", NOW - timedelta(weeks=1)),
        ("2d", NOW - timedelta(days=2)),
        ("1h ago", NOW - timedelta(hours=1)),
        ("2 days ago", NOW - timedelta(days=2)),
        ("5 minutes ago", NOW - timedelta(minutes=5)),
        ("3 secs ago", NOW - timedelta(seconds=3)),
        ("2 hrs", NOW - timedelta(hours=2)),
        ("an hour ago", NOW - timedelta(hours=1)),
        ("a day ago", NOW - timedelta(days=1)),
        ("hour ago", NOW - timedelta(hours=1)),
        ("last 2 hours", NOW - timedelta(hours=2)),
        ("last hour", NOW - timedelta(hours=1)),
        ("past 15 minutes", NOW - timedelta(minutes=15)),
        ("Last 2 Weeks", NOW - timedelta(weeks=2)),
        ("1h30m", NOW - timedelta(minutes=90)),
        ("1h 30m ago", NOW - timedelta(minutes=90)),
        ("1 hour, 30 minutes", NOW - timedelta(minutes=90)),
        ("1 hour and 30 minutes ago", NOW - timedelta(minutes=90)),
        ("-15m", NOW - timedelta(minutes=15)),
        ("now-1h", NOW - timedelta(hours=1)),
        ("now - 2 days", NOW - timedelta(days=2)),
    ],
)
def test_parse_time_accepts(value: TimeInput, expected: datetime) -> None:
    parsed = parse_time(value, now=NOW)

    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 4, 30, 10, 0), _at(2024, 4, 30, 10)),  # naive: UTC
        (datetime(2024, 4, 30, 10, 0, tzinfo=timezone(timedelta(hours=2))), _at(2024, 4, 30, 8)),
    ],
)
def test_parse_time_normalises_datetimes_to_utc(value: datetime, expected: datetime) -> None:
    parsed = parse_time(value, now=NOW)

    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [
        "soon",
        "1 month ago",
        "3 years ago",
        "h",
        "m",
        "ago",
        "last",
        "2024-13-01",
        "2024-05-01T25:00",
        "tomorrow-ish",
        "1h later",
        "1e20",
    ],
)
def test_parse_time_rejects_nonsense_listing_the_accepted_forms(value: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time(value, now=NOW)

    assert repr(value) in str(caught.value) or value in str(caught.value)
    assert ACCEPTED_FORMS in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("30", "needs a unit"),
        ("20240501", "needs a unit"),
        (0, "needs a unit"),
        (10**14, r"milliseconds \(10\^11 to 10\^14\)"),
        (-5, "epoch time"),
        (float("nan"), "epoch time"),
    ],
)
def test_parse_time_refuses_to_guess_odd_epoch_numbers(value: TimeInput, hint: str) -> None:
    with pytest.raises(TimeParseError, match=hint):
        parse_time(value, now=NOW)


def test_parse_time_refuses_booleans() -> None:
    with pytest.raises(TimeParseError):
        parse_time(True, now=NOW)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_parse_time_uses_the_default_for_missing_input(empty: TimeInput) -> None:
    assert parse_time(empty, now=NOW) == NOW
    assert parse_time(empty, now=NOW, default="1h") == NOW - timedelta(hours=1)


def test_parse_time_without_input_or_default_says_so() -> None:
    with pytest.raises(TimeParseError, match="No time given"):
        parse_time(None, now=NOW, default=None)


def test_parse_time_defaults_now_to_the_current_time() -> None:
    before = datetime.now(UTC)
    parsed = parse_time("now")
    assert before <= parsed <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("2 hours", 7200), ("1h30m", 5400), ("an hour", 3600), ("1 week", 604800)],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "5", "5 parsecs", "s"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, (NOW - timedelta(hours=1), NOW)),
        ("2h", None, (NOW - timedelta(hours=2), NOW)),
        ("yesterday", "today", (_at(2024, 4, 30), _at(2024, 5, 1))),
        ("2024-04-30T10:00Z", "1714564800000", (_at(2024, 4, 30, 10), _at(2024, 5, 1, 12))),
        ("now", "now", (NOW, NOW)),
    ],
)
def test_resolve_range(
    start: TimeInput, end: TimeInput, expected: tuple[datetime, datetime]
) -> None:
    assert resolve_range(start, end, now=NOW) == expected


def test_resolve_range_default_start_is_configurable() -> None:
    start, end = resolve_range(None, None, now=NOW, default_start="15m")
    assert end - start == timedelta(minutes=15)


def test_resolve_range_start_after_end_shows_both_resolved_times() -> None:
    with pytest.raises(TimeParseError) as caught:
        resolve_range("1h ago", "2h ago", now=NOW)

    message = str(caught.value)
    assert "2024-05-01T11:30:45.123Z" in message  # resolved start
    assert "2024-05-01T10:30:45.123Z" in message  # resolved end
    assert "'1h ago'" in message and "'2h ago'" in message
    assert "is after the end time" in message


def test_resolve_range_reports_the_unparseable_side() -> None:
    with pytest.raises(TimeParseError, match="'whenever'"):
        resolve_range("1h", "whenever", now=NOW)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (_at(2024, 5, 1, 12, ms=5), "2024-05-01T12:00:00.005Z"),
        (datetime(2024, 5, 1, 14, tzinfo=timezone(timedelta(hours=2))), "2024-05-01T12:00:00.000Z"),
        (datetime(2024, 5, 1, 12), "2024-05-01T12:00:00.000Z"),
    ],
)
def test_format_time_is_iso_utc_with_milliseconds(value: datetime, text: str) -> None:
    assert format_time(value) == text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("yesterdy", "yesterday"),
        ("Tody", "today"),
        ("2 hors ago", "2 hours ago"),
        ("lst 2 hours", "last 2 hours"),
        ("30 minuts", "30 minutes"),
    ],
)
def test_a_misspelt_word_suggests_the_corrected_time(typed: str, meant: str) -> None:
    with pytest.raises(TimeParseError, match=f"Did you mean '{meant}'\\?"):
        parse_time(typed)


@pytest.mark.parametrize("typed", ["bogus", "2 eons ago", "2 parsecs ago", "yesterday-ish thing"])
def test_nothing_is_suggested_unless_the_correction_parses(typed: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time(typed)
    assert "Did you mean" not in str(caught.value)
