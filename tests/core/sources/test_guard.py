"""Guardrails around any data source: denied groups are invisible and refused before any call."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import load_settings
from logai.registries import create_data_source
from logai.sources import LogEvent, QueryResult, SourceAccessDenied, SourceNotFound
from logai.sources.group_rules import GroupRules
from logai.sources.guard import GroupNotAllowed, GuardedSource
from logai.sources.notes import collect_notes
from logai.sources.targets import TargetSet
from logai.tools.base import ToolContext, ToolError
from logai.tools.registry import ToolRegistry
from tests.fakes.memory_source import MemorySource

NOW = datetime.now(UTC)
START, END = NOW - timedelta(hours=1), NOW
GROUPS = ("/app/api", "/app/web", "/secret/db", "/secret/vault")


def _events() -> list[LogEvent]:
    return [
        LogEvent(NOW - timedelta(minutes=10, seconds=-i), f"line of {g}", g, "s", str(i))
        for i, g in enumerate(GROUPS)
    ]


class Recording(MemorySource):
    supports_query = True
    query_language = "test"

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109
    ) -> QueryResult:
        self.calls.append(("query", tuple(groups)))
        return QueryResult([{"@log": f"123456789012:{g}", "n": "1"} for g in GROUPS])

    async def watch(self, groups: Sequence[str], *, filter_pattern: str = "") -> AsyncIterator[str]:
        """A method the guard does not know (as a source's own extension would be)."""
        self.calls.append(("watch", tuple(groups)))
        for group in groups:
            yield group

    async def _batches(self, groups: Sequence[str]) -> AsyncIterator[list[LogEvent]]:
        yield [e for e in self.events if e.group in groups or e.group.startswith("/secret")]

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        """The source's own follow (as CloudWatch's Live Tail is): it must be the one used."""
        self.calls.append(("follow", tuple(groups)))
        return self._batches(groups)

    def region(self) -> str:
        return "eu-west-1"


def _guarded(deny: str = "/secret/*", allow: str = "") -> tuple[GuardedSource, Recording]:
    inner = Recording(_events())
    return GuardedSource(inner, GroupRules.parse(allow.split(","), deny.split(","))), inner


def _fetches(inner: MemorySource) -> list[object]:
    return [args for kind, args in inner.calls if kind != "list"]


async def test_listing_hides_denied_groups_and_still_fills_the_limit() -> None:
    guarded, _ = _guarded()
    assert [g.name for g in await guarded.list_log_groups()] == ["/app/api", "/app/web"]
    allow_only, _ = _guarded(deny="", allow="/secret/v*")
    assert [g.name for g in await allow_only.list_log_groups(limit=1)] == ["/secret/vault"]


@pytest.mark.parametrize(
    "name",
    ["/secret/db", "/secret/nonexistent", "/app/../secret/db", "/secret//db", " /secret/db ",
     "arn:aws:logs:eu-west-1:123456789012:log-group:/secret/db"],
)  # fmt: skip
async def test_a_fetch_naming_a_denied_group_is_refused_before_any_call(name: str) -> None:
    guarded, inner = _guarded()
    with pytest.raises(GroupNotAllowed, match="is not allowed") as caught:
        await guarded.fetch_logs(name, START, END)
    assert isinstance(caught.value, SourceAccessDenied)
    # The same words whether it exists or not.
    assert str(caught.value) == str(GroupNotAllowed(name)) and "does not exist" not in str(
        caught.value
    )
    assert inner.calls == []


async def test_search_keeps_allowed_groups_and_expands_prefixes_to_allowed_ones() -> None:
    guarded, inner = _guarded()
    with collect_notes() as notes:
        events = await guarded.search_logs(["/app/api", "/secret/db"], "line", START, END)
    assert {e.group for e in events} == {"/app/api"}
    assert notes == ["Left out 1 log group(s) that are not allowed by LogAI's guardrails: "
                     "/secret/db."]  # fmt: skip
    events = await guarded.search_logs([], "line", START, END, prefixes=["/"])
    assert {e.group for e in events} == {"/app/api", "/app/web"}
    assert all(not str(args).count("/secret") for args in _fetches(inner))


async def test_search_with_nothing_allowed_left_is_refused() -> None:
    guarded, inner = _guarded()
    with pytest.raises(GroupNotAllowed, match="Log groups '/secret/db', '/secret/x' are not"):
        await guarded.search_logs(["/secret/db", "/secret/x"], "x", START, END)
    with pytest.raises(SourceNotFound, match="No log group you may read starts with '/secret/'"):
        await guarded.search_logs([], "x", START, END, prefixes=["/secret/"])
    assert _fetches(inner) == []


async def test_a_query_runs_on_allowed_groups_only_and_drops_denied_rows() -> None:
    guarded, inner = _guarded()
    result = await guarded.run_query("stats count(*)", ["/app/api", "/secret/db"], START, END)
    assert inner.calls[-1] == ("query", ("/app/api",))
    assert all("/secret" not in row["@log"] for row in result.rows)
    with pytest.raises(GroupNotAllowed):
        await guarded.run_query("fields @message", ["/secret/db"], START, END)
    for query in (
        "SOURCE logGroups(namePrefix: ['/secret']) | fields @message",
        "# who failed\nsource logGroups(namePrefix: ['/secret'])\n| fields @message",
    ):
        with pytest.raises(SourceAccessDenied, match="SOURCE command"):
            await guarded.run_query(query, ["/app/api"], START, END)
    await guarded.run_query("fields @message | filter @message like /source/", ["/app/api"],
                            START, END)  # fmt: skip


async def test_methods_the_guard_does_not_know_follow_the_parameter_name_rule() -> None:
    guarded, inner = _guarded()
    watch = guarded.watch  # type: ignore[attr-defined]
    assert [g async for g in watch(["/app/api"])] == ["/app/api"]
    with pytest.raises(GroupNotAllowed):
        watch(["/app/api", "/secret/db"])
    assert guarded.region() == "eu-west-1"  # type: ignore[attr-defined]
    assert inner.calls == [("watch", ("/app/api",))]


async def test_follow_is_the_sources_own_for_allowed_groups_and_refused_for_denied_ones() -> None:
    guarded, inner = _guarded()
    with pytest.raises(GroupNotAllowed):
        guarded.follow(["/app/api", "/secret/db"])
    batches = [batch async for batch in guarded.follow(["/app/api"])]
    # The source's own follow ran (a Live Tail stays a Live Tail), and what it streamed from a
    # denied group was dropped like a fetch's events.
    assert inner.calls == [("follow", ("/app/api",))]
    assert [[e.group for e in batch] for batch in batches] == [["/app/api"]]


async def test_per_target_patterns_apply_in_that_target_only() -> None:
    targets = TargetSet({"prod": Recording(_events()), "dev": Recording(_events())})
    guarded = GuardedSource(targets, GroupRules.parse([], ["prod:/secret/*"]))
    names = [g.qualified_name for g in await guarded.list_log_groups("/secret/")]
    assert names == ["dev:/secret/db", "dev:/secret/vault"]
    assert [e.group for e in await guarded.fetch_logs("dev:/secret/db", START, END)] == [
        "dev:/secret/db"
    ]
    with pytest.raises(GroupNotAllowed):
        await guarded.fetch_logs("prod:/secret/db", START, END)
    with pytest.raises(GroupNotAllowed):  # a plain name reaches prod too
        await guarded.fetch_logs("/secret/db", START, END)
    events = await guarded.search_logs([], "", START, END, prefixes=["/secret/"])
    assert {e.group for e in events} == {"dev:/secret/db", "dev:/secret/vault"}


def _tools_context(source: GuardedSource) -> ToolContext:
    return ToolContext(load_settings(), source=source)


async def test_the_llm_tools_cannot_reach_a_denied_group() -> None:
    guarded, inner = _guarded()
    context = _tools_context(guarded)
    registry = await ToolRegistry.build(context)
    listing = await registry.execute("list_log_groups", "{}", context)
    assert "/secret" not in listing.text
    for name, arguments in [
        ("fetch_logs", '{"log_group": "/secret/db"}'),
        ("search_logs", '{"pattern": "x", "log_groups": ["/secret/vault"]}'),
        ("query_logs", '{"query": "fields @message", "log_groups": ["/secret/db"]}'),
    ]:
        with pytest.raises(ToolError, match="not allowed"):
            await registry.execute(name, arguments, context)
    assert _fetches(inner) == []


# -- through the registry, with the files source ------------------------------------------


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "logs"
    (root / "app").mkdir(parents=True)
    stamp = (NOW - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (root / "app" / "api.log").write_text(f"{stamp} INFO api ok\n")
    (root / "app" / "secret-keys.log").write_text(f"{stamp} INFO hunter2 lives here\n")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    monkeypatch.setenv("LOGAI_LOG_GROUPS_DENY", "*secret*")
    return root


async def test_the_files_source_is_guarded_where_sources_are_built(log_folder: Path) -> None:
    source = create_data_source(load_settings())
    try:
        assert isinstance(source, GuardedSource)
        assert [g.name for g in await source.list_log_groups()] == ["app/api.log"]
        with pytest.raises(GroupNotAllowed):
            await source.fetch_logs("app/secret-keys.log", START, END)
        # A folder or a glob reads many files: the denied one's lines never come back.
        for group in ("app", "app/*.log", "."):
            events = await source.fetch_logs(group, START, END)
            assert [e.message for e in events] == [e.message for e in events if "hunter2" not in
                                                   e.message] and events  # fmt: skip
    finally:
        await source.aclose()


def test_logai_logs_and_groups_obey_the_guardrails(log_folder: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["groups"])
    assert listed.exit_code == 0 and listed.stdout.split() == ["app/api.log"]
    refused = runner.invoke(cli, ["logs", "app/secret-keys.log", "--raw"])
    assert refused.exit_code == 1 and "not allowed" in refused.stderr
    assert "hunter2" not in refused.output
    folder = runner.invoke(cli, ["logs", "app", "--raw"])
    assert folder.exit_code == 0 and "api ok" in folder.stdout and "hunter2" not in folder.stdout


def test_an_unusable_pattern_fails_closed(
    log_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_LOG_GROUPS_DENY", "app/[secret")
    result = CliRunner().invoke(cli, ["logs", "app/api.log", "--raw"])
    assert result.exit_code == 2 and "LOGAI_LOG_GROUPS_DENY" in result.stderr
    assert "api ok" not in result.output
