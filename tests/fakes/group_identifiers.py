"""moto's DescribeLogGroups with the ``logGroupIdentifiers`` filter AWS applies and moto ignores.

AWS answers ``DescribeLogGroups(logGroupIdentifiers=[...])`` (1 to 50 names or ARNs, no other
filter allowed) with just the groups among them that exist; moto 5 drops the parameter and lists
the whole account. :func:`honoured` patches moto's handler (in this process: ``mock_aws`` and
the threaded :class:`~tests.fakes.moto_server.MotoServer`) to filter as AWS does, so the
lookup LogAI makes against AWS is tested against a server; :func:`refused` makes it reject the
parameter, as an endpoint that does not know it would. Every other request is moto's own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: What AWS accepts in one call.
MAX_IDENTIFIERS = 50


def _filtered(response: Any) -> str:
    from moto.logs.exceptions import InvalidParameterException

    identifiers = response._get_param("logGroupIdentifiers")
    if not 1 <= len(identifiers) <= MAX_IDENTIFIERS:
        raise InvalidParameterException(
            constraint=f"Member must have length less than or equal to {MAX_IDENTIFIERS}",
            parameter="logGroupIdentifiers",
            value=len(identifiers),
        )
    if response._get_param("logGroupNamePrefix") or response._get_param("logGroupNamePattern"):
        raise InvalidParameterException(
            msg="logGroupIdentifiers cannot be combined with a name prefix or pattern."
        )
    groups = response.logs_backend.groups
    by_arn = {group.arn.removesuffix(":*"): group for group in groups.values()}
    found = {}
    for identifier in identifiers:
        group = groups.get(identifier) or by_arn.get(identifier.removesuffix(":*"))
        if group is not None:
            found[group.name] = group
    listed = [found[name].to_describe_dict() for name in sorted(found)]
    return json.dumps({"logGroups": listed})


def _refusing(response: Any) -> str:
    from moto.logs.exceptions import InvalidParameterException

    raise InvalidParameterException(
        msg="1 validation error detected: unknown parameter logGroupIdentifiers"
    )


@contextmanager
def _patched(handle: Any) -> Iterator[None]:
    from moto.logs.responses import LogsResponse

    original = LogsResponse.describe_log_groups

    def describe_log_groups(self: Any) -> str:
        if self._get_param("logGroupIdentifiers") is None:
            return original(self)
        return str(handle(self))

    LogsResponse.describe_log_groups = describe_log_groups  # type: ignore[method-assign]
    try:
        yield
    finally:
        LogsResponse.describe_log_groups = original  # type: ignore[method-assign]


def honoured() -> Any:
    """A context in which moto filters DescribeLogGroups by ``logGroupIdentifiers``, as AWS."""
    return _patched(_filtered)


def refused() -> Any:
    """A context in which moto rejects ``logGroupIdentifiers`` (an endpoint without it)."""
    return _patched(_refusing)
