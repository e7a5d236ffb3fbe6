"""A rule pack whose hook raises part-way, like one that reads a missing config file."""

from __future__ import annotations

from collections.abc import Callable

from logai import hookimpl
from logai.sanitize import Rule


@hookimpl
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    register(Rule(name="badge", kind="BADGE", pattern=r"\bBADGE-[0-9]{5}\b"))
    raise FileNotFoundError("/etc/acme/badges.yaml")
