"""The placeholder mapping leaves memory only on purpose, and comes back numbered as it was."""

from __future__ import annotations

import pickle

import pytest

from logai.sanitize import PlaceholderEntry, Sanitizer, default_rules


def _sanitizer() -> Sanitizer:
    return Sanitizer(default_rules())


def test_entries_carry_identity_and_the_form_first_seen() -> None:
    first = _sanitizer()
    text, _ = first.sanitize_text("mail Jane.Doe@Example.com and bob@example.org from 10.1.2.3")
    entries = first.placeholder_entries()
    assert {entry.placeholder for entry in entries} == {"<EMAIL_1>", "<EMAIL_2>", "<IP_1>"}
    assert "Jane.Doe@Example.com" not in repr(entries)

    second = _sanitizer()
    second.adopt_placeholders(entries)
    # The same person in another spelling is still <EMAIL_1>; a new one gets the next number.
    again, _ = second.sanitize_text("jane.doe@example.com wrote to carol@example.net")
    assert again == "<EMAIL_1> wrote to <EMAIL_3>"
    assert second.restore(text) == "mail Jane.Doe@Example.com and bob@example.org from 10.1.2.3"


def test_reserved_numbers_are_skipped() -> None:
    sanitizer = _sanitizer()
    sanitizer.adopt_placeholders([], reserved=["<EMAIL_4>", "<IP_2>"])
    text, _ = sanitizer.sanitize_text("x@example.com at 192.0.2.1")
    assert text == "<EMAIL_5> at <IP_3>"


def test_a_mapping_in_use_cannot_adopt_another() -> None:
    sanitizer = _sanitizer()
    sanitizer.sanitize_text("x@example.com")
    with pytest.raises(ValueError, match="issued placeholders already"):
        sanitizer.adopt_placeholders([PlaceholderEntry("EMAIL", 1, "y@example.com", "y@x")])


def test_fresh_shares_the_rules_not_the_mapping() -> None:
    sanitizer = _sanitizer()
    sanitizer.sanitize_text("x@example.com")
    fresh = sanitizer.fresh()
    assert fresh.rules == sanitizer.rules
    assert fresh.sanitize_text("y@example.com")[0] == "<EMAIL_1>"
    assert fresh.restore("<EMAIL_1>") == "y@example.com"
    assert sanitizer.restore("<EMAIL_1>") == "x@example.com"
    with pytest.raises(TypeError):
        pickle.dumps(fresh)
