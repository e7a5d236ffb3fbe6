"""The LogAI Textual app and the ``tui`` frontend's entry point :func:`run`.

Start-up is kept to what the first screen needs: this module imports textual, the TUI's own
small modules and core's settings — never litellm, boto3 or SQLAlchemy. The orchestrator is
created and warmed up in a worker once the first frame is painted (see
:class:`~logai_tui.screens.chat.ChatScreen`), so the chat is usable while those load.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from logai.config import ConfigError, LogAISettings, Problem, find_problems, load_settings
from logai_tui.backend import create_orchestrator
from logai_tui.cache_access import LocalCache
from logai_tui.conversations import LocalConversations
from logai_tui.history import InputHistory
from logai_tui.screens import ChatScreen, ConfigProblemsScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.screen import Screen

    from logai.plugins import PluginHost
    from logai.registries import FrontendContext
    from logai_tui.backend import OrchestratorFactory
    from logai_tui.cache_access import CacheAccess
    from logai_tui.conversations import ConversationAccess

#: Benchmark hook: when set, the app writes the wall-clock time of its first painted frame to
#: this file and exits (``benchmarks/bench_tui_startup.py``).
STARTUP_PROBE_ENV = "LOGAI_TUI_STARTUP_PROBE"


def configuration_problems(settings: LogAISettings, host: PluginHost | None) -> list[Problem]:
    """What :func:`~logai.config.find_problems` reports, checking the data source when we can."""
    names: set[str] | None = None
    if host is not None:
        from logai.registries import data_sources

        names = set(data_sources(host))
    return find_problems(settings, data_sources=names)


class LogAIApp(App[int]):
    """The chat, or — when the configuration cannot work — the screen that says what to set.

    Every collaborator is injectable so tests run the real screens against scripted fakes:
    ``orchestrator_factory`` builds the backend, ``cache`` serves ``/cache``, ``history``
    keeps the input history, ``conversations`` lists saved conversations (``/history``),
    ``problems`` overrides the configuration check and
    ``frozen=True`` stops the spinner and the cursor blink for snapshot tests.
    """

    CSS_PATH = "logai.tcss"
    TITLE = "LogAI"
    # Slash commands are the command interface; a second palette on Ctrl+P would confuse.
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        settings: LogAISettings,
        *,
        host: PluginHost | None = None,
        orchestrator_factory: OrchestratorFactory = create_orchestrator,
        cache: CacheAccess | None = None,
        history: InputHistory | None = None,
        problems: list[Problem] | None = None,
        settings_loader: Callable[[], LogAISettings] | None = load_settings,
        frozen: bool = False,
        conversations: ConversationAccess | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.host = host
        self.orchestrator_factory = orchestrator_factory
        self._cache = cache
        self._history = history
        self._problems = (
            problems if problems is not None else configuration_problems(settings, host)
        )
        self._settings_loader = settings_loader
        self.frozen = frozen
        self._conversations = conversations

    @property
    def has_config_errors(self) -> bool:
        return any(p.severity == "error" for p in self._problems)

    def get_default_screen(self) -> Screen[None]:
        if self.has_config_errors:
            return ConfigProblemsScreen(self._problems)
        return self._chat_screen()

    def _chat_screen(self) -> ChatScreen:
        history = self._history
        if history is None:
            history = InputHistory(self.settings.history_file)
            history.load()
        return ChatScreen(
            self.settings,
            orchestrator_factory=self.orchestrator_factory,
            cache=self._cache or LocalCache(self.settings),
            history=history,
            host=self.host,
            warnings=[p for p in self._problems if p.severity != "error"],
            frozen=self.frozen,
            conversations=self._conversations or LocalConversations(self.settings),
        )

    def action_recheck_config(self) -> None:
        """Re-read the settings (the user may have edited .env) and open the chat if they work."""
        screen = self.screen
        if self._settings_loader is None or not isinstance(screen, ConfigProblemsScreen):
            return
        try:
            settings = self._settings_loader()
        except ConfigError as exc:
            screen.show(self._problems, note=str(exc))
            return
        self.settings = settings
        self._problems = configuration_problems(settings, self.host)
        if self.has_config_errors:
            screen.show(self._problems, note="Checked again: still incomplete.")
        else:
            # On top of the problems screen, which is the stack's base and cannot be popped.
            self.push_screen(self._chat_screen())

    async def on_unmount(self) -> None:
        """Close the log cache while the event loop its connections belong to still runs.

        Left to the loop's shutdown, a cache sweep still running is cancelled half-way and
        SQLAlchemy prints the traceback of that over the terminal the TUI just gave back.
        """
        if "logai.cache.store" in sys.modules:  # never imported: nothing was opened
            from logai.cache.store import close_open_caches

            await close_open_caches()
        if "logai.history.store" in sys.modules:
            from logai.history.store import close_open_histories

            await close_open_histories()

    def on_ready(self) -> None:
        """The first frame is on screen: answer the start-up benchmark if it is listening."""
        probe = os.environ.get(STARTUP_PROBE_ENV)
        if probe:
            Path(probe).write_text(f"{time.time():.6f}\n", encoding="utf-8")
            self.exit(0)


#: Exit code when the user leaves the incomplete-configuration screen, as ``logai`` uses for
#: configuration errors: a script that starts the TUI can tell it never got going.
EXIT_CONFIG_INCOMPLETE = 2


def run(context: FrontendContext) -> int:
    """Launch the TUI (the ``tui`` frontend); returns the process exit code."""
    app = LogAIApp(context.settings, host=context.host)
    result = app.run()
    if app.has_config_errors:
        return EXIT_CONFIG_INCOMPLETE
    return int(result or 0)
