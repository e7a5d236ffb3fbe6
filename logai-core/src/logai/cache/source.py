"""A data source that answers repeated requests from the local cache, never differently.

:class:`CachedDataSource` wraps any :class:`~logai.sources.base.DataSource` and looks the same to
its callers. It stores exactly what the wrapped source returned: raw events, never sanitised
text and never a placeholder mapping (sanitising happens later, on the way to the LLM), so
switching sanitisation on or off can never serve the wrong form from the cache.

Events are kept per question scope (kind, group or groups, filter) as *segments* with their true
coverage (see :mod:`logai.cache.coverage`): a request is served from the cache only when the
coverage proves the answer is the source's own; the part it cannot prove is fetched, exactly
over the range asked (or its uncovered end), never over a wider one. Group listings and query
results are kept whole and served only for a request they provably answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from logai.cache.codec import (
    CodecError,
    decode_events,
    decode_groups,
    decode_query_result,
    encode_events,
    encode_groups,
    encode_query_result,
)
from logai.cache.coverage import (
    Plan,
    Segment,
    merge_into,
    plan,
    segment_from_fetch,
    segments_from_meta,
)
from logai.cache.keys import (
    canonical_groups,
    canonical_name,
    canonical_pattern,
    canonical_prefixes,
    canonical_query,
    make_key,
)
from logai.cache.outcome import cache_outcome
from logai.cache.policy import CachePolicy
from logai.cache.store import LogCache
from logai.cache.window import Span, settled_before_ms, span_of
from logai.clock import EPOCH, Clock, to_ms, utc_now
from logai.sources.base import DataSource, LogEvent, LogGroup, QueryResult, adopt_facts

__all__ = ["CachedDataSource", "default_namespace", "resolve_namespace"]

T = TypeVar("T")

#: Payloads bigger than this are encoded and decoded in a worker thread, so a 10k-event entry
#: does not freeze a frontend's event loop for tens of milliseconds.
_OFF_LOOP_ITEMS = 2000
_OFF_LOOP_BYTES = 512 * 1024
#: One entry holds the segments of one question scope; past this many events the segments
#: fetched longest ago are dropped (the one just fetched is always kept).
MAX_ENTRY_EVENTS = 50_000

Meta = Mapping[str, Any]
#: Fetches one span with one limit from the wrapped source.
SpanFetch = Callable[[Span, int], Awaitable[list[LogEvent]]]


def default_namespace(source: DataSource) -> str:
    """What separates this source's entries from other sources' in a shared cache file.

    Only for sources whose identity is static; :func:`resolve_namespace` is what the cache uses.
    """
    return f"{source.name}|{source.cache_identity()}"


async def resolve_namespace(source: DataSource) -> str:
    """The namespace of the principal ``source`` reads as now (may ask the backend who that is).

    Raises the source's error (e.g. :class:`~logai.sources.base.SourceAuthError`) when its
    credentials cannot be resolved: then nothing may be served from the cache.
    """
    return f"{source.name}|{await source.resolve_cache_identity()}"


def _covers(limit: int) -> Callable[[Meta], bool]:
    """Accept an entry that holds every result, or was fetched with at least ``limit``."""

    def accept(meta: Meta) -> bool:
        stored_limit = int(meta.get("limit", 0))
        return int(meta.get("count", 0)) < stored_limit or limit <= stored_limit

    return accept


class CachedDataSource(DataSource):
    """Any data source, with its answers kept in a :class:`LogCache`."""

    def __init__(
        self,
        inner: DataSource,
        cache: LogCache,
        *,
        policy: CachePolicy | None = None,
        namespace: str | None = None,
        now: Clock = utc_now,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.policy = policy or CachePolicy()
        # An explicit namespace is fixed; otherwise it is learnt from the source before every
        # lookup (see :meth:`_resolve_namespace`), and empty until then.
        self._fixed_namespace = namespace
        self.namespace = namespace or ""
        self._now = now
        adopt_facts(self, inner)

    def __getattr__(self, attribute: str) -> Any:
        # Only reached for attributes the wrapper lacks: source-specific extras (a region, a
        # client) stay reachable through the wrapper.
        if attribute == "inner":
            raise AttributeError(attribute)
        return getattr(self.inner, attribute)

    def describe(self) -> str:
        return self.inner.describe()

    def cache_identity(self) -> str:
        return self.inner.cache_identity()

    async def resolve_cache_identity(self) -> str:
        return await self.inner.resolve_cache_identity()

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        """The wrapped source's follow, never the cache: following is about what is new.

        A polling follow asks for ranges ending "now" every few seconds; answered from the
        cache (whose live entries may be a TTL old) it would show events late or not at all.
        Going straight to the source keeps "cache on" and "cache off" the same stream.
        """
        cache_outcome.set("bypass")
        return self.inner.follow(groups, filter_pattern, poll_interval=poll_interval, start=start)

    async def identify(self) -> str:
        return await self.inner.identify()

    async def real_names(self, names: Sequence[str]) -> dict[str, str]:
        """The wrapped source's answer, never cached: links change under us, rules must not."""
        return await self.inner.real_names(names)

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            await self.cache.aclose()

    # -- the shared miss/hit path ----------------------------------------------------------

    async def _resolve_namespace(self) -> None:
        """Learn whose data the source reads before any lookup; its auth errors propagate."""
        if self._fixed_namespace is None:
            self.namespace = await resolve_namespace(self.inner)

    def _key(self, kind: str, params: Mapping[str, object]) -> str:
        if not self.namespace:
            raise RuntimeError("cache key built before the source's identity was resolved")
        return make_key(self.namespace, kind, params)

    async def _through_cache(
        self,
        *,
        kind: str,
        keys: Sequence[str],
        accept: Callable[[Meta], bool],
        fetch: Callable[[], Awaitable[T]],
        decode: Callable[[bytes], T],
        encode: Callable[[T], bytes],
        storable: Callable[[T], bool],
        ttl: float,
        meta: Callable[[T], dict[str, Any]],
        size_of: Callable[[T], int],
    ) -> T:
        """Answer from the cache when possible, else fetch, store and answer."""
        if _switched_off(self.cache):
            cache_outcome.set("bypass")
            return await fetch()
        hit = await self.cache.lookup(keys, accept)
        if hit is not None:
            try:
                value = await _off_loop_if(len(hit.payload) > _OFF_LOOP_BYTES, decode, hit.payload)
            except CodecError:
                await self.cache.delete(hit.key)
            else:
                cache_outcome.set("hit")
                return value
        # The cache may have switched itself off during this very lookup (one warning shown).
        cache_outcome.set("error" if _switched_off(self.cache) else "miss")
        value = await fetch()
        if not _switched_off(self.cache) and storable(value):
            try:
                payload = await _off_loop_if(size_of(value) > _OFF_LOOP_ITEMS, encode, value)
            except (TypeError, ValueError):
                return value  # not serialisable (a plugin's exotic ``extra``): just don't cache
            await self.cache.set(
                keys[0], payload, source=self.inner.name, kind=kind, ttl=ttl, meta=meta(value)
            )
            if _switched_off(self.cache):
                cache_outcome.set("error")
        return value

    # -- the DataSource interface ----------------------------------------------------------

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        clean_prefix = canonical_name(prefix or "") or None
        await self._resolve_namespace()

        groups = await self._through_cache(
            kind="groups",
            keys=[self._key("groups", {"prefix": clean_prefix or ""})],
            accept=_covers(limit),
            fetch=lambda: self.inner.list_log_groups(clean_prefix, limit),
            decode=decode_groups,
            encode=encode_groups,
            storable=lambda _groups: True,
            ttl=self.policy.listing_ttl,
            meta=lambda found: {"limit": limit, "count": len(found)},
            size_of=len,
        )
        return groups[:limit]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        clean_group = canonical_name(group)
        clean_pattern = canonical_pattern(filter_pattern)
        await self._resolve_namespace()

        def fetch(span: Span, how_many: int) -> Awaitable[list[LogEvent]]:
            return self.inner.fetch_logs(clean_group, span.start, span.end, clean_pattern, how_many)

        return await self._events(
            kind="fetch_logs",
            scope={"group": clean_group, "filter": clean_pattern},
            span=span_of(start, end),
            limit=limit,
            fetch=fetch,
        )

    async def search_logs(
        self,
        groups: Sequence[str],
        pattern: str,
        start: datetime,
        end: datetime,
        limit: int = 1000,
        *,
        prefixes: Sequence[str] = (),
    ) -> list[LogEvent]:
        clean_prefixes = canonical_prefixes(prefixes)
        clean_groups = canonical_groups(groups, clean_prefixes)
        await self._resolve_namespace()
        clean_pattern = canonical_pattern(pattern) or ""

        def fetch(span: Span, how_many: int) -> Awaitable[list[LogEvent]]:
            return self.inner.search_logs(
                list(clean_groups),
                clean_pattern,
                span.start,
                span.end,
                how_many,
                prefixes=list(clean_prefixes),
            )

        return await self._events(
            kind="search_logs",
            scope={
                "groups": list(clean_groups),
                "prefixes": list(clean_prefixes),
                "pattern": clean_pattern,
            },
            span=span_of(start, end),
            limit=limit,
            fetch=fetch,
        )

    async def _events(
        self,
        *,
        kind: str,
        scope: Mapping[str, object],
        span: Span,
        limit: int,
        fetch: SpanFetch,
    ) -> list[LogEvent]:
        """The source's answer for ``span``/``limit``, from the cache as far as it is proven.

        The entry of ``scope`` holds segments with their true coverage. When one proves the
        whole answer, no source call is made; when it proves a beginning, only the rest of the
        range is fetched (with the limit still needed); otherwise the request is fetched as
        asked. Whatever was fetched is merged into the entry.
        """
        if span.empty or limit < 1 or _switched_off(self.cache):
            cache_outcome.set("bypass")
            return await fetch(span, limit)
        now = self._now()
        now_ms = to_ms(now)
        settled_ms = settled_before_ms(now, self.inner.ingestion_delay_seconds)
        settled_request = span.end_ms <= settled_ms
        live_ttl_ms = int(self.policy.live_ttl * 1000)
        key = self._key(kind, scope)

        def trusted(segment: Segment) -> Segment | None:
            return segment.trusted(now_ms, live_ttl_ms, settled_request=settled_request)

        segments = [
            kept
            for segment in await self._read_segments(key, span, trusted)
            if (kept := trusted(segment)) is not None
        ]
        proven = (found for segment in segments if (found := plan(segment, span, limit)))
        answer = next(proven, None) or Plan([], span, limit)
        if answer.gap is None:
            cache_outcome.set("hit")
            return answer.known
        cache_outcome.set("error" if _switched_off(self.cache) else "miss")
        fetched = await fetch(answer.gap, answer.gap_limit)
        new = segment_from_fetch(answer.gap, answer.gap_limit, fetched, now_ms, settled_ms)
        if new is not None and not _switched_off(self.cache):
            await self._write_segments(key, kind, *merge_into(segments, new))
        return answer.known + fetched

    async def _read_segments(
        self, key: str, span: Span, trusted: Callable[[Segment], Segment | None]
    ) -> list[Segment]:
        """The stored segments of ``key`` (all of them: a new fetch is merged into them).

        The lookup counts a hit when a segment can answer at least the start of ``span``.
        """

        def serves(meta: Meta) -> bool:
            for described in segments_from_meta(meta, None) or []:
                kept = trusted(described)
                if kept is not None and kept.lo <= span.start_ms <= kept.reach:
                    return True
            return False

        hit = await self.cache.read(key, serves)
        if hit is None:
            return []
        try:
            events = await _off_loop_if(
                len(hit.payload) > _OFF_LOOP_BYTES, decode_events, hit.payload
            )
        except CodecError:
            events = None
        segments = None if events is None else segments_from_meta(hit.meta, events)
        if segments is None:
            await self.cache.delete(key)
            return []
        return segments

    async def _write_segments(
        self, key: str, kind: str, segments: list[Segment], newest: Segment
    ) -> None:
        kept = _within_budget(segments, newest)
        events = [event for segment in kept for event in segment.events]
        try:
            payload = await _off_loop_if(len(events) > _OFF_LOOP_ITEMS, encode_events, events)
        except (TypeError, ValueError):
            return
        # Entries holding settled data live long; their live parts are clipped when read.
        has_settled = any(segment.lo <= segment.settled_ms for segment in kept)
        ttl = self.policy.immutable_ttl if has_settled else self.policy.live_ttl
        meta = {"segments": [segment.meta() for segment in kept]}
        await self.cache.set(key, payload, source=self.inner.name, kind=kind, ttl=ttl, meta=meta)
        if _switched_off(self.cache):
            cache_outcome.set("error")

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - the DataSource signature
    ) -> QueryResult:
        if not self.inner.supports_query:
            cache_outcome.set("bypass")
            return await self.inner.run_query(query, groups, start, end, limit, timeout)
        clean_query = canonical_query(query)
        clean_groups = canonical_groups(groups)
        await self._resolve_namespace()
        settled_ms = settled_before_ms(self._now(), self.inner.ingestion_delay_seconds)
        live = to_ms(end) > settled_ms
        # Only the very same question is answered: a query's rows under another limit are not
        # a prefix of these (an unsorted query's order is the backend's), and the times go to
        # the source as given (Logs Insights rounds them out to whole seconds itself).
        params = {
            "query": clean_query,
            "groups": list(clean_groups),
            "start": _micros(start),
            "end": _micros(end),
            "limit": limit,
        }

        def accept(meta: Meta) -> bool:
            # A settled question must not get an answer taken while its range was still live.
            return live or meta.get("live") is False

        return await self._through_cache(
            kind="run_query",
            keys=[self._key("run_query", params)],
            accept=accept,
            fetch=lambda: self.inner.run_query(
                clean_query, list(clean_groups), start, end, limit, timeout
            ),
            decode=decode_query_result,
            encode=encode_query_result,
            # Partial rows (a query that timed out, was cancelled, or was stopped early by a
            # cap on splitting it) must never come back as if they were the whole answer.
            # Rows cut only by ``limit`` are the answer to this very question (same limit);
            # cut rows short of ``limit`` would read as everything.
            storable=lambda found: (
                found.complete and (not found.truncated or len(found.rows) >= limit)
            ),
            ttl=self.policy.live_ttl if live else self.policy.immutable_ttl,
            meta=lambda found: {
                "live": live,
                "count": len(found.rows),
                "truncated": found.truncated,
                "matched": found.matched,
            },
            size_of=lambda found: len(found.rows),
        )


def _switched_off(cache: LogCache) -> bool:
    """Whether the cache is off; a call, not an attribute test, so type checkers do not assume
    the answer stays the same across an ``await``."""
    return not cache.available


def _micros(moment: datetime) -> int:
    """Exact microseconds since the epoch (a naive datetime is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return (aware - EPOCH) // timedelta(microseconds=1)


def _within_budget(segments: list[Segment], newest: Segment) -> list[Segment]:
    """The segments to keep: ``newest``, then the most recently fetched while they fit."""
    budget = MAX_ENTRY_EVENTS - len(newest.events)
    chosen = {id(newest)}
    for segment in sorted(segments, key=lambda s: s.fetched_ms, reverse=True):
        if segment is not newest and len(segment.events) <= budget:
            chosen.add(id(segment))
            budget -= len(segment.events)
    return [segment for segment in segments if id(segment) in chosen]


async def _off_loop_if(condition: bool, function: Callable[[Any], T], argument: Any) -> T:
    if condition:
        return await asyncio.to_thread(function, argument)
    return function(argument)
