"""Slash commands: ``/help``, ``/clear``, ``/new``, ``/history``, ``/resume ID``,
``/export PATH``, ``/cache status``, ``/cache clear``, ``/follow GROUP``, ``/unfollow``, ``/quit``,
``/exit``.

A line is a command only when its first word is a slash and a bare name (``/clear``), so a
question that starts with a log group name (``/aws/lambda/checkout errors?``) is still a
question. Commands talk to the screen through :class:`CommandHost`, which keeps them
testable without a running app.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from logai_tui import formatting

if TYPE_CHECKING:
    from logai_tui.cache_access import CacheAccess

_COMMAND = re.compile(r"^/(?P<name>[A-Za-z][\w-]*)(?:\s+(?P<rest>.*))?$", re.DOTALL)

KEYS_HELP = """\
| Key | Does |
|---|---|
| Enter | send the question |
| Shift+Enter (or Ctrl+J, Alt+Enter) | new line |
| Up / Down on the first / last line | walk the input history |
| Escape | cancel the running answer |
| Ctrl+Q | quit |
"""


class CommandHost(Protocol):
    """What a slash command may do to the chat."""

    @property
    def busy(self) -> bool:
        """Whether an answer is running right now."""
        ...

    @property
    def cache(self) -> CacheAccess:
        """The local log cache."""
        ...

    async def show_info(self, markdown: str) -> None:
        """Print command output into the conversation."""
        ...

    async def show_error(self, message: str) -> None:
        """Print a failure into the conversation."""
        ...

    async def clear_conversation(self) -> None:
        """Empty the screen and make the LLM forget the conversation."""
        ...

    async def refresh_cache_status(self) -> None:
        """Re-read the cache figures shown in the status bar."""
        ...

    async def follow(self, groups: list[str]) -> None:
        """Show new events of ``groups`` in a panel while the chat goes on."""
        ...

    async def unfollow(self) -> None:
        """Close the follow panel."""
        ...

    async def open_history(self) -> None:
        """Show the saved conversations; picking one resumes it."""
        ...

    async def resume_conversation(self, conversation_id: int) -> None:
        """Continue saved conversation ``conversation_id`` here."""
        ...

    async def export_conversation(self, path: str) -> None:
        """Write the current conversation to ``path`` as a Markdown incident note."""
        ...

    def quit(self) -> None:
        """Leave the app."""
        ...


Handler = Callable[[CommandHost, str], Awaitable[None]]


@dataclass(frozen=True)
class SlashCommand:
    """One command: its handler and the ``/help`` rows (usage, what it does) it contributes."""

    handler: Handler
    help: tuple[tuple[str, str], ...]


async def _help(host: CommandHost, _args: str) -> None:
    rows = "\n".join(
        f"| `{usage}` | {summary} |" for c in COMMANDS.values() for usage, summary in c.help
    )
    await host.show_info(
        "### Commands\n\n| Command | Does |\n|---|---|\n"
        f"{rows}\n\n### Keys\n\n{KEYS_HELP}\n"
        "Anything else is a question about your logs, e.g. "
        "*which lambdas logged errors in the last hour?*"
    )


async def _clear(host: CommandHost, _args: str) -> None:
    if host.busy:
        await host.show_error("An answer is still running: press Escape first, then /clear.")
        return
    await host.clear_conversation()


async def _follow(host: CommandHost, args: str) -> None:
    groups = list(dict.fromkeys(args.split()))
    if not groups:
        await host.show_error("Name the log group to follow, e.g. /follow /aws/lambda/checkout.")
        return
    await host.follow(groups)


async def _unfollow(host: CommandHost, _args: str) -> None:
    await host.unfollow()


async def _history(host: CommandHost, _args: str) -> None:
    if host.busy:
        await host.show_error("An answer is still running: press Escape first, then /history.")
        return
    await host.open_history()


async def _resume(host: CommandHost, args: str) -> None:
    text = args.strip().lstrip("#")
    if not text.isdigit():
        await host.show_error("Usage: /resume ID (a number from /history or `logai history`).")
        return
    if host.busy:
        await host.show_error("An answer is still running: press Escape first, then /resume.")
        return
    await host.resume_conversation(int(text))


async def _export(host: CommandHost, args: str) -> None:
    path = args.strip()
    if not path:
        await host.show_error(
            "Usage: /export PATH (the conversation as Markdown, placeholders kept)."
        )
        return
    await host.export_conversation(path)


async def _quit(host: CommandHost, _args: str) -> None:
    host.quit()


async def _cache(host: CommandHost, args: str) -> None:
    action = args.strip().lower()
    if action in ("", "status"):
        await _cache_status(host)
    elif action == "clear":
        await _cache_clear(host)
    else:
        await host.show_error(
            f"Unknown cache command '{args.strip()}'. Use /cache status or /cache clear."
        )


async def _cache_status(host: CommandHost) -> None:
    cache = host.cache
    try:
        stats = await cache.stats()
    except Exception as exc:
        await host.show_error(f"Could not read the cache: {exc}")
        return
    if stats.problem:
        state = f"unusable: {stats.problem}"
    else:
        state = "on" if cache.enabled else "off (LOGAI_CACHE_ENABLED=false)"
    lookups = f"{stats.hits:,} hits, {stats.misses:,} misses"
    await host.show_info(
        "### Cache\n\n| figure | value |\n|---|---|\n"
        f"| file | `{stats.path}` |\n"
        f"| status | {state} |\n"
        f"| entries | {stats.entries:,} |\n"
        f"| size | {formatting.size(stats.bytes)} of {formatting.size(stats.max_bytes)} |\n"
        f"| hit rate | {formatting.percent(stats.hit_rate)} ({lookups}) |\n"
        f"| oldest | {formatting.timestamp(stats.oldest)} |\n"
        f"| newest | {formatting.timestamp(stats.newest)} |\n"
    )
    await host.refresh_cache_status()


async def _cache_clear(host: CommandHost) -> None:
    try:
        removed = await host.cache.clear()
    except Exception as exc:
        await host.show_error(f"Could not clear the cache: {exc}")
        return
    await host.show_info(
        f"Cache cleared: removed {formatting.count(removed, 'entry', 'entries')}. "
        "The next questions fetch their logs afresh."
    )
    await host.refresh_cache_status()


COMMANDS: dict[str, SlashCommand] = {
    "help": SlashCommand(_help, (("/help", "this list of commands and keys"),)),
    "clear": SlashCommand(_clear, (("/clear", "clear the screen, start a new conversation"),)),
    "new": SlashCommand(
        _clear, (("/new", "start a new conversation (the current one stays saved)"),)
    ),
    "history": SlashCommand(_history, (("/history", "saved conversations; Enter resumes one"),)),
    "resume": SlashCommand(_resume, (("/resume ID", "continue saved conversation ID here"),)),
    "export": SlashCommand(
        _export, (("/export PATH", "write this conversation to PATH as a Markdown note"),)
    ),
    "cache": SlashCommand(
        _cache,
        (
            ("/cache status", "entries, size and hit rate of the local log cache"),
            ("/cache clear", "empty the cache: the next questions fetch afresh"),
        ),
    ),
    "follow": SlashCommand(
        _follow,
        (("/follow GROUP [GROUP...]", "show new events of log groups live, below the chat"),),
    ),
    "unfollow": SlashCommand(_unfollow, (("/unfollow", "stop following, close the panel"),)),
    "quit": SlashCommand(_quit, (("/quit", "leave LogAI (also Ctrl+Q)"),)),
    "exit": SlashCommand(_quit, (("/exit", "leave LogAI"),)),
}


def is_command(text: str) -> bool:
    """Whether a submitted line is a slash command rather than a question."""
    return _COMMAND.match(text.strip()) is not None


async def run_command(host: CommandHost, text: str) -> None:
    """Run the command in ``text``; an unknown one gets a pointer to the right one."""
    match = _COMMAND.match(text.strip())
    if match is None:
        raise ValueError(f"not a slash command: {text!r}")
    name = match["name"].lower()
    command = COMMANDS.get(name)
    if command is None:
        close = difflib.get_close_matches(name, list(COMMANDS), n=1)
        hint = f" Did you mean /{close[0]}?" if close else ""
        await host.show_error(
            f"Unknown command /{name}.{hint} Type /help for the list of commands."
        )
        return
    await command.handler(host, match["rest"] or "")
