"""Plugin hosts for tests: only the plugins a test names, nothing installed leaks in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from logai.plugins import BUILTIN_PLUGINS, PluginHost, get_host, set_host


@contextmanager
def isolated_host(*plugins: tuple[str, object], builtins: bool = True) -> Iterator[PluginHost]:
    """Install a process-wide host with the built-ins and ``plugins`` only, then restore.

    ``plugins`` are ``(name, plugin_object_or_module)`` pairs, registered like installed ones.
    """
    previous = get_host()
    host = PluginHost(builtins=BUILTIN_PLUGINS if builtins else (), load_entry_points=False)
    for name, plugin in plugins:
        host.register_plugin(name, plugin)
    set_host(host)
    try:
        yield host
    finally:
        set_host(previous)
