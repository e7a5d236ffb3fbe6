"""Settings: sources of values, validation messages, masking, and ``logai config``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import KNOWN_PROVIDERS, ConfigError, find_problems, load_settings

SECRET = "sk-ant-test-7d1f0c9e2b4a4f6e8c3d"


def _problems(**environ: str) -> dict[str, str]:
    settings = load_settings()
    return {p.variable: p.message for p in find_problems(settings, data_sources={"cloudwatch"})}


@pytest.fixture(autouse=True)
def _aws_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS credentials are present unless a test removes them (they are checked too)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret")


@pytest.fixture
def valid_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")


def test_missing_key_names_the_exact_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    problems = _problems()
    assert list(problems) == ["LOGAI_ANTHROPIC_API_KEY"]
    assert "LOGAI_ANTHROPIC_API_KEY" in problems["LOGAI_ANTHROPIC_API_KEY"]


def test_openai_provider_needs_the_openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "OpenAI")
    monkeypatch.setenv("LOGAI_ANTHROPIC_API_KEY", SECRET)
    assert list(_problems()) == ["LOGAI_OPENAI_API_KEY"]
    assert load_settings().model == "openai/gpt-4.1"


def test_a_local_endpoint_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "openai")
    monkeypatch.setenv("LOGAI_LLM_API_BASE", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("LOGAI_LLM_MODEL", "qwen2.5")
    assert _problems() == {}
    assert load_settings().model == "openai/qwen2.5"


@pytest.mark.usefixtures("valid_env")
def test_valid_config_has_no_problems() -> None:
    assert _problems() == {}


@pytest.mark.usefixtures("valid_env")
def test_unknown_provider_suggests_a_close_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "antropic")
    message = _problems()["LOGAI_LLM_PROVIDER"]
    assert "unknown provider 'antropic'" in message and "Did you mean anthropic" in message


@pytest.mark.parametrize("region", ["useast1", "US-EAST-1", "us_east_1", "mars"])
@pytest.mark.usefixtures("valid_env")
def test_malformed_region(monkeypatch: pytest.MonkeyPatch, region: str) -> None:
    monkeypatch.setenv("AWS_REGION", region)
    assert "is not an AWS region name" in _problems()["AWS_REGION"]


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5"])
@pytest.mark.usefixtures("valid_env")
def test_wellformed_regions(monkeypatch: pytest.MonkeyPatch, region: str) -> None:
    monkeypatch.setenv("AWS_REGION", region)
    assert "AWS_REGION" not in _problems()


def test_region_from_the_profile_in_the_aws_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOGAI_ANTHROPIC_API_KEY", SECRET)
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = us-east-2\n[profile ops]\nregion = eu-north-1\n")
    assert load_settings().effective_region() == "us-east-2"
    monkeypatch.setenv("AWS_PROFILE", "ops")
    assert load_settings().effective_region() == "eu-north-1"
    assert _problems() == {}


@pytest.mark.usefixtures("valid_env")
def test_cache_dir_not_creatable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("LOGAI_CACHE_DIR", str(blocker / "cache"))
    message = _problems()["LOGAI_CACHE_DIR"]
    assert "not a directory" in message and "LOGAI_CACHE_ENABLED=false" in message
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    assert "LOGAI_CACHE_DIR" not in _problems()


def test_unparseable_values_name_the_variable_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGAI_CACHE_MAX_MB", "lots")
    monkeypatch.setenv("LOGAI_PII_SANITIZATION_ENABLED", "maybe")
    with pytest.raises(ConfigError) as info:
        load_settings()
    text = str(info.value)
    assert "LOGAI_CACHE_MAX_MB" in text and "LOGAI_PII_SANITIZATION_ENABLED" in text
    assert "lots" not in text


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / "custom.env"
    env_file.write_text(
        f"LOGAI_ANTHROPIC_API_KEY={SECRET}\nAWS_REGION=ap-south-1\n"
        "LOGAI_SANITIZER_DISABLED_RULES=ipv4, phone\n"
    )
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    settings = load_settings()
    assert settings.anthropic_api_key is not None
    assert settings.anthropic_api_key.get_secret_value() == SECRET
    assert settings.aws_region == "ap-south-1"
    assert settings.sanitizer_disabled_rules == ["ipv4", "phone"]


def test_environment_wins_over_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOGAI_LLM_PROVIDER=openai\n")
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "anthropic")
    assert load_settings().llm_provider == "anthropic"


def test_config_show_masks_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"LOGAI_OPENAI_API_KEY={SECRET}x\n")
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    monkeypatch.setenv("LOGAI_ANTHROPIC_API_KEY", SECRET)
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    rows = {line.split()[0]: line for line in result.output.splitlines()}
    assert "********" in rows["LOGAI_ANTHROPIC_API_KEY"]
    assert "(environment)" in rows["LOGAI_ANTHROPIC_API_KEY"]
    assert f"({env_file})" in rows["LOGAI_OPENAI_API_KEY"]
    assert "(default)" in rows["LOGAI_CACHE_MAX_MB"]
    as_json = CliRunner().invoke(cli, ["config", "show", "--json"])
    assert SECRET not in as_json.output and "********" in as_json.output


def test_repr_of_settings_does_not_leak_secrets(valid_env: None) -> None:
    settings = load_settings()
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())


def test_config_check_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    failing = CliRunner().invoke(cli, ["config", "check"])
    assert failing.exit_code == 1
    assert "LOGAI_ANTHROPIC_API_KEY" in failing.stderr
    assert re.search(r"^\d+ problems? found\.$", failing.stderr, re.MULTILINE)

    monkeypatch.setenv("LOGAI_ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("LOGAI_PII_SANITIZATION_ENABLED", "false")
    passing = CliRunner().invoke(cli, ["config", "check"])
    assert passing.exit_code == 0, passing.output
    assert "Configuration OK." in passing.stdout
    assert "warning: LOGAI_PII_SANITIZATION_ENABLED" in passing.stdout

    monkeypatch.setenv("LOGAI_CACHE_MAX_MB", "-3")
    broken = CliRunner().invoke(cli, ["config", "check"])
    assert broken.exit_code == 1 and "LOGAI_CACHE_MAX_MB" in broken.stderr


def test_known_providers_are_real_litellm_providers() -> None:
    import litellm

    assert set(KNOWN_PROVIDERS) <= {str(getattr(p, "value", p)) for p in litellm.provider_list}


def test_env_example_documents_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from logai.config import LogAISettings, describe_settings

    example = Path(__file__).resolve().parents[2] / ".env.example"
    text = example.read_text()
    variables = {row.variable for row in describe_settings(load_settings())}
    assert variables == {
        line.split("=")[0].lstrip("# ").strip()
        for line in text.splitlines()
        if "=" in line
        and line.lstrip("# ").split("=")[0].isupper()
        and line.lstrip("# ").split("=")[0].startswith(("LOGAI_", "AWS_"))
        and line.lstrip("# ").split("=")[0]
        not in {
            "LOGAI_PLUGINS",
            "LOGAI_DISABLE_PLUGINS",
            "LOGAI_TRACE_PLUGINS",
            "LOGAI_ENV_FILE",
            "LOGAI_CLOUDWATCH_MAX_CONCURRENCY",  # a plugin variable: see test_env_example.py
            "LOGAI_CLOUDWATCH_INSIGHTS_CONCURRENCY",
        }
    }
    for line in text.splitlines():
        if line.startswith(("LOGAI_", "AWS_")):
            assert text.splitlines()[text.splitlines().index(line) - 1].startswith("#"), line
    # The example itself loads cleanly: blank values mean "not set".
    monkeypatch.setenv("LOGAI_ENV_FILE", str(example))
    settings = load_settings()
    assert settings.aws_profile is None and settings.llm_model is None
    assert isinstance(settings, LogAISettings)


@pytest.mark.usefixtures("valid_env")
def test_no_aws_credentials_at_all_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert "no AWS credentials found" in _problems()["AWS_ACCESS_KEY_ID"]
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 1 and "Configuration OK" not in result.stdout
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    assert "AWS_ACCESS_KEY_ID" not in _problems()


@pytest.mark.parametrize(
    ("config", "credentials", "container"),
    [
        ("[default]\nsso_session = corp\n", "", False),
        ("", "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n", False),
        ("", "", True),
    ],
    ids=["default-profile-in-config", "default-profile-in-credentials", "container-role"],
)
@pytest.mark.usefixtures("valid_env")
def test_credentials_found_without_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config: str, credentials: str, container: bool
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    (tmp_path / "aws-config").write_text(config)
    (tmp_path / "aws-credentials").write_text(credentials)
    if container:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")
    assert _problems() == {}


@pytest.mark.usefixtures("valid_env")
def test_half_a_key_pair_names_the_missing_half(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert "its partner is" in _problems()["AWS_SECRET_ACCESS_KEY"]


@pytest.mark.usefixtures("valid_env")
def test_a_profile_that_does_not_exist_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "aws-config").write_text("[profile ops]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_PROFILE", "opz")
    assert "profile 'opz' is not in ~/.aws/config" in _problems()["AWS_PROFILE"]
    monkeypatch.setenv("AWS_PROFILE", "ops")
    assert _problems() == {}


@pytest.mark.usefixtures("valid_env")
def test_an_empty_profile_variable_is_unset_and_the_dotenv_value_applies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("AWS_PROFILE=ops\n")
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    monkeypatch.setenv("AWS_PROFILE", "")
    assert load_settings().aws_profile == "ops"
    env_file.write_text("AWS_PROFILE=\n")
    assert load_settings().aws_profile is None
    assert load_settings().aws_in_use() == "access keys (AWS_ACCESS_KEY_ID), region eu-west-1"
