"""The prompt an agent can offer its user: "investigate an incident" with LogAI's tools."""

from __future__ import annotations

import mcp_types as types

INVESTIGATE = "investigate_incident"

_ARGUMENTS = (
    types.PromptArgument(
        name="symptom",
        description="What went wrong, in the user's words (errors at checkout, slow logins...).",
        required=True,
    ),
    types.PromptArgument(
        name="log_group",
        description="Log group or prefix to start from; found with list_log_groups when empty.",
        required=False,
    ),
    types.PromptArgument(
        name="since",
        description="How far back to look: 15m, 2h, 1d, or an ISO time (default 1h).",
        required=False,
    ),
)

PROMPTS = [
    types.Prompt(
        name=INVESTIGATE,
        title="Investigate an incident",
        description="Find when an incident started, what failed and what it affected, from logs.",
        arguments=list(_ARGUMENTS),
    )
]


class UnknownPrompt(ValueError):
    """A prompt name this server does not offer."""


def render_prompt(name: str, arguments: dict[str, str] | None) -> str:
    """The prompt's text with the user's arguments filled in (the caller sanitizes it)."""
    if name != INVESTIGATE:
        raise UnknownPrompt(f"Unknown prompt '{name}'. Available prompts: {INVESTIGATE}.")
    given = arguments or {}
    symptom = given.get("symptom", "").strip() or "an unexplained failure"
    since = given.get("since", "").strip() or "1h"
    group = given.get("log_group", "").strip()
    where = (
        f"Start with the log group(s) matching `{group}`."
        if group
        else "Start by finding the relevant log groups with list_log_groups."
    )
    return (
        f"Investigate this incident using LogAI's log tools: {symptom}.\n\n"
        f"Look at the last {since}. {where} Then:\n"
        "1. Use search_logs for errors, exceptions and timeouts (summarize=true for large "
        "results) to find when the problem started and which services it touched.\n"
        "2. Use fetch_logs around the first failures to see what happened just before them.\n"
        "3. If query_logs is available, count errors over time to confirm start, peak and end.\n\n"
        "Values such as <EMAIL_1> are placeholders for redacted personal data or secrets; they "
        "are stable in this session and can be passed back in filters. Report: timeline, "
        "probable cause with the log lines that show it, impact, and what to check next."
    )
