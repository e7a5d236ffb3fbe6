"""Which of several named log groups exist, in as few DescribeLogGroups calls as the API allows.

Checking names one by one costs a DescribeLogGroups call each, and that action is throttled per
account and region (a few requests a second), so a query naming 40 groups would take 40 calls
and risk throttling. DescribeLogGroups takes ``logGroupIdentifiers``: up to 50 names, answered
with the groups among them that exist, in one call. Names are asked 50 at a time, and the
lookup stops at the first batch with a missing name, since callers report the first one.

Some endpoints do not filter by identifiers (moto answers with the account's whole list;
an older service may reject the parameter). Such an answer is recognised (a group that was not
asked for, or a validation error) and those names are then checked one by one with a prefix
listing of one group (listings are sorted, so an exact name comes first among the names it
prefixes), stopping at the first missing one, which is what LogAI did before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logai.sources.base import SourceValidationError

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

#: DescribeLogGroups accepts at most this many ``logGroupIdentifiers``.
IDENTIFIERS_PER_CALL = 50

Caller = Callable[..., Awaitable[Any]]
"""The source's ``_call(action, method, params, *, group=...)``: retries and error mapping."""


@dataclass
class Lookup:
    """What a lookup learnt: the groups found, and the first name asked for that is missing."""

    found: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    """Group name -> its DescribeLogGroups entry (``logGroupArn`` and so on)."""
    missing: str | None = None
    """The first name, in the order asked, that no group has; names after it may be unchecked."""


def _describe(client: CloudWatchLogsClient) -> Callable[..., Any]:
    return client.describe_log_groups


async def find_groups(call: Caller, names: Sequence[str]) -> Lookup:
    """Look ``names`` up (duplicates and empty names ignored), 50 per call where the endpoint
    filters by identifiers, else one by one; see the module docstring."""
    wanted = list(dict.fromkeys(name for name in names if name))
    lookup = Lookup()
    by_identifiers = True
    for start in range(0, len(wanted), IDENTIFIERS_PER_CALL):
        batch = wanted[start : start + IDENTIFIERS_PER_CALL]
        found = await _by_identifiers(call, batch) if by_identifiers else None
        if found is None:
            by_identifiers = False
            found = await _one_by_one(call, batch)
        lookup.found.update(found)
        lookup.missing = next((name for name in batch if name not in found), None)
        if lookup.missing is not None:
            break
    return lookup


async def _by_identifiers(call: Caller, batch: list[str]) -> dict[str, Mapping[str, Any]] | None:
    """The groups of ``batch`` that exist, or None when the endpoint does not filter by
    identifiers (it answered with a group not asked for, or refused the parameter)."""
    asked = set(batch)
    found: dict[str, Mapping[str, Any]] = {}
    token: str | None = None
    while True:
        params: dict[str, Any] = {"logGroupIdentifiers": batch}
        if token:
            params["nextToken"] = token
        try:
            page = await call("logs:DescribeLogGroups", _describe, params)
        except SourceValidationError:
            return None
        for raw in page.get("logGroups", []):
            name = raw.get("logGroupName", "")
            if name not in asked:
                return None
            found[name] = raw
        next_token = page.get("nextToken")
        if not next_token or next_token == token:
            return found
        token = next_token


async def _one_by_one(call: Caller, batch: list[str]) -> dict[str, Mapping[str, Any]]:
    """The groups of ``batch`` that exist, checked in order up to the first missing one."""
    found: dict[str, Mapping[str, Any]] = {}
    for name in batch:
        page = await call(
            "logs:DescribeLogGroups",
            _describe,
            {"logGroupNamePrefix": name, "limit": 1},
            group=name,
        )
        first: Mapping[str, Any] = next(iter(page.get("logGroups", [])), {})
        if first.get("logGroupName") != name:
            break
        found[name] = first
    return found
