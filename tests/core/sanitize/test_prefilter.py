"""The one-pass hint finder reports every line a hint occurs on, whatever the hint set."""

from __future__ import annotations

import random
import re

import pytest

from logai.sanitize import default_rules
from logai.sanitize._prefilter import Prefilter, TriggerScanner, literal_first_char
from logai.sanitize.rule import normalize_for_prefilter

DEFAULT_HINTS = sorted({hint for rule in default_rules() for hint in rule.hints})
ODD_HINTS = ["@", "x", "kk", "EMP-000000", "zz_top", "a", "secret", "0 0", "::", "%40", "wyk", "q"]
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :-._@%+/=\"'\\()[]{}é"


def _lines_with(text: str, hint: str) -> set[int]:
    view, needle = normalize_for_prefilter(text), normalize_for_prefilter(hint)
    return {i for i, line in enumerate(view.split("\n")) if needle in line}


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


@pytest.mark.parametrize("hints", [DEFAULT_HINTS, ODD_HINTS], ids=["default", "odd"])
@pytest.mark.parametrize("seed", range(8))
def test_every_line_holding_a_hint_is_reported(hints: list[str], seed: int) -> None:
    rng = random.Random(seed)
    lines = []
    for _ in range(200):
        parts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))]
        for _ in range(rng.randint(0, 3)):
            hint = rng.choice(hints)
            hint = "".join(c.upper() if rng.random() < 0.3 else c for c in hint)
            parts.append(hint.replace("0", str(rng.randint(0, 9))))
            parts.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 10))))
        lines.append("".join(parts))
    text = "\n".join(lines)
    prefilter = Prefilter(hints)
    found = prefilter.positions(text, prefilter.view(text))
    for hint in hints:
        key = normalize_for_prefilter(hint)
        reported = {_line_of(text, at) for at in found.get(key, [])}
        assert _lines_with(text, hint) <= reported, hint


def test_positions_point_at_the_hint() -> None:
    text = "a Token=1 b\nTOKEN: 2\nno tok en\n,token'"
    prefilter = Prefilter(["token=", "token:", "token'"])
    found = prefilter.positions(text, prefilter.view(text))
    assert found == {"token=": [2], "token:": [12], "token'": [32]}


def test_rare_letters_are_folded_into_one_scan() -> None:
    prefilter = Prefilter(["token", "password", "authorization", "secret"])
    # k, w and z anchor a single marker regex; "secret" has no rare letter and is scanned.
    assert [hint for hint, _ in prefilter._scanned] == ["secret"]
    source = prefilter._regex_source
    assert source is not None and source.startswith("\x01")


def test_hints_ending_in_their_only_marker_are_scanned() -> None:
    # "npm_" folds to "npm" + marker: as a regex leaf it would be tried at every marker.
    prefilter = Prefilter(["npm_", "social security", "token="])
    assert sorted(hint for hint, _ in prefilter._scanned) == ["npm_", "social security"]
    text = "NPM_abc npm_ social_security\nSocial Security: x token=1"
    found = prefilter.positions(text, prefilter.view(text))
    assert sorted(found["npm_"]) == [0, 8]
    assert found["social security"] == [29]
    assert found["token="] == [48]


TRIGGERS = [
    r"%(?:25)?40",
    r"%(?:25)?2[Bb][1-9]",
    r"\+[1-9]",
    r"\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]",
    r"md5[0-9a-f]{32}",
    r"%%",
    r"\++",
    r"x+",
    r"%a|b",
    r"%?b",
    "AUTH ",
    "lower only",
]


@pytest.mark.parametrize("density", [0.3, 0.0003], ids=["dense", "sparse"])
@pytest.mark.parametrize("seed", range(6))
def test_trigger_scanner_reports_what_finditer_does(seed: int, density: float) -> None:
    """Whether triggers share a scan or not, and however dense their matches."""
    rng = random.Random(seed)
    pieces = [
        "%40", "%2540", "%2B1", "%252b9", "+4", "++", "%%%", ".1.22.3", "md5" + "a" * 32, "b",
        "AUTH ", "AUTHAUTH ", "auth ",
    ]  # fmt: skip
    plain = ALPHABET.replace("%", "").replace("+", "").replace("H", "")
    text = "".join(
        rng.choice(pieces) if rng.random() < density else rng.choice(plain) for _ in range(30000)
    )
    patterns = [re.compile(t) for t in TRIGGERS]
    found = TriggerScanner(patterns).positions(text)
    for pattern in patterns:
        assert found[pattern] == [m.start() for m in pattern.finditer(text)], pattern.pattern


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        (r"%(?:25)?40", "%"),
        (r"\+[1-9]", "+"),
        ("AUTH ", "A"),
        (r"AUTH\s", "A"),
        (r"%?b", None),
        (r"%+b", None),
        (r"%a|b", None),
        (r"(?:%a)", None),
        (r"[%]", None),
        (r"\d", None),
        (r"%{2}", None),
    ],
)
def test_literal_first_char_is_conservative(pattern: str, first: str | None) -> None:
    assert literal_first_char(pattern) == first


def test_hints_sharing_a_leaf_are_told_apart() -> None:
    # "sk-" and "auth " fold to the same marker + space: each reports only its own places.
    prefilter = Prefilter(["sk-", "auth "])
    text = "auth x and sk-1 but not ak- or oauh "
    found = prefilter.positions(text, prefilter.view(text))
    assert found == {"sk ": [11], "auth ": [0]}


def test_hints_with_the_same_rare_first_letter_share_one_scan() -> None:
    prefilter = Prefilter(["secret", "ssn", "sin", "dob", "dni", "social security"])
    # "social security": its only rare letter is its last, no marker worth folding for it
    assert [tuple(hint for hint, _ in members) for _, members in prefilter._shared] == [
        ("secret", "ssn", "sin", "social security"),
        ("dob", "dni"),
    ]
    text = "SSN 1 Secret x sinsecret dobDNI social-security"
    found = prefilter.positions(text, prefilter.view(text))
    assert found["ssn"] == [0]
    assert sorted(found["secret"]) == [6, 18]
    assert found["sin"] == [15]
    assert found["dob"] == [25] and found["dni"] == [28]
    assert found["social security"] == [32]


def test_a_lone_hint_rides_a_shared_scan_for_a_later_letter() -> None:
    prefilter = Prefilter(["dni", "dob", "adid", "pass"])
    ((_, members),) = prefilter._shared
    # "adid" looks ahead for "id" after its "d"; "pass" would only have "s" after an "s"
    assert ("adid", 1) in members and [hint for hint, _ in prefilter._scanned] == ["pass"]
    text = "adid=1 dadid did xadi dob"
    found = prefilter.positions(text, prefilter.view(text))
    assert sorted(found["adid"]) == [0, 8] and found["dob"] == [22]
