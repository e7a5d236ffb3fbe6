"""Entry point of the ``logai-tui`` plugin: registers the Textual chat as the default frontend.

Only the registration lives here; textual itself is imported when the frontend is launched, so
``logai --help`` and ``logai plugins`` never pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai import hookimpl

if TYPE_CHECKING:
    from logai.hookspecs import RegisterFrontend
    from logai.registries import FrontendContext

#: Above the plain line-based chat in core, so ``logai`` opens the TUI when it is installed.
TUI_PRIORITY = 100


#: Exit status when the TUI cannot run here (matches click's usage errors).
EXIT_NO_TERMINAL = 2


def _launch(context: FrontendContext) -> int:
    import sys

    # A full-screen app needs a terminal on both ends; with a pipe or /dev/null it would draw
    # into the void and wait for keys that never come.
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write(
            "logai: the chat UI needs a terminal, and stdin or stdout is not one.\n"
            '  one question from a script:  logai ask "why did checkout fail?"\n'
            "  a line-based chat over pipes: logai --frontend plain\n"
        )
        return EXIT_NO_TERMINAL
    from logai_tui.app import run

    return run(context)


@hookimpl
def register_frontends(register: RegisterFrontend) -> None:
    register("tui", _launch, priority=TUI_PRIORITY)
