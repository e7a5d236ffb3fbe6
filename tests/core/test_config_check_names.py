"""``logai config check`` reports every name that matches nothing installed, with close names.

Rule and plugin lists load without complaint, so a typo used to surface only when a run needed
the name (``logai sanitize`` exits 2) or never (an unknown plugin in the block-list is ignored,
leaving the plugin on). A wrong ``--source`` is blamed on the option, not on the variable.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from logai.cli._name_checks import closest, did_you_mean, plugin_problems
from logai.cli.app import cli
from logai.plugins import PluginHost


@pytest.fixture(autouse=True)
def _otherwise_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")


def _check() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["config", "check"])
    return result.exit_code, result.stderr


def test_a_clean_configuration_passes() -> None:
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 0, result.stderr
    assert "Configuration OK." in result.stdout


@pytest.mark.parametrize(
    ("typed", "meant"), [("emial", "email"), ("IPV4", "ipv4"), ("credit-card", "credit_card")]
)
def test_unknown_disabled_rule_is_an_error_with_the_closest_rule(
    monkeypatch: pytest.MonkeyPatch, typed: str, meant: str
) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", f"jwt,{typed}")
    status, err = _check()
    assert status == 1
    assert (
        f"error: LOGAI_SANITIZER_DISABLED_RULES: no sanitizer rule named '{typed}'. "
        f"Did you mean {meant}"
    ) in err
    assert "'jwt'" not in err  # the known name in the same list is fine
    assert "1 problem found." in err


def test_known_disabled_rules_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "email, ipv4")
    assert _check()[0] == 0


def test_a_name_with_nothing_close_lists_no_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "zzzzzz")
    status, err = _check()
    assert status == 1 and "no sanitizer rule named 'zzzzzz'." in err
    assert "Did you mean" not in err


@pytest.mark.parametrize("variable", ["LOGAI_DISABLE_PLUGINS", "LOGAI_PLUGINS"])
def test_unknown_plugin_names_are_errors_with_the_closest_plugin(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "local-files, cloudwach")
    status, err = _check()
    assert status == 1
    assert f"error: {variable}: no installed plugin named 'cloudwach'. Did you mean cloudwatch" in (
        err
    )
    assert "'local-files'" not in err


def test_block_list_accepts_distribution_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_DISABLE_PLUGINS", "logai-tui")
    assert plugin_problems(PluginHost()) == []
    monkeypatch.setenv("LOGAI_PLUGINS", "logai-tui")  # the allow-list takes plugin names only
    problems = plugin_problems(PluginHost())
    assert [p.variable for p in problems] == ["LOGAI_PLUGINS"]


def test_several_problems_are_all_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "emial")
    monkeypatch.setenv("LOGAI_DISABLE_PLUGINS", "cloudwach")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "filez")
    status, err = _check()
    assert status == 1
    assert "LOGAI_SANITIZER_DISABLED_RULES" in err and "LOGAI_DISABLE_PLUGINS" in err
    assert "LOGAI_DATA_SOURCE: no data source named 'filez'" in err and "did you mean files" in err
    assert "3 problems found." in err


@pytest.mark.parametrize("command", [["ask", "hi"], ["chat", "--plain"], ["groups"], ["logs", "g"]])
def test_unknown_source_option_blames_the_option(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command[:1], "--source", "filez", *command[1:]])
    assert result.exit_code == 2
    assert result.stderr.startswith("logai: error: --source: No data source named 'filez'.")
    assert "Did you mean files?" in result.stderr
    assert "LOGAI_DATA_SOURCE" not in result.stderr


def test_unknown_configured_source_blames_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "filez")
    result = CliRunner().invoke(cli, ["groups"])
    assert result.exit_code == 2
    assert "LOGAI_DATA_SOURCE: No data source named 'filez'. Did you mean files?" in result.stderr


def test_closest_is_case_insensitive_and_never_the_name_itself() -> None:
    assert closest("EMAIL", ["email", "jwt"]) == ["email"]
    assert closest("email", ["email"]) == []
    assert did_you_mean("xyz", ["email"]) == ""
