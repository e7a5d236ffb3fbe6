"""``logai sanitize [FILE] [--stats]``: redact PII and secrets from log lines, stdin to stdout.

Always sanitizes (that is the command's job, whatever ``LOGAI_PII_SANITIZATION_ENABLED`` says)
but honours ``LOGAI_SANITIZER_DISABLED_RULES``. The streaming itself is
:func:`logai.sanitize.stream.sanitize_stream`.
"""

from __future__ import annotations

import os
import sys

import click

_DISABLED_RULES = "LOGAI_SANITIZER_DISABLED_RULES"


def _disabled_rules() -> list[str]:
    """``LOGAI_SANITIZER_DISABLED_RULES`` as :func:`logai.config.load_settings` reads it.

    A filter in a pipeline should start at once, and importing the settings machinery
    (pydantic-settings) costs more than sanitizing megabytes. Without a ``.env`` file the
    environment variable is the only source, so it is read directly; with one, the real
    settings loader decides.
    """
    env_file = os.environ.get("LOGAI_ENV_FILE", ".env")
    if not os.path.exists(env_file):  # noqa: PTH110 - no pathlib import on the fast path
        raw = os.environ.get(_DISABLED_RULES, "")
        return [name.strip() for name in raw.split(",") if name.strip()]
    from logai.config import load_settings

    return list(load_settings().sanitizer_disabled_rules)


@click.command("sanitize")
@click.argument(
    "file", type=click.Path(dir_okay=False, allow_dash=True), default="-", required=False
)
@click.option("--stats", "show_stats", is_flag=True, help="Print what was redacted to stderr.")
def sanitize(file: str, show_stats: bool) -> None:
    """Redact PII and secrets from FILE (or stdin), writing the lines to stdout.

    One output line per input line, in order; values become typed placeholders such as
    <EMAIL_1>, the same value always the same placeholder. Invalid UTF-8 is replaced by U+FFFD.
    Rules named in LOGAI_SANITIZER_DISABLED_RULES are skipped. Exits 1 without output when
    an installed rule pack is broken (disable it with LOGAI_DISABLE_PLUGINS to go on without).
    """
    from logai.sanitize import Sanitizer, SanitizerUnavailable
    from logai.sanitize.stream import sanitize_stream

    try:
        sanitizer = Sanitizer.from_plugins(enabled=True, disabled_rules=_disabled_rules())
    except SanitizerUnavailable as exc:  # a broken rule pack: fail closed, output nothing
        for line in exc.problems:
            click.echo(f"logai: {line}", err=True)
        sys.exit(1)
    except Exception as exc:  # ConfigError or an unknown rule name: a message, no traceback
        click.echo(f"logai: {exc}", err=True)
        sys.exit(2)
    from logai.cli._common import read_input

    source = read_input(file)
    sink = sys.stdout.buffer
    try:
        stats = sanitize_stream(source, sink, sanitizer)
    except BrokenPipeError:
        # The reader went away (``logai sanitize big.log | head``): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    finally:
        if file not in ("-", None):
            source.close()
    if show_stats:
        click.echo(str(stats), err=True)
        for record in sanitizer.budget_report():
            if record["overruns"]:
                click.echo(
                    f"Rule '{record['rule']}' exceeded its time budget {record['overruns']} "
                    f"times; {record['unchecked_lines']} lines redacted whole"
                    + (" (rule switched off)" if record["tripped"] else ""),
                    err=True,
                )
