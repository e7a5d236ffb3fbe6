"""Built-in plugin: core's log tools, registered through ``register_tools`` like a plugin's.

``list_log_groups``, ``fetch_logs``, ``search_logs`` and, where the conversation's source runs
server-side queries, ``query_logs`` (see :attr:`logai.tools.Tool.for_source`). The tools are
imported when the hook is called (a conversation starts, or ``logai plugins`` lists them), not
when plugins load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai import hookimpl

if TYPE_CHECKING:
    from logai.plugins import RegisterTool


@hookimpl
def register_tools(register: RegisterTool) -> None:
    from logai.tools.log_tools import LOG_TOOLS

    for tool in LOG_TOOLS:
        register(tool)
