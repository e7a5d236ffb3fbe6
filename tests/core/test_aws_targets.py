"""LOGAI_AWS_TARGETS: the syntax, its mistakes, and how config check and config show say them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.aws_targets import AwsTarget, TargetSyntaxError, parse_targets
from logai.cli.app import cli

ROLE = "arn:aws:iam::123456789012:role/LogReader"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, []),
        ("  ", []),
        ("prod-eu=prod@eu-west-1", [AwsTarget("prod-eu", "prod", None, "eu-west-1")]),
        (f"audit=prod>{ROLE}@eu-west-1", [AwsTarget("audit", "prod", ROLE, "eu-west-1")]),
        (f"b=>{ROLE}@us-east-1", [AwsTarget("b", None, ROLE, "us-east-1")]),
        ("a=@us-east-1", [AwsTarget("a", None, None, "us-east-1")]),
        ("staging", [AwsTarget("staging", "staging", None, None)]),
        ("prod@eu-west-1", [AwsTarget("prod-eu-west-1", "prod", None, "eu-west-1")]),
        (f"x=p>{ROLE}/path/with@sign", [AwsTarget("x", "p", f"{ROLE}/path/with@sign", None)]),
        (
            "a=p@us-gov-west-1;b=>arn:aws-cn:iam::123456789012:role/R@cn-north-1\n",
            [
                AwsTarget("a", "p", None, "us-gov-west-1"),
                AwsTarget("b", None, "arn:aws-cn:iam::123456789012:role/R", "cn-north-1"),
            ],
        ),
        (
            "prod-eu=prod@eu-west-1, prod-us=prod@us-east-1,staging=staging@eu-west-1",
            [
                AwsTarget("prod-eu", "prod", None, "eu-west-1"),
                AwsTarget("prod-us", "prod", None, "us-east-1"),
                AwsTarget("staging", "staging", None, "eu-west-1"),
            ],
        ),
    ],
)
def test_parse_targets(text: str | None, expected: list[AwsTarget]) -> None:
    assert parse_targets(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a=prod@moon-base", "not an AWS region"),
        ("a=prod>arn:aws:iam::12:role/x@eu-west-1", "not an IAM role ARN"),
        ("a=prod>@eu-west-1", "must be followed by the ARN"),
        ("a=p@eu-west-1,a=q@us-east-1", "two targets are named 'a'"),
        ("bad name=p@eu-west-1", "may hold only letters"),
        (",,", "lists no target"),
    ],
)
def test_mistakes_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(TargetSyntaxError, match=message) as caught:
        parse_targets(text)
    assert str(caught.value).startswith("LOGAI_AWS_TARGETS")


def _check(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["config", "check", "--for", "groups"])
    return result.exit_code, result.output


def test_config_check_reports_bad_targets_and_patterns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "aws-config").write_text("[profile prod]\nregion = eu-west-1\n")
    code, output = _check(
        monkeypatch,
        LOGAI_AWS_TARGETS="a=prod@moon,b=missing@eu-west-1",
        AWS_ACCESS_KEY_ID="k",
        AWS_SECRET_ACCESS_KEY="s",
    )
    assert code == 1 and "LOGAI_AWS_TARGETS" in output and "not an AWS region" in output

    code, output = _check(monkeypatch, LOGAI_AWS_TARGETS="a=prod@eu-west-1,b=missing@eu-west-1")
    assert code == 1 and "target 'b' uses profile 'missing'" in output

    code, output = _check(
        monkeypatch, LOGAI_AWS_TARGETS="a=prod@eu-west-1", LOGAI_LOG_GROUPS_DENY="/x/[y"
    )
    assert code == 1 and "LOGAI_LOG_GROUPS_DENY" in output and "unclosed" in output

    code, output = _check(
        monkeypatch, LOGAI_LOG_GROUPS_DENY="c:/x/*", LOGAI_LOG_GROUPS_ALLOW="/app/*"
    )
    assert code == 0, output
    assert "warning: LOGAI_LOG_GROUPS_DENY" in output and "target 'c'" in output


def test_config_show_lists_targets_and_guardrails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_AWS_TARGETS", f"prod-eu=prod@eu-west-1,audit=prod>{ROLE}@us-east-1")
    monkeypatch.setenv("LOGAI_LOG_GROUPS_DENY", "/secure/*,audit:/aws/*")
    output = CliRunner().invoke(cli, ["config", "show"]).output
    assert "AWS target prod-eu: profile prod, region eu-west-1" in output
    assert f"AWS target audit: profile prod, role {ROLE}, region us-east-1" in output
    assert "Log group guardrails: never /secure/*, audit:/aws/*" in output
    assert "LOGAI_LOG_GROUPS_DENY" in output and "LOGAI_AWS_TARGETS" in output
