"""Built-in plugin: the plain line-based chat, the frontend of last resort (priority 0)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai.hookspecs import hookimpl

if TYPE_CHECKING:
    from logai.plugins import FrontendContext, RegisterFrontend


def _launch(context: FrontendContext) -> int:
    from logai.frontends.plain import run

    return run(context)


@hookimpl
def register_frontends(register: RegisterFrontend) -> None:
    register("plain", _launch, priority=0)
