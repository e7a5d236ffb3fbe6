"""Helpers shared by the subcommands: settings loading and readiness checks with clear exits."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from logai.config import LogAISettings

#: Exit status for configuration problems (distinct from 1, a failed operation).
EXIT_CONFIG = 2


def load_settings_or_exit(**overrides: Any) -> LogAISettings:
    """Settings, or one clear message and exit status 2."""
    from logai.config import ConfigError, load_settings

    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        click.echo(f"logai: {exc}", err=True)
        sys.exit(EXIT_CONFIG)


def require_ready(settings: LogAISettings, *, for_llm: bool) -> None:
    """Exit with every configuration error that would stop this command, and how to fix it."""
    from logai.config import find_problems
    from logai.registries import data_sources

    problems = [
        p
        for p in find_problems(settings, data_sources=set(data_sources()))
        if p.severity == "error"
        and (for_llm or not p.variable.startswith("LOGAI_LLM"))
        and (for_llm or p.variable not in {"LOGAI_ANTHROPIC_API_KEY", "LOGAI_OPENAI_API_KEY"})
    ]
    if problems:
        for problem in problems:
            click.echo(f"logai: {problem.variable}: {problem.message}", err=True)
        click.echo("Run `logai config check` after fixing.", err=True)
        sys.exit(EXIT_CONFIG)
