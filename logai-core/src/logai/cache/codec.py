"""Compact, lossless serialisation of what sources return: events, groups, query results.

Events are stored column-wise-ish: group and stream names once in a table, each event as
``[microseconds, message, group index, stream index, event id]``. That is what the source
returned, byte for byte (never sanitised text), about half the JSON of ``LogEvent.to_dict``,
and much faster to decode because no ISO timestamps are parsed.
Compression is the store's job; this module produces plain UTF-8 JSON bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from logai.clock import EPOCH
from logai.sources.base import LogEvent, LogGroup, QueryCost, QueryResult

__all__ = [
    "CodecError",
    "decode_events",
    "decode_groups",
    "decode_query_result",
    "encode_events",
    "encode_groups",
    "encode_query_result",
]

FORMAT_VERSION = 1
_MICROSECOND = timedelta(microseconds=1)


class CodecError(ValueError):
    """A stored payload could not be decoded (written by another version, or damaged)."""


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // _MICROSECOND


def _from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


#: Below this many microseconds (the year 2112) a float of seconds is exact to the microsecond,
#: so the C-level ``fromtimestamp`` can be used: decoding 10k events is then ~30% faster.
_FAST_MICROS_LIMIT = 2**52


def _dump(document: dict[str, Any]) -> bytes:
    # surrogatepass: a message with a lone surrogate (undecodable bytes upstream) must round-trip.
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _load(payload: bytes, kind: str) -> dict[str, Any]:
    try:
        document = json.loads(payload.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CodecError(f"unreadable {kind} payload: {exc}") from None
    if not isinstance(document, dict) or document.get("v") != FORMAT_VERSION:
        raise CodecError(f"{kind} payload has an unknown format")
    return document


def encode_events(events: Sequence[LogEvent]) -> bytes:
    """Serialise events, interning group and stream names."""
    groups: dict[str, int] = {}
    streams: dict[str, int] = {}
    rows = [
        [
            _micros(event.timestamp),
            event.message,
            groups.setdefault(event.group, len(groups)),
            streams.setdefault(event.stream, len(streams)),
            event.event_id,
        ]
        for event in events
    ]
    return _dump(
        {"v": FORMAT_VERSION, "groups": list(groups), "streams": list(streams), "rows": rows}
    )


def decode_events(payload: bytes) -> list[LogEvent]:
    """Inverse of :func:`encode_events`."""
    document = _load(payload, "events")
    fromtimestamp, limit = datetime.fromtimestamp, _FAST_MICROS_LIMIT
    try:
        groups, streams = document["groups"], document["streams"]
        # Positional arguments and local names: this loop is most of a cache hit's CPU time.
        return [
            LogEvent(
                fromtimestamp(micros / 1_000_000, UTC)
                if -limit < micros < limit
                else _from_micros(micros),
                message,
                groups[group_index],
                streams[stream_index],
                event_id,
            )
            for micros, message, group_index, stream_index, event_id in document["rows"]
        ]
    except (KeyError, IndexError, TypeError, ValueError, OverflowError) as exc:
        raise CodecError(f"damaged events payload: {exc}") from None


def encode_groups(groups: Sequence[LogGroup]) -> bytes:
    """Serialise a group listing (``extra`` must be JSON-serialisable, else TypeError)."""
    items = [
        {
            "name": group.name,
            "stored_bytes": group.stored_bytes,
            "created": None if group.created is None else _micros(group.created),
            "retention_days": group.retention_days,
            "extra": group.extra,
            # Only when set: payloads of single-target sources stay byte for byte as before.
            **({"target": group.target} if group.target else {}),
        }
        for group in groups
    ]
    return _dump({"v": FORMAT_VERSION, "groups": items})


def decode_groups(payload: bytes) -> list[LogGroup]:
    """Inverse of :func:`encode_groups`."""
    document = _load(payload, "groups")
    try:
        return [
            LogGroup(
                name=item["name"],
                stored_bytes=item["stored_bytes"],
                created=None if item["created"] is None else _from_micros(item["created"]),
                retention_days=item["retention_days"],
                extra=item["extra"],
                target=str(item.get("target", "")),
            )
            for item in document["groups"]
        ]
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise CodecError(f"damaged groups payload: {exc}") from None


def encode_query_result(result: QueryResult) -> bytes:
    """Serialise the rows of a finished server-side query."""
    return _dump(
        {
            "v": FORMAT_VERSION,
            "rows": result.rows,
            "status": result.status,
            "statistics": result.statistics,
            "matched": result.matched,
            "truncated": result.truncated,
            "stopped_early": result.stopped_early,
            "queries": result.queries,
            "batches": result.batches,
            "cost": None
            if result.cost is None
            else {
                "bytes_scanned": result.cost.bytes_scanned,
                "approx_usd": result.cost.approx_usd,
                "basis": result.cost.basis,
            },
        }
    )


def decode_query_result(payload: bytes) -> QueryResult:
    """Inverse of :func:`encode_query_result`."""
    document = _load(payload, "query")
    try:
        return QueryResult(
            rows=list(document["rows"]),
            status=str(document["status"]),
            statistics=dict(document["statistics"]),
            # Entries written before these fields existed decode with the old meaning.
            matched=None if document.get("matched") is None else int(document["matched"]),
            truncated=bool(document.get("truncated", False)),
            stopped_early=str(document.get("stopped_early", "")),
            queries=int(document.get("queries", 1)),
            batches=int(document.get("batches", 1)),
            cost=_decode_cost(document.get("cost")),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"damaged query payload: {exc}") from None


def _decode_cost(raw: Any) -> QueryCost | None:
    if raw is None:
        return None
    usd = raw.get("approx_usd")
    return QueryCost(
        bytes_scanned=int(raw["bytes_scanned"]),
        approx_usd=None if usd is None else float(usd),
        basis=str(raw.get("basis", "")),
    )
