"""``logai config show|check``: the effective settings and what is wrong with them."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from logai.config import LogAISettings, Problem, SettingRow

from logai.terminal import json_safe, visible
from logai.url_credentials import mask_urls_in_text


@click.group("config")
def config() -> None:
    """Show or check LogAI's configuration (environment variables and .env)."""


def _plugin_settings() -> tuple[list[SettingRow], list[Problem]]:
    """Every plugin's settings as ``config show`` rows, and what is wrong with them.

    A plugin's settings that cannot be parsed yield a problem per bad variable instead of rows;
    a plugin's ``problems()`` that raises is a problem of its own, never a traceback.
    """
    from logai.config import ConfigError, Problem, describe_settings
    from logai.registries import plugin_settings

    rows: list[SettingRow] = []
    problems: list[Problem] = []
    for registration in plugin_settings():
        model = registration.factory
        try:
            values = model.load()
        except ConfigError as exc:
            for line in str(exc).splitlines()[1:]:
                variable, _, message = line.strip().removeprefix("- ").partition(": ")
                problems.append(Problem("error", variable, message))
            continue
        rows += describe_settings(values)
        try:
            problems += values.problems()
        except Exception as exc:
            problems.append(
                Problem(
                    "error",
                    model.env_prefix() + "*",
                    f"plugin '{registration.plugin}' could not check its settings: "
                    f"{type(exc).__name__}: {exc}",
                )
            )
    return rows, problems


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def show(as_json: bool) -> None:
    """Print the effective settings, secrets masked, and where each value came from."""
    from logai.config import ConfigError, describe_settings, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        click.echo(f"logai: {exc}", err=True)
        sys.exit(2)
    plugin_rows, problems = _plugin_settings()
    for problem in problems:
        click.echo(visible(mask_urls_in_text(f"logai: {problem}")), err=True)
    # Masked once more where printed: any row, however it was built, hides URL credentials.
    rows = [
        dataclasses.replace(row, value=mask_urls_in_text(row.value))
        for row in [*describe_settings(settings), *plugin_rows]
    ]
    if as_json:
        document = {row.variable: {"value": row.value, "source": row.source} for row in rows}
        click.echo(json_safe(json.dumps(document, indent=2)))
        return
    width = max(len(row.variable) for row in rows)
    value_width = min(40, max(len(row.value) for row in rows))
    for row in rows:
        click.echo(visible(f"{row.variable:<{width}}  {row.value:<{value_width}}  ({row.source})"))
    # What boto3 will actually use; the account takes an STS call, made on first use.
    click.echo(visible(f"AWS credentials in use: {settings.aws_in_use()}"))
    for line in _targets_and_guardrails(settings):
        click.echo(visible(line))


def _targets_and_guardrails(settings: LogAISettings) -> list[str]:
    """What ``LOGAI_AWS_TARGETS`` and the log group patterns mean, as ``config show`` says it."""
    from logai.aws_targets import TargetSyntaxError, parse_targets
    from logai.sources.group_rules import GroupRules, PatternError

    lines = []
    try:
        targets = parse_targets(settings.aws_targets)
    except TargetSyntaxError:
        targets = []  # reported by `logai config check`
    for target in targets:
        lines.append(f"AWS target {target.alias}: {target.label()}")
    try:
        lines.append(f"Log group guardrails: {GroupRules.from_settings(settings).describe()}")
    except PatternError as exc:
        lines.append(f"Log group guardrails: unusable ({exc}); nothing can be read")
    return lines


#: Commands that never talk to an LLM (their configuration needs no key or model).
_LLM_FREE_COMMANDS = frozenset({"mcp", "groups", "logs", "summarize", "sanitize"})


#: Commands that read no data source (their input is a file or stdin).
_SOURCE_FREE_COMMANDS = frozenset({"summarize", "sanitize"})


@config.command("check")
@click.option(
    "--live",
    is_flag=True,
    help="Also probe everything a run would talk to, timing each: the data source's identity "
    "(AWS: account and principal) and one cheap read, and the LLM endpoint, key and model "
    "(spending no tokens where the provider allows).",
)
@click.option(
    "--connect",
    is_flag=True,
    help="Also ask the data source whose data it reads (AWS: sts:GetCallerIdentity), "
    "proving the credentials work.",
)
@click.option(
    "--for",
    "command",
    type=click.Choice(sorted(_LLM_FREE_COMMANDS | {"ask", "chat"})),
    default="ask",
    show_default=True,
    help="Check what this command needs: mcp, groups, logs, summarize and sanitize need no LLM, "
    "so LLM settings are not required for them.",
)
def check(live: bool, connect: bool, command: str) -> None:
    """Report every configuration problem; exit 1 if there is an error.

    With --live, also probe the data source and the LLM endpoint and exit 1 if any probe fails.
    """
    from logai.cli._common import is_llm_setting
    from logai.cli._name_checks import plugin_problems, rule_problems
    from logai.config import ConfigError, find_problems, load_settings
    from logai.plugins import get_host
    from logai.registries import data_sources, frontends, llm_providers

    try:
        settings = load_settings()
    except ConfigError as exc:
        click.echo(f"logai: {exc}", err=True)
        sys.exit(1)
    problems = find_problems(
        settings,
        data_sources=set(data_sources()),
        llm_providers=set(llm_providers()),
        frontends=set(frontends()),
    )
    problems += _plugin_settings()[1]
    problems += plugin_problems(get_host()) + rule_problems(settings, get_host())
    if command in _LLM_FREE_COMMANDS:
        # `logai mcp` and the fetch commands never call an LLM: a missing key is not a problem.
        problems = [p for p in problems if not is_llm_setting(p.variable)]
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        # A message may quote a setting's value: credentials in URLs and control bytes stay out.
        click.echo(visible(mask_urls_in_text(str(problem))), err=problem.severity == "error")
    if errors:
        count = len(errors)
        click.echo(f"{count} problem{'' if count == 1 else 's'} found.", err=True)
        if live:
            click.echo("Live checks not run: fix the problems above first.", err=True)
        sys.exit(1)
    if live:
        from logai.cli._live import print_probes, run_live_checks

        probes = run_live_checks(
            settings,
            source=command not in _SOURCE_FREE_COMMANDS,
            llm=command not in _LLM_FREE_COMMANDS,
        )
        failed = print_probes(probes)
        if failed:
            click.echo(f"{failed} live check{'' if failed == 1 else 's'} failed.", err=True)
            sys.exit(1)
        click.echo("Configuration OK; every live check passed.")
        return
    if connect:
        from logai.cli._common import open_source, run_with_source

        source = open_source(settings, None)
        run_with_source(source, lambda src: src.resolve_cache_identity())
        click.echo(f"Connected: {source.describe()}")
    click.echo("Configuration OK.")
