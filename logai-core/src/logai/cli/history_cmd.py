"""``logai history [show|rm|purge]``: the saved conversations, listed, shown, exported, deleted.

Looking never creates the history file. Every command works with ``LOGAI_HISTORY_ENABLED=false``
too, so a user who turned saving off can still read and delete what was saved before. Stored
text is log and LLM text, so whatever reaches the terminal goes through
:func:`logai.terminal.visible` (JSON through :func:`~logai.terminal.json_safe`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from logai.history import HistoryStore, SavedConversation
    from logai.history.records import ConversationSummary

T = TypeVar("T")


def _store() -> HistoryStore:
    from logai.cli._common import load_settings_or_exit
    from logai.history import open_history

    settings = load_settings_or_exit()
    return open_history(
        settings, warn=lambda message: click.echo(f"logai: warning: {message}", err=True)
    )


def _run(store: HistoryStore, work: Callable[[HistoryStore], Awaitable[T]]) -> T:
    """Run ``work`` on ``store``, close it, and exit 1 with the reason if the file is unusable."""
    from logai.cli._common import fail, run_async

    async def main() -> T:
        try:
            return await work(store)
        finally:
            await store.aclose()

    result = run_async(main())
    if store.problem:
        fail(f"cannot use the history at {store.path}: {store.problem}")
    return result


def _echo(text: str) -> None:
    from logai.terminal import visible

    click.echo(visible(text, multiline=True))


def _row(summary: ConversationSummary) -> list[str]:
    from logai.history.export import format_cost

    tokens = "–" if summary.tokens is None else f"{summary.tokens:,}"
    return [
        str(summary.id),
        summary.started.strftime("%Y-%m-%d %H:%M"),
        summary.title,
        summary.model or "–",
        str(summary.questions),
        tokens,
        format_cost(summary.cost_usd),
    ]


@click.group("history", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Show at most this many conversations, most recent first.")  # fmt: skip
@click.pass_context
def history(ctx: click.Context, as_json: bool, limit: int) -> None:
    """List saved conversations (LOGAI_HISTORY_DIR), most recently active first.

    `logai ask --continue` goes on with the latest one, `logai ask --session ID` with any.
    """
    if ctx.invoked_subcommand is not None:
        return
    store = _store()
    if not store.exists():
        if as_json:
            click.echo("[]")
        else:
            click.echo(f"No saved conversations yet ({store.path} does not exist).")
        return
    summaries = _run(store, lambda s: s.list(limit))
    if as_json:
        from logai.terminal import json_safe

        data = [summary.to_dict() for summary in summaries]
        click.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    if not summaries:
        click.echo("No saved conversations.")
        return
    _print_table(summaries)


def _print_table(summaries: list[ConversationSummary]) -> None:
    from logai.terminal import visible

    header = ["ID", "STARTED", "TITLE", "MODEL", "QUESTIONS", "TOKENS", "COST"]
    rows = [[visible(cell) for cell in _row(summary)] for summary in summaries]
    for row in rows:
        if len(row[2]) > 50:
            row[2] = row[2][:49] + "…"
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {0, 4, 5, 6}
    for row in [header, *rows]:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        click.echo("  ".join(cells).rstrip())


def _load(conversation_id: int) -> SavedConversation:
    from logai.cli._common import fail

    store = _store()
    if not store.exists():
        fail(f"no saved conversation {conversation_id}: nothing has been saved yet")
    saved = _run(store, lambda s: s.load(conversation_id))
    if saved is None:
        fail(f"no saved conversation {conversation_id}; `logai history` lists them")
    return saved


@history.command("show")
@click.argument("conversation_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Export as JSON (placeholders kept).")
@click.option("--markdown", "as_markdown", is_flag=True,
              help="Export as a Markdown incident note (placeholders kept).")  # fmt: skip
@click.option(
    "--originals", is_flag=True, help="Put the real values back into an export (treat as raw logs)."
)
def show(conversation_id: int, as_json: bool, as_markdown: bool, originals: bool) -> None:
    """Show one conversation: questions, evidence (tool calls) and answers.

    On the terminal the real values are shown in place of placeholders, as `logai ask` does;
    --json and --markdown exports keep the placeholders unless --originals is given.
    """
    from logai.history.export import to_json_data, to_markdown

    if as_json and as_markdown:
        raise click.UsageError("--json and --markdown are exclusive: pick one format.")
    saved = _load(conversation_id)
    if as_json:
        from logai.terminal import json_safe

        data = to_json_data(saved, originals=originals)
        click.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2)))
    elif as_markdown:
        _echo(to_markdown(saved, originals=originals).rstrip("\n"))
    else:
        _echo(to_markdown(saved, originals=True).rstrip("\n"))


@history.command("rm")
@click.argument("conversation_ids", metavar="ID...", type=int, nargs=-1, required=True)
def rm(conversation_ids: tuple[int, ...]) -> None:
    """Delete conversations, with their placeholder mapping."""
    from logai.cli._common import fail

    store = _store()
    if not store.exists():
        fail(f"no saved conversation {conversation_ids[0]}: nothing has been saved yet")

    async def delete_all(s: HistoryStore) -> list[int]:
        return [i for i in conversation_ids if not await s.delete(i)]

    missing = _run(store, delete_all)
    for conversation_id in conversation_ids:
        if conversation_id not in missing:
            click.echo(f"Deleted conversation {conversation_id}.")
    if missing:
        fail(f"no saved conversation {', '.join(map(str, missing))}; `logai history` lists them")


def _parse_age(_ctx: click.Context, _param: click.Parameter, value: str | None) -> timedelta | None:
    if value is None:
        return None
    from logai.timeparse import TimeParseError, parse_duration

    try:
        return parse_duration(value)
    except TimeParseError as exc:
        raise click.BadParameter(str(exc)) from None


@history.command("purge")
@click.option(
    "--older-than",
    "older_than",
    metavar="AGE",
    callback=_parse_age,
    help="Only conversations whose last question is older than AGE (30d, 12h, 2 weeks).",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting everything.")
def purge(older_than: timedelta | None, yes: bool) -> None:
    """Delete saved conversations: all of them, or those older than --older-than."""
    store = _store()
    if not store.exists():
        click.echo("Nothing to purge: no conversation has been saved.")
        return
    if older_than is None and not yes and sys.stdin.isatty():
        click.confirm("Delete every saved conversation?", abort=True)
    cutoff = None if older_than is None else store._now() - older_than
    removed = _run(store, lambda s: s.purge(cutoff))
    noun = "conversation" if removed == 1 else "conversations"
    scope = "" if older_than is None else " older than the cut-off"
    click.echo(f"Deleted {removed} {noun}{scope} from {store.path}.")
