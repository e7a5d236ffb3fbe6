"""No third-party rule can hang or starve LogAI: its time is budgeted per line and in total.

Assertions are on the budget's counters and on what the output contains, not on wall-clock
thresholds; the one timing check compares CPU time (what the budget counts) with the budget.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from logai.sanitize import Rule, RuleBudget, Sanitizer, default_rules
from tests.conftest import InstallPlugins

CATASTROPHIC = Rule(name="slow_a", kind="SLOW", pattern=r"(a|aa)+$")
TICKET = Rule(name="ticket", kind="TICKET", pattern=r"\bTICKET-[0-9]{4}\b", hints=("TICKET-0000",))
ADVERSARIAL = [f"{'a' * 40}! TICKET-{1000 + i} by jane@example.com" for i in range(200)]
BUDGET = RuleBudget(line_seconds=0.005, trip_after=3)


def _sanitizer(*rules: Rule, budget: RuleBudget = BUDGET) -> Sanitizer:
    return Sanitizer([*default_rules(), *rules], budget=budget)


def test_catastrophic_rule_costs_at_most_its_budget_and_the_pack_still_applies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sanitizer = _sanitizer(CATASTROPHIC, TICKET)
    started = time.thread_time()  # CPU time: what the budget counts, immune to machine load
    out, stats = sanitizer.sanitize_text("\n".join(ADVERSARIAL))
    cpu = time.thread_time() - started
    report = {record["rule"]: record for record in sanitizer.budget_report()}
    assert report["slow_a"]["tripped"]
    assert report["slow_a"]["overruns"] == BUDGET.trip_after  # then it is not run again
    assert report["slow_a"]["unchecked_lines"] == len(ADVERSARIAL)
    assert report["ticket"] == {
        "rule": "ticket", "overruns": 0, "unchecked_lines": 0, "tripped": False
    }  # fmt: skip
    lines = out.splitlines()
    assert len(lines) == len(ADVERSARIAL)
    # Nothing the slow rule could not check passes raw; the other rules' placeholders stay.
    shape = re.compile(r"<UNCHECKED_TEXT_1> <TICKET_\d+> <UNCHECKED_TEXT_2> <EMAIL_1>")
    assert all(shape.fullmatch(line) for line in lines), lines[:3]
    assert stats.counts["TICKET"] == stats.counts["EMAIL"] == len(ADVERSARIAL)
    # The whole run (200 lines, 30 rules) costs the slow rule's total allowance plus the usual
    # work, however long the rule would need per line (about forever here).
    allowance = BUDGET.trip_after * BUDGET.limit(45)
    assert cpu < allowance + 0.25
    err = capsys.readouterr().err
    assert "sanitizer rule 'slow_a' took more than its 5 ms budget" in err
    assert "'slow_a' exceeded its time budget 3 times and is no longer run" in err


def test_original_values_come_back_for_local_display() -> None:
    sanitizer = _sanitizer(CATASTROPHIC, TICKET)
    out, _ = sanitizer.sanitize_text(ADVERSARIAL[0])
    assert sanitizer.restore(out) == ADVERSARIAL[0]


def test_a_slow_line_is_redacted_while_other_lines_are_checked_normally() -> None:
    slow_only_on_a = Rule(
        name="slow_a", kind="SLOW", pattern=r"(a|aa)+$", hints=("aaaa",), reach=None
    )
    sanitizer = _sanitizer(slow_only_on_a, budget=RuleBudget(line_seconds=0.005, trip_after=5))
    text = "\n".join(["user bob@example.com ok", "a" * 40 + "! secret stuff", "aaaa"])
    out, _ = sanitizer.sanitize_text(text)
    assert out.splitlines() == ["user <EMAIL_1> ok", "<UNCHECKED_TEXT_1>", "<SLOW_1>"]
    (record,) = sanitizer.budget_report()
    assert (record["overruns"], record["unchecked_lines"], record["tripped"]) == (1, 1, False)


def test_unchecked_line_absorbs_a_multiline_value_it_overlaps() -> None:
    """A private key starting on a checked line must not come out half redacted."""
    slow = Rule(name="slow_a", kind="SLOW", pattern=r"(a|aa)+$", hints=("aaaa",))
    body = "MIIEowIBAAKCAQEA" + "a" * 40 + "!"
    key = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    out, _ = _sanitizer(slow).sanitize_text(f"key:\n{key}\nnext")
    assert "MIIE" not in out and "a" * 10 not in out
    assert out.count("\n") == f"key:\n{key}\nnext".count("\n")


def test_default_rules_run_unguarded_and_third_party_rules_guarded() -> None:
    sanitizer = _sanitizer(TICKET)
    assert [record["rule"] for record in sanitizer.budget_report()] == ["ticket"]


def test_rule_with_python_only_syntax_is_rejected_by_check() -> None:
    from logai.sanitize._matcher import check_rule

    check_rule(Rule(name="look", kind="LOOK", pattern=r"(?<![A-Z])EMP-\d{6}(?!\d)"))
    with pytest.raises(ValueError, match="does not redact its own example"):
        check_rule(Rule(name="nope", kind="NOPE", pattern=r"\bX-\d+\b", example="nothing here"))


@pytest.mark.slow
def test_logai_sanitize_survives_an_installed_catastrophic_pack(
    install_test_plugins: InstallPlugins,
) -> None:
    env = install_test_plugins("logai-rules-slow")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "sanitize", "--stats"],
        input="\n".join([*ADVERSARIAL, "plain TICKET-4242 line"]) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(ADVERSARIAL) + 1
    assert not any("aaaa" in line or "jane" in line for line in lines)
    assert all("<TICKET_" in line for line in lines)
    assert "Rule 'slow_a' exceeded its time budget 5 times" in done.stderr
    assert "(rule switched off)" in done.stderr


@pytest.mark.parametrize(
    ("pattern", "slow"),
    [
        (r"(a|aa)+$", True),  # exponential on a short line
        (r"(x+x+)+y", True),  # polynomial: caught on a long line
        (r"\bTICKET-[0-9]{4}\b", False),
        (r"(?<![A-Za-z0-9])EMP-[0-9]{6}(?![0-9])", False),
        (r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", False),
    ],
)
def test_backtracking_probe(pattern: str, slow: bool) -> None:
    from logai.sanitize._probe import probe_rule

    finding = probe_rule(Rule(name="r", kind="R", pattern=pattern))
    assert (finding is not None) == slow, finding
    if finding:
        assert finding.startswith("backtracks catastrophically")


def test_default_rules_pass_the_probe() -> None:
    from logai.sanitize._probe import probe_rule

    assert {rule.name: probe_rule(rule) for rule in default_rules() if probe_rule(rule)} == {}


def test_logai_plugins_names_the_slow_rule(install_test_plugins: InstallPlugins) -> None:
    import json

    env = install_test_plugins("logai-rules-slow")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "plugins", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    entry = {e["name"]: e for e in json.loads(done.stdout)}["slow-rules"]
    assert entry["rules"] == ["slow_a", "ticket"]
    assert [rule["name"] for rule in entry["slow_rules"]] == ["slow_a"]
    assert not entry["blocks_sanitization"]  # reported, not rejected: the budget contains it
