"""``logai config check --live``: ask everything a run would talk to, and time each answer.

The data source is asked who it reads as (:meth:`~logai.sources.base.DataSource.identify`: for
CloudWatch one ``sts:GetCallerIdentity``) and for one cheap read (one log group listed, past the
cache: the point is to reach the source). The LLM endpoint is asked through the provider's
``probe()`` (LiteLLM's lists the models, spending no tokens where the provider allows). Each
check runs whatever the others found, so one run lists every problem.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import click

from logai.llm.probe import Probe

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.sources.base import DataSource


async def _timed(target: str, check: Callable[[], Awaitable[str]]) -> Probe:
    """Run one check; any failure becomes a failed probe carrying the error's own message."""
    from logai.sources.base import DataSourceError

    started = time.perf_counter()
    try:
        proved = await check()
    except DataSourceError as exc:
        return Probe(target, False, time.perf_counter() - started, str(exc), "other")
    except Exception as exc:  # a plugin's bug: still one line, naming what failed
        detail = " ".join(str(exc).split()) or "no details"
        message = f"unexpected {type(exc).__name__}: {detail}"
        return Probe(target, False, time.perf_counter() - started, message, "other")
    return Probe(target, True, time.perf_counter() - started, proved)


async def _source_probes(settings: LogAISettings) -> list[Probe]:
    from logai.registries import UnknownComponent, create_data_source
    from logai.sources.base import DataSourceError

    name = settings.data_source
    try:
        wrapped = create_data_source(settings, None)
    except (UnknownComponent, DataSourceError) as exc:
        return [Probe(f"{name} source", False, 0.0, str(exc), "other")]
    # Past the cache: a listing served from disk would prove nothing about the source.
    source: DataSource = getattr(wrapped, "inner", wrapped)

    async def read() -> str:
        groups = await source.list_log_groups(None, 1)
        if not groups:
            return "listing log groups works; none are visible to these credentials"
        return f"listing log groups works (first: {groups[0].name})"

    try:
        return [
            await _timed(f"{name} identity", source.identify),
            await _timed(f"{name} read", read),
        ]
    finally:
        await wrapped.aclose()


async def _llm_probe(settings: LogAISettings) -> Probe:
    from logai.llm.orchestrator import Orchestrator

    try:
        provider = Orchestrator(settings).provider()
    except Exception as exc:  # an unknown or broken provider plugin: its message says which
        return Probe("LLM", False, 0.0, str(exc), "other")
    probe = getattr(provider, "probe", None)
    if probe is None:
        return Probe(
            f"LLM {provider.model}",
            True,
            0.0,
            f"not checked: the LLM provider '{provider.name}' offers no live check",
        )
    result: Probe = await probe()
    return result


async def _all(settings: LogAISettings, *, source: bool, llm: bool) -> list[Probe]:
    probes = await _source_probes(settings) if source else []
    if llm:
        probes.append(await _llm_probe(settings))
    return probes


def run_live_checks(settings: LogAISettings, *, source: bool, llm: bool) -> list[Probe]:
    """Every live check for this configuration, in order (source first, then the LLM)."""
    from logai.cli._common import run_async

    return run_async(_all(settings, source=source, llm=llm))


def print_probes(probes: list[Probe]) -> int:
    """One line per check, failures on stderr; the number of failures."""
    from logai.cli._common import for_terminal

    width = max((len(probe.target) for probe in probes), default=0)
    for probe in probes:
        mark = "✓" if probe.ok else "✗"
        latency = f"{probe.seconds * 1000:6.0f} ms"
        line = f"{mark} {probe.target:<{width}}  {latency}  {probe.message}"
        click.echo(for_terminal(line), err=not probe.ok)
    return sum(not probe.ok for probe in probes)
