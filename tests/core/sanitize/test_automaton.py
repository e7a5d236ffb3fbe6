"""The one-pass automaton reports exactly the hint offsets the prefilter's own scans report.

Rules run where the prefilter says their hints are, so the two paths agreeing offset for offset
(including the places a folded letter makes ``toxen`` count as ``token``, and a long run of
digits counting once for a ``str.find`` scan) means the sanitized output cannot differ.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logai.sanitize import Sanitizer, _automaton, default_rules
from logai.sanitize._automaton import StringAutomaton
from logai.sanitize._matcher import Matcher
from logai.sanitize._prefilter import Prefilter

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "sanitize" / "corpus.jsonl"
DEFAULT_HINTS = sorted({hint for rule in default_rules() for hint in rule.hints})
ODD_HINTS = ["@", "x", "kk", "EMP-000000", "zz_top", "a", "secret", "0 0", "::", "%40", "wyk", "q"]

pytestmark = pytest.mark.skipif(not _automaton.available(), reason="ahocorasick_rs missing")

#: Hint pieces, their look-alikes (rare letters swapped: the marker makes them equal in the
#: view), digits runs, separators and characters that are not ASCII or that lower() lengthens.
PIECES = st.sampled_from(
    [
        *DEFAULT_HINTS,
        *("toxen", "pasword", "kyg_", "GHP_", "ssssn", "0123456789" * 3, "4111 1111"),
        *(" ", "\n", "=", ":", "-", ".", "_", '"', "é", "İ", "ß", "\u212a", "\x01", "ǅ", "🔑"),
    ]
)
#: Runs of one shape: a ``str.find`` scan of a digit hint counts each run once.
RUNS = st.text(alphabet="0123456789 -", min_size=1, max_size=30)
#: What the triggers that ride the automaton start with, and what may follow them.
TRIGGERS = st.sampled_from(
    [
        *("AKIAKIA", "ASIA", "ACCA", "akia", "ATATT3", "AUTH ", "auth ", "md5", "MD5"),
        *("d41d8cd98f00b204", "E9800998ECF8427E", "Z" * 16),
        *(".", "10.0.0.1", "192.168.10.7", "10.200.3.44", "1.22.333.4444", "-1-2-3", "(1)2.3"),
    ]
)
TEXTS = st.lists(st.one_of(PIECES, TRIGGERS, RUNS, st.text(max_size=8)), max_size=40).map("".join)


def _offsets(found: dict[str, list[int]]) -> dict[str, list[int]]:
    return {hint: sorted(offsets) for hint, offsets in found.items()}


@pytest.fixture(scope="module")
def prefilters() -> dict[str, Prefilter]:
    return {"default": Prefilter(DEFAULT_HINTS), "odd": Prefilter(ODD_HINTS)}


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, which=st.sampled_from(["default", "odd"]))
def test_automaton_reports_what_the_scans_report(
    prefilters: dict[str, Prefilter], text: str, which: str
) -> None:
    prefilter = prefilters[which]
    view = prefilter.view(text)
    assert _offsets(prefilter.positions(text, view)) == _offsets(
        prefilter.scan_positions(text, view)
    )


def test_the_automaton_is_used_for_the_default_pack(prefilters: dict[str, Prefilter]) -> None:
    text = "login ok token=abc password=hunter2 toxen 4111111111111111111111"
    view = prefilters["default"].view(text)
    assert prefilters["default"]._automaton is not None
    assert _offsets(prefilters["default"].positions(text, view)) == _offsets(
        prefilters["default"].scan_positions(text, view)
    )


def test_text_the_automaton_cannot_read_is_scanned() -> None:
    """Lone surrogates (``surrogateescape``) are not UTF-8: the scans take over."""
    automaton = StringAutomaton(["token", "ken"])
    assert automaton.starts("token=\udcff") is None
    assert automaton.starts("é token") == [[2], [4]]
    prefilter = Prefilter(DEFAULT_HINTS)
    text = "password=\udcffhunter2 token=x\udcff"
    assert _offsets(prefilter.positions(text, prefilter.view(text))) == _offsets(
        prefilter.scan_positions(text, prefilter.view(text))
    )
    sanitized, _ = Sanitizer(default_rules()).sanitize_text(text)
    assert "hunter2" not in sanitized


def test_overlapping_occurrences_are_all_reported() -> None:
    assert StringAutomaton(["aa", "a"]).starts("aaa") == [[0, 1], [0, 1, 2]]


def test_sanitized_corpus_is_identical_without_the_extension(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pure-Python fallback gives the same output, line for line, as the automaton."""
    lines = [json.loads(raw)["line"] for raw in CORPUS.read_text("utf-8").splitlines() if raw]
    text = "\n".join(lines)
    with_automaton = Sanitizer(default_rules())
    assert with_automaton._matcher._prefilter is not None
    assert with_automaton._matcher._prefilter._automaton is not None
    monkeypatch.setattr(_automaton, "_ac", None)
    without = Sanitizer(default_rules())
    assert without._matcher._prefilter is not None
    assert without._matcher._prefilter._automaton is None
    assert [with_automaton.sanitize_text(line)[0] for line in lines] == [
        without.sanitize_text(line)[0] for line in lines
    ]
    assert with_automaton.sanitize_text(text)[0] == without.sanitize_text(text)[0]


@pytest.fixture(scope="module")
def matchers() -> tuple[Matcher, Matcher]:
    """The default pack's matcher, and the same without the extension (scans only)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_automaton, "_ac", None)
        scans_only = Matcher(default_rules())
    return Matcher(default_rules()), scans_only


def test_triggers_with_literal_prefixes_ride_the_automaton(
    matchers: tuple[Matcher, Matcher],
) -> None:
    riding = {trigger.pattern for trigger in matchers[0]._riders}
    assert {"md5[0-9a-f]{32}", "AUTH ", "ATATT3", r"\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]"} <= riding
    assert not matchers[1]._riders


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_spans_are_those_of_the_scans(matchers: tuple[Matcher, Matcher], text: str) -> None:
    """Every rule, and every trigger, is applied where the scans alone would apply it."""
    with_automaton, scans_only = matchers
    assert with_automaton.find(text) == scans_only.find(text)
