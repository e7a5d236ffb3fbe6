"""Default personal-data rules: positives per format, and look-alikes that must survive."""

from __future__ import annotations

import pytest

from logai.sanitize import Rule, Sanitizer
from logai.sanitize.rules.pii import (
    _VERSION_CHANGE,
    _is_version_change,
    card_network_known,
    is_ipv6,
)
from tests.core.sanitize.rule_table import assert_redacts, assert_untouched

EMAILS = [
    ("user signup email=jane.doe@example.com plan=pro", "jane.doe@example.com"),
    ('{"to":"omar+alerts@mail.example.org"}', "omar+alerts@mail.example.org"),
    ("GET /unsubscribe?email=li.wei%40example.net&list=1", "li.wei%40example.net"),
    ("to=<anna@firma.example.pl>, relay=mx1", "anna@firma.example.pl"),
    ("BILLING-OPS@EXAMPLE.COM duplicate", "BILLING-OPS@EXAMPLE.COM"),
    ("mailto:support.team@example.io", "support.team@example.io"),
    ("user --john@example.com", "john@example.com"),
    ("serbian igor@example.rs and paraguay ana@example.com.py", "igor@example.rs"),
    ("ana@example.com.py", "ana@example.com.py"),
]
EMAIL_LOOKALIKES = [
    "@timestamp field missing",
    "java.lang.Object@1b6d3586 released",
    "at com.example.Worker$1@7f31245a.run(Worker.java:42)",
    "icon@2x.png and logo@3x.webp loaded",
    "npm install lodash@4.17.21",
    "git@github.com:example/orders.git fetched",
    "docker pull nginx@sha256:0b970013351304af46f322da1263516b188318682b2ab1091862497591189ff1",
    "user@localhost denied",
    "@types/node and @babel/core",
]


@pytest.mark.parametrize(("line", "value"), EMAILS)
def test_email_redacts(rules_by_name: dict[str, Rule], line: str, value: str) -> None:
    assert_redacts(rules_by_name["email"], line, value)


@pytest.mark.parametrize("line", EMAIL_LOOKALIKES)
def test_email_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


def test_email_encoded_and_plain_share_a_placeholder(rules_by_name: dict[str, Rule]) -> None:
    sanitizer = Sanitizer([rules_by_name["email"]])
    first, _ = sanitizer.sanitize_text("Jane@Example.com")
    second, _ = sanitizer.sanitize_text("q=jane%40example.com")
    assert first == "<EMAIL_1>"
    assert second == "q=<EMAIL_1>"


IPV4 = [
    ('198.51.100.42 - - [25/Nov/2026:10:02:11 +0000] "GET / HTTP/1.1" 200 83', "198.51.100.42"),
    ('{"remote_addr":"192.0.2.15"}', "192.0.2.15"),
    ("X-Forwarded-For: 203.0.113.195, 70.41.3.18", "70.41.3.18"),
    ("connecting to 10.0.14.201:6379", "10.0.14.201"),
    ("client: 172.16.4.21, server: api", "172.16.4.21"),
    ("ip=8.8.4.4.", "8.8.4.4"),
    ("GET /hosts/10.0.0.1 200", "10.0.0.1"),
]
IPV4_LOOKALIKES = [
    "app version 1.2.3.4 starting",
    '"build": "10.0.2.15"',
    "Mozilla/5.0 (X11) Chrome/120.0.0.0 Safari/537.36",
    "semver 10.0.0.1-alpha.3 published",
    "upgrading package acme-agent-1.10.2.3-beta to 1.10.3.0",
    "value 999.1.1.1 out of range",
    "10.0.0.256 is not an address",
    "OID 1.3.6.1.4.1.311.21.7",
    "listening on 0.0.0.0:8080",
    "health 127.0.0.1:9090",
    "metadata 169.254.169.254 unreachable",
    "netmask 255.255.255.0",
    "zero-padded 010.001.002.003",
    "ratio 6.7.8.9.10",
    "file acme-1.2.3.4.tar.gz",
]


@pytest.mark.parametrize(("line", "value"), IPV4)
def test_ipv4_redacts(rules_by_name: dict[str, Rule], line: str, value: str) -> None:
    assert_redacts(rules_by_name["ipv4"], line, value)


@pytest.mark.parametrize("line", IPV4_LOOKALIKES)
def test_ipv4_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


def test_ipv4_keeps_the_port(full_pack: Sanitizer) -> None:
    assert full_pack.sanitize_text("upstream 10.12.0.7:8080 down")[0] == "upstream <IP_1>:8080 down"


IPV6 = [
    ("2001:db8:85a3::8a2e:370:7334 - - GET /", "2001:db8:85a3::8a2e:370:7334"),
    ("accepted from [2001:db8::1f]:51514", "2001:db8::1f"),
    ('{"ip":"2001:0db8:0000:0000:0000:ff00:0042:8329"}', "2001:0db8:0000:0000:0000:ff00:0042:8329"),
    ("SRC=fe80::a00:27ff:fe4e:66a1 DST", "fe80::a00:27ff:fe4e:66a1"),
    ("client ::ffff:192.0.2.128 sent", "::ffff:192.0.2.128"),
    ("X-Real-IP: 2606:4700:4700::1111", "2606:4700:4700::1111"),
    ("neighbor 2001:db8:1:2:3:4:5:6 down", "2001:db8:1:2:3:4:5:6"),
    ("from fe80::1ff:fe23:4567:890a%eth0", "fe80::1ff:fe23:4567:890a"),
]
IPV6_LOOKALIKES = [
    "loopback ::1 and any ::",
    "MAC 00:1a:2b:3c:4d:5e",
    "time 10:23:45 and 12:00:00.123",
    "a[::2] std::vector Foo::Bar::baz()",
    "arn:aws:iam::123456789012:role/x",
    "[25/Nov/2026:10:23:45 +0000]",
    "short a::b",
]


@pytest.mark.parametrize(("line", "value"), IPV6)
def test_ipv6_redacts(rules_by_name: dict[str, Rule], line: str, value: str) -> None:
    assert_redacts(rules_by_name["ipv6"], line, value)


@pytest.mark.parametrize("line", IPV6_LOOKALIKES)
def test_ipv6_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2001:db8::1", True),
        ("::ffff:192.0.2.1", True),
        ("64:ff9b::192.0.2.1", True),
        ("1:2:3:4:5:6:7:8", True),
        ("1:2:3:4:5:6:7", False),
        ("1::2::3", False),
        ("12345::1", False),
        ("::ffff:999.0.2.1", False),
    ],
)
def test_is_ipv6(text: str, valid: bool) -> None:
    assert is_ipv6(text) is valid


CARDS = [
    ('"card":"4111 1111 1111 1111"', "4111 1111 1111 1111"),  # Visa, spaced
    ("pan=5555555555554444 exp", "5555555555554444"),  # Mastercard
    ("card 2223-0031-2200-3222 declined", "2223-0031-2200-3222"),  # Mastercard 2-series
    ("mc 2720 9999 9999 9996 ok", "2720 9999 9999 9996"),
    ("amex 3782 822463 10005 flagged", "3782 822463 10005"),  # American Express 4-6-5
    ("amex 371449635398431 ok", "371449635398431"),
    ("tokenizing 6011111111111117 for", "6011111111111117"),  # Discover
    ("jcb=3530111333300000 brand", "3530111333300000"),  # JCB
    ("Diners 3056 9309 0259 04 accepted", "3056 9309 0259 04"),  # Diners 4-6-4
    ("UnionPay 6200000000000005 settled", "6200000000000005"),
    ("maestro 6759649826438453 refused", "6759649826438453"),
    ("legacy visa 4222222222222 (13)", "4222222222222"),
]
CARD_LOOKALIKES = [
    "order 4111111111111112 not found",  # fails Luhn
    "invoice 1234 5678 9012 3456 overdue",
    "epoch ms 1764064931123 and 1700000000000",  # Luhn-valid or not, no network starts with 17
    "order id 9876543210123456 shipped",
    "reference 0000 0000 0000 0000",
    "uuid 12345678-1234-5678-1234-567812345678",
    "event id 37958495834958495834958495834958495834958495834958495834",
    "card ending 4111 1111 charged",
    "grouping 41 11 11 11 11 11 11 11",
]


@pytest.mark.parametrize(("line", "value"), CARDS)
def test_credit_card_redacts(rules_by_name: dict[str, Rule], line: str, value: str) -> None:
    assert_redacts(rules_by_name["credit_card"], line, value)


@pytest.mark.parametrize("line", CARD_LOOKALIKES)
def test_credit_card_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


@pytest.mark.parametrize(
    ("digits", "known"),
    [
        ("4111111111111111", True),
        ("2221000000000009", True),
        ("2721000000000000", False),  # just past the Mastercard 2-series
        ("1764064931123", False),  # epoch milliseconds: 13 digits, UATP needs 15
        ("9111111111111111", False),
        ("341111111111111", True),
        ("3411111111111111", False),  # Amex is 15 digits, never 16
    ],
)
def test_card_network_known(digits: str, known: bool) -> None:
    assert card_network_known(digits) is known


def test_card_formats_share_a_placeholder(rules_by_name: dict[str, Rule]) -> None:
    sanitizer = Sanitizer([rules_by_name["credit_card"]])
    out, _ = sanitizer.sanitize_text(
        "a 4111 1111 1111 1111 b 4111-1111-1111-1111 c 4111111111111111"
    )
    assert out == "a <CREDIT_CARD_1> b <CREDIT_CARD_1> c <CREDIT_CARD_1>"


SSNS = [
    ('{"ssn":"078-05-1120"}', "078-05-1120"),
    ("applicant SSN: 219-09-9999 verified", "219-09-9999"),
    ("form W-9 ssn=457555462", "457555462"),
    ('social_security_number="536 90 4399"', "536 90 4399"),
    ("Social Security No. 301-22-7719", "301-22-7719"),
]
SSN_LOOKALIKES = [
    "date 2026-11-25",
    "ticket ABC-123-45-6789-Z",
    "masked ***-**-1120",
    "invalid 000-12-3456",
    "area 666-12-3456 never issued",
    "912-40-1234 is neither an SSN nor an ITIN",
    "group 123-00-4567 serial 123-45-0000",
    "id 078051120 exported",
    "zip 94107-1234",
]


@pytest.mark.parametrize(("line", "value"), SSNS)
def test_ssn_redacts(rules_by_name: dict[str, Rule], line: str, value: str) -> None:
    assert_redacts(rules_by_name["ssn"], line, value)


@pytest.mark.parametrize("line", SSN_LOOKALIKES)
def test_ssn_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


PHONES = [
    ("SMS to +44 20 7946 0958 done", "+44 20 7946 0958"),
    ("callback (415) 555-2671 at", "(415) 555-2671"),
    ('{"phone":"+1-212-555-0199"}', "+1-212-555-0199"),
    ("to=+14155552671 sid", "+14155552671"),
    ("line 1-800-555-0173 ext. 204 down", "1-800-555-0173 ext. 204"),
    ("contact: 415.555.2671 (office)", "415.555.2671"),
    ("updated phone=6175550148", "6175550148"),
    ("+91 98765 43210 failed", "+91 98765 43210"),
    ("+33 1 23 45 67 89 transfer", "+33 1 23 45 67 89"),
    ("mobile 212-555-0147 x42 out", "212-555-0147 x42"),
    ("tel +81-3-1234-5678", "+81-3-1234-5678"),
    ("voicemail 312 555 0182 agent", "312 555 0182"),
    ("+1 (646) 555-0123 called", "+1 (646) 555-0123"),
]
PHONE_LOOKALIKES = [
    "timezone +0530 and +05:30 and +1000",
    "score +12.5 delta +3",
    "order 123-456-7890 created",
    "range 100-200-3000",
    "user 4155552671 exported",  # bare digits without a phone word
    "ISBN 978-3-16-148410-0",
    "latency 0.5 1 2.5 5 10 25",
    "GET /api/orders 200 5123 bytes in 12ms",
    "version 555.1234.5",
]


@pytest.mark.parametrize(("line", "value"), PHONES)
def test_phone_redacts(rules_by_name: dict[str, Rule], line: str, value: str) -> None:
    assert_redacts(rules_by_name["phone"], line, value)


@pytest.mark.parametrize("line", PHONE_LOOKALIKES)
def test_phone_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
    assert_untouched(full_pack, line)


def test_phone_formats_share_a_placeholder(rules_by_name: dict[str, Rule]) -> None:
    sanitizer = Sanitizer([rules_by_name["phone"]])
    out, _ = sanitizer.sanitize_text("(415) 555-2671 / +1 415 555 2671 / phone=4155552671")
    assert out == "<PHONE_1> / <PHONE_1> / phone=<PHONE_1>"


@pytest.mark.parametrize(
    "context",
    [
        "INFO connection from ",
        "upgrading agent-1.2.3.4 to ",
        "Rolled back from ",
        "INSTALLED pkg -> ",
        "releaſing agent to ",  # non-ASCII: the regex decides alone
        "ınstalling agent to ",
        "upgrade done, request from ",
    ],
)
def test_version_change_shortcut_agrees_with_the_regex(context: str) -> None:
    assert _is_version_change(context) == bool(_VERSION_CHANGE.search(context))
