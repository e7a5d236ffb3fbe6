"""Rule objects validate themselves, so a broken rule pack fails at registration, loudly."""

from __future__ import annotations

import re

import pytest

from logai.sanitize import Rule, default_rules
from logai.sanitize.rule import normalize_for_prefilter
from logai.sanitize.validators import luhn_valid


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Bad Name"}, "rule name"),
        ({"name": ""}, "rule name"),
        ({"kind": "lower"}, "kind"),
        ({"kind": "1ST"}, "kind"),
        ({"hints": ("",)}, "hints"),
        ({"hints": ("two\nlines",)}, "hints"),
        ({"reach": -1}, "reach"),
        ({"reach_chars": "abc"}, "reach_chars needs a reach"),
    ],
)
def test_invalid_rules_are_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"name": "ok", "kind": "OK", "pattern": "x", **kwargs}
    with pytest.raises(ValueError, match=message):
        Rule(**fields)  # type: ignore[arg-type]


def test_hints_must_be_a_tuple_not_a_string() -> None:
    with pytest.raises(TypeError, match="tuple"):
        Rule("ok", "OK", "x", hints="abc")  # type: ignore[arg-type]


def test_compiled_patterns_are_accepted_as_is() -> None:
    pattern = re.compile(r"\d+")
    assert Rule("ok", "OK", pattern).compile() is pattern


def test_prefilter_view_keeps_offsets() -> None:
    text = "Token=ABC-123.4(5) ünïcode İ"
    view = normalize_for_prefilter(text)
    assert len(view) == len(text)
    assert view == "token=abc 000 0 0  ünïcode İ"


def test_default_rules_are_well_formed() -> None:
    rules = default_rules()
    assert len({rule.name for rule in rules}) == len(rules)
    for rule in rules:
        assert rule.description, rule.name
        assert rule.example, rule.name
        rule.compile()


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("79927398713", True),  # the textbook example
        ("79927398710", False),
        ("0", True),
        ("378282246310005", True),
        ("6011000990139424", True),
        ("1234567812345678", False),
    ],
)
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid
