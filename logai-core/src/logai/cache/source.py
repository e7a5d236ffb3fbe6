"""A data source that answers repeated requests from the local cache.

:class:`CachedDataSource` wraps any :class:`~logai.sources.base.DataSource` and looks the same to
its callers. It stores exactly what the wrapped source returned: raw events, never sanitised
text and never a placeholder mapping (sanitising happens later, on the way to the LLM), so
switching sanitisation on or off can never serve the wrong form from the cache.

Each request is normalised once (see :mod:`logai.cache.keys` and :mod:`logai.cache.window`), the
normalised request is what the source is asked for, and events are then trimmed back to the
range the caller asked for. An entry fetched with a larger ``limit``, or that holds every event
of its range, also answers a request with a smaller ``limit``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from logai.cache.clock import Clock, to_ms, utc_now
from logai.cache.codec import (
    CodecError,
    decode_events,
    decode_groups,
    decode_query_result,
    encode_events,
    encode_groups,
    encode_query_result,
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
from logai.cache.window import Window, plan_window
from logai.sources.base import DataSource, LogEvent, LogGroup, QueryResult

__all__ = ["CachedDataSource", "default_namespace", "resolve_namespace"]

T = TypeVar("T")

#: Payloads bigger than this are encoded and decoded in a worker thread, so a 10k-event entry
#: does not freeze a frontend's event loop for tens of milliseconds.
_OFF_LOOP_ITEMS = 2000
_OFF_LOOP_BYTES = 512 * 1024

Meta = Mapping[str, Any]


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
        # Tools read these class-level facts on whatever source they are handed; shadowing
        # them per instance makes the wrapper report the wrapped source's values.
        vars(self).update(
            name=inner.name,
            ingestion_delay_seconds=inner.ingestion_delay_seconds,
            supports_query=inner.supports_query,
            query_language=inner.query_language,
        )

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

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            await self.cache.aclose()

    # -- the shared miss/hit path ----------------------------------------------------------

    def _window(self, start: datetime, end: datetime) -> Window:
        return plan_window(
            start,
            end,
            now=self._now(),
            ingestion_delay_seconds=self.inner.ingestion_delay_seconds,
            bucket_seconds=self.policy.bucket,
        )

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
        window = self._window(start, end)
        scope = {"group": clean_group, "filter": clean_pattern}
        events = await self._events(
            kind="fetch_logs",
            scope=scope,
            window=window,
            limit=limit,
            fetch=lambda: self.inner.fetch_logs(
                clean_group, window.start, window.end, clean_pattern, limit
            ),
        )
        return events

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
        window = self._window(start, end)
        scope = {
            "groups": list(clean_groups),
            "prefixes": list(clean_prefixes),
            "pattern": clean_pattern,
        }
        return await self._events(
            kind="search_logs",
            scope=scope,
            window=window,
            limit=limit,
            fetch=lambda: self.inner.search_logs(
                list(clean_groups),
                clean_pattern,
                window.start,
                window.end,
                limit,
                prefixes=list(clean_prefixes),
            ),
        )

    async def _events(
        self,
        *,
        kind: str,
        scope: Mapping[str, object],
        window: Window,
        limit: int,
        fetch: Callable[[], Awaitable[list[LogEvent]]],
    ) -> list[LogEvent]:
        """Events over ``window`` through the cache, trimmed to what was asked.

        For a live window the previous bucket's entry is tried as well: it is what the same
        question returned less than a live TTL ago, and its extra older events are trimmed.
        """
        keys = [self._key(kind, {**scope, **window.key_params()})]
        previous = window.previous()
        if previous is not None:
            keys.append(self._key(kind, {**scope, **previous.key_params()}))
        covers = _covers(limit)

        def accept(meta: Meta) -> bool:
            if not covers(meta):
                return False
            if not window.live:
                # A range that has settled must not be answered by a snapshot taken while it
                # was still filling up (possible when the live TTL outlasts the ingestion delay).
                return meta.get("live") is not True
            return meta.get("end") == window.end_ms or meta.get("live") is True

        events = await self._through_cache(
            kind=kind,
            keys=keys,
            accept=accept,
            fetch=fetch,
            decode=decode_events,
            encode=encode_events,
            storable=lambda _events: True,
            ttl=self.policy.ttl_for(window),
            meta=lambda found: {
                "limit": limit,
                "count": len(found),
                "live": window.live,
                "start": window.start_ms,
                "end": window.end_ms,
            },
            size_of=len,
        )
        return _trim(events, window, limit)

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
        window = self._window(start, end)
        params = {"query": clean_query, "groups": list(clean_groups), **window.key_params()}
        result = await self._through_cache(
            kind="run_query",
            keys=[self._key("run_query", params)],
            accept=_covers(limit),
            fetch=lambda: self.inner.run_query(
                clean_query, list(clean_groups), window.start, window.end, limit, timeout
            ),
            decode=decode_query_result,
            encode=encode_query_result,
            # A query that timed out or was cancelled has partial rows: never keep those.
            storable=lambda found: found.status == "Complete",
            ttl=self.policy.ttl_for(window),
            meta=lambda found: {"limit": limit, "count": len(found.rows)},
            size_of=lambda found: len(found.rows),
        )
        if len(result.rows) <= limit:
            return result
        return QueryResult(
            rows=result.rows[:limit], status=result.status, statistics=result.statistics
        )


def _switched_off(cache: LogCache) -> bool:
    """Whether the cache is off; a call, not an attribute test, so type checkers do not assume
    the answer stays the same across an ``await``."""
    return not cache.available


def _trim(events: list[LogEvent], window: Window, limit: int) -> list[LogEvent]:
    """Keep the events inside the range that was asked for, at most ``limit`` of them."""
    if window.start_ms != window.asked_start_ms or window.end_ms != window.asked_end_ms:
        low, high = window.asked_start_ms, window.asked_end_ms
        events = [event for event in events if low <= to_ms(event.timestamp) <= high]
    return events[:limit]


async def _off_loop_if(condition: bool, function: Callable[[Any], T], argument: Any) -> T:
    if condition:
        return await asyncio.to_thread(function, argument)
    return function(argument)
