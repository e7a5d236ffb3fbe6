"""group_lines: every line in one group, no event kind lost, errors first, times right."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from logai.reduce import TemplateGroup, group_lines
from logai.reduce._mask import mask

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def _assert_partition(groups: list[TemplateGroup], n: int) -> None:
    members = sorted(i for g in groups for i in g.line_numbers)
    assert members == list(range(n))
    assert all(g.count == len(g.line_numbers) for g in groups)
    assert all(g.line_numbers == sorted(g.line_numbers) for g in groups)


@pytest.mark.parametrize("name", ["app.log", "json.log", "nginx.log"])
def test_group_lines_puts_every_line_in_exactly_one_group(name: str) -> None:
    lines = _lines(name)
    _assert_partition(group_lines(lines), len(lines))


def test_group_lines_keeps_every_event_kind_apart() -> None:
    groups = group_lines(_lines("app.log"))
    templates = {g.template: g.count for g in groups}
    assert templates == {
        "GET <*> served in <*>": 5,
        "slow query took <*>": 2,
        "payment <*> declined by provider stripe": 1,
        "job <*> finished": 2,
    }


def test_group_lines_puts_errors_and_warnings_first() -> None:
    groups = group_lines(_lines("app.log"))
    assert [g.severity for g in groups[:2]] == ["ERROR", "WARN"]
    assert groups[2].count >= groups[3].count


def test_group_lines_reads_first_and_last_timestamps_from_headers() -> None:
    groups = group_lines(_lines("app.log"))
    slow = next(g for g in groups if g.template.startswith("slow query"))
    assert slow.first_timestamp == datetime(2024, 3, 1, 10, 0, 1, 2000, tzinfo=UTC)
    assert slow.last_timestamp == datetime(2024, 3, 1, 10, 0, 5, tzinfo=UTC)
    assert slow.samples == [_lines("app.log")[2], _lines("app.log")[6]]


def test_group_lines_uses_the_message_field_of_json_lines() -> None:
    groups = group_lines(_lines("json.log"))
    assert [(g.template, g.count, g.severity) for g in groups] == [
        ("token for user <*> expired", 1, "ERROR"),
        ("user <*> logged in", 3, "INFO"),
    ]


def test_group_lines_reads_timestamps_of_json_lines() -> None:
    groups = group_lines(_lines("json.log"))
    logins = next(g for g in groups if g.template == "user <*> logged in")
    assert logins.first_timestamp == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert logins.last_timestamp == datetime(2024, 3, 1, 10, 0, 3, tzinfo=UTC)


def test_group_lines_groups_access_logs_by_request_shape() -> None:
    groups = group_lines(_lines("nginx.log"))
    templates = {g.template for g in groups}
    assert templates == {
        "client=<*> ident=- user=- method=GET path=<*> protocol=HTTP/1.1 status=2xx bytes=<*> "
        "referer=- user_agent=curl/8.0",
        "client=<*> ident=- user=- method=POST path=/api/login protocol=HTTP/1.1 status=4xx "
        "bytes=<*> referer=- user_agent=curl/8.0",
    }
    assert sum(g.count for g in groups) == 4


def test_group_lines_generalises_words_that_vary_like_values() -> None:
    users = ["root", "admin", "oracle", "test", "guest", "webmaster"]
    lines = [f"Dec 10 06:55:46 host sshd[1]: Invalid user {u} from 10.0.0.{i}" for i, u in
             enumerate(users)]  # fmt: skip
    lines += ["Dec 10 06:55:47 host sshd[1]: session opened for user root",
              "Dec 10 06:55:48 host sshd[1]: session closed for user root"]  # fmt: skip
    groups = group_lines(lines)
    assert {g.template: g.count for g in groups} == {
        "Invalid user <*> from <*>": 6,
        "session opened for user root": 1,
        "session closed for user root": 1,
    }


def test_group_lines_keeps_a_rare_error_among_many_lines() -> None:
    lines = [f"2024-01-01 00:00:{i % 60:02d} INFO worker {i} heartbeat ok" for i in range(5000)]
    lines.insert(2500, "2024-01-01 00:41:40 ERROR disk /dev/sda1 failed")
    groups = group_lines(lines)
    assert groups[0].severity == "ERROR"
    assert groups[0].line_numbers == [2500]
    _assert_partition(groups, len(lines))


def test_group_lines_strips_carriage_returns_and_accepts_empty_input() -> None:
    assert group_lines([]) == []
    groups = group_lines(["a 1\r\n", "a 2\r"])
    assert [(g.template, g.count) for g in groups] == [("a <*>", 2)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("PacketResponder 1 for block blk_-6952295868487656571 terminating",
         "PacketResponder <*> for block blk_<*> terminating"),
        ("Connection from 10.0.0.1:5432 refused", "Connection from <*> refused"),
        ("sent 18846 bytes (18.4 KB) in 2010 ms", "sent <*> in <*>"),
        ("connection from 24.54.76.216 () at Fri Jun 17 07:07:00 2005",
         "connection from <*> at <*>"),
        ("Link Up on en0 via IO80211AWDLPeerManager", "Link Up on en0 via IO80211AWDLPeerManager"),
        ("rhost=csnsu.nsuok.edu user=root", "rhost=<*> user=root"),
        ("GET /v2/54fadb412c4e/servers/detail?all=1 done", "GET <*> done"),
        ("token=de9231d ok", "token=<*> ok"),
        ("Slow request GET / took 1200 ms", "Slow request GET <*> took <*>"),
        ("5 / 10 done", "<*> / <*> done"),
    ],
)  # fmt: skip
def test_mask_hides_values_but_keeps_names(message: str, expected: str) -> None:
    assert mask(message) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("ask 10.0.0.1:50010 to delete blk_1 blk_-2 blk_3", "ask <*> to delete blk_<*>"),
        ("nodesets node-1 <ok> node-2 <ok> node-3 <ok>", "nodesets node-<*> <ok>"),
        ("generating core.46425", "generating core.<*>"),
    ],
)
def test_mask_treats_lists_of_any_length_alike(message: str, expected: str) -> None:
    assert mask(message) == expected


def test_group_lines_keeps_keyword_slots_apart_from_values() -> None:
    lines = [
        "unregister callback for null",
        "unregister callback for com.example.Monitor@712d093",
        "unregister callback for com.example.Other@80c2e70",
    ]
    templates = {g.template for g in group_lines(lines)}
    assert "unregister callback for null" in templates


@pytest.mark.parametrize(
    "line",
    [
        "a1" * 50_000,
        "<*>x" * 25_000,
        "[" + "a " * 50_000,
        "Jan  1 00:00:00 " + "h1" * 25_000 + " x",
        "2024-01-01 12:00:00 " + "x1 " * 20_000,
        "a.b" * 25_000 + ": x",
        "/a1" * 30_000,
    ],
    ids=lambda line: line[:12],
)
def test_group_lines_stays_linear_on_pathological_lines(line: str) -> None:
    import time

    start = time.process_time()
    groups = group_lines([line, line + " 2"])
    assert time.process_time() - start < 2
    _assert_partition(groups, 2)
