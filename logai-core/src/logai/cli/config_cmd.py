"""``logai config show|check``: the effective settings and what is wrong with them."""

from __future__ import annotations

import dataclasses
import json
import sys

import click

from logai.terminal import json_safe, visible
from logai.url_credentials import mask_urls_in_text


@click.group("config")
def config() -> None:
    """Show or check LogAI's configuration (environment variables and .env)."""


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
    # Masked once more where printed: any row, however it was built, hides URL credentials.
    rows = [
        dataclasses.replace(row, value=mask_urls_in_text(row.value))
        for row in describe_settings(settings)
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


@config.command("check")
@click.option(
    "--connect",
    is_flag=True,
    help="Also ask the data source whose data it reads (AWS: sts:GetCallerIdentity), "
    "proving the credentials work.",
)
def check(connect: bool) -> None:
    """Report every configuration problem; exit 1 if there is an error."""
    from logai.cli._name_checks import plugin_problems, rule_problems
    from logai.config import ConfigError, find_problems, load_settings
    from logai.plugins import get_host
    from logai.registries import data_sources

    try:
        settings = load_settings()
    except ConfigError as exc:
        click.echo(f"logai: {exc}", err=True)
        sys.exit(1)
    problems = find_problems(settings, data_sources=set(data_sources()))
    problems += plugin_problems(get_host()) + rule_problems(settings, get_host())
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        # A message may quote a setting's value: credentials in URLs and control bytes stay out.
        click.echo(visible(mask_urls_in_text(str(problem))), err=problem.severity == "error")
    if errors:
        count = len(errors)
        click.echo(f"{count} problem{'' if count == 1 else 's'} found.", err=True)
        sys.exit(1)
    if connect:
        from logai.cli._common import open_source, run_with_source

        source = open_source(settings, None)
        run_with_source(source, lambda src: src.resolve_cache_identity())
        click.echo(f"Connected: {source.describe()}")
    click.echo("Configuration OK.")
