"""The labeled corpus: the quality targets of issue 3, checked on every test run.

``tests/fixtures/sanitize/corpus.jsonl`` holds log lines in many real formats, one JSON object
per line: ``{"line": ..., "secrets": [...]}``. Every labeled value must disappear from the
sanitized line (recall >= 0.99); a line with no labels is a look-alike and must come out
byte-identical in at least 99% of cases.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logai.sanitize import Sanitizer, default_rules

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "sanitize" / "corpus.jsonl"


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_corpus_is_large_and_balanced(corpus: list[dict[str, object]]) -> None:
    positives = [e for e in corpus if e["secrets"]]
    assert len(corpus) >= 400
    assert 0.4 <= len(positives) / len(corpus) <= 0.6
    for entry in positives:
        for secret in entry["secrets"]:  # type: ignore[attr-defined]
            assert secret in entry["line"], secret  # type: ignore[operator]


def test_recall_and_damage_meet_the_targets(corpus: list[dict[str, object]]) -> None:
    sanitizer = Sanitizer(default_rules())
    missed: list[str] = []
    damaged: list[str] = []
    labeled = 0
    negatives = 0
    for entry in corpus:
        line = str(entry["line"])
        out, _ = sanitizer.sanitize_text(line)
        secrets = list(entry["secrets"])  # type: ignore[call-overload]
        if secrets:
            labeled += len(secrets)
            missed += [secret for secret in secrets if secret in out]
        else:
            negatives += 1
            if out != line:
                damaged.append(out)
    recall = 1 - len(missed) / labeled
    assert recall >= 0.99, f"recall {recall:.4f}, missed: {missed}"
    assert len(damaged) / negatives <= 0.01, f"damaged look-alikes: {damaged}"


def test_every_default_rule_kind_is_exercised(corpus: list[dict[str, object]]) -> None:
    sanitizer = Sanitizer(default_rules())
    seen: set[str] = set()
    for entry in corpus:
        seen |= set(sanitizer.sanitize_text(str(entry["line"]))[1].counts)
    assert {rule.kind for rule in default_rules()} <= seen
