"""Log groups as MCP resources: ``logai://log-group/<name>`` reads the group's last hour.

Agents that let the user attach resources (a log group, to ask about it) get them here. The
names listed are sanitized like any result; a name holding a placeholder is restored locally
when read, as tool arguments are.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

PREFIX = "logai://log-group/"
#: Groups listed as resources; an agent wanting more uses the list_log_groups tool.
MAX_LISTED = 100
#: What reading a group resource returns: the fetch_logs result for this range.
READ_RANGE = "1h"


def group_uri(name: str) -> str:
    """The resource URI of log group ``name`` (already sanitized)."""
    return PREFIX + quote(name, safe="")


def group_from_uri(uri: str) -> str | None:
    """The group name in a resource URI, ``None`` when the URI is not one of ours."""
    if not uri.startswith(PREFIX) or len(uri) == len(PREFIX):
        return None
    return unquote(uri[len(PREFIX) :])
