"""The plain line-based chat: works in any terminal, over ssh, in a pipe; no TUI needed.

It is also the fallback frontend when ``logai-tui`` is not installed. One event loop lives for
the whole session (LiteLLM's HTTP clients are bound to it); Ctrl-C cancels the running answer
and returns to the prompt, Ctrl-D or /quit leaves.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, TextIO

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
  /quit, /exit   leave (Ctrl-D works too); Ctrl-C cancels a running answer"""


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
        if self.stdin is sys.stdin and sys.stdin.isatty():
            try:
                return input(prompt)
            except EOFError:
                return None
        self.stdout.write(prompt)
        self.stdout.flush()
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
        while True:
            try:
                line = self._read("you> ")
            except KeyboardInterrupt:
                self.stdout.write("\n")
                continue
            if line is None:
                self.stdout.write("\n")
                return 0
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
