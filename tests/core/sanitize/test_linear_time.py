"""No line makes the default pack slow: cost grows with a line's length, not with its square.

Log text is untrusted: a client controls the URLs, headers and payloads an application logs. A
rule that reads to the end of the line from each of its hints, and then turns the match down,
costs time quadratic in the line's length (a 256 KB CloudWatch event of ``key=-key=-...`` took
minutes). Each unit below, repeated to 5 KB and to 20 KB, must cost about four times as much
CPU, not sixteen (:func:`~tests.core.sanitize.rule_table.assert_linear`: a ratio, in one run).
"""

from __future__ import annotations

import pytest

from logai.sanitize import Sanitizer, default_rules
from tests.core.sanitize.rule_table import assert_linear

#: Shapes that start a match of some rule and never finish one: separators, hints, openers.
UNITS = [
    "= key", "=-key", "key=-", "a@", "a@b.", "1.1.", "1-1-", "%3D", "key%3Da", ":1", "a:",
    "0:0:", "+1 ", "1 1 ", "pass=", "token:", "://a:", "/a@", '\\"key\\":\\"', '{"a":', 'x="',
    "Bearer ", "eyJ", "AKIA", "sk-", "-----BEGIN ", "=;", "Pwd={", "Pwd=a b ", "0x", "ab12",
    "_-", "..", "%2B1", "sha256:", "md5", "$2b$", "AUTH ", "IDENTIFIED BY '", "-p", "--password ",
    "curl ", "zip ", "7z a ", "redis-cli ", "openssl ", "az login ", "ldapsearch ", "auth: ",
]  # fmt: skip


@pytest.fixture(scope="module")
def pack() -> Sanitizer:
    return Sanitizer(default_rules())


@pytest.mark.parametrize("unit", UNITS)
def test_a_repeated_unit_costs_in_proportion_to_the_line(pack: Sanitizer, unit: str) -> None:
    assert_linear(pack, "x ", unit)
