"""The default sanitizer rule pack, registered like any third-party rule pack would be.

Only the hook lives here; the rules themselves are in :mod:`logai.sanitize.rules` and are
imported when the hook is called (building a sanitizer), not when plugins are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai.hookspecs import hookimpl

if TYPE_CHECKING:
    from logai.plugins import RegisterRule


@hookimpl
def register_sanitizer_rules(register: RegisterRule) -> None:
    from logai.sanitize import default_rules

    for rule in default_rules():
        register(rule)
