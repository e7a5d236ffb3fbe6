"""``CloudWatchSource``: LogAI's data-source interface over the CloudWatch Logs API.

Only read-only actions are called: DescribeLogGroups, FilterLogEvents, StartQuery,
GetQueryResults, StopQuery (which only stops our own query) and StartLiveTail.

Importing this module stays cheap (no boto3, botocore or tenacity): they are imported on the
first call, so a frontend can create the source at startup without a pause.

boto3 blocks, so every call runs in a thread pool owned by the source and sized to its
concurrency bound (the event loop's default pool has only ``cpu + 4`` threads, which would
silently cap a multi-group search). The client is created lazily, in that pool, on first use:
constructing the source costs nothing, which keeps ``logai --help`` fast.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from logai.sources.base import (
    DataSource,
    DataSourceError,
    LogEvent,
    LogGroup,
    QueryResult,
    SourceAuthError,
    SourceNotFound,
    SourceValidationError,
)
from logai.sources.deferred import completed, deferring, suggestions_deferred
from logai_cloudwatch import client as client_module
from logai_cloudwatch._collect import EventSink, FirstEvents, OldestEvents
from logai_cloudwatch._convert import to_log_event, to_log_group, to_millis
from logai_cloudwatch._lookup import find_groups
from logai_cloudwatch._suggest import closest_names
from logai_cloudwatch.insights import (
    PollPolicy,
    QuerySlots,
    SplitPolicy,
    first_error,
    run_insights_query,
)
from logai_cloudwatch.retry import RetryPolicy, call_with_retry
from logai_cloudwatch.settings import DEFAULT_CONCURRENCY

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

    from logai.config import LogAISettings
    from logai_cloudwatch.errors import ErrorContext
    from logai_cloudwatch.settings import CloudWatchSettings

T = TypeVar("T")

ClientFactory = Callable[["LogAISettings", client_module.ClientOptions], "CloudWatchLogsClient"]

#: Environment variable bounding how many log groups are fetched at once.
#: FilterLogEvents returns at most this many events per page.
MAX_PAGE_SIZE = 10_000
#: DescribeLogGroups returns at most this many groups per page.
GROUPS_PAGE_SIZE = 50
#: How long the source reuses its resolved cache identity before checking its credentials
#: again (the account behind one credential set is itself remembered a little longer).
IDENTITY_MEMO_SECONDS = 60.0


class CloudWatchSource(DataSource):
    """AWS CloudWatch Logs as a LogAI data source."""

    name: ClassVar[str] = "cloudwatch"
    #: CloudWatch usually makes an event searchable within seconds, but under load ingestion can
    #: lag by a few minutes; ranges ending less than 5 minutes ago are treated as still changing.
    ingestion_delay_seconds: ClassVar[float] = 300.0
    supports_query: ClassVar[bool] = True
    query_language: ClassVar[str] = (
        "CloudWatch Logs Insights, e.g. `fields @timestamp, @message | filter @message like "
        "/ERROR/ | stats count(*) by bin(5m)`; commands: fields, filter, stats, sort, limit, "
        "parse, dedup. Over more than 50 log groups (up to 500) LogAI runs batches of 50: event "
        "rows are merged by @timestamp (include it in fields); stats are combined only for count, "
        "sum, min and max (others are refused)."
    )

    def __init__(
        self,
        settings: LogAISettings,
        *,
        client: CloudWatchLogsClient | None = None,
        client_factory: ClientFactory | None = None,
        max_concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        split: SplitPolicy | None = None,
        page_size: int = MAX_PAGE_SIZE,
        max_search_groups: int = 100,
        suggestion_scan_limit: int = 250,
        role_arn: str | None = None,
    ) -> None:
        """Configure the source; nothing is imported or connected until the first call.

        ``client`` injects a ready client (tests use botocore's Stubber on one);
        ``client_factory`` replaces :func:`logai_cloudwatch.client.make_client`.
        ``max_search_groups`` bounds how many groups one search may cover (a prefix matching
        more is an error, not a silent cut). ``suggestion_scan_limit`` bounds how many group
        names are listed to suggest a fix for a misspelt one. ``split`` caps how far a Logs
        Insights query is followed past CloudWatch's per-query row limit. ``role_arn`` is an
        IAM role assumed with the configured credentials (a target in another account).
        """
        if max_concurrency < 1:
            raise SourceValidationError(
                f"max_concurrency must be at least 1, not {max_concurrency}."
            )
        self._settings = settings
        self._client = client
        self._owns_client = client is None
        self._client_factory = client_factory
        self._max_concurrency = max_concurrency
        self._retry = retry or RetryPolicy()
        self._poll = poll or PollPolicy()
        self._split = split or SplitPolicy()
        self._query_slots = QuerySlots(self._split.concurrency)
        self._page_size = max(1, min(page_size, MAX_PAGE_SIZE))
        self._max_search_groups = max_search_groups
        self._suggestion_scan_limit = suggestion_scan_limit
        self._executor: ThreadPoolExecutor | None = None
        # A thread lock, not an asyncio one: the source may be used from more than one loop.
        self._client_lock = threading.Lock()
        self._role_arn = role_arn
        self._identity: tuple[str, float] | None = None
        self._account: str | None = None

    @classmethod
    def from_settings(
        cls, settings: LogAISettings, cloudwatch: CloudWatchSettings | None = None
    ) -> CloudWatchSource:
        """The source as the plugin builds it: core's settings plus ``LOGAI_CLOUDWATCH_*`` ones.

        The plugin's settings are read from the environment and ``.env`` like core's; a value
        that cannot be used is a :class:`SourceValidationError` naming the variable.
        """
        from logai_cloudwatch.settings import load_cloudwatch_settings

        cloudwatch = cloudwatch or load_cloudwatch_settings()
        return cls(
            settings,
            max_concurrency=cloudwatch.max_concurrency,
            split=SplitPolicy(concurrency=cloudwatch.insights_concurrency),
        )

    # -- plumbing ----------------------------------------------------------------------------

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self._max_concurrency, thread_name_prefix="logai-cloudwatch"
            )
        return self._executor

    def _context(self, action: str, group: str = "", attempts: int = 1) -> ErrorContext:
        from logai_cloudwatch.errors import ErrorContext

        return ErrorContext(
            action=action,
            group=group,
            profile=self._settings.aws_profile or "",
            target=client_module.describe_target(self._settings, self._client, role=self._role_arn),
            attempts=attempts,
        )

    def _make_client(self) -> CloudWatchLogsClient:
        """Create the client once, in a worker thread (boto3 loads models from disk)."""
        with self._client_lock:
            if self._client is None:
                factory = self._client_factory or client_module.make_client
                options = client_module.ClientOptions(
                    max_pool_connections=max(10, self._max_concurrency), role_arn=self._role_arn
                )
                self._client = factory(self._settings, options)
            return self._client

    async def _ensure_client(self) -> CloudWatchLogsClient:
        if self._client is not None:
            return self._client
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool(), self._make_client)
        except Exception as exc:
            from logai_cloudwatch.errors import map_error

            raise map_error(exc, self._context("client setup")) from exc

    async def _call(
        self,
        action: str,
        method: Callable[[CloudWatchLogsClient], Callable[..., T]],
        params: Mapping[str, Any],
        *,
        group: str = "",
        retry: bool = True,
    ) -> T:
        """Call one client method in the pool, with retries, mapping failures to LogAI errors."""
        client = await self._ensure_client()
        loop = asyncio.get_running_loop()
        bound = functools.partial(method(client), **params)
        policy = self._retry if retry else RetryPolicy(max_attempts=1)

        async def attempt() -> T:
            return await loop.run_in_executor(self._pool(), bound)

        try:
            return await call_with_retry(attempt, policy)
        except DataSourceError:
            raise
        except Exception as exc:
            from logai_cloudwatch.errors import map_error

            raise map_error(exc, self._context(action, group, policy.max_attempts)) from exc

    # -- listing -----------------------------------------------------------------------------

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        """Groups whose name starts with ``prefix`` (case-sensitive, as in AWS), sorted by name.

        Follows ``nextToken`` page by page (50 per page, the API maximum) and stops at ``limit``.
        """
        groups: list[LogGroup] = []
        token: str | None = None
        while len(groups) < limit:
            params: dict[str, Any] = {"limit": min(GROUPS_PAGE_SIZE, limit - len(groups))}
            if prefix:
                params["logGroupNamePrefix"] = prefix
            if token:
                params["nextToken"] = token
            page = await self._call(
                "logs:DescribeLogGroups", lambda client: client.describe_log_groups, params
            )
            groups.extend(to_log_group(raw) for raw in page.get("logGroups", []))
            next_token = page.get("nextToken")
            if not next_token or next_token == token:
                break
            token = next_token
        return sorted(groups[:limit], key=lambda group: group.name)

    async def _group_names(self, prefix: str | None, limit: int) -> list[str]:
        return [group.name for group in await self.list_log_groups(prefix, limit)]

    async def _suggest(self, name: str) -> list[str]:
        """Up to three existing group names close to ``name``, from a bounded listing.

        Looks first among the siblings (same path up to the last ``/``), then at the start of
        the account's list; a failure to list (no DescribeLogGroups permission) means no hints.
        """
        budget = self._suggestion_scan_limit
        parent = name[: name.rstrip("/").rfind("/") + 1] if "/" in name.rstrip("/") else ""
        candidates: list[str] = []
        try:
            if parent:
                candidates = await self._group_names(parent, budget)
            if len(candidates) < budget:
                candidates += await self._group_names(None, budget - len(candidates))
        except DataSourceError:
            return []
        return closest_names(name, candidates)

    async def _not_found(self, name: str, error: SourceNotFound) -> SourceNotFound:
        """``error`` with close names to ``name``, or ready to get them later when the caller
        defers suggestions (:mod:`logai.sources.deferred`): listing them costs calls."""

        async def complete() -> SourceNotFound:
            suggestions = await self._suggest(name)
            hint = f" Did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""
            return SourceNotFound(f"{error}{hint}", name=name, suggestions=suggestions)

        if deferring():
            return SourceNotFound(str(error), name=name, complete=complete)
        return await complete()

    # -- fetching ----------------------------------------------------------------------------

    async def _fetch_into(
        self,
        group: str,
        start_ms: int,
        end_ms: int,
        filter_pattern: str | None,
        sink: EventSink,
        limit: int,
    ) -> None:
        """Page through FilterLogEvents for one group into ``sink``.

        Stops when this group has contributed ``limit`` events, when there is no next page, or
        when the sink is full and this group's pages have moved past its cutoff (later events
        cannot make the cut). Each page asks for at most what is still needed, so a fetch never
        holds more than ``limit`` events plus one page.
        """
        seen: set[str] = set()
        streams: dict[str, str] = {}
        taken = 0
        token: str | None = None
        while taken < limit:
            params: dict[str, Any] = {
                "logGroupName": group,
                "startTime": start_ms,
                "endTime": end_ms,
                "limit": min(limit - taken, self._page_size),
                # Deprecated and ignored by AWS (always interleaved there), but moto honours it:
                # without it moto returns stream by stream instead of in time order.
                "interleaved": True,
            }
            if filter_pattern:
                params["filterPattern"] = filter_pattern
            if token:
                params["nextToken"] = token
            page = await self._call(
                "logs:FilterLogEvents", lambda client: client.filter_log_events, params, group=group
            )
            newest_ms: int | None = None
            for raw in page.get("events", []):
                event_id = raw.get("eventId", "")
                # Pages can overlap (awslogs saw this too): the event id settles it.
                if event_id:
                    if event_id in seen:
                        continue
                    seen.add(event_id)
                timestamp_ms = int(raw.get("timestamp", 0))
                sink.offer(to_log_event(raw, group, streams), timestamp_ms)
                newest_ms = timestamp_ms if newest_ms is None else max(newest_ms, timestamp_ms)
                taken += 1
            next_token = page.get("nextToken")
            if not next_token or next_token == token:
                return
            token = next_token
            cutoff = sink.cutoff_ms
            if cutoff is not None and newest_ms is not None and newest_ms > cutoff:
                return

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        """Events of ``group`` in ``[start, end]`` (inclusive, millisecond precision), oldest first.

        ``filter_pattern`` is CloudWatch's filter syntax (``ERROR``, ``"exact phrase"``,
        ``{ $.level = "error" }``). Raises :class:`SourceNotFound` with close names for an
        unknown group.
        """
        if limit < 1:
            return []
        sink = FirstEvents(limit)
        try:
            await self._fetch_into(
                group, to_millis(start), to_millis(end), filter_pattern, sink, limit
            )
        except SourceNotFound as error:
            raise await self._not_found(group, error) from None
        return sink.events()

    async def _resolve_groups(self, groups: Sequence[str], prefixes: Sequence[str]) -> list[str]:
        """Explicit groups first, then every group under each prefix; duplicates dropped."""
        if not groups and not prefixes:
            raise SourceValidationError(
                "Name at least one log group or log group prefix to search."
            )
        names = list(dict.fromkeys(g for g in groups if g))
        bound = self._max_search_groups
        for prefix in dict.fromkeys(p for p in prefixes if p):
            found = await self._group_names(prefix, bound + 1)
            names.extend(found)
            names = list(dict.fromkeys(names))
            if len(names) > bound:
                raise SourceValidationError(
                    f"The search would cover more than {bound} log groups (prefix '{prefix}' "
                    "matches many). Use a longer prefix or name the groups."
                )
        if not names:
            first = next(p for p in prefixes if p)

            async def complete() -> SourceNotFound:
                suggestions = await self._suggest(first)
                hint = f" Close names: {', '.join(suggestions)}." if suggestions else ""
                return SourceNotFound(
                    f"No log group starts with '{first}'.{hint}",
                    name=first,
                    suggestions=suggestions,
                )

            if deferring():
                raise SourceNotFound(
                    f"No log group starts with '{first}'.", name=first, complete=complete
                )
            raise await complete()
        return names

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
        """Events matching ``pattern`` across groups, fetched concurrently, oldest first.

        At most ``max_concurrency`` groups are fetched at once. The result is the oldest
        ``limit`` events of the union; memory stays near ``limit`` events plus one page per
        group in flight. One failing group fails the search (the others are cancelled) with that
        group's error, e.g. :class:`SourceNotFound` naming the misspelt group.
        """
        if limit < 1:
            return []
        names = await self._resolve_groups(groups, prefixes)
        sink = OldestEvents(limit)
        gate = asyncio.Semaphore(self._max_concurrency)
        start_ms, end_ms = to_millis(start), to_millis(end)

        async def one(group: str) -> None:
            async with gate:
                try:
                    await self._fetch_into(group, start_ms, end_ms, pattern or None, sink, limit)
                except SourceNotFound as error:
                    if group in groups:
                        raise await self._not_found(group, error) from None
                    # A group found under a prefix and deleted since: nothing to search.

        keep_deferred = deferring()
        try:
            # Several misspelt groups fail at once: only the error reported gets suggestions.
            with suggestions_deferred():
                async with asyncio.TaskGroup() as tasks:
                    for name in names:
                        tasks.create_task(one(name))
        except BaseExceptionGroup as failure:
            error = first_error(failure)
            if isinstance(error, SourceNotFound) and not keep_deferred:
                error = await completed(error)
            raise error from None
        return sink.events()

    # -- Logs Insights -----------------------------------------------------------------------

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - DataSource.run_query's signature
    ) -> QueryResult:
        """Run a Logs Insights query, split by time past the row limit; see
        :mod:`logai_cloudwatch.insights`."""
        try:
            return await run_insights_query(
                self._call,
                query,
                groups,
                start,
                end,
                limit=limit,
                timeout=timeout,
                poll=self._poll,
                split=self._split,
                slots=self._query_slots,
            )
        except SourceNotFound:
            # Which group is missing: all of them looked up in one call per 50.
            missing = (await find_groups(self._call, groups)).missing
            if missing is not None:
                raise await self._not_found(
                    missing, SourceNotFound(f"Log group '{missing}' does not exist.")
                ) from None
            raise

    # -- following ---------------------------------------------------------------------------

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        """New events as they arrive: Live Tail on AWS, FilterLogEvents polling elsewhere;
        see :mod:`logai_cloudwatch.live_tail`."""
        from logai_cloudwatch.live_tail import follow_cloudwatch

        return follow_cloudwatch(
            self,
            self._call,
            self._ensure_client,
            self._not_found,
            groups,
            filter_pattern,
            poll_interval=poll_interval,
            start=start,
        )

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the HTTP connections and the thread pool. Safe to call more than once."""
        client, self._client = self._client, None
        executor, self._executor = self._executor, None
        if client is not None and self._owns_client:
            close = getattr(client, "close", None)  # factories in tests may return doubles
            if callable(close):
                close()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def cache_identity(self) -> str:
        """The configured target (profile, region, endpoint): *not* a principal.

        LogAI's cache does not use it: it awaits :meth:`resolve_cache_identity`, which names
        the account the credentials belong to.
        """
        return client_module.describe_target(self._settings, role=self._role_arn)

    async def resolve_cache_identity(self) -> str:
        """``account ID, region, endpoint`` of the credentials the client signs with.

        The account comes from ``sts:GetCallerIdentity`` (see :mod:`logai_cloudwatch.session`),
        so two credential sets under one profile name never share cache entries. Raises
        :class:`SourceAuthError` when credentials cannot be resolved. When STS cannot be
        reached (a proxy that serves only Logs), the access key itself names the principal:
        one key belongs to one account, so entries are still never shared.
        """
        memo = self._identity
        if memo is not None and memo[1] > time.monotonic():
            return memo[0]
        client = await self._ensure_client()
        loop = asyncio.get_running_loop()
        from logai_cloudwatch import session

        try:
            account = await loop.run_in_executor(
                self._pool(), session.account_id, self._settings, client
            )
            principal = f"account {account}"
            self._account = account
        except Exception as exc:
            from logai_cloudwatch.errors import map_error

            error = map_error(exc, self._context("sts:GetCallerIdentity"))
            if isinstance(error, SourceAuthError):
                raise error from exc
            try:
                principal = f"access key {session.key_fingerprint(client)}"
            except Exception:  # no key to name: the STS error is the story
                raise error from exc
        region = client.meta.region_name
        identity = f"{principal}, region {region}, endpoint {client.meta.endpoint_url}"
        self._identity = (identity, time.monotonic() + IDENTITY_MEMO_SECONDS)
        return identity

    async def identify(self) -> str:
        """Account, principal ARN, region and endpoint, asked of STS now (never remembered).

        ``logai config check --live`` prints this: it proves the credentials work today (an
        expired SSO session or a revoked key fails here) and names who they belong to.
        """
        client = await self._ensure_client()
        loop = asyncio.get_running_loop()
        from logai_cloudwatch import session

        try:
            found = await loop.run_in_executor(
                self._pool(),
                functools.partial(session.caller_identity, self._settings, client, fresh=True),
            )
        except Exception as exc:
            from logai_cloudwatch.errors import map_error

            raise map_error(exc, self._context("sts:GetCallerIdentity")) from exc
        self._account = found.account
        region, endpoint = client.meta.region_name, client.meta.endpoint_url
        return f"account {found.account}, principal {found.arn or '(not reported)'}, " \
            f"region {region}, endpoint {endpoint}"  # fmt: skip

    @property
    def account(self) -> str | None:
        """The AWS account of the credentials, once resolved (None before: it costs a call)."""
        return self._account

    def describe(self) -> str:
        """``cloudwatch (profile …, region …, endpoint …, account …)``; the account once known."""
        target = client_module.describe_target(
            self._settings, self._client, account=self.account, role=self._role_arn
        )
        return f"cloudwatch ({target})"
