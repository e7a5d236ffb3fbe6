"""Payload codec: what a source returned comes back exactly, in a compact form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from logai.cache.codec import (
    CodecError,
    decode_events,
    decode_groups,
    decode_query_result,
    encode_events,
    encode_groups,
    encode_query_result,
)
from logai.sources import LogEvent, LogGroup, QueryCost, QueryResult

from .conftest import T0, make_events


def test_events_round_trip_exactly() -> None:
    events = [
        *make_events(50),
        LogEvent(T0 + timedelta(microseconds=123_457), "µs precision ✓ 日本", "g2", "", ""),
        LogEvent(T0, "multi\nline\r\nmessage\x00with nul", "g", "s", "e"),
        LogEvent(T0, "lone surrogate \udcff kept", "g", "s", "e2"),
    ]
    assert decode_events(encode_events(events)) == events


def test_event_payload_is_smaller_than_to_dict_json() -> None:
    events = make_events(1000)
    plain = json.dumps([event.to_dict() for event in events]).encode()
    assert len(encode_events(events)) < 0.8 * len(plain)


def test_groups_round_trip() -> None:
    groups = [
        LogGroup("a", stored_bytes=10, created=datetime(2025, 1, 1, tzinfo=UTC), retention_days=7),
        LogGroup("b", extra={"arn": "arn:aws:logs:x"}),
    ]
    assert decode_groups(encode_groups(groups)) == groups


def test_query_result_round_trips() -> None:
    result = QueryResult(rows=[{"count": "3"}], status="Complete", statistics={"bytesScanned": 5.0})
    assert decode_query_result(encode_query_result(result)) == result


def test_query_result_round_trips_its_batches_and_cost() -> None:
    result = QueryResult(
        rows=[{"@message": "x"}],
        queries=7,
        batches=3,
        cost=QueryCost(bytes_scanned=2**31, approx_usd=0.01, basis="approximate, list price"),
    )
    assert decode_query_result(encode_query_result(result)) == result


@pytest.mark.parametrize(
    "payload", [b"", b"not json", b'{"v": 99}', b'{"v": 1, "rows": [[1]]}', b"\xff\xfe"]
)
def test_damaged_payload_raises_codec_error(payload: bytes) -> None:
    with pytest.raises(CodecError):
        decode_events(payload)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1969, 7, 20, 20, 17, 40, 123456, tzinfo=UTC),
        datetime(2112, 1, 1, 0, 0, 0, 999999, tzinfo=UTC),
        datetime(3000, 12, 31, 23, 59, 59, 654321, tzinfo=UTC),
    ],
)
def test_timestamps_far_from_now_round_trip_to_the_microsecond(moment: datetime) -> None:
    events = [LogEvent(moment, "m", "g")]
    assert decode_events(encode_events(events))[0].timestamp == moment
