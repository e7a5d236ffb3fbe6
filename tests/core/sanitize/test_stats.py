"""SanitizeStats: counting and the one-line summary users see."""

from __future__ import annotations

from logai.sanitize import SanitizeStats
from logai.sanitize.stats import kind_label


def test_summary_orders_by_count_and_pluralizes() -> None:
    stats = SanitizeStats({"IP": 2, "EMAIL": 3, "CREDIT_CARD": 1, "EMPLOYEE_ID": 2})
    # Most frequent first; ties in kind order.
    assert str(stats) == "Redacted 3 emails, 2 employee IDs, 2 IPs, 1 credit card"


def test_every_default_kind_reads_well() -> None:
    assert kind_label("PHONE", 2) == "2 phone numbers"
    assert kind_label("GITHUB_TOKEN", 1) == "1 GitHub token"
    assert kind_label("AWS_SECRET_KEY", 3) == "3 AWS secret keys"
    assert kind_label("JWT", 2) == "2 JWTs"


def test_empty_stats_are_falsy_and_say_so() -> None:
    stats = SanitizeStats()
    assert not stats
    assert str(stats) == "Nothing redacted"
    assert stats.total == 0
    assert stats.to_dict() == {}


def test_add_merge_and_plus() -> None:
    a = SanitizeStats()
    a.add("EMAIL")
    a.add("EMAIL", 2)
    a.add("IP", 0)
    b = SanitizeStats({"IP": 1})
    total = a + b
    assert total.counts == {"EMAIL": 3, "IP": 1}
    assert a.counts == {"EMAIL": 3}  # + returns a new object
    a.merge(b)
    a.merge({"SSN": 1})
    a += SanitizeStats({"SSN": 1})
    assert a.to_dict() == {"EMAIL": 3, "SSN": 2, "IP": 1}
    assert a.total == 6 and a
