"""docs/sanitization.md documents every default rule with an example that really works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from logai.sanitize import Sanitizer, default_rules

DOC = Path(__file__).resolve().parents[3] / "docs" / "sanitization.md"
RULES = default_rules()


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_every_rule_is_documented_with_its_real_output(doc: str, rule: object) -> None:
    name, kind, example = rule.name, rule.kind, rule.example  # type: ignore[attr-defined]
    assert f"#### `{name}` → `<{kind}_n>`" in doc
    output, stats = Sanitizer(RULES).sanitize_text(example)
    assert stats, f"the example of {name} redacts nothing"
    assert f"```text\n{example}\n{output}\n```" in doc, f"example of {name} is out of date"


def test_every_text_example_in_the_doc_is_real(doc: str) -> None:
    """Each two-line ``text`` block is an input and its exact sanitized output."""
    blocks = re.findall(r"```text\n(.*?)\n(.*?)\n```", doc)
    assert len(blocks) > len(RULES)
    for before, after in blocks:
        assert Sanitizer(RULES).sanitize_text(before)[0] == after, before


def test_no_rule_is_documented_that_does_not_exist(doc: str) -> None:
    documented = set(re.findall(r"^#### `([a-z0-9_.-]+)`", doc, flags=re.MULTILINE))
    assert documented == {rule.name for rule in RULES}


def test_the_rule_pack_guide_points_at_the_real_example(doc: str) -> None:
    assert "tests/plugins/logai-rules-employee-id" in doc
    example = DOC.parents[1] / "tests" / "plugins" / "logai-rules-employee-id" / "pyproject.toml"
    assert 'employee-id = "logai_rules_employee_id"' in example.read_text(encoding="utf-8")
