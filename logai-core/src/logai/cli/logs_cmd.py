"""``logai logs GROUP [GROUP...]``: fetch or follow log events without an LLM, ready for a pipe.

stdout carries only events, one per line, timestamp first (ISO 8601 UTC), so ``| grep``,
``| head`` and ``| jq`` (with ``--json``) work; notes, progress and errors go to stderr. Lines are
sanitized by the same engine that guards the LLM unless ``--raw`` is given; either way, control
and format characters print as visible escapes (:mod:`logai.terminal`).

``-f/--follow`` prints new events as they arrive until Ctrl+C, through the source's
:meth:`~logai.sources.base.DataSource.follow` (CloudWatch Live Tail, or polling), never through
the cache; each batch is sanitized like a fetch.

Exit status: 0 success (an empty result included), 1 the data source failed, 2 bad
configuration or arguments, 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from logai.aio import aclose
from logai.cli._common import (
    EXIT_USAGE,
    fail,
    note,
    open_source,
    run_with_source,
    write_lines,
)

if TYPE_CHECKING:
    from datetime import datetime

    from logai.config import LogAISettings
    from logai.sanitize import Sanitizer
    from logai.sources.base import DataSource, LogEvent

RAW_WARNING = (
    "logai: warning: --raw: printing log lines unsanitized; they may contain PII or secrets."
)


@click.command("logs")
@click.argument("groups", metavar="GROUP...", nargs=-1, required=True)
@click.option(
    "--since",
    default="1h",
    show_default=True,
    metavar="TIME",
    help="Start of the range: 30m, 2h ago, 2 days ago, yesterday, 2024-05-01T12:00Z, epoch s/ms. "
    "With --follow: show events from then on (default: only new ones).",
)
@click.option(
    "--until",
    default="now",
    show_default=True,
    metavar="TIME",
    help="End of the range, in the same forms.",
)
@click.option(
    "--filter",
    "filter_pattern",
    metavar="PATTERN",
    help='Source filter pattern; for CloudWatch: ERROR, "exact phrase", { $.level = "error" }.',
)
@click.option(
    "--follow",
    "-f",
    is_flag=True,
    help="Keep printing new events as they arrive, until Ctrl+C.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1, max=300),
    default=2.0,
    show_default=True,
    metavar="SECONDS",
    help="With --follow, when polling: seconds between polls.",
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="At most this many events (the oldest in the range).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per event and line.")
@click.option(
    "--raw",
    is_flag=True,
    help="Do not redact PII and secrets (warns on stderr); control characters still print "
    "as visible escapes such as \\x1b.",
)
@click.option("--show-stream", is_flag=True, help="Print the log stream after the timestamp.")
@click.option(
    "--source",
    "source_name",
    metavar="NAME",
    help="Data source to read (default: LOGAI_DATA_SOURCE, i.e. cloudwatch).",
)
@click.option(
    "--target",
    "-t",
    metavar="NAME",
    help="Read GROUP in this target of LOGAI_AWS_TARGETS (default: every target holding it).",
)
@click.pass_context
def logs(
    ctx: click.Context,
    groups: tuple[str, ...],
    since: str,
    until: str,
    filter_pattern: str | None,
    follow: bool,
    interval: float,
    limit: int,
    as_json: bool,
    raw: bool,
    show_stream: bool,
    source_name: str | None,
    target: str | None,
) -> None:
    """Print events of log group GROUP (or several) from --since to --until, oldest first;
    with -f, follow them as they arrive."""
    from logai.cli._common import in_target, load_settings_or_exit
    from logai.sources.targets import targets_of
    from logai.timeparse import format_time

    names = list(dict.fromkeys(group.strip() for group in groups if group.strip()))
    if not names:
        fail("name at least one log group.", EXIT_USAGE)
    if follow:
        for option, name in (("--until", "until"), ("--limit", "limit")):
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
                fail(f"{option} cannot be used with --follow (it runs until Ctrl+C).", EXIT_USAGE)
    settings = load_settings_or_exit()
    start, end = time_range(since, until)
    # Built before fetching, so a sanitizer misconfiguration fails fast, not after a long fetch.
    sanitizer = None if raw else make_sanitizer(settings)
    source = open_source(settings, source_name)
    names = list(dict.fromkeys(in_target(source, name, target) for name in names))
    tty = sys.stdout.isatty()

    def renderer(show_group: bool) -> Callable[[LogEvent], str]:
        if as_json:
            return _json_line
        return _text_renderer(tty=tty, show_stream=show_stream, show_group=show_group)

    if follow:
        from datetime import UTC
        from datetime import datetime as clock

        explicit = ctx.get_parameter_source("since") is not click.core.ParameterSource.DEFAULT
        _follow(
            source,
            names,
            filter_pattern or None,
            # Fixed before "Following" is printed: whatever is written after that line shows.
            start=start if explicit else clock.now(UTC),
            interval=interval,
            sanitizer=sanitizer,
            settings=settings,
            # Several groups, or one name read in several targets: each line says where.
            render=renderer(len(names) > 1 or bool(targets_of(source))),
        )
        return
    label = ", ".join(names)
    span = f"from {format_time(start)} to {format_time(end)}"
    note(f"Fetching {label} {span} ({source.describe()})...", only_on_tty=True)
    # One more than asked for: "stopped at the limit" only when more events really exist.
    if len(names) == 1:
        fetched = run_with_source(
            source,
            lambda src: src.fetch_logs(names[0], start, end, filter_pattern or None, limit + 1),
        )
    else:
        fetched = run_with_source(
            source, lambda src: src.search_logs(names, filter_pattern or "", start, end, limit + 1)
        )
    events, more = fetched[:limit], len(fetched) > limit
    if not events:
        matching = f" matching {filter_pattern!r}" if filter_pattern else ""
        note(f"No events in {label}{matching} {span}.")
        return
    if sanitizer is None:
        note(RAW_WARNING)
    else:
        events = sanitize(sanitizer, settings, events)
    # Several groups, or a plain name read in several targets: each line says which one.
    render = renderer(len(names) > 1 or len({event.group for event in events}) > 1)
    write_lines((render(event) for event in events), buffered=True)
    if more:
        limit_text = "1 event" if limit == 1 else f"{limit} events"
        note(
            f"Stopped at the limit of {limit_text}; narrow the range, add --filter or raise "
            "--limit to see more."
        )


def _follow(
    source: DataSource,
    groups: list[str],
    filter_pattern: str | None,
    *,
    start: datetime,
    interval: float,
    sanitizer: Sanitizer | None,
    settings: LogAISettings,
    render: Callable[[LogEvent], str],
) -> None:
    """Print new events batch by batch until Ctrl+C (exit 130, one line, as every command).

    The source's notes (Live Tail unavailable, sampling) are printed as they come, not at
    the end: a follow has no end but the interrupt.
    """
    from logai.sanitize.stream import sanitize_events
    from logai.sources.notes import collect_notes

    matching = f" matching {filter_pattern!r}" if filter_pattern else ""
    note(f"Following {', '.join(groups)}{matching} ({source.describe()}); Ctrl+C to stop.")
    if sanitizer is None:
        note(RAW_WARNING)
    elif not settings.pii_sanitization_enabled:
        note("logai: warning: LOGAI_PII_SANITIZATION_ENABLED=false: lines are not redacted.")

    async def work(src: DataSource) -> None:
        with collect_notes() as notes:
            shown = 0
            batches = src.follow(groups, filter_pattern, poll_interval=interval, start=start)
            try:
                async for batch in batches:
                    for line in notes[shown:]:
                        note(f"logai: note: {line}")
                    shown = len(notes)
                    if not batch:
                        continue
                    events = batch if sanitizer is None else sanitize_events(batch, sanitizer)[0]
                    write_lines((render(event) for event in events), buffered=True)
            finally:
                await aclose(batches)  # ends a Live Tail session at once

    run_with_source(source, work)


def time_range(since: str, until: str) -> tuple[datetime, datetime]:
    """``--since`` and ``--until`` as UTC times, or exit 2 naming the option that is wrong."""
    from logai.timeparse import TimeParseError, parse_time, resolve_range

    for option, value in (("--since", since), ("--until", until)):
        try:
            parse_time(value)
        except TimeParseError as exc:
            fail(f"{option}: {exc}", EXIT_USAGE)
    try:
        return resolve_range(since, until)
    except TimeParseError as exc:  # both parse, but the range is backwards
        fail(str(exc), EXIT_USAGE)


def make_sanitizer(settings: LogAISettings) -> Sanitizer:
    """The configured sanitizer, or a clear exit when it cannot be built."""
    try:
        from logai.sanitize import Sanitizer
    except ImportError as exc:
        fail(f"the sanitizer is not available ({exc}); use --raw to print unsanitized lines.")
    from logai.sanitize import SanitizerUnavailable

    try:
        return Sanitizer.from_plugins(
            enabled=settings.pii_sanitization_enabled,
            disabled_rules=settings.sanitizer_disabled_rules,
        )
    except SanitizerUnavailable as exc:  # a broken rule pack: print nothing unsanitized
        fail(str(exc))
    except ValueError as exc:  # an unknown rule name in LOGAI_SANITIZER_DISABLED_RULES
        fail(f"LOGAI_SANITIZER_DISABLED_RULES: {exc}", EXIT_USAGE)


def sanitize(
    sanitizer: Sanitizer, settings: LogAISettings, events: list[LogEvent]
) -> list[LogEvent]:
    """Redact events; the summary ("Redacted 3 emails, 2 IPs") goes to stderr.

    In blocks, as ``logai sanitize`` does: one engine call per event cost some 17x more.
    """
    from logai.sanitize.stream import sanitize_events

    clean, stats = sanitize_events(events, sanitizer)
    if not settings.pii_sanitization_enabled:
        note("logai: warning: LOGAI_PII_SANITIZATION_ENABLED=false: lines are not redacted.")
    elif stats:
        note(str(stats))
    return list(clean)


def _json_line(event: LogEvent) -> str:
    from logai.terminal import json_safe

    return json_safe(json.dumps(event.to_dict(), ensure_ascii=False))


def _text_renderer(
    *, tty: bool, show_stream: bool, show_group: bool = False
) -> Callable[[LogEvent], str]:
    """Plain lines when piped; a dim timestamp and indented continuation lines on a terminal.

    Either way, control and format characters in the event (``--raw`` included) print as
    visible escapes: a log line must not be able to drive the terminal it is read on.
    """
    from logai.terminal import visible
    from logai.timeparse import format_time

    def render(event: LogEvent) -> str:
        stamp = format_time(event.timestamp)
        message = event.message.rstrip("\r\n")
        if tty:
            message = visible(message, multiline=True).replace("\n", "\n    ")
            stamp = click.style(stamp, dim=True)
        else:
            # One event per line, always: a stack trace must not turn into many "events".
            message = visible(message.replace("\r\n", "\n"))
        where = []
        if show_group:
            group = visible(event.group)
            where.append(click.style(group, fg="green") if tty else group)
        if show_stream:
            stream = visible(event.stream)
            where.append(click.style(stream, fg="cyan") if tty else stream)
        return " ".join([stamp, *where, message])

    return render
