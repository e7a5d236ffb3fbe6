"""The Sanitizer: placeholders, overlaps, configuration, restore, events, safety of the mapping."""

from __future__ import annotations

import copy
import pickle
import re
import threading
from datetime import UTC, datetime

import pytest

from logai.sanitize import Rule, Sanitizer, SanitizeStats, default_rules
from logai.sources import LogEvent

EMAIL = Rule("email", "EMAIL", r"[a-z]+@[a-z]+\.com", hints=("@",))
WORD = Rule("word", "WORD", r"\bsecretword\b")


def test_same_value_same_placeholder_across_calls() -> None:
    sanitizer = Sanitizer([EMAIL])
    first, _ = sanitizer.sanitize_text("a@x.com then b@x.com")
    second, _ = sanitizer.sanitize_text("b@x.com again, a@x.com too")
    assert first == "<EMAIL_1> then <EMAIL_2>"
    assert second == "<EMAIL_2> again, <EMAIL_1> too"


def test_placeholders_are_per_instance() -> None:
    one, two = Sanitizer([EMAIL]), Sanitizer([EMAIL])
    one.sanitize_text("a@x.com")
    assert two.sanitize_text("b@x.com")[0] == "<EMAIL_1>"


def test_numbering_is_per_kind() -> None:
    sanitizer = Sanitizer([EMAIL, WORD])
    out, stats = sanitizer.sanitize_text("secretword a@x.com secretword")
    assert out == "<WORD_1> <EMAIL_1> <WORD_1>"
    assert stats.counts == {"WORD": 2, "EMAIL": 1}


def test_restore_puts_originals_back_and_leaves_foreign_placeholders() -> None:
    sanitizer = Sanitizer([EMAIL])
    out, _ = sanitizer.sanitize_text("mail a@x.com")
    answer = f"The user {out.split()[-1]} failed; <EMAIL_9> and <NOT A PLACEHOLDER> stay."
    assert (
        sanitizer.restore(answer)
        == "The user a@x.com failed; <EMAIL_9> and <NOT A PLACEHOLDER> stay."
    )


def test_sanitizing_sanitized_text_changes_nothing() -> None:
    sanitizer = Sanitizer(default_rules())
    once, _ = sanitizer.sanitize_text("ip 10.1.2.3 mail jane@example.com card 4111111111111111")
    twice, stats = sanitizer.sanitize_text(once)
    assert twice == once
    assert not stats


def test_higher_priority_rule_wins_an_overlap() -> None:
    low = Rule("low", "LOW", r"abc-def", priority=0)
    high = Rule("high", "HIGH", r"def-ghi", priority=5)
    assert Sanitizer([low, high]).sanitize_text("abc-def-ghi")[0] == "abc-<HIGH_1>"


def test_equal_priority_overlap_prefers_earlier_then_longer() -> None:
    first = Rule("first", "FIRST", r"abcd")
    later = Rule("later", "LATER", r"cdef")
    longer = Rule("longer", "LONGER", r"abcdefg")
    assert Sanitizer([first, later]).sanitize_text("abcdef")[0] == "<FIRST_1>ef"
    assert Sanitizer([first, longer]).sanitize_text("abcdefg")[0] == "<LONGER_1>"


def test_only_the_capture_group_is_replaced() -> None:
    rule = Rule("kv", "SECRET", r"pin=(?P<pin>\d{4})", group="pin")
    assert Sanitizer([rule]).sanitize_text("pin=1234 ok")[0] == "pin=<SECRET_1> ok"


def test_validator_vetoes_and_a_raising_validator_fails_closed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    even = Rule("even", "EVEN", r"\d+", validator=lambda m: int(m.group()) % 2 == 0)
    assert Sanitizer([even]).sanitize_text("1 2 3 4")[0] == "1 <EVEN_1> 3 <EVEN_2>"

    def broken(match: re.Match[str]) -> bool:
        raise RuntimeError("bug in a rule pack")

    rule = Rule("broken-pack-rule", "X", r"\d+", validator=broken)
    assert Sanitizer([rule]).sanitize_text("7")[0] == "<X_1>"
    assert "broken-pack-rule" in capsys.readouterr().err


def test_normalize_decides_identity_and_restore_gives_the_first_form() -> None:
    rule = Rule("digits", "NUM", r"\d[\d-]+\d", normalize=lambda v: v.replace("-", ""))
    sanitizer = Sanitizer([rule])
    assert sanitizer.sanitize_text("12-34 1234")[0] == "<NUM_1> <NUM_1>"
    assert sanitizer.restore("<NUM_1>") == "12-34"


def test_multiline_value_keeps_its_line_breaks() -> None:
    rule = Rule("block", "BLOCK", r"BEGIN[\s\S]*?END")
    out, _ = Sanitizer([rule]).sanitize_text("a BEGIN x\r\ny\nEND b\nnext")
    assert out == "a <BLOCK_1>\r\n\n b\nnext"
    assert out.count("\n") == 3


def test_disabled_rules_are_skipped() -> None:
    sanitizer = Sanitizer(default_rules(), disabled_rules=["email"])
    out, _ = sanitizer.sanitize_text("jane@example.com from 10.1.2.3")
    assert out == "jane@example.com from <IP_1>"
    assert "email" not in {rule.name for rule in sanitizer.rules}
    assert sanitizer.disabled_rules == {"email"}


def test_unknown_disabled_rule_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"'emial'.*known rules:.*email") as info:
        Sanitizer(default_rules(), disabled_rules=["emial"])
    assert "ipv4" in str(info.value)


def test_duplicate_rule_names_are_refused() -> None:
    with pytest.raises(ValueError, match="two sanitizer rules are named 'email'"):
        Sanitizer([EMAIL, Rule("email", "OTHER", "x")])


def test_invalid_pattern_names_the_rule() -> None:
    with pytest.raises(ValueError, match=r"rule 'bad': invalid pattern"):
        Sanitizer([Rule("bad", "BAD", "(unclosed")])


def test_disabled_sanitizer_returns_text_unchanged() -> None:
    sanitizer = Sanitizer(default_rules(), enabled=False)
    text = "jane@example.com 10.1.2.3"
    assert sanitizer.sanitize_text(text) == (text, SanitizeStats())
    assert not sanitizer.enabled


def test_empty_text() -> None:
    assert Sanitizer(default_rules()).sanitize_text("") == ("", SanitizeStats())


def test_sanitize_logs_rewrites_message_and_stream_only() -> None:
    when = datetime(2026, 11, 25, 10, 2, 11, tzinfo=UTC)
    events = [
        LogEvent(when, "login jane@example.com", "/aws/lambda/auth", "2026/11/25/[$LATEST]ab", "1"),
        LogEvent(when, "nothing here", "/aws/lambda/auth", "stream-10.1.2.3", "2"),
        LogEvent(when, "again jane@example.com", "/aws/lambda/auth", "s", "3"),
    ]
    sanitizer = Sanitizer(default_rules())
    out, stats = sanitizer.sanitize_logs(events)
    assert [e.message for e in out] == ["login <EMAIL_1>", "nothing here", "again <EMAIL_1>"]
    assert [e.stream for e in out] == ["2026/11/25/[$LATEST]ab", "stream-<IP_1>", "s"]
    assert [(e.group, e.event_id, e.timestamp) for e in out] == [
        (e.group, e.event_id, e.timestamp) for e in events
    ]
    assert out[1] is not events[1]  # the stream changed
    assert stats.counts == {"EMAIL": 2, "IP": 1}
    assert events[0].message == "login jane@example.com"  # inputs are frozen, untouched


def test_unchanged_events_are_returned_as_is() -> None:
    event = LogEvent(datetime(2026, 1, 1, tzinfo=UTC), "clean", "/g")
    out, stats = Sanitizer(default_rules()).sanitize_logs(iter([event]))
    assert out == [event] and out[0] is event and not stats


def test_the_mapping_never_shows_in_repr_str_or_pickles() -> None:
    sanitizer = Sanitizer(default_rules())
    sanitizer.sanitize_text("jane@example.com AKIAIOSFODNN7EXAMPLE")
    for text in (repr(sanitizer), str(sanitizer), repr(sanitizer._vault)):
        assert "jane" not in text and "AKIA" not in text and "EMAIL_1" not in text
    assert "1 disabled" not in repr(sanitizer) and "placeholders" in repr(sanitizer)
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="memory"):
            attempt(sanitizer)
    with pytest.raises(TypeError):
        pickle.dumps(sanitizer._vault)
    assert not hasattr(sanitizer, "__dict__")


def test_concurrent_sanitizing_hands_out_each_placeholder_once() -> None:
    sanitizer = Sanitizer([EMAIL])
    emails = [f"user{chr(97 + i % 26)}{chr(97 + i // 26)}@x.com" for i in range(300)]
    results: list[str] = []

    def work(chunk: list[str]) -> None:
        results.extend(sanitizer.sanitize_text(" ".join(chunk))[0].split())

    threads = [threading.Thread(target=work, args=(emails[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == len(emails)
    assert {sanitizer.restore(p) for p in results} == set(emails)


def test_rules_without_hints_scan_all_text() -> None:
    rule = Rule("emp", "EMPLOYEE_ID", r"EMP-\d{6}")
    out, _ = Sanitizer([rule]).sanitize_text("a\nb EMP-123456\nc EMP-654321")
    assert out == "a\nb <EMPLOYEE_ID_1>\nc <EMPLOYEE_ID_2>"


def test_hinted_rule_runs_on_every_line_with_its_hint() -> None:
    rule = Rule("emp", "EMPLOYEE_ID", r"EMP-\d{6}", hints=("emp-000000",))
    text = "\n".join(f"line {i} EMP-{i:06d}" if i % 3 == 0 else f"line {i}" for i in range(300))
    out, stats = Sanitizer([rule]).sanitize_text(text)
    assert stats.counts == {"EMPLOYEE_ID": 100}
    assert "EMP-" not in out


def test_hint_is_a_promise_lines_without_it_are_skipped() -> None:
    # A rule whose hint does not occur is never run: documented, and what makes it fast.
    rule = Rule("emp", "EMPLOYEE_ID", r"EMP-\d{6}", hints=("badge",))
    assert Sanitizer([rule]).sanitize_text("EMP-123456")[0] == "EMP-123456"
    assert Sanitizer([rule]).sanitize_text("badge EMP-123456")[0] == "badge <EMPLOYEE_ID_1>"


@pytest.mark.parametrize("reach", [None, 0, 3, 20])
def test_reach_modes_find_the_same_matches(reach: int | None) -> None:
    rule = Rule("emp", "EMPLOYEE_ID", r"EMP-\d{6}", hints=("emp-",), reach=reach)
    out, _ = Sanitizer([rule]).sanitize_text("x EMP-123456 y EMP-1 z EMP-654321\nEMP-111111")
    assert out == "x <EMPLOYEE_ID_1> y EMP-1 z <EMPLOYEE_ID_2>\n<EMPLOYEE_ID_3>"


def test_reach_chars_backs_up_to_the_start_of_the_value() -> None:
    rule = Rule(
        "tag",
        "TAG",
        r"[a-z]+#\d+",
        hints=("#",),
        reach=30,
        reach_chars="abcdefghijklmnopqrstuvwxyz",
    )
    assert Sanitizer([rule]).sanitize_text("see issue#42, bug#7")[0] == "see <TAG_1>, <TAG_2>"
