"""LOGAI_LOG_GROUPS_ALLOW / DENY patterns: syntax, matching, and every spelling of one group."""

from __future__ import annotations

import pytest

from logai.sources.group_rules import GroupPattern, GroupRules, PatternError, name_forms


def rules(allow: str = "", deny: str = "") -> GroupRules:
    return GroupRules.parse(allow.split(","), deny.split(","))


@pytest.mark.parametrize(
    ("text", "target", "glob"),
    [
        ("/aws/lambda/*", None, "/aws/lambda/*"),
        ("prod-eu:/aws/lambda/*", "prod-eu", "/aws/lambda/*"),
        ("  staging:/app/*  ", "staging", "/app/*"),
        ("arn:aws:logs:*", None, "arn:aws:logs:*"),  # an ARN glob is not a target
        ("logs/app.log", None, "logs/app.log"),
    ],
)
def test_pattern_parses_an_optional_target(text: str, target: str | None, glob: str) -> None:
    pattern = GroupPattern.parse(text)
    assert (pattern.target, pattern.glob) == (target, glob)


@pytest.mark.parametrize(("text", "why"), [("prod:", "no group pattern"), ("/a/[b", "unclosed")])
def test_unusable_patterns_name_the_variable(text: str, why: str) -> None:
    with pytest.raises(PatternError, match=f"LOGAI_LOG_GROUPS_DENY: .*{why}"):
        rules(deny=text)


@pytest.mark.parametrize(
    ("allow", "deny", "target", "name", "expected"),
    [
        ("", "", "", "/anything", True),
        ("", "/secret/*", "", "/secret/db", False),
        ("", "/secret/*", "", "/public/db", True),
        ("/app/*", "", "", "/app/api", True),
        ("/app/*", "", "", "/other", False),
        ("/app/*", "/app/admin*", "", "/app/admin-api", False),  # deny wins
        ("", "prod:/pay/*", "prod", "/pay/card", False),
        ("", "prod:/pay/*", "staging", "/pay/card", True),  # that target only
        ("", "/Secret*", "", "/secret", True),  # case counts, as in CloudWatch
        ("", "/secret/*", "", "/public/../secret/db", False),  # path steps resolved
        ("", "/secret/*", "", "/secret//db", False),
        ("/app/*", "", "", "/app/../secret/db", False),  # every form must be allowed
        ("", "/secret/*", "", "arn:aws:logs:eu-west-1:123456789012:log-group:/secret/db:*", False),
        ("", "secret*.log", "", "./secret-2.log", False),
        ("", "/secret/*", "", " /secret/db\t", False),  # the cache and sources strip names
        ("/app/*", "", "", " /app/api ", True),
    ],
)
def test_allows(allow: str, deny: str, target: str, name: str, expected: bool) -> None:
    assert rules(allow, deny).allows(target, name) is expected


def test_no_patterns_means_inactive_and_everything_allowed() -> None:
    assert not rules().active and rules().allows("", "/x")
    assert rules().describe() == "every log group may be read"


def test_describe_and_problems_name_unknown_targets() -> None:
    configured = rules("/app/*", "prod:/app/admin*,nope:/x")
    assert configured.describe() == "only /app/*; never prod:/app/admin*, nope:/x"
    problems = configured.problems(["prod", "staging"])
    assert len(problems) == 1 and "target 'nope'" in problems[0][1]
    assert "no targets are configured" in rules(deny="prod:/x").problems([])[0][1]


def test_name_forms_keep_the_given_spelling_first() -> None:
    assert name_forms("/a/b") == ["/a/b"]
    assert name_forms("a/./b/") == ["a/./b/", "a/b/"]
