"""``logai plugins``: every plugin, its hooks and status, each rule pack's rules, and conflicts."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from logai.plugins import PluginHost, get_host

if TYPE_CHECKING:
    from logai.sanitize.packs import RuleCollection


def _call_every_hook(host: PluginHost) -> RuleCollection:
    """Call each register hook once, as LogAI would, so failures and conflicts show here.

    Hooks are otherwise called lazily, when a source, frontend or sanitizer is needed; without
    this a plugin that raises in one, or registers a taken name, would be listed as healthy.
    """
    from logai.sanitize.packs import collect_rules

    host.data_sources()
    host.llm_providers()
    host.frontends()
    host.plugin_settings()
    host.tools()
    return collect_rules(host)


def _frontend_line(host: PluginHost) -> str:
    """``frontend NAME: why`` - what ``logai`` with no command would open, and why that one."""
    from logai.config import ConfigError, load_settings
    from logai.registries import UnknownComponent, choose_frontend

    try:
        wanted = load_settings().frontend
    except ConfigError:
        wanted = None
    try:
        choice = choose_frontend(wanted, host)
    except UnknownComponent as exc:
        return f"frontend (none): LOGAI_FRONTEND={wanted}: {exc}"
    if choice.frontend is None:
        return f"frontend (none): {choice.reason}"
    reason = f"LOGAI_FRONTEND={wanted}" if wanted else choice.reason
    return f"frontend {choice.frontend.name} ({choice.frontend.plugin}): default, {reason}"


def _check_components(host: PluginHost) -> list[str]:
    """Create every registered data source and LLM provider once; check every launcher.

    What ``--check`` adds: a factory or launcher that is wrong only shows when it is used, so
    use each now (sources are closed again; nothing is queried, no frontend opens). A
    plugin's mistake marks it failed in the table; a component that cannot be created for a
    reason of configuration (no AWS region, no API key) is listed, it is not a plugin's fault.
    """
    import asyncio

    from logai.cli._common import load_settings_or_exit
    from logai.faults import (
        FrontendFault,
        PluginFault,
        ProviderFault,
        build_provider,
        build_source,
        check_launcher,
    )
    from logai.llm.provider import LLMError
    from logai.registries import data_sources, frontends, llm_providers
    from logai.sources.base import DataSourceError

    settings = load_settings_or_exit()
    notes: list[str] = []
    for name, registration in data_sources(host).items():
        try:
            source = build_source(registration, settings, host)
        except PluginFault:
            continue  # marked failed, shown in the table
        except DataSourceError as exc:
            notes.append(f"check data source '{name}': not created: {exc}")
            continue
        try:
            asyncio.run(source.aclose())
        except PluginFault:
            continue
    for name, provider in llm_providers(host).items():
        try:
            build_provider(provider, settings, host)
        except ProviderFault:
            continue
        except LLMError as exc:
            notes.append(f"check LLM provider '{name}': not created: {exc}")
    for frontend in frontends(host).values():
        try:
            check_launcher(frontend, host)
        except FrontendFault:
            continue
    return notes


def _slow_rules(collection: RuleCollection) -> dict[str, str]:
    """Third-party rules that the catastrophic-backtracking probe caught, with the finding."""
    from logai.sanitize._matcher import is_trusted
    from logai.sanitize._probe import probe_rule

    found = {}
    for rule in collection.rules:
        if not is_trusted(rule):
            finding = probe_rule(rule)
            if finding:
                found[rule.name] = finding
    return found


def _status(status: str, error: str, extra: list[str]) -> str:
    text = status if not error else f"{status}: {error}"
    return "; ".join([text, *extra])


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option(
    "--check",
    is_flag=True,
    help="Also create every data source and LLM provider once and check every frontend "
    "launcher, to find plugins that fail only when used; exit 1 if one does.",
)
def plugins(as_json: bool, check: bool) -> None:
    """List built-in and installed plugins: hooks, status, rules and name conflicts.

    Plugins load in this order: built-ins, LogAI's own packages, then the rest by name; a
    name (source, frontend, provider, tool, rule) registered twice stays with the first.
    The last line names the frontend `logai` opens and why (LOGAI_FRONTEND or priority).
    """
    host = get_host()
    collection = _call_every_hook(host)
    failed_before = {info.name for info in host.plugins if info.status == "failed"}
    notes = _check_components(host) if check else []
    packs = collection.packs
    slow = _slow_rules(collection)
    entries: list[dict[str, Any]] = []
    for info in host.plugins:
        entry = info.to_dict()
        # A plugin refused for its entry-point name is listed under its label, not its name.
        pack = packs.get(info.name if host.info(info.name) is info else info.label)
        entry["rules"] = pack.rules if pack else []
        entry["rejected_rules"] = [r.to_dict() for r in pack.rejected] if pack else []
        entry["blocks_sanitization"] = bool(pack and pack.problem)
        entry["slow_rules"] = [
            {"name": name, "reason": slow[name]} for name in entry["rules"] if name in slow
        ]
        entries.append(entry)
    failed_in_check = [
        info.name
        for info in host.plugins
        if check and info.status == "failed" and info.name not in failed_before
    ]
    if as_json:
        click.echo(json.dumps(entries, indent=2))
        if failed_in_check:
            sys.exit(1)
        return
    headers = ("PLUGIN", "DISTRIBUTION", "VERSION", "HOOKS", "STATUS")
    rows = []
    for info, entry in zip(host.plugins, entries, strict=True):
        extra = []
        if entry["rejected_rules"]:
            extra.append(f"{len(entry['rejected_rules'])} rule(s) rejected")
        if entry["slow_rules"]:
            extra.append(f"{len(entry['slow_rules'])} rule(s) slow")
        if info.conflicts:
            extra.append(f"{len(info.conflicts)} name(s) refused")
        if entry["blocks_sanitization"]:
            extra.append("blocks sanitization")
        rows.append(
            (
                info.name,
                info.distribution + (" (built-in)" if info.builtin else ""),
                info.version,
                ", ".join(hook.removeprefix("register_") for hook in info.hooks) or "-",
                _status(info.status, info.error, extra),
            )
        )
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers) - 1)]
    for row in [headers, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, str(row[-1])]).rstrip())
    _details(host, entries, collection)
    for note in notes:
        click.echo(note)
    if failed_in_check:
        click.echo(f"check: {', '.join(failed_in_check)} failed when used (see STATUS)", err=True)
        sys.exit(1)


def _details(host: PluginHost, entries: list[dict[str, Any]], collection: RuleCollection) -> None:
    """Lines under the table, each led by its topic so the output stays easy to grep.

    ``rules PLUGIN: ...`` per rule pack, ``rejected PLUGIN/RULE: reason``, ``slow PLUGIN/RULE:
    ...`` for a third-party rule the backtracking probe caught, ``refused PLUGIN: ...`` for a
    name another plugin has, ``blocked: ...`` when sanitization cannot run, and last
    ``frontend NAME (PLUGIN): default, why``.
    """
    lines: list[str] = []
    for entry in entries:
        if entry["rules"] or entry["rejected_rules"]:
            lines.append(f"rules {entry['name']}: {', '.join(entry['rules']) or '(none accepted)'}")
            lines += [
                f"rejected {entry['name']}/{rejected['name']}: {rejected['reason']}"
                for rejected in entry["rejected_rules"]
            ]
            lines += [
                f"slow {entry['name']}/{rule['name']}: {rule['reason']}"
                for rule in entry["slow_rules"]
            ]
    lines += [f"refused {info.name}: {text}" for info in host.plugins for text in info.conflicts]
    lines += [f"blocked: {problem}" for problem in collection.problems]
    lines.append(_frontend_line(host))
    for line in lines:
        click.echo(line)
