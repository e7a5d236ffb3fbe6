"""The plain line-based chat: works in any terminal, over ssh, in a pipe; no TUI needed.

It is also the fallback frontend when ``logai-tui`` is not installed. One event loop lives for
the whole session (LiteLLM's HTTP clients are bound to it).

Stopping follows the contract every LogAI frontend keeps (docs/guide.md): Ctrl+C during an
answer cancels that answer and returns to the prompt; at the prompt, a Ctrl+C only explains,
and a second one within :data:`~logai.frontends.interrupts.QUIT_WINDOW_SECONDS` quits, as does
Ctrl+D on an empty prompt or /quit.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import TYPE_CHECKING, TextIO

from logai.frontends.interrupts import QUIT_HINT, InterruptCounter

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.history import ChatSession
    from logai.llm.orchestrator import Orchestrator
    from logai.registries import FrontendContext

HELP = """\
Ask a question about your logs, e.g. "why did checkout fail in the last hour?"
Commands:
  /help          this help
  /clear         forget the conversation and start over
  /quit, /exit   leave (Ctrl+D works too, or Ctrl+C twice); Ctrl+C cancels a running answer"""


#: How often the prompt wakes up to let a pending Ctrl+C through (seconds).
_POLL_SECONDS = 0.2


def _wait_for_input(stream: TextIO) -> None:
    """Return once a line (or end of input) can be read from the terminal ``stream``.

    A Ctrl+C that arrives between the prompt being printed and a blocking read starting (or
    that the kernel hands to another thread) would otherwise only take effect after the next
    Enter: Python runs its signal handler in the main thread, which a blocked read never
    gives the chance. Waiting in short slices lets it run within a fraction of a second.
    """
    import select

    while not select.select([stream], [], [], _POLL_SECONDS)[0]:
        pass


class PlainChat:
    """A read-eval-print loop over an :class:`Orchestrator`."""

    def __init__(
        self,
        orchestrator: Orchestrator | ChatSession,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.orchestrator = orchestrator
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        from logai.llm.usage import UsageMeter

        self.usage = UsageMeter()
        """Tokens and cost of this chat (``/clear`` starts them again)."""

    def _read(self, prompt: str) -> str | None:
        """One line from the user; None at end of input (Ctrl+D on an empty line)."""
        if self.stdin is sys.stdin and sys.stdin.isatty() and os.name == "nt":
            try:
                return input(prompt)
            except EOFError:
                return None
        self.stdout.write(prompt)
        self.stdout.flush()
        if self.stdin is sys.stdin and sys.stdin.isatty():
            _wait_for_input(sys.stdin)
        line = self.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    def handle_command(self, line: str) -> bool:
        """Run a slash command; return False when the session should end."""
        command = line.split()[0].lower()
        if command in {"/quit", "/exit"}:
            return False
        if command == "/help":
            self.stdout.write(HELP + "\n")
        elif command == "/clear":
            self.orchestrator.clear()
            self.usage.clear()
            self.stdout.write("Conversation cleared.\n")
        else:
            from logai.terminal import visible

            self.stdout.write(f"Unknown command {visible(command)}. Type /help for the list.\n")
        return True

    async def answer(self, question: str) -> bool:
        from logai.frontends.render import AnswerWriter
        from logai.llm.events import Done, TextDelta

        writer = AnswerWriter(self.orchestrator.restore, self.stdout, self.stderr, self.usage)
        ok = False
        try:
            async for event in self.orchestrator.ask(question):
                if isinstance(event, TextDelta):
                    writer.text(event.text)
                    continue
                writer.activity(event)
                if isinstance(event, Done):
                    ok = event.ok
        finally:
            writer.end_text()  # also when cancelled: the next prompt starts on its own line
        return ok

    def run(self) -> int:
        self.stdout.write(
            f"LogAI — model {self.orchestrator.model}. Type /help for commands, /quit to leave.\n"
        )
        with asyncio.Runner() as runner:
            try:
                return self._loop(runner)
            finally:
                # Before the runner closes its loop: the cache's connections live in it.
                runner.run(self._close())

    async def _close(self) -> None:
        from logai.cache.store import close_open_caches

        try:
            await self.orchestrator.aclose()
        finally:
            await close_open_caches()

    def _loop(self, runner: asyncio.Runner) -> int:
        runner.run(self.orchestrator.warm_up())
        interrupts = InterruptCounter()
        while True:
            try:
                line = self._read("you> ")
            except KeyboardInterrupt:
                self.stdout.write("\n")
                if interrupts.press():
                    return 0
                self.stderr.write(QUIT_HINT + "\n")
                continue
            if line is None:
                self.stdout.write("\n")
                return 0
            interrupts.reset()  # a line typed since: the next Ctrl+C starts over
            line = line.strip()
            if not line:
                continue
            if line.startswith("/"):
                if not self.handle_command(line):
                    return 0
                continue
            try:
                runner.run(self.answer(line))
            except KeyboardInterrupt:
                # A second Ctrl+C right after this one quits, as in the TUI.
                interrupts.press()
                self.stderr.write("[answer cancelled]\n")


def run(context: FrontendContext) -> int:
    """Frontend launcher: check the configuration, then chat."""
    return run_plain(context.settings)


def run_plain(settings: LogAISettings) -> int:
    from logai.cli._common import require_ready
    from logai.history import open_session
    from logai.llm.orchestrator import Orchestrator

    require_ready(settings, for_llm=True)
    # Saved as it goes, like `logai ask` (LOGAI_HISTORY_ENABLED); /clear starts a new record.
    return PlainChat(open_session(settings, Orchestrator(settings), frontend="chat")).run()
