"""Guardrails judge a file of the ``files`` source by what it really reads, not only its name.

Real files and real symlinks in tmp_path, behind the real wiring (``create_data_source``: the
guard outside the cache), read by the source, the CLI, the LLM's tools and the MCP server. With
``LOGAI_LOG_GROUPS_DENY=secrets/*``, a link into ``secrets`` (to a file or to the folder,
through a chain of links, a ``..`` path or an absolute one) is as unreachable as the denied
name: left out of listings, refused by name with the same words, dropped from folders, globs,
searches and follows. The last test states it as a property over random layouts.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logai.cli.app import cli
from logai.config import load_settings
from logai.llm.events import Done, ToolCallFinished
from logai.llm.orchestrator import Orchestrator
from logai.registries import create_data_source
from logai.sources import DataSource, DataSourceError, LogEvent, SourceNotFound
from logai.sources.files import FilesSource
from logai.sources.group_rules import GroupRules
from logai.sources.guard import GroupNotAllowed, GuardedSource
from logai.sources.notes import collect_notes
from tests.fakes.fake_llm import FakeLLMServer, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.memory_source import MemorySource

NOW = datetime.now(UTC)
START, END = NOW - timedelta(hours=1), NOW + timedelta(minutes=5)
STAMP = (NOW - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
SECRET = "hunter2-in-the-keys-file"
#: Names that reach ``secrets/keys.log`` however they are spelled.
LINKS_TO_SECRET = [
    "public/ok.log",  # a link to the file
    "public/chain.log",  # a link to a link to a link to it
    "public/sec/keys.log",  # a file in a linked folder
    "public/deeper/keys.log",  # a file in a link to a linked folder
    "public/sec/*.log",  # a glob in a linked folder
    "public/sec/*",
    "./public/ok.log",
    "public//ok.log",
    "public/../secrets/keys.log",
    "../logs/secrets/keys.log",  # out of the root and back in
    "public/sec/./keys.log",
    "hops/../public/sec/keys.log",
    "public/ghost.log",  # a link to a denied file that does not exist: it says the same
]


@pytest.fixture
def log_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``public`` holds one allowed log and every kind of link into ``secrets``."""
    root = tmp_path / "logs"
    for folder in ("public", "secrets", "hops"):
        (root / folder).mkdir(parents=True)
    (root / "public" / "app.log").write_text(f"{STAMP} INFO app ok\n")
    (root / "secrets" / "keys.log").write_text(f"{STAMP} INFO {SECRET}\n")
    (root / "public" / "ok.log").symlink_to("../secrets/keys.log")
    (root / "hops" / "two.log").symlink_to("../secrets/keys.log")
    (root / "hops" / "one.log").symlink_to(root / "hops" / "two.log")  # absolute target
    (root / "public" / "chain.log").symlink_to("../hops/one.log")
    (root / "public" / "sec").symlink_to("../secrets", target_is_directory=True)
    (root / "public" / "deeper").symlink_to("sec", target_is_directory=True)
    (root / "public" / "ghost.log").symlink_to("../secrets/ghost.log")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    monkeypatch.setenv("LOGAI_LOG_GROUPS_DENY", "secrets/*")
    return root


@pytest.fixture
async def source(log_root: Path) -> AsyncIterator[DataSource]:
    built = create_data_source(load_settings())
    assert isinstance(built, GuardedSource)
    try:
        yield built
    finally:
        await built.aclose()


def _refusal(name: str) -> str:
    return str(GroupNotAllowed(name))


@pytest.mark.parametrize("name", LINKS_TO_SECRET)
async def test_naming_a_link_to_a_denied_file_is_refused_like_the_denied_name(
    source: DataSource, name: str
) -> None:
    with pytest.raises(GroupNotAllowed) as caught:
        await source.fetch_logs(name, START, END)
    assert str(caught.value) == _refusal(name)  # the target is named nowhere
    with pytest.raises(GroupNotAllowed):
        await source.search_logs([name], "", START, END)


async def test_an_absolute_path_is_judged_by_the_file_it_names(
    source: DataSource, log_root: Path
) -> None:
    for name in (str(log_root / "secrets" / "keys.log"), str(log_root / "public" / "ok.log")):
        with pytest.raises(GroupNotAllowed):
            await source.fetch_logs(name, START, END)


@pytest.mark.parametrize(
    "group", [".", "public", "public/", "public/*", "**/*.log", "*/*", "public/sec", "hops"]
)
async def test_folders_and_globs_leave_out_what_links_would_reach(
    source: DataSource, group: str
) -> None:
    events = await source.fetch_logs(group, START, END)
    assert SECRET not in " ".join(event.message for event in events)
    if group.startswith(("public", ".", "*")) and group != "public/sec":
        assert [event.message for event in events] == [f"{STAMP} INFO app ok"]


async def test_listings_leave_out_links_to_denied_files(source: DataSource) -> None:
    assert [group.name for group in await source.list_log_groups(limit=100)] == ["public/app.log"]
    assert [group.name for group in await source.list_log_groups("public/ok")] == []


async def test_a_search_keeps_the_allowed_groups_and_never_reads_through_a_link(
    source: DataSource,
) -> None:
    with collect_notes() as notes:
        events = await source.search_logs(["public/app.log", "public/ok.log"], "", START, END)
    assert [event.message for event in events] == [f"{STAMP} INFO app ok"]
    assert notes == [
        "Left out 1 log group(s) that are not allowed by LogAI's guardrails: public/ok.log."
    ]
    found = await source.search_logs([], "", START, END, prefixes=["public", "hops", "p"])
    assert [event.message for event in found] == [f"{STAMP} INFO app ok"]


async def test_a_follow_never_streams_a_denied_file(source: DataSource) -> None:
    refused = source.follow(["public/ok.log"], start=START)
    with pytest.raises(GroupNotAllowed):
        await anext(refused)
    batches = source.follow(["public", "public/sec"], start=START, poll_interval=0.1)
    try:
        first = await anext(batches)
    finally:
        await batches.aclose()  # type: ignore[attr-defined]
    assert [event.message for event in first] == [f"{STAMP} INFO app ok"]


def test_logai_logs_and_groups_refuse_links_to_denied_files(log_root: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["groups"])
    assert listed.exit_code == 0 and listed.stdout.split() == ["public/app.log"]
    for name in ("public/ok.log", "public/sec/keys.log", "public/chain.log"):
        refused = runner.invoke(cli, ["logs", name, "--raw"])
        assert refused.exit_code == 1 and "not allowed" in refused.stderr, refused.output
        assert SECRET not in refused.output
    folder = runner.invoke(cli, ["logs", "public", "public/sec", "--raw", "--since", "2h"])
    assert folder.exit_code == 0 and "app ok" in folder.stdout and SECRET not in folder.output


async def test_the_mcp_server_cannot_reach_a_denied_file_through_a_link(log_root: Path) -> None:
    from mcp import Client

    from logai_mcp.server import build_server
    from logai_mcp.service import LogToolsService

    service = LogToolsService(load_settings())
    try:
        async with Client(build_server(service)) as client:
            texts = []
            for tool, arguments in (
                ("list_log_groups", {}),
                ("fetch_logs", {"log_group": "public/ok.log", "start_time": "2h"}),
                ("fetch_logs", {"log_group": "public", "start_time": "2h"}),
                ("search_logs", {"pattern": "INFO", "log_group_prefixes": ["p"]}),
            ):
                result = await client.call_tool(tool, arguments)
                texts.append(" ".join(getattr(item, "text", "") for item in result.content))
            resources = [r.name for r in (await client.list_resources()).resources]
    finally:
        await service.aclose()
    assert "not allowed" in texts[1] and "app ok" in texts[2]
    assert SECRET not in " ".join(texts) and "public/ok.log" not in texts[0]
    assert "public/ok.log" not in resources


async def test_not_found_never_suggests_a_denied_file_or_a_link_to_one(
    source: DataSource,
) -> None:
    with pytest.raises(SourceNotFound) as caught:
        await source.fetch_logs("public/keys.log", START, END)
    message = str(caught.value)
    assert "secrets/" not in message and "ok.log" not in message and "chain" not in message
    assert message.startswith("No log file, folder or glob match named 'public/keys.log'")
    assert caught.value.suggestions == ["public/app.log"]
    assert "Did you mean public/app.log? Listing the log groups" in message


async def test_a_not_found_message_in_an_unknown_form_loses_denied_names() -> None:
    guarded = GuardedSource(MemorySource(_memory_events()), GroupRules.parse([], ["/app/alias"]))
    with pytest.raises(SourceNotFound) as caught:
        await guarded.fetch_logs("/app/alia", START, END)
    assert "/app/alias" not in str(caught.value) and caught.value.suggestions == ["/app/api"]


async def test_a_denied_file_is_never_opened_nor_named_in_a_note(
    source: DataSource, log_root: Path
) -> None:
    """Skipped-file notes and the "nothing in the range" hint speak only of allowed files."""
    newest = (NOW - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (log_root / "secrets" / "new.log").write_text(f"{newest} INFO newer secret\n")
    (log_root / "secrets" / "broken.log").symlink_to("nowhere.log")
    (log_root / "public" / "to-broken.log").symlink_to("../secrets/broken.log")
    with collect_notes() as notes:
        listed = await source.list_log_groups()
        events = await source.fetch_logs("public/sec", START, END)
        later = NOW + timedelta(minutes=10)
        assert await source.fetch_logs(".", later, later + timedelta(minutes=10)) == []
    assert any(STAMP in note for note in notes)  # the hint names the allowed file's time
    assert [group.name for group in listed] == ["public/app.log"] and events == []
    assert not [note for note in notes if "secrets" in note or newest in note or "broken" in note]


@pytest.mark.network_loopback
@pytest.mark.slow
async def test_the_llm_never_sees_a_denied_file_through_a_link(
    log_root: Path,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "openai")
    monkeypatch.setenv("LOGAI_LLM_API_BASE", fake_llm.openai_base)
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv("LOGAI_OPENAI_API_KEY", "test-key")
    turns = [
        Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "public/chain.log"})]),
        Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "public/sec/*.log"})]),
        Turn(tool_calls=[ToolCall("search_logs", {"pattern": "INFO", "log_groups": ["public"]})]),
        Turn(tool_calls=[ToolCall("list_log_groups", {})]),
        Turn(text="done"),
    ]
    fake_llm.respond_with(lambda request: turns.pop(0))
    orchestrator = Orchestrator(load_settings())
    try:
        events = [event async for event in orchestrator.ask("What is in the keys file?")]
    finally:
        await orchestrator.aclose()
    calls = [e for e in events if isinstance(e, ToolCallFinished)]
    assert isinstance(events[-1], Done) and [c.ok for c in calls] == [False, False, True, True]
    results = [r.content for r in fake_llm.parsed_requests()[-1].tool_results]
    assert "not allowed" in results[0] and "not allowed" in results[1]
    assert "app ok" in results[2] and "public/ok.log" not in results[3]
    assert not fake_llm.requests_containing(SECRET)


# -- a source without aliases keeps today's behaviour; one with them is judged by them ------


class Aliased(MemorySource):
    """A plugin-style source where ``/app/alias`` is another name for ``/secret/db``."""

    async def real_names(self, names: Sequence[str]) -> dict[str, str]:
        return {name: "/secret/db" for name in names if name == "/app/alias"}


def _memory_events() -> list[LogEvent]:
    return [
        LogEvent(NOW - timedelta(minutes=1), "api line", "/app/api", "s", "1"),
        LogEvent(NOW - timedelta(minutes=1), "alias line", "/app/alias", "s", "2"),
    ]


async def test_a_source_without_real_names_is_judged_by_names_alone() -> None:
    plain = GuardedSource(MemorySource(_memory_events()), GroupRules.parse([], ["/secret/*"]))
    events = await plain.fetch_logs("/app/alias", START, END)
    assert [event.message for event in events] == ["alias line"]


@pytest.mark.parametrize("cached", [False, True])
async def test_a_plugin_source_naming_its_aliases_is_judged_by_them(
    tmp_path: Path, cached: bool
) -> None:
    """Also behind LogAI's cache, which hands the question to the source, never answers it."""
    from logai.cache import LogCache
    from logai.cache.source import CachedDataSource

    inner: DataSource = Aliased(_memory_events())
    if cached:
        inner = CachedDataSource(inner, LogCache(tmp_path / "cache.db"))
    guarded = GuardedSource(inner, GroupRules.parse([], ["/secret/*"]))
    try:
        with pytest.raises(GroupNotAllowed, match="'/app/alias'"):
            await guarded.fetch_logs("/app/alias", START, END)
        assert [g.name for g in await guarded.list_log_groups()] == ["/app/api"]
        assert [e.message for e in await guarded.fetch_logs("/app/api", START, END)] == ["api line"]
    finally:
        await guarded.aclose()


# -- the property ----------------------------------------------------------------------------

REAL_FILES = ["top.log", "a/x.log", "a/y.log", "b/x.log", "secrets/k.log", "secrets/deep/k.log"]
LINK_PLACES = ["l.log", "a/l.log", "b/l.log", "a/ld", "b/ld", "secrets/l.log", "b/deep/l.log"]
FOLDERS = [".", "a", "b", "secrets", "secrets/deep"]
PATTERNS = ["secrets/*", "secrets/deep/*", "a/*", "*k.log", "b/x.log", "*/x.log", "secrets", "*l*"]
GLOBS = ["*", "*/*", "*/*/*", "**/*.log", "a/*", "b/*", "a/ld/*", "b/ld/*", "a/ld/*/*"]


def _token(relative: str) -> str:
    return "TOKEN-" + relative.replace("/", "-").replace(".", "-")


def _build(root: Path, files: Sequence[str], links: Sequence[tuple[str, str]]) -> list[str]:
    """Lay out ``files`` and ``links`` (place, target) under ``root``; the names made."""
    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for relative in files:
        (root / relative).write_text(f"{STAMP} {_token(relative)}\n")
    made = []
    for place, target in links:
        path = root / place
        if os.path.lexists(path) or place == target or not path.parent.is_dir():
            continue
        relative_target = os.path.relpath(root / target, path.parent)
        path.symlink_to(relative_target, target_is_directory=(root / target).is_dir())
        made.append(place)
    return made


def _reads_denied(root: Path, name: str, rules: GroupRules) -> bool:
    real = os.path.realpath(root / name)
    inside = os.path.commonpath([real, os.path.realpath(root)]) == os.path.realpath(root)
    return inside and not rules.allows("", os.path.relpath(real, os.path.realpath(root)))


async def _everything_served(
    guarded: DataSource, names: Sequence[str], *, listing: bool = True
) -> tuple[str, list[str], list[str]]:
    """Every text a caller could see for ``names`` (events, errors and notes), and apart: the
    names listed and the notes."""
    seen: list[str] = []
    listed: list[str] = []
    with collect_notes() as notes:
        if listing:
            listed = [group.name for group in await guarded.list_log_groups(limit=1000)]
        for name in names:
            try:
                seen += [event.message for event in await guarded.fetch_logs(name, START, END)]
            except DataSourceError as exc:
                seen.append(str(exc))
        for arguments in ({"groups": list(names)}, {"groups": [], "prefixes": ["a", "b", "s"]}):
            try:
                found = await guarded.search_logs(
                    arguments["groups"], "", START, END, prefixes=arguments.get("prefixes", ())
                )
                seen += [event.message for event in found]
            except DataSourceError as exc:
                seen.append(str(exc))
        try:
            batches = guarded.follow(["."], start=START, poll_interval=0.1)
            try:
                seen += [event.message for event in await anext(batches)]
            finally:
                await batches.aclose()  # type: ignore[attr-defined]
        except DataSourceError as exc:
            seen.append(str(exc))
    return "\n".join([*seen, *listed, *notes]), listed, notes


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]]]:
    """Real files, then links to them, to folders and to other links (chains)."""
    files = draw(st.lists(st.sampled_from(REAL_FILES), min_size=1, unique=True))
    targets = st.sampled_from([*files, *FOLDERS, *LINK_PLACES])
    links = draw(st.lists(st.tuples(st.sampled_from(LINK_PLACES), targets), max_size=6))
    return files, links


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    layout=layouts(),
    deny=st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2, unique=True),
    allow=st.sampled_from(["", "a/*,b/*,top.log", "*"]),
)
@example(  # a denied name linking to an allowed file must not hide that file from its folder
    layout=(["a/x.log", "secrets/k.log"], [("secrets/l.log", "a/x.log")]),
    deny=["secrets/*"],
    allow="",
)
@example(
    layout=(["secrets/k.log"], [("a/ld", "secrets"), ("l.log", "a/ld")]),
    deny=["secrets/*"],
    allow="",
)
def test_no_byte_of_a_denied_file_is_ever_served(
    scratch: Path,
    layout: tuple[list[str], list[tuple[str, str]]],
    deny: list[str],
    allow: str,
) -> None:
    """For any layout of files and links and any patterns: a file whose real name is denied
    gives nothing away (through any name, folder, glob, search or follow), and a file whose
    real name is allowed is still read by that name."""
    files, links = layout
    root = Path(tempfile.mkdtemp(dir=scratch)) / "logs"
    made = _build(root, files, links)
    rules = GroupRules.parse(allow.split(","), deny)
    guarded = GuardedSource(FilesSource(root), rules)
    through_links = [
        f"{place}/{rest}" for place in made for rest in ("k.log", "x.log", "deep/k.log")
    ]
    names = [*files, *made, *FOLDERS, *GLOBS, *through_links, "../logs/secrets/k.log",
             str(root / "secrets" / "k.log")]  # fmt: skip

    served, listed, notes = asyncio.run(_everything_served(guarded, names))

    for relative in files:
        if not rules.allows("", relative):
            assert _token(relative) not in served, (relative, made)
    # Nothing denied, nor a link to it, is listed or named in a note of the source's own.
    invisible = [
        n for n in [*files, *made] if not rules.allows("", n) or _reads_denied(root, n, rules)
    ]
    assert not set(invisible) & set(listed)
    for note in notes:
        if not note.startswith("Left out"):  # names the caller itself asked for
            assert not [n for n in invisible if re.search(rf"(^|[ ,:]){re.escape(n)} \(", note)]
    for relative in files:
        if rules.allows("", relative):
            events = asyncio.run(guarded.fetch_logs(relative, START, END))
            assert [event.message for event in events] == [f"{STAMP} {_token(relative)}"]
    if rules.allows("", "."):  # a file reached by its own name and by links is still read
        everything, _, _ = asyncio.run(_everything_served(guarded, ["."], listing=False))
        for relative in files:
            assert (_token(relative) in everything) == rules.allows("", relative), relative
