"""Public IPv4 addresses inside host names (reverse DNS of a client), dotted or dashed.

Each positive runs the rule alone, so it proves the rule fired; each look-alike runs the whole
default pack. The property: whatever name an ISP wraps around a public address, the address's
numbers leave, and its placeholder is the one the plain address gets.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logai.sanitize import Rule, Sanitizer, default_rules
from logai.sanitize.rules.hostnames import _NOT_HOST_LABELS, ip_key
from tests.core.sanitize.rule_table import (
    assert_family_found_in_full,
    assert_linear,
    assert_redacts,
    assert_untouched,
    corpus_entries,
    split_pack,
)

CASES: list[tuple[str, str]] = [
    ("rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om", "5.36.59.76"),
    ("(dsl-Chn-static-059.45.101.203.touchtelindia.net)", "059.45.101.203"),
    ("connect from c-73-15-22-101.hsd1.ca.comcast.net[73.15.22.101]", "73-15-22-101"),
    ("RCPT from pool-71-191-15-106.washdc.fios.verizon.net", "71-191-15-106"),
    ("query: 7.110.23.94.in-addr.arpa IN PTR", "7.110.23.94"),
    ("rip=cpe-74-77-88-99.nycap.res.rr.com, lip=10.0.0.5", "74-77-88-99"),
    ("http://52.14.201.33.nip.io:8080/hook", "52.14.201.33"),
    ("peer ec2-54-210-167-9.compute-1.amazonaws.com", "54-210-167-9"),
    ('Client "host-91-121-6-43.customer.example.net"', "91-121-6-43"),
    ("from 203-0-113-77.dsl.example.net", "203-0-113-77"),
    ("rhost=customer-187-141-143-180-sta.uninet-ide.com.mx user=root", "187-141-143-180"),
    ("(host129.206.196.21.maximumasp.com) at Sat", "129.206.196.21"),
]

LOOKALIKES = [
    "EC2 host ip-10-0-1-23.ec2.internal joined cluster",
    "Successfully assigned default/web to ip-10-0-2-15.eu-west-1.compute.internal",
    "dhcp lease for host-192-168-1-23.lan.example renewed",
    "pod on ip-172-31-20-5.ec2.internal",
    "CGNAT 100-64-12-9.carrier.example",
    "Installed: kernel-4.14.238.182.amzn2.x86_64",
    "Loaded hibernate-core-5.4.32.1.Final.jar",
    "python3-botocore-1.29.76.1.el8.noarch upgraded",
    "agent version 1.2.3.4.build.local started",
    "backup db-2024-01-15-10.tar.gz written",
    "node a-1-2-3-4-5.example.com joined",
    "ISBN 978-3-16-148410-0 imported",
    "2024-01-15 10:00:00,123 INFO worker-3 processed order 12345",
    "listening on 0.0.0.0:8080 and 127-0-0-1.nip.io",
    "Python3.8.10.1.el8.x86_64 installed",
    "pip wheel numpy-1.26.4.0.dev.local built",
    "chart 2.1.0.3.rc.internal pushed",
    "fetched lib-1-2-3-4-beta.tar.gz",
    "Mac calvisitor-10-105-162-105.calvisitor.example woke",
]


@pytest.fixture(scope="module")
def rule(rules_by_name: dict[str, Rule]) -> Rule:
    return rules_by_name["ip_in_hostname"]


@pytest.mark.parametrize(("line", "value"), CASES)
def test_rule_redacts(rule: Rule, line: str, value: str) -> None:
    assert_redacts(rule, line, value)


@pytest.mark.parametrize("line", LOOKALIKES)
def test_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


def test_the_name_around_the_address_stays(full_pack: Sanitizer) -> None:
    out, _ = Sanitizer(full_pack.rules).sanitize_text(
        "connect from c-73-15-22-101.hsd1.ca.comcast.net[73.15.22.101]"
    )
    assert out == "connect from c-<IP_1>.hsd1.ca.comcast.net[<IP_1>]"


def test_the_corpus_family_is_found_in_full(full_pack: Sanitizer) -> None:
    sanitizer = Sanitizer(full_pack.rules)
    assert_family_found_in_full(sanitizer, "ip_hostname", min_positives=10, min_negatives=10)


def test_the_rule_changes_nothing_the_previous_rules_left_alone() -> None:
    alone, previous, current = split_pack({"ip_in_hostname"})
    for entry in corpus_entries():
        if entry.get("family") == "ip_hostname":
            continue
        line = str(entry["line"])
        if not entry["secrets"]:
            assert alone.sanitize_text(line)[0] == line, line
        assert current.sanitize_text(line)[0] == previous.sanitize_text(line)[0], line


def _public(address: ipaddress.IPv4Address) -> bool:
    internal = ("0.", "10.", "127.", "169.254.", "192.168.")
    text = str(address)
    return (
        not text.startswith(internal)
        and address not in ipaddress.IPv4Network("172.16.0.0/12")
        and address not in ipaddress.IPv4Network("100.64.0.0/10")
        and int(text.split(".")[0]) < 224
    )


_RULES = default_rules()
_LABEL = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True).filter(
    lambda label: label not in _NOT_HOST_LABELS  # lib-1.2.3.4.el7.x86_64 is a package
)
_PREFIX = _LABEL.filter(lambda label: label not in {"v", "rev", "build", "release", "version"})


@given(
    address=st.ip_addresses(v=4).filter(_public),
    dashed=st.booleans(),
    padded=st.booleans(),
    prefix=st.one_of(st.none(), _PREFIX),
    domain=st.lists(_LABEL, min_size=2, max_size=4),
    around=st.sampled_from(["rhost={}", "connect from {} closed", "({})", "client={}, x"]),
)
def test_any_public_address_in_any_isp_name_leaves(
    address: ipaddress.IPv4Address,
    dashed: bool,
    padded: bool,
    prefix: str | None,
    domain: list[str],
    around: str,
) -> None:
    octets = [f"{int(o):03d}" if padded else o for o in str(address).split(".")]
    embedded = ("-" if dashed else ".").join(octets)
    name = (f"{prefix}-" if prefix else "") + embedded + "." + ".".join(domain)
    line = around.format(name) + f" addr {address}"
    out, _ = Sanitizer(_RULES).sanitize_text(line)
    assert embedded not in out, out
    placeholders = [p for p in out.split() if "<IP_" in p]
    assert placeholders and all("<IP_1>" in p for p in placeholders), out
    assert ip_key(embedded) == str(address)


@pytest.mark.parametrize(
    ("head", "unit"),
    [
        ("", "1-"),  # numbers and dashes, no letter anywhere
        ("", "1-2-3-"),
        ("", "a-1-2-3-4-"),  # a label before every address, no dot after any
        ("5.6.7.8-", "-a"),  # an address whose label goes on and on, with no domain
        ("x 5-6-7-8", "-9a"),
    ],
)
def test_a_long_line_of_numbers_and_dashes_costs_in_proportion_to_its_length(
    head: str, unit: str
) -> None:
    """A line four times as long takes about four times as long (not sixteen: the rule used to
    scan to the end of the line from each of its numbers, 48 s for 100 KB of ``1-``)."""
    assert_linear(Sanitizer(default_rules()), head, unit)
