"""The built-in ``files`` data source: formats, gzip, globs, multi-line events, filters, limits.

Files are written with fixed 2026 timestamps and an explicit modification time just after them
(syslog lines take their year from it, and files modified long before a range are skipped).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from logai.config import load_settings
from logai.registries import data_sources
from logai.sources.base import SourceNotFound, SourceValidationError
from logai.sources.files import EventLimits, FilesSource, TimestampParser, parse_filter
from logai.sources.files.collect import OldestKeeper
from logai.sources.files.paths import resolve_group
from logai.sources.files.scan import ScanCancelled, ScanRequest, scan_files

MTIME = datetime(2026, 11, 26, tzinfo=UTC)
EVERYTHING = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def at(text: str) -> datetime:
    """An aware UTC datetime from ISO text (no zone means UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def write(path: Path, text: str, *, mtime: datetime = MTIME, compress: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def iso_lines(start: datetime, count: int, step: timedelta, text: str = "line") -> str:
    """``count`` lines ``<ISO time> <text> <i>``, ``step`` apart."""
    return "".join(
        f"{(start + i * step).isoformat(timespec='milliseconds')} {text} {i}\n"
        for i in range(count)
    )


def fetch(source: FilesSource, group: str, **kwargs: object) -> list[str]:
    """Messages of a fetch over all of 2026 (or ``start``/``end`` given)."""
    start = kwargs.pop("start", EVERYTHING[0])
    end = kwargs.pop("end", EVERYTHING[1])
    events = asyncio.run(source.fetch_logs(group, start, end, **kwargs))  # type: ignore[arg-type]
    return [event.message for event in events]


# -- timestamp formats -------------------------------------------------------------------------

FORMATS = [
    ("iso-z", "2026-11-25T14:03:07Z started", "2026-11-25T14:03:07"),
    ("iso-millis", "2026-11-25T14:03:07.123Z started", "2026-11-25T14:03:07.123"),
    ("iso-micros", "2026-11-25T14:03:07.123456Z started", "2026-11-25T14:03:07.123"),
    ("iso-nanos", "2026-11-25T14:03:07.123456789Z started", "2026-11-25T14:03:07.123"),
    ("iso-tenths", "2026-11-25T14:03:07.5Z started", "2026-11-25T14:03:07.500"),
    ("iso-space-no-zone", "2026-11-25 14:03:07 started", "2026-11-25T14:03:07"),
    ("iso-offset", "2026-11-25T14:03:07+02:00 started", "2026-11-25T12:03:07"),
    ("iso-compact-offset", "2026-11-25T14:03:07.5-0530 x", "2026-11-25T19:33:07.500"),
    ("python-logging", "2026-11-25 14:03:07,123 INFO app: started", "2026-11-25T14:03:07.123"),
    ("bracketed", "[2026-11-25 14:03:07] started", "2026-11-25T14:03:07"),
    ("level-first", "INFO  2026-11-25T14:03:07Z started", "2026-11-25T14:03:07"),
    ("syslog", "Nov 25 14:03:07 web1 sshd[812]: accepted", "2026-11-25T14:03:07"),
    ("syslog-padded-day", "Nov  5 04:03:07 web1 cron[1]: run", "2026-11-05T04:03:07"),
    (
        "apache-access",
        '10.0.0.1 - bob [25/Nov/2026:14:03:07 +0100] "GET / HTTP/1.1" 200 512',
        "2026-11-25T13:03:07",
    ),
    (
        "apache-error",
        "[Wed Nov 25 14:03:07.123456 2026] [core:error] [pid 4] AH00037: denied",
        "2026-11-25T14:03:07.123",
    ),
    ("json-time", '{"time": "2026-11-25T14:03:07.250Z", "msg": "x"}', "2026-11-25T14:03:07.250"),
    ("json-timestamp-s", '{"timestamp": 1795615387, "msg": "x"}', "2026-11-25T14:03:07"),
    ("json-@timestamp", '{"@timestamp": "2026-11-25 14:03:07", "m": 1}', "2026-11-25T14:03:07"),
    ("json-ts-ms", '{"ts": 1795615387123, "msg": "x"}', "2026-11-25T14:03:07.123"),
    ("json-ts-float", '{"level": "info", "ts": 1795615387.5}', "2026-11-25T14:03:07.500"),
    ("json-ts-string-ms", '{"ts": "1795615387123"}', "2026-11-25T14:03:07.123"),
]


@pytest.mark.parametrize(
    ("line", "expected"), [f[1:] for f in FORMATS], ids=[f[0] for f in FORMATS]
)
def test_timestamp_formats_are_parsed_to_utc(line: str, expected: str) -> None:
    parser = TimestampParser(int(MTIME.timestamp() * 1000))
    stamp = parser.parse(line.encode())
    assert stamp is not None
    assert datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=stamp) == at(expected)


def test_fast_path_agrees_with_the_regex_path() -> None:
    """A parser that has seen the same second answers from its cache; the answers must agree."""
    reference = int(MTIME.timestamp() * 1000)
    suffixes = [" x", "", ",123 x", ".5 x", ".1234 x", "Z x", ".123Z x", ".123+01:00 x", "] x",
                ",12 x", ". done", ",123", ".123-0200"]  # fmt: skip
    for prefix in ("", "[", "INFO "):
        warm = TimestampParser(reference)
        warm.parse(f"{prefix}2026-11-25 14:03:07 warm-up".encode())
        for suffix in suffixes:
            line = f"{prefix}2026-11-25 14:03:07{suffix}".encode()
            assert warm.parse(line) == TimestampParser(reference).parse(line), line


@pytest.mark.parametrize(
    "line",
    [
        "just some text",
        "    at com.example.Main.run(Main.java:12)",
        "\tFile 'x.py', line 3",
        "2026-13-45T25:00:00Z not a real date",
        '{"msg": "no time field", "n": 1}',
        '{"ts": 12, "msg": "implausible epoch"}',
        "Nov 99 14:03:07 bad day",
        "",
    ],
)
def test_lines_without_a_timestamp_are_recognised(line: str) -> None:
    assert TimestampParser(int(MTIME.timestamp() * 1000)).parse(line.encode()) is None


def test_syslog_year_comes_from_the_file_and_rolls_back_over_new_year(tmp_path: Path) -> None:
    write(tmp_path / "syslog", "Dec 31 23:59:59 h a: old year\nJan  1 00:00:01 h a: new\n",
          mtime=datetime(2027, 1, 1, 0, 5, tzinfo=UTC))  # fmt: skip
    source = FilesSource(tmp_path)
    events = asyncio.run(
        source.fetch_logs("syslog", EVERYTHING[0], datetime(2028, 1, 1, tzinfo=UTC))
    )
    assert [e.timestamp for e in events] == [at("2026-12-31T23:59:59"), at("2027-01-01T00:00:01")]


def test_untimed_file_events_take_the_modification_time(tmp_path: Path) -> None:
    write(tmp_path / "plain.txt", "first\nsecond\n")
    events = asyncio.run(FilesSource(tmp_path).fetch_logs("plain.txt", *EVERYTHING))
    assert [(e.message, e.timestamp) for e in events] == [("first", MTIME), ("second", MTIME)]


def test_untimed_lines_before_the_first_timestamp_take_its_time(tmp_path: Path) -> None:
    write(tmp_path / "app.log", "=== banner ===\n2026-11-25T10:00:00Z started\n")
    events = asyncio.run(FilesSource(tmp_path).fetch_logs("app.log", *EVERYTHING))
    assert [(e.message, e.timestamp) for e in events] == [
        ("=== banner ===", at("2026-11-25T10:00:00")),
        ("2026-11-25T10:00:00Z started", at("2026-11-25T10:00:00")),
    ]


# -- multi-line events -------------------------------------------------------------------------

TRACEBACK = """2026-11-25 10:00:00,000 INFO ok
2026-11-25 10:00:01,000 ERROR request failed
Traceback (most recent call last):
  File "app.py", line 3, in handle
    raise KeyError(user)
KeyError: 'alice'
2026-11-25 10:00:02,000 INFO next
"""


def test_continuation_lines_belong_to_the_preceding_event(tmp_path: Path) -> None:
    write(tmp_path / "app.log", TRACEBACK)
    messages = fetch(FilesSource(tmp_path), "app.log")
    assert len(messages) == 3
    assert messages[1].splitlines()[0].endswith("ERROR request failed")
    assert messages[1].splitlines()[-1] == "KeyError: 'alice'"


def test_filter_matches_text_in_continuation_lines(tmp_path: Path) -> None:
    write(tmp_path / "app.log", TRACEBACK)
    messages = fetch(FilesSource(tmp_path), "app.log", filter_pattern="KeyError")
    assert len(messages) == 1 and "ERROR request failed" in messages[0]


def test_multi_line_events_are_bounded(tmp_path: Path) -> None:
    trace = "\n".join(f"  frame {i}" for i in range(7))
    write(tmp_path / "app.log", f"2026-11-25T10:00:00Z boom\n{trace}\n")
    source = FilesSource(tmp_path, event_limits=EventLimits(max_event_lines=3))
    events = asyncio.run(source.fetch_logs("app.log", *EVERYTHING))
    assert [len(e.message.splitlines()) for e in events] == [3, 3, 2]
    assert {e.timestamp for e in events} == {at("2026-11-25T10:00:00")}
    assert "".join(e.message for e in events).count("frame") == 7


def test_overlong_lines_are_cut(tmp_path: Path) -> None:
    write(tmp_path / "app.log", f"2026-11-25T10:00:00Z {'x' * 5000}\n2026-11-25T10:00:01Z next\n")
    source = FilesSource(tmp_path, event_limits=EventLimits(max_line_bytes=100))
    messages = fetch(source, "app.log")
    assert [len(m) for m in messages] == [100, len("2026-11-25T10:00:01Z next")]


def test_crlf_line_endings_are_stripped(tmp_path: Path) -> None:
    write(tmp_path / "win.log", "2026-11-25T10:00:00Z one\r\n2026-11-25T10:00:01Z two\r\n")
    assert fetch(FilesSource(tmp_path), "win.log") == [
        "2026-11-25T10:00:00Z one",
        "2026-11-25T10:00:01Z two",
    ]


# -- groups: files, folders, globs, gzip -------------------------------------------------------


@pytest.fixture
def rotated(tmp_path: Path) -> Path:
    """app.log with two rotated predecessors, the oldest gzip-compressed."""
    day = timedelta(days=1)
    write(tmp_path / "app.log.2.gz", "2026-11-23T10:00:00Z oldest\n", compress=True,
          mtime=MTIME - 2 * day)  # fmt: skip
    write(tmp_path / "app.log.1", "2026-11-24T10:00:00Z older\n", mtime=MTIME - day)
    write(tmp_path / "app.log", "2026-11-25T10:00:00Z newest\n")
    return tmp_path


def test_gzip_files_are_read_transparently(rotated: Path) -> None:
    assert fetch(FilesSource(rotated), "app.log.2.gz") == ["2026-11-23T10:00:00Z oldest"]


def test_glob_group_spans_rotated_files_oldest_first(rotated: Path) -> None:
    messages = fetch(FilesSource(rotated), "app.log*")
    assert [m.split()[-1] for m in messages] == ["oldest", "older", "newest"]


def test_limit_over_rotated_files_keeps_the_oldest(rotated: Path) -> None:
    assert [m.split()[-1] for m in fetch(FilesSource(rotated), "app.log*", limit=2)] == [
        "oldest",
        "older",
    ]


def test_folder_group_reads_every_log_file_below_it(tmp_path: Path) -> None:
    write(tmp_path / "svc" / "a.log", "2026-11-25T10:00:02Z a\n")
    write(tmp_path / "svc" / "deep" / "b.log", "2026-11-25T10:00:01Z b\n")
    write(tmp_path / "svc" / ".hidden.log", "2026-11-25T10:00:00Z hidden\n")
    write(tmp_path / "svc" / "image.png", "2026-11-25T10:00:00Z not a log\n")
    events = asyncio.run(FilesSource(tmp_path).fetch_logs("svc", *EVERYTHING))
    assert [(e.message[-1], e.group, e.stream) for e in events] == [
        ("b", "svc", "svc/deep/b.log"),
        ("a", "svc", "svc/a.log"),
    ]


def test_absolute_paths_and_globs_under_the_root_are_accepted(tmp_path: Path) -> None:
    write(tmp_path / "logs" / "one.log", "2026-11-25T10:00:00Z one\n")
    source = FilesSource(tmp_path / "elsewhere" / "..")
    assert fetch(source, str(tmp_path / "logs" / "one.log")) == ["2026-11-25T10:00:00Z one"]
    assert fetch(source, str(tmp_path / "logs" / "*.log")) == ["2026-11-25T10:00:00Z one"]


def test_recursive_glob(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.log", "2026-11-25T10:00:00Z x\n")
    write(tmp_path / "a" / "b" / "y.log", "2026-11-25T10:00:01Z y\n")
    assert [m[-1] for m in fetch(FilesSource(tmp_path), "**/*.log")] == ["x", "y"]


def test_unknown_group_suggests_close_names(tmp_path: Path) -> None:
    write(tmp_path / "api" / "server.log", "2026-11-25T10:00:00Z x\n")
    write(tmp_path / "worker.log", "2026-11-25T10:00:00Z x\n")
    source = FilesSource(tmp_path)
    with pytest.raises(SourceNotFound) as caught:
        fetch(source, "server.log")
    assert caught.value.suggestions[0] == "api/server.log"
    assert "api/server.log" in str(caught.value) and "LOGAI_FILES_ROOT" in str(caught.value)
    with pytest.raises(SourceNotFound) as caught:
        fetch(source, "workr.log")
    assert caught.value.suggestions[0] == "worker.log"


def test_glob_without_matches_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound):
        fetch(FilesSource(tmp_path), "*.nothing")


def test_empty_group_name_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(SourceValidationError):
        fetch(FilesSource(tmp_path), "  ")


def test_truncated_gzip_keeps_what_could_be_read(tmp_path: Path) -> None:
    data = gzip.compress(iso_lines(at("2026-11-25T10:00:00"), 2000, timedelta(seconds=1)).encode())
    path = tmp_path / "cut.log.gz"
    path.write_bytes(data[: len(data) // 2])
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    messages = fetch(FilesSource(tmp_path), "cut.log.gz", limit=5000)
    assert 0 < len(messages) < 2000 and messages[0].endswith("line 0")


# -- list_log_groups ---------------------------------------------------------------------------


def test_list_log_groups_lists_log_files_sorted_with_prefix_and_limit(tmp_path: Path) -> None:
    for name in ("b.log", "a/z.log", "a/y.log.1.gz", "a.log", ".git/HEAD", "lib.so", "c.txt"):
        write(tmp_path / name, "x\n")
    source = FilesSource(tmp_path)
    groups = asyncio.run(source.list_log_groups())
    assert [g.name for g in groups] == ["a.log", "a/y.log.1.gz", "a/z.log", "b.log", "c.txt"]
    assert groups[0].stored_bytes == 2 and groups[1].extra["compressed"] == "gzip"
    assert [g.name for g in asyncio.run(source.list_log_groups("a/"))] == [
        "a/y.log.1.gz",
        "a/z.log",
    ]
    assert [g.name for g in asyncio.run(source.list_log_groups("a", limit=2))] == [
        "a.log",
        "a/y.log.1.gz",
    ]


def test_list_log_groups_missing_root_says_which_setting(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match="LOGAI_FILES_ROOT"):
        asyncio.run(FilesSource(tmp_path / "missing").list_log_groups())


# -- filters -----------------------------------------------------------------------------------

FILTERS = [
    ("ERROR", "2026 ERROR db down", True),
    ("ERROR", "2026 error db down", False),  # case-sensitive, like CloudWatch
    ("ERROR db", "ERROR db down", True),
    ("ERROR db", "ERROR cache down", False),
    ("?timeout ?refused", "connect refused", True),
    ("?timeout ?refused", "connect reset", False),
    ("ERROR -healthcheck", "ERROR in /healthcheck", False),
    ("ERROR -healthcheck", "ERROR in /orders", True),
    ("-DEBUG", "INFO fine", True),
    ('"connection reset"', "peer: connection reset by peer", True),
    ('"connection reset"', "connection was reset", False),
    ('"say \\"hi\\""', 'they say "hi" twice', True),
    ("ERROR ?db ?cache -retry", "ERROR cache miss", True),
    ("ERROR ?db ?cache -retry", "ERROR cache miss, retry", False),
    ("ERROR ?db ?cache -retry", "ERROR disk full", False),
    ("naïve", "a naïve line", True),
]


@pytest.mark.parametrize(("pattern", "text", "matches"), FILTERS)
def test_filter_syntax(pattern: str, text: str, matches: bool) -> None:
    parsed = parse_filter(pattern)
    assert parsed is not None
    assert parsed.matches_text(text) is matches


@pytest.mark.parametrize(
    "pattern", ['"unclosed', "?", "ERROR -", '""', '{ $.level = "error" }', "[ip, user, ts]"]
)
def test_invalid_filter_patterns_are_rejected_with_the_syntax(pattern: str) -> None:
    with pytest.raises(SourceValidationError, match="quoted phrase"):
        parse_filter(pattern)


@pytest.mark.parametrize("pattern", [None, "", "   "])
def test_blank_filter_matches_everything(pattern: str | None) -> None:
    assert parse_filter(pattern) is None


# -- ranges, limits, search --------------------------------------------------------------------


@pytest.fixture
def minutes(tmp_path: Path) -> FilesSource:
    """svc/a.log and svc/b.log: a line a minute from 10:00 (b 30 s later), ERROR every third."""
    start = at("2026-11-25T10:00:00")

    def line(name: str, i: int, offset: timedelta) -> str:
        level = "ERROR" if i % 3 == 0 else "INFO"
        return f"{(start + timedelta(minutes=i) + offset).isoformat()} {level} {name}{i}"

    lines_a = [line("a", i, timedelta(0)) for i in range(10)]
    lines_b = [line("b", i, timedelta(seconds=30)) for i in range(10)]
    write(tmp_path / "svc" / "a.log", "\n".join(lines_a) + "\n")
    write(tmp_path / "svc" / "b.log", "\n".join(lines_b) + "\n")
    return FilesSource(tmp_path)


def test_fetch_range_is_inclusive_and_limit_is_exact(minutes: FilesSource) -> None:
    start, end = at("2026-11-25T10:02:00"), at("2026-11-25T10:05:00")
    tail = [m.split()[-1] for m in fetch(minutes, "svc/a.log", start=start, end=end)]
    assert tail == ["a2", "a3", "a4", "a5"]
    assert len(fetch(minutes, "svc/a.log", limit=7)) == 7


def test_search_across_groups_and_prefixes_with_total_limit(minutes: FilesSource) -> None:
    events = asyncio.run(minutes.search_logs(["svc/a.log"], "ERROR", *EVERYTHING, limit=5,
                                             prefixes=["svc/"]))  # fmt: skip
    assert [e.message.split()[-1] for e in events] == ["a0", "b0", "a3", "b3", "a6"]
    assert [e.group for e in events[:2]] == ["svc/a.log", "svc/b.log"]
    assert len({e.event_id for e in events}) == 5


def test_search_needs_groups_or_prefixes(minutes: FilesSource) -> None:
    with pytest.raises(SourceValidationError):
        asyncio.run(minutes.search_logs([], "ERROR", *EVERYTHING))


@pytest.mark.parametrize(
    ("start", "end", "limit"),
    [(EVERYTHING[1], EVERYTHING[0], 10), (EVERYTHING[0], EVERYTHING[1], 0)],
    ids=["start-after-end", "zero-limit"],
)
def test_bad_requests_are_validation_errors(
    minutes: FilesSource, start: datetime, end: datetime, limit: int
) -> None:
    with pytest.raises(SourceValidationError):
        asyncio.run(minutes.fetch_logs("svc/a.log", start, end, limit=limit))


def test_event_ids_are_stable_and_name_the_file(minutes: FilesSource) -> None:
    first = asyncio.run(minutes.fetch_logs("svc", *EVERYTHING))
    again = asyncio.run(minutes.fetch_logs("svc", *EVERYTHING))
    assert [e.event_id for e in first] == [e.event_id for e in again]
    assert first[0].event_id == "svc/a.log:0"


# -- large files: streaming, seeking, early stops, cancellation ----------------------------------


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """~2.6 MB: 40,000 lines a second apart from 2026-11-20, every 10th slightly out of order."""
    start = at("2026-11-20T00:00:00")
    lines = []
    for i in range(40_000):
        jitter = -3 if i % 10 == 9 else 0  # a late-flushed line, 3 s out of order
        stamp = start + timedelta(seconds=i + jitter)
        lines.append(f"{stamp.isoformat(timespec='milliseconds')} INFO worker request {i:05d}\n")
    return write(tmp_path / "big.log", "".join(lines))


def test_range_inside_a_large_file_is_found_exactly(big: Path) -> None:
    start = at("2026-11-20T10:00:00")  # line 36000
    end = start + timedelta(seconds=20)
    messages = fetch(FilesSource(big.parent), "big.log", start=start, end=end)
    numbers = sorted(int(m.split()[-1]) for m in messages)
    late = {i for i in range(35_990, 36_030) if i % 10 == 9}
    expected = [i for i in range(35_990, 36_030) if 36_000 <= i - 3 * (i in late) <= 36_020]
    assert numbers == expected


def test_large_file_is_entered_near_the_range_not_read_from_the_start(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logai.sources.files import scan
    from logai.sources.files.reader import seek_to_time as real

    offsets: list[int] = []

    def spy(*args: object, **kwargs: object) -> int:
        offsets.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return offsets[-1]

    monkeypatch.setattr(scan, "seek_to_time", spy)
    start = at("2026-11-20T10:00:00")
    fetch(FilesSource(big.parent), "big.log", start=start, end=start + timedelta(seconds=1))
    assert offsets and offsets[0] > big.stat().st_size * 0.8


def test_limit_on_a_slightly_unordered_file_returns_the_oldest_sorted(big: Path) -> None:
    events = asyncio.run(FilesSource(big.parent).fetch_logs("big.log", *EVERYTHING, limit=12))
    stamps = [e.timestamp for e in events]
    assert stamps == sorted(stamps) and len(events) == 12
    assert [int(e.message.split()[-1]) for e in events][:10] == [0, 1, 2, 3, 4, 5, 6, 9, 7, 8]


def test_files_modified_before_the_range_are_skipped_unread(tmp_path: Path) -> None:
    # Its lines claim to be recent, but the file was last written years ago: not opened.
    write(tmp_path / "old.log", "2026-11-25T10:00:00Z misdated\n", mtime=at("2020-01-01T00:00:00"))
    assert fetch(FilesSource(tmp_path), "old.log", start=at("2026-11-25T09:00:00")) == []


def test_a_cancelled_scan_stops(big: Path) -> None:
    request = ScanRequest(0, 2**62, None, OldestKeeper(10), 0)
    request.cancelled.set()
    with pytest.raises(ScanCancelled):
        scan_files([("big.log", f) for f in resolve_group("big.log", big.parent)], request)


async def test_cancelling_the_caller_stops_the_worker_thread(big: Path) -> None:
    source = FilesSource(big.parent)
    started, finished = threading.Event(), threading.Event()
    flagged: list[bool] = []
    original = source._scan

    def watched_scan(*args: Any) -> Any:
        started.set()
        try:
            flagged.append(args[-1].wait(5))  # the cancellation flag the scan polls
            return original(*args)
        finally:
            finished.set()

    source._scan = watched_scan  # type: ignore[method-assign,assignment]
    task = asyncio.create_task(source.fetch_logs("big.log", *EVERYTHING))
    await asyncio.to_thread(started.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.to_thread(finished.wait, 5)
    assert flagged == [True]


# -- plugin registration -----------------------------------------------------------------------


def test_files_is_a_builtin_data_source_rooted_at_the_setting(
    tmp_path: Path, logai_host: object
) -> None:
    settings = load_settings(files_root=tmp_path)
    registration = data_sources()["files"]
    assert registration.plugin == "local-files"
    source = registration.factory(settings)
    assert isinstance(source, FilesSource)
    assert source.root == tmp_path and str(tmp_path) in source.describe()
    assert FilesSource(tmp_path / "a").cache_identity() != FilesSource(tmp_path).cache_identity()
    assert source.ingestion_delay_seconds == 0 and not source.supports_query


def test_files_root_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert FilesSource.from_settings(load_settings()).root == tmp_path


async def test_files_outside_the_root_are_refused(tmp_path: Path) -> None:
    from logai.sources import SourceAccessDenied
    from logai.sources.files.source import FilesSource

    root = tmp_path / "logs"
    root.mkdir()
    (root / "app.log").write_text("2026-11-25T10:00:00Z hello\n")
    secret = tmp_path / "credentials"
    secret.write_text("2026-11-25T10:00:00Z aws_secret_access_key=abc\n")
    (root / "sneaky.log").symlink_to(secret)
    source = FilesSource(root)
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    assert len(await source.fetch_logs("app.log", start, end)) == 1
    for name in (str(secret), "../credentials", "sneaky.log"):
        with pytest.raises(SourceAccessDenied, match="outside the files root"):
            await source.fetch_logs(name, start, end)


def test_files_source_is_not_cached(tmp_path: Path) -> None:
    from logai.cache import wrap_with_cache
    from logai.config import load_settings
    from logai.sources.files.source import FilesSource

    source = FilesSource(tmp_path)
    assert wrap_with_cache(source, load_settings()) is source
