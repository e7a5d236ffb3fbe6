"""Types shared by every data source: events, groups, the abstract source and its errors.

A data source plugin (CloudWatch, local files, a future Loki) implements :class:`DataSource`; the
log tools the LLM sees, the cache and the CLI are written once against this interface.
Errors are typed so that callers can turn them into actionable messages without knowing which
backend raised them. Every error message must already be fit for a human (and, once sanitized,
for the LLM): no tracebacks, no secrets.
"""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One log line as a source returned it.

    ``timestamp`` is always timezone-aware UTC. ``event_id`` is unique within the source when the
    backend provides one (CloudWatch does); otherwise the source derives a stable one.
    """

    timestamp: datetime
    message: str
    group: str
    stream: str = ""
    event_id: str = ""

    @property
    def timestamp_ms(self) -> int:
        """Milliseconds since the epoch, the unit most log backends speak."""
        return int(self.timestamp.timestamp() * 1000)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form (ISO 8601 timestamp with ``Z``)."""
        return {
            "timestamp": self.timestamp.astimezone(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "message": self.message,
            "group": self.group,
            "stream": self.stream,
            "event_id": self.event_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogEvent:
        """Inverse of :meth:`to_dict`."""
        raw = str(data["timestamp"]).replace("Z", "+00:00")
        return cls(
            timestamp=datetime.fromisoformat(raw).astimezone(UTC),
            message=str(data["message"]),
            group=str(data.get("group", "")),
            stream=str(data.get("stream", "")),
            event_id=str(data.get("event_id", "")),
        )


@dataclass(frozen=True, slots=True)
class LogGroup:
    """A named collection of events: a CloudWatch log group, a file or glob, an index."""

    name: str
    stored_bytes: int | None = None
    created: datetime | None = None
    retention_days: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    target: str = ""
    """The target (an account and region alias) the group was listed in, when several are
    configured (see :mod:`logai.sources.targets`); empty for a source with one target."""

    @property
    def qualified_name(self) -> str:
        """``target:name`` when the group belongs to a named target, else the plain name: the
        form every tool and command accepts back to address this very group."""
        return f"{self.target}:{self.name}" if self.target else self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stored_bytes": self.stored_bytes,
            "created": self.created.isoformat() if self.created else None,
            "retention_days": self.retention_days,
            **({"extra": self.extra} if self.extra else {}),
            **({"target": self.target} if self.target else {}),
        }


@dataclass(frozen=True, slots=True)
class QueryCost:
    """What a server-side query scanned, and roughly what that costs at the backend's list price.

    Backends that bill per byte scanned (CloudWatch Logs Insights) fill it so that a user
    sees what a question cost before asking ten more like it. ``approx_usd`` is an estimate,
    never a bill: ``basis`` says which price it assumes and why the real one may differ.
    """

    bytes_scanned: int
    approx_usd: float | None = None
    basis: str = ""
    """The price assumed, in words ("list price $0.005 per GB scanned; varies by region")."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a server-side query (CloudWatch Logs Insights and the like).

    Besides the rows it says whether they are all the query matched, because a backend's row
    limit must never pass for "that is everything": ``truncated`` is set whenever more rows
    matched than ``rows`` holds, and ``stopped_early`` says why when the cause was not simply
    the caller's own ``limit`` (a cap on splitting, a time budget, an aggregate the backend
    cut). A plugin source that knows none of this leaves the defaults, which claim nothing more
    than before these fields existed.
    """

    rows: list[dict[str, str]]
    status: str = "Complete"
    statistics: dict[str, float] = field(default_factory=dict)
    matched: int | None = None
    """How many rows the query matched in all, when the backend says; ``None`` if unknown."""
    truncated: bool = False
    """More rows matched than ``rows`` holds (for whatever reason)."""
    stopped_early: str = ""
    """Why rows stop short of the caller's ``limit`` although more matched: a complete
    sentence naming the cap that was hit and how to narrow the query. Empty when the rows are
    everything the query matched, or when only the caller's ``limit`` cut them."""
    queries: int = 1
    """How many backend queries produced these rows (more than one when a query was split)."""
    batches: int = 1
    """Into how many batches of groups the query was cut (a backend's groups-per-query limit)."""
    cost: QueryCost | None = None
    """What the backend scanned for these rows, when it says (``None``: unknown)."""

    @property
    def complete(self) -> bool:
        """Whether these rows are exactly what was asked for: everything matched, up to
        ``limit``. Only a complete result may be kept and served again as the answer."""
        return self.status == "Complete" and not self.stopped_early


class DataSourceError(Exception):
    """Base of every data source error. ``str(error)`` is a complete, actionable message."""

    retryable: ClassVar[bool] = False


class SourceNotFound(DataSourceError):
    """The log group (or other named object) does not exist. ``suggestions`` holds close names.

    ``complete``, when set, builds the full error (close names and all) later: a source sets it
    instead of listing names when suggestions are deferred (:mod:`logai.sources.deferred`).
    """

    def __init__(
        self,
        message: str,
        *,
        name: str = "",
        suggestions: Sequence[str] = (),
        complete: Callable[[], Awaitable[SourceNotFound]] | None = None,
    ) -> None:
        super().__init__(message)
        self.name = name
        self.suggestions = list(suggestions)
        self.complete = complete


class SourceAccessDenied(DataSourceError):
    """Credentials are valid but not allowed to do this. ``action`` names the missing permission."""

    def __init__(self, message: str, *, action: str = "") -> None:
        super().__init__(message)
        self.action = action


class SourceAuthError(DataSourceError):
    """Credentials are missing, invalid or expired."""


class SourceValidationError(DataSourceError):
    """The request itself is wrong (bad filter pattern, bad query, bad time range)."""


class SourceThrottled(DataSourceError):
    """The backend is rate-limiting us and retries ran out."""

    retryable = True


class SourceUnavailable(DataSourceError):
    """The backend could not be reached or answered with a server error, after retries."""

    retryable = True


class SourceTimeout(DataSourceError):
    """An operation (a server-side query, say) did not finish in time."""


class DataSource(abc.ABC):
    """A read-only log backend.

    Implementations are async because every frontend runs them next to an event loop that must
    stay responsive; a blocking SDK is wrapped with ``asyncio.to_thread``. All times are
    timezone-aware UTC datetimes; parsing user input into them is the caller's job
    (:mod:`logai.timeparse`).
    """

    #: Registry name, as used by ``--source`` and ``LOGAI_DATA_SOURCE``.
    name: ClassVar[str] = ""
    #: How long after an event happens it becomes visible to queries. Time ranges that end
    #: more recently than this are treated as still changing (short cache TTL).
    ingestion_delay_seconds: ClassVar[float] = 0.0
    #: Whether :meth:`run_query` is implemented (a server-side query language).
    supports_query: ClassVar[bool] = False
    #: One line describing the query language, shown to the LLM when ``supports_query`` is true.
    query_language: ClassVar[str] = ""
    #: Whether LogAI's local cache may keep this source's results. A source that reads local
    #: files says no: they are already local, and they change under us.
    cacheable: ClassVar[bool] = True
    #: Which field of an event names the log group it came from, for guardrails: ``group``
    #: (the group asked for), or ``stream`` for a source whose one group spans many named
    #: ones (the ``files`` source: a folder or glob reads many files, each its own group).
    event_origin: ClassVar[str] = "group"

    @abc.abstractmethod
    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        """Groups whose name starts with ``prefix``, at most ``limit`` of them, sorted by name."""

    @abc.abstractmethod
    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        """Events of one group in ``[start, end]``, oldest first, at most ``limit``.

        Raises :class:`SourceNotFound` for an unknown group. Never loads more than ``limit``
        events into memory.
        """

    @abc.abstractmethod
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
        """Events matching ``pattern`` across ``groups`` and every group under ``prefixes``.

        Oldest first, at most ``limit`` in total.
        """

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - a budget handed to the backend's own polling
    ) -> QueryResult:
        """Run a server-side query. Only sources with ``supports_query`` implement it.

        Return at most ``limit`` rows. When more matched, set ``truncated``; when the rows stop
        short of ``limit`` although more matched (a backend row cap, a time budget), also say
        why in ``stopped_early``, so the LLM is told and the cache does not keep the result.
        """
        raise SourceValidationError(
            f"The {self.name or 'selected'} data source has no query language."
        )

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        """New events of ``groups`` as they arrive, in batches, until the iteration is closed.

        Each batch holds events not yielded before, oldest first; a batch may be empty, so a
        consumer can react between events. Events before ``start`` (default: now) are never
        yielded. The default polls :meth:`fetch_logs` every ``poll_interval`` seconds with an
        overlap window and event-id de-duplication (:func:`logai.sources.follow.poll_follow`);
        a backend with a push API (CloudWatch's StartLiveTail) overrides it. Errors of the
        source propagate from the iteration.
        """
        from logai.sources.follow import FollowPolicy, poll_follow

        return poll_follow(
            self,
            groups,
            filter_pattern,
            policy=FollowPolicy(poll_interval=poll_interval),
            start=start,
        )

    async def real_names(self, names: Sequence[str]) -> dict[str, str]:
        """What each of ``names`` really reads, where a name can be an alias of another.

        Guardrails (:mod:`logai.sources.guard`) judge a group by the name it is asked by *and*
        by the name this returns for it: for a group asked for, for every group listed and for
        the origin of every event. The ``files`` source answers for a symlink with the name of
        its target (``public/ok.log`` → ``secrets/keys.log``), so a link cannot serve a denied
        file. A name left out is only itself: the default, for a source without aliases, is
        an empty mapping. Errors propagate, and the guarded call then fails.
        """
        return {}

    async def aclose(self) -> None:  # noqa: B027 - optional hook, most sources hold nothing
        """Release connections. Safe to call more than once."""

    def describe(self) -> str:
        """One line for status bars and ``config show``: which account, region or folder."""
        return self.name

    def cache_identity(self) -> str:
        """What tells this source's data apart from another instance's, for cache keys.

        Everything that decides which data a request returns belongs in it: the account or
        tenant the credentials belong to, the region, the endpoint or cluster URL, the root
        folder. Two CloudWatch accounts (or regions, or a moto server and real AWS) can hold log
        groups with the same name and different events; their cache entries must never answer
        for each other. A name the user picked (a profile name) is not an identity: two
        credential sets can share one.

        Sources whose identity is known without I/O (a folder, a fixed URL) override only this.
        """
        return self.name

    async def identify(self) -> str:
        """Who this source reads as, learnt from the backend now: one line for a live check.

        ``logai config check --live`` times this call and prints its answer, so it should make
        one cheap request that fails when the credentials do (CloudWatch asks STS and answers
        with the account and principal ARN). The default is :meth:`resolve_cache_identity`.
        """
        return await self.resolve_cache_identity()

    async def resolve_cache_identity(self) -> str:
        """The cache identity of the principal this source reads as *now*.

        LogAI's cache awaits this before every lookup. The default returns
        :meth:`cache_identity`; a source whose identity takes a call to learn (CloudWatch asks
        STS which account its credentials belong to) overrides this instead, memoising the
        answer as it sees fit. When the credentials cannot be resolved it raises
        :class:`SourceAuthError` (or another :class:`DataSourceError`): nothing is served from
        the cache then, and the caller sees the error.
        """
        return self.cache_identity()


#: The class-level facts tools and the cache read on whatever source they are handed.
WRAPPED_FACTS = (
    "name",
    "ingestion_delay_seconds",
    "supports_query",
    "query_language",
    "event_origin",
)


def adopt_facts(wrapper: DataSource, inner: DataSource, *extra: str) -> None:
    """Make ``wrapper`` report ``inner``'s class-level facts (and ``extra`` ones).

    A wrapper (the cache, the guardrails) is handed around as the source itself; shadowing the
    facts per instance makes it answer with the wrapped source's values, not its own class's.
    """
    vars(wrapper).update({fact: getattr(inner, fact) for fact in (*WRAPPED_FACTS, *extra)})
