"""Entry point of the ``logai-tui`` plugin: registers the Textual chat as the default frontend.

Only the registration lives here; textual itself is imported when the frontend is launched, so
``logai --help`` and ``logai plugins`` never pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from logai import hookimpl

if TYPE_CHECKING:
    from logai.registries import FrontendContext

#: Above the plain line-based chat in core, so ``logai`` opens the TUI when it is installed.
TUI_PRIORITY = 100


def _launch(context: FrontendContext) -> int:
    from logai_tui.app import run

    return run(context)


@hookimpl
def register_frontends(register: Callable[..., None]) -> None:
    register("tui", _launch, priority=TUI_PRIORITY)
