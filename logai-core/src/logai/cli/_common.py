"""Helpers shared by the subcommands: settings loading and readiness checks with clear exits."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.sources.base import DataSource

#: Exit statuses shared by the commands: a failed operation, bad configuration or arguments,
#: and an interrupt (as shells report SIGINT).
EXIT_FAILED = 1
EXIT_CONFIG = EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

T = TypeVar("T")


def load_settings_or_exit(**overrides: Any) -> LogAISettings:
    """Settings, or one clear message and exit status 2."""
    from logai.config import ConfigError, load_settings

    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        click.echo(f"logai: {exc}", err=True)
        sys.exit(EXIT_CONFIG)


def is_llm_setting(variable: str) -> bool:
    """Whether ``variable`` only matters to commands that call an LLM."""
    from logai.config import API_KEY_VARIABLES

    return variable.startswith("LOGAI_LLM") or variable in API_KEY_VARIABLES.values()


def require_ready(settings: LogAISettings, *, for_llm: bool) -> None:
    """Exit with every configuration error that would stop this command, and how to fix it."""
    from logai.config import find_problems
    from logai.registries import data_sources

    problems = [
        p
        for p in find_problems(settings, data_sources=set(data_sources()))
        if p.severity == "error" and (for_llm or not is_llm_setting(p.variable))
    ]
    if problems:
        for problem in problems:
            click.echo(for_terminal(f"logai: {problem.variable}: {problem.message}"), err=True)
        click.echo("Run `logai config check` after fixing.", err=True)
        sys.exit(EXIT_CONFIG)


def for_terminal(message: str) -> str:
    """A message that may quote log, LLM or URL text, made safe to print.

    Credentials in URLs are masked and control or format characters made visible; the
    message's own line breaks are kept.
    """
    from logai.terminal import visible
    from logai.url_credentials import mask_urls_in_text

    return visible(mask_urls_in_text(message), multiline=True)


def fail(message: str, status: int = EXIT_FAILED) -> NoReturn:
    """One line on stderr and exit: no tracebacks for anything a user can cause."""
    click.echo(f"logai: error: {for_terminal(message)}", err=True)
    sys.exit(status)


def interrupted() -> NoReturn:
    """Ctrl+C in a one-shot command: what was printed stays, then one line and status 130.

    On a terminal the line starts on a line of its own (the terminal has just echoed ``^C``).
    """
    with contextlib.suppress(OSError, ValueError):  # a closed or broken stdout
        sys.stdout.flush()
    if sys.stderr.isatty():
        click.echo("", err=True)
    fail("interrupted.", EXIT_INTERRUPTED)


def note(message: str, *, only_on_tty: bool = False) -> None:
    """A message for the human on stderr (progress only when someone is watching)."""
    if only_on_tty and not sys.stderr.isatty():
        return
    click.echo(for_terminal(message), err=True)


def check_source_option(name: str | None) -> None:
    """Exit status 2 if ``--source NAME`` names no installed data source, blaming ``--source``.

    Called before the settings are built with the option as an override, so the message names
    the option the user typed, not ``LOGAI_DATA_SOURCE`` (which may not even be set).
    """
    from logai.registries import UnknownComponent, data_sources, lookup

    if not name:
        return
    try:
        lookup("data source", name, data_sources())
    except UnknownComponent as exc:
        fail(f"--source: {exc}", EXIT_USAGE)


def read_input(file: str | None) -> BinaryIO:
    """FILE opened for binary reading, stdin for None or ``-``; or exit 2 saying why not.

    ``logai sanitize`` and ``logai summarize`` share it, so a missing or unreadable file is
    the same usage error, in the same words, for both.
    """
    if file is None or file == "-":
        return sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin  # type: ignore[return-value]
    try:
        return open(file, "rb")  # noqa: PTH123 - the caller reads it to the end
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}", EXIT_USAGE)


def open_source(settings: LogAISettings, name: str | None) -> DataSource:
    """The data source ``name`` (default: the configured one), or a clear exit status 2.

    An unknown name is blamed on where it came from: ``--source`` or ``LOGAI_DATA_SOURCE``.
    """
    from logai.registries import UnknownComponent, create_data_source
    from logai.sources.base import DataSourceError

    try:
        return create_data_source(settings, name or None)
    except UnknownComponent as exc:
        fail(f"{'--source' if name else 'LOGAI_DATA_SOURCE'}: {exc}", EXIT_USAGE)
    except DataSourceError as exc:
        fail(str(exc), EXIT_USAGE)


def in_target(source: DataSource, name: str, target: str | None) -> str:
    """``name`` addressed in ``--target`` (``target:name``), or exit 2 naming the choices."""
    import difflib

    from logai.sources.targets import split_target, targets_of

    if not target:
        return name
    targets = targets_of(source)
    if not targets:
        fail(
            "--target: no targets are configured; set LOGAI_AWS_TARGETS (docs/cloudwatch.md).",
            EXIT_USAGE,
        )
    if target not in targets:
        close = difflib.get_close_matches(target, targets, n=2)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        fail(
            f"--target: no target named '{target}'.{hint} Targets: {', '.join(targets)}.",
            EXIT_USAGE,
        )
    named, rest = split_target(name, targets)
    if named is not None and named != target:
        fail(f"'{name}' names target {named}, but --target is {target}.", EXIT_USAGE)
    return f"{target}:{rest}"


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` in a new event loop, closing every cache opened in it before the loop ends.

    Every command runs its async work through here (Ctrl+C included: ``asyncio.run`` cancels
    ``main``, the caches are closed, then ``KeyboardInterrupt`` is raised to the caller), so
    no cache connection is still open when the loop shuts down (see
    :func:`logai.cache.store.close_open_caches`).
    """
    import asyncio

    from logai.cache.store import close_open_caches

    async def guarded() -> T:
        try:
            return await main
        finally:
            await close_open_caches()
            if "logai.history.store" in sys.modules:
                from logai.history.store import close_open_histories

                await close_open_histories()

    return asyncio.run(guarded())


def run_with_source(source: DataSource, work: Callable[[DataSource], Awaitable[T]]) -> T:
    """Run one async call on ``source`` to completion, close it, and turn failures into exits."""
    from logai.sources.base import DataSourceError
    from logai.sources.notes import collect_notes

    async def main() -> T:
        try:
            return await work(source)
        finally:
            await source.aclose()

    try:
        with collect_notes() as notes:
            try:
                return run_async(main())
            finally:
                for line in notes:  # what the source left out, e.g. files it may not read
                    note(f"logai: note: {line}")
    except DataSourceError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        interrupted()
    except Exception as exc:  # a bug, but the user still gets one line, not a traceback
        detail = " ".join(str(exc).split()) or "no details"
        fail(f"unexpected {type(exc).__name__}: {detail}")


#: Lines joined into one write by :func:`write_lines` with ``buffered=True``.
WRITE_BATCH = 512


def write_lines(lines: Iterable[str], *, buffered: bool = False) -> None:
    """Print lines to stdout; a reader that goes away (``| head``) ends the command quietly.

    ``buffered`` writes them in batches instead of one ``click.echo`` per line, which costs
    about ten times as much for a long listing; styles (``click.style``) are kept on a terminal
    and stripped elsewhere, as ``click.echo`` does.
    """
    try:
        if not buffered:
            for line in lines:
                click.echo(line)
        else:
            batch: list[str] = []
            for line in lines:
                batch.append(line)
                if len(batch) >= WRITE_BATCH:
                    click.echo("\n".join(batch))
                    batch.clear()
            if batch:
                click.echo("\n".join(batch))
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return
