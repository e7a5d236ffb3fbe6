"""LOGAI_AWS_TARGETS and the log group guardrails against moto over HTTP: two accounts (one
reached by an assumed role) and two regions, through the real wiring (registry, cache, guard)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import load_settings
from logai.llm.events import Done, ToolCallFinished
from logai.llm.orchestrator import Orchestrator
from logai.registries import create_data_source
from logai.sources import DataSource, SourceAuthError, SourceNotFound
from logai.sources.guard import GroupNotAllowed
from logai.sources.notes import collect_notes
from logai_cloudwatch.session import forget_accounts
from tests.cloudwatch.fixtures import Requests
from tests.fakes.aws_world import (
    ACCOUNT_A,
    ACCOUNT_B,
    ROLE_B,
    SECRET,
    SHARED,
    TARGETS,
    TARGETS_VALUE,
    World,
    seed_world,
)
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import MotoServer
from tests.fakes.moto_server import moto_endpoint as moto_endpoint
from tests.fakes.moto_server import moto_server as moto_server

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

END = datetime.now(UTC) + timedelta(minutes=5)
START = END - timedelta(hours=3)


@pytest.fixture(autouse=True)
def _no_remembered_accounts() -> Iterator[None]:
    forget_accounts()
    yield
    forget_accounts()


@pytest.fixture
def world(moto_endpoint: MotoServer, monkeypatch: pytest.MonkeyPatch) -> World:
    seeded = seed_world(moto_endpoint)
    monkeypatch.setenv("LOGAI_AWS_TARGETS", TARGETS_VALUE)
    return seeded


def _source() -> DataSource:
    return create_data_source(load_settings())


async def test_listing_runs_across_every_target_with_each_group_named_by_it(world: World) -> None:
    source = _source()
    try:
        names = [g.qualified_name for g in await source.list_log_groups(limit=100)]
        for target in TARGETS:
            assert f"{target}:{SHARED}" in names and f"{target}:/only/{target}" in names
        assert "a-us:/only/b-eu" not in names
        identity = await source.resolve_cache_identity()
        assert f"b-eu: account {ACCOUNT_B}, region eu-west-1" in identity
        assert f"a-us: account {ACCOUNT_A}, region us-east-1" in identity
        assert f"role arn:aws:iam::{ACCOUNT_B}" in source.describe()
    finally:
        await source.aclose()


async def test_each_target_answers_with_its_own_events_cold_and_warm(world: World) -> None:
    for _ in range(2):  # the second round is served from the cache: still never crossed
        source = _source()
        try:
            for target in TARGETS:
                events = await source.fetch_logs(f"{target}:{SHARED}", START, END)
                assert [e.message for e in events] == world.messages(target)
                assert {e.group for e in events} == {f"{target}:{SHARED}"}
            plain = await source.fetch_logs(SHARED, START, END)
            assert sorted(e.message for e in plain) == sorted(
                m for target in TARGETS for m in world.messages(target)
            )
        finally:
            await source.aclose()


async def test_a_target_whose_credentials_fail_is_reported_and_the_others_answer(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "aws-config").write_text("[profile gone]\nregion = us-east-1\n")
    monkeypatch.setenv(
        "LOGAI_AWS_TARGETS", f"{TARGETS_VALUE},old=gone@us-east-1,old-role=gone>{ROLE_B}@eu-west-1"
    )
    source = _source()
    try:
        with collect_notes() as notes:
            names = [g.qualified_name for g in await source.list_log_groups(limit=100)]
            found = await source.search_logs([], "says", START, END, prefixes=["/app/"])
        assert f"b-eu:{SHARED}" in names and not any(n.startswith("old") for n in names)
        assert len(found) == 9
        assert notes[0].startswith("Target old did not answer: No AWS credentials")
        assert notes[1].startswith(
            f"Target old-role did not answer: No AWS credentials to assume role {ROLE_B}"
        )
        with pytest.raises(SourceAuthError):
            await source.fetch_logs(f"old:{SHARED}", START, END)
    finally:
        await source.aclose()


async def test_logs_insights_runs_in_each_target_concerned(world: World) -> None:
    source = _source()
    try:
        result = await source.run_query(
            "fields @message | sort @timestamp asc",
            [f"b-eu:{SHARED}", f"a-us:{SHARED}"],
            START,
            END,
        )
        by_target = {row["@target"]: [] for row in result.rows}
        for row in result.rows:
            by_target[row["@target"]].append(row["@message"])
        assert by_target == {t: world.messages(t) for t in ("a-us", "b-eu")}
    finally:
        await source.aclose()


async def _requests_by_target(source: DataSource) -> dict[str, Requests]:
    """Each target's requests, counted on its own client (under the guard and the cache)."""
    inner: Any = source
    while not hasattr(inner, "members"):
        inner = inner.inner
    return {
        alias: Requests(await member._ensure_client()) for alias, member in inner.members.items()
    }


async def test_did_you_mean_is_listed_only_when_no_target_has_the_group(world: World) -> None:
    source = _source()
    try:
        requests = await _requests_by_target(source)
        assert await source.fetch_logs("/only/b-eu", START, END) == []
        assert {alias: len(r.describes()) for alias, r in requests.items()} == dict.fromkeys(
            TARGETS, 0
        )

        with pytest.raises(SourceNotFound) as caught:
            await source.fetch_logs("/app/apj", START, END)
        assert str(caught.value) == (
            "Log group '/app/apj' is in none of the targets (a-us, a-eu, b-eu). "
            "Did you mean 'a-us:/app/api' or 'a-eu:/app/api' or 'b-eu:/app/api'?"
        )
        listings = {len(r.describes()) for r in requests.values()}
        assert len(listings) == 1 and listings != {0}  # the same bounded listing in each
    finally:
        await source.aclose()


# -- guardrails ------------------------------------------------------------------------------


@pytest.fixture
def guarded(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("LOGAI_LOG_GROUPS_DENY", f"{SECRET},b-eu:/only/*")
    return world


async def test_guardrails_on_listing_fetch_search_and_insights(guarded: World) -> None:
    source = _source()
    try:
        names = [g.qualified_name for g in await source.list_log_groups(limit=100)]
        assert not [n for n in names if SECRET in n or n.startswith("b-eu:/only")]
        assert "a-eu:/only/a-eu" in names
        for name in (SECRET, f"a-us:{SECRET}", "b-eu:/only/b-eu", "b-eu:/only/unknown"):
            with pytest.raises(GroupNotAllowed, match="not allowed"):
                await source.fetch_logs(name, START, END)
        found = await source.search_logs([], "card", START, END, prefixes=["/"])
        assert found == []
        with pytest.raises(GroupNotAllowed):
            await source.search_logs([f"b-eu:{SECRET}"], "card", START, END)
        with pytest.raises(GroupNotAllowed):
            await source.run_query("fields @message", [SECRET], START, END)
        result = await source.run_query("fields @message", [SECRET, f"a-us:{SHARED}"], START, END)
        assert all("card" not in row.get("@message", "") for row in result.rows) and result.rows
    finally:
        await source.aclose()


def test_logai_groups_and_logs_with_targets_and_guardrails(guarded: World) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["groups", "--target", "b-eu"])
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.split() == [f"b-eu:{SHARED}"]
    logs = runner.invoke(cli, ["logs", SHARED, "--target", "a-eu", "--since", "3h"])
    assert logs.exit_code == 0, logs.output
    assert [line.split(" ", 1)[1] for line in logs.stdout.splitlines()] == World.messages(
        guarded, "a-eu"
    )
    refused = runner.invoke(cli, ["logs", SECRET, "--target", "a-eu", "--since", "3h", "--raw"])
    assert (
        refused.exit_code == 1 and "not allowed" in refused.stderr and "card" not in refused.output
    )
    everywhere = runner.invoke(cli, ["logs", SHARED, "--since", "3h"])
    assert everywhere.exit_code == 0, everywhere.output
    lines = [line.split(" ", 1)[1] for line in everywhere.stdout.splitlines()]
    assert sorted(lines) == sorted(
        f"{target}:{SHARED} {message}"
        for target in ("a-us", "a-eu", "b-eu")
        for message in World.messages(guarded, target)
    )
    unknown = runner.invoke(cli, ["logs", SHARED, "--target", "nope"])
    assert unknown.exit_code == 2 and "Targets: a-us, a-eu, b-eu" in unknown.stderr


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
async def test_the_llm_sees_the_targets_and_cannot_reach_a_denied_group(
    guarded: World,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    protocol: str,
) -> None:
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", protocol)
    base = fake_llm.openai_base if protocol == "openai" else fake_llm.anthropic_base
    monkeypatch.setenv("LOGAI_LLM_API_BASE", base)
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv(f"LOGAI_{protocol.upper()}_API_KEY", "test-key")
    turns = [
        Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": SECRET, "target": "a-eu"})]),
        Turn(
            tool_calls=[ToolCall("search_logs", {"pattern": "card", "log_group_prefixes": ["/"]})]
        ),
        Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": SHARED, "target": "b-eu"})]),
        Turn(text="done"),
    ]

    def respond(request: LLMRequest) -> Turn:
        return turns.pop(0)

    fake_llm.respond_with(respond)
    orchestrator = Orchestrator(load_settings())
    try:
        events = [event async for event in orchestrator.ask("Why do payments fail?")]
    finally:
        await orchestrator.aclose()
    calls = [e for e in events if isinstance(e, ToolCallFinished)]
    assert isinstance(events[-1], Done) and [c.ok for c in calls] == [False, True, True]
    first = fake_llm.parsed_requests()[0]
    assert "- b-eu: access keys, role arn:aws:iam::" in first.system
    assert "off-limits" in first.system
    fetch = next(t for t in first.tools if "fetch_logs" in str(t))
    assert "'enum': ['a-us', 'a-eu', 'b-eu']" in str(fetch)
    results = [r.content for r in fake_llm.parsed_requests()[-1].tool_results]
    assert "not allowed" in results[0]
    assert "0 events" in results[1] and "4111" not in " ".join(results)
    assert "b-eu says 0" in results[2]
    assert not fake_llm.requests_containing("4111")


def test_config_check_connect_proves_every_target(world: World) -> None:
    result = CliRunner().invoke(cli, ["config", "check", "--for", "groups", "--connect"])
    assert result.exit_code == 0, result.output
    assert "Connected: cloudwatch, 3 targets: a-us (" in result.stdout
    assert f"account {ACCOUNT_B}" in result.stdout and "Configuration OK." in result.stdout
