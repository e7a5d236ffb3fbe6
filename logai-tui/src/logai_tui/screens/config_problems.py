"""Shown instead of the chat when the configuration cannot work (no API key, no region…).

Failing with a traceback, or opening a chat whose first answer fails, would leave the user
guessing; this screen lists every error from :func:`logai.config.find_problems` with the
variable to set, says where to set it, and re-checks on ``r`` after the ``.env`` file is edited.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from logai.config import Problem


def env_file_path() -> Path:
    """The ``.env`` file LogAI reads (``LOGAI_ENV_FILE``, else ``.env`` here), absolute."""
    return Path(os.environ.get("LOGAI_ENV_FILE", ".env")).expanduser().absolute()


class ConfigProblemsScreen(Screen[None]):
    """Every configuration error, and exactly what to set to fix it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "app.recheck_config", "Check again"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "app.quit", "Quit", show=False),
    ]

    def __init__(self, problems: list[Problem], *, note: str = "") -> None:
        super().__init__()
        self.problems = problems
        self.note = note

    def show(self, problems: list[Problem], *, note: str = "") -> None:
        """Replace the list (after a re-check), with a note on what happened."""
        self.problems = problems
        self.note = note
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        errors = [p for p in self.problems if p.severity == "error"]
        warnings = [p for p in self.problems if p.severity != "error"]
        with VerticalScroll(id="problems"):
            yield Static(
                Content.from_markup(
                    "[b]LogAI needs a little configuration before it can answer.[/b]\n"
                    f"Set {'this' if len(errors) == 1 else 'these'} and start again:"
                ),
                id="problems-title",
            )
            for problem in errors:
                yield self._row(problem, "error")
            for problem in warnings:
                yield self._row(problem, "warning")
            yield Static(
                Content.assemble(
                    "Put them in your shell (",
                    (f"export {errors[0].variable if errors else 'VARIABLE'}=…", "bold"),
                    ") or in ",
                    (str(env_file_path()), "bold"),
                    ".\n",
                    ("logai config check", "bold"),
                    " prints this list; ",
                    ("logai config show", "bold"),
                    " shows every setting and where it came from.",
                ),
                id="problems-help",
            )
            if self.note:
                yield Static(Content(self.note), id="problems-note")
            yield Static(
                Content.from_markup("[b]r[/b] check again (after editing .env)   [b]q[/b] quit"),
                id="problems-keys",
            )

    @staticmethod
    def _row(problem: Problem, kind: str) -> Static:
        mark = "✖" if kind == "error" else "!"
        return Static(
            Content.assemble((f"{mark} {problem.variable}", "bold"), "\n", problem.message),
            classes=f"problem problem-{kind}",
        )
