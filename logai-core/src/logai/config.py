"""LogAI's settings: environment variables (prefix ``LOGAI_``) and a ``.env`` file.

Loading never fails on a *semantic* problem (a missing API key, say): the settings object is
built and :func:`find_problems` lists what is wrong, so ``logai config check`` can report every
problem at once and a frontend can open on a "here is what to set" screen instead of crashing.
Only values that cannot be parsed at all (``LOGAI_CACHE_MAX_MB=lots``) raise :class:`ConfigError`.
"""

from __future__ import annotations

import configparser
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from logai.url_credentials import mask_urls_in_text

if TYPE_CHECKING:
    from logai.aws_targets import AwsTarget

ENV_PREFIX = "LOGAI_"
DEFAULT_ENV_FILE = ".env"

#: Default model per provider, used when ``LOGAI_LLM_MODEL`` is not set.
DEFAULT_MODELS: dict[str, str] = {
    "anthropic": "anthropic/claude-sonnet-4-5",
    "openai": "openai/gpt-4.1",
}

#: Providers whose API key LogAI manages itself, and the variable that holds it.
API_KEY_VARIABLES: dict[str, str] = {
    "anthropic": "LOGAI_ANTHROPIC_API_KEY",
    "openai": "LOGAI_OPENAI_API_KEY",
}

#: LiteLLM provider prefixes (litellm 1.110 ``provider_list``, a subset kept here so that
#: ``logai config`` does not import litellm; a test checks it against litellm itself).
KNOWN_PROVIDERS: frozenset[str] = frozenset(
    {
        "anthropic", "openai", "azure", "azure_ai", "bedrock", "vertex_ai", "gemini", "mistral",
        "cohere", "groq", "ollama", "ollama_chat", "openrouter", "together_ai", "fireworks_ai",
        "deepseek", "xai", "perplexity", "huggingface", "hosted_vllm", "vllm", "lm_studio",
        "databricks", "sagemaker", "watsonx", "cerebras", "sambanova", "deepinfra",
        "cloudflare", "replicate", "nvidia_nim", "text-completion-openai", "custom_openai",
        "litellm_proxy", "github", "llamafile", "openai_like",
    }
)  # fmt: skip

_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


class ConfigError(Exception):
    """Settings could not be parsed. ``str()`` lists every bad variable and what it expects."""


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class LogAISettings(BaseSettings):
    """Every setting LogAI reads. Field docstrings double as ``logai config show`` help."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=DEFAULT_ENV_FILE,
        env_file_encoding="utf-8",
        # `export AWS_PROFILE=` means "not set": the .env file or the default applies.
        env_ignore_empty=True,
        extra="ignore",
        validate_default=True,
        # Field docstrings are the help `config show` prints: read then (logai.field_docs),
        # not at every start as pydantic's use_attribute_docstrings would.
    )

    llm_provider: str = "anthropic"
    """LLM provider: anthropic, openai, a LiteLLM provider prefix (ollama, ...) or a plugin's."""

    llm_model: str | None = None
    """LiteLLM model string; defaults per provider (anthropic/claude-sonnet-4-5, openai/gpt-4.1)."""

    anthropic_api_key: SecretStr | None = None
    """API key for Anthropic (used when the provider is anthropic)."""

    openai_api_key: SecretStr | None = None
    """API key for OpenAI (used when the provider is openai)."""

    llm_api_base: str | None = None
    """Base URL of an OpenAI- or Anthropic-compatible endpoint (proxy, vLLM, Ollama)."""

    llm_timeout: float = Field(default=120.0, gt=0)
    """Seconds to wait for the LLM before giving up on one request."""

    llm_max_retries: int = Field(default=4, ge=0, le=20)
    """Retries on 429 and 5xx answers from the LLM, with backoff honouring Retry-After."""

    data_source: str = "cloudwatch"
    """Data source used by default (``--source`` overrides): cloudwatch, files, or a plugin's."""

    frontend: str | None = None
    """Frontend ``logai`` opens (``--frontend`` overrides); default: the highest priority one."""

    files_root: Path | None = None
    """Folder the ``files`` data source lists and resolves relative names in (default: cwd)."""

    pii_sanitization_enabled: bool = True
    """Scrub PII and secrets from every log line before it reaches the LLM."""

    sanitizer_disabled_rules: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated names of sanitizer rules to switch off (see ``docs/sanitization.md``)."""

    cache_enabled: bool = True
    """Cache fetched logs locally so follow-up questions cost no new API calls."""

    cache_dir: Path = Path("~/.logai/cache")
    """Directory of the cache database (created 0700)."""

    cache_max_mb: int = Field(default=500, ge=1)
    """Size cap of the cache in MB; least recently used entries are evicted beyond it."""

    cache_ttl_live_seconds: float = Field(default=60.0, gt=0)
    """How long logs of a range touching "now" (still gaining events) stay cached."""

    cache_ttl_immutable_seconds: float = Field(default=604800.0, gt=0)
    """How long logs of a range that ended beyond the source's ingestion delay stay cached."""

    cache_ttl_listing_seconds: float = Field(default=600.0, gt=0)
    """How long log group listings stay cached."""

    cache_bucket_seconds: float = Field(default=60.0, ge=0)
    """Ranges touching "now" are rounded out to this many seconds so repeats can hit (0: off)."""

    cache_cleanup_interval_seconds: float = Field(default=300.0, gt=0)
    """Least time between background sweeps of expired entries and size-cap eviction."""

    tool_result_max_tokens: int = Field(default=8000, ge=500)
    """Token budget of one tool result; larger results are grouped into templates."""

    llm_context_tokens: int | None = Field(default=None, ge=2000)
    """Context window of the model in tokens; default: LiteLLM's figure, else 32,768."""

    llm_max_output_tokens: int | None = Field(default=None, ge=256)
    """Tokens reserved for (and asked as the limit of) each reply; default: up to 16,384."""

    max_cost_per_question: float | None = Field(default=None, gt=0)
    """USD cap per question; the tool loop stops before a call that would exceed it."""

    history_file: Path = Path("~/.logai/history")
    """Where interactive frontends keep the input history."""

    aws_targets: str | None = None
    """Several AWS accounts/regions, comma-separated ``[ALIAS=][PROFILE][>ROLE_ARN][@REGION]``
    (docs/cloudwatch.md); unset: one target from AWS_PROFILE and AWS_REGION."""

    log_groups_allow: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated glob patterns (``target:pattern`` for one target): only matching log
    groups may be read. Unset: every group not denied."""

    log_groups_deny: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated glob patterns (``target:pattern`` for one target) of log groups that
    may never be read or listed; deny wins over allow."""

    history_enabled: bool = True
    """Save every conversation (questions, sanitized messages, tool calls, answers, usage)."""

    history_dir: Path = Field(default_factory=lambda: _default_history_dir())
    """Directory of saved conversations (created 0700); `logai cache clear` never touches it."""

    aws_profile: str | None = Field(
        default=None, validation_alias=AliasChoices("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
    )
    """AWS profile from ~/.aws/config and ~/.aws/credentials (AWS_PROFILE); empty means unset."""

    aws_region: str | None = Field(
        default=None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION")
    )
    """AWS region (AWS_REGION or AWS_DEFAULT_REGION); the profile's region otherwise."""

    aws_endpoint_url_cloudwatch_logs: str | None = Field(
        default=None, validation_alias=AliasChoices("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS")
    )
    """Custom CloudWatch Logs endpoint (moto server, LocalStack)."""

    aws_access_key_id: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("AWS_ACCESS_KEY_ID")
    )
    """AWS access key ID, used with the secret key when AWS_PROFILE is not set."""

    aws_secret_access_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("AWS_SECRET_ACCESS_KEY")
    )
    """AWS secret access key, paired with AWS_ACCESS_KEY_ID."""

    aws_session_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
    )
    """Session token of temporary AWS credentials (from an assumed role or SSO)."""

    @field_validator(
        "sanitizer_disabled_rules", "log_groups_allow", "log_groups_deny", mode="before"
    )
    @classmethod
    def _parse_rule_list(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("llm_provider")
    @classmethod
    def _normalise_provider(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("cache_dir", "history_file", "history_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator(
        "anthropic_api_key",
        "openai_api_key",
        "llm_model",
        "llm_api_base",
        "aws_profile",
        "aws_region",
        "aws_endpoint_url_cloudwatch_logs",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "files_root",
        "frontend",
        "aws_targets",
        "llm_context_tokens",
        "llm_max_output_tokens",
        "max_cost_per_question",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """``VAR=`` in a .env file means "not set", as in the shell."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def model(self) -> str:
        """The LiteLLM model string to use, with its provider prefix."""
        model = (self.llm_model or "").strip()
        if not model:
            return DEFAULT_MODELS.get(self.llm_provider, f"{self.llm_provider}/default")
        if "/" in model:
            return model
        return f"{self.llm_provider}/{model}"

    def api_key(self) -> SecretStr | None:
        """The API key of the chosen provider, when LogAI manages one for it."""
        if self.llm_provider == "anthropic":
            return self.anthropic_api_key
        if self.llm_provider == "openai":
            return self.openai_api_key
        return None

    def effective_region(self) -> str | None:
        """The AWS region boto3 would use: the variable, else the profile's ``region``."""
        return self.aws_region or _region_from_aws_config(self.aws_profile)

    def aws_keys_set(self) -> bool:
        """Whether an access key pair is configured (environment or ``.env``)."""
        return self.aws_access_key_id is not None and self.aws_secret_access_key is not None

    def aws_in_use(self) -> str:
        """``profile X, region Y`` (or access keys): what ``config show`` and status bars print."""
        region = self.effective_region() or "(not set)"
        return f"{self.aws_credentials_label()}, region {region}"

    def aws_credentials_label(self) -> str:
        """Where AWS credentials come from, as boto3 picks them, without importing botocore."""
        if self.aws_profile:
            return f"profile {self.aws_profile}"
        if self.aws_keys_set():
            return "access keys (AWS_ACCESS_KEY_ID)"
        return "default credential chain"


def _default_history_dir() -> Path:
    """``$XDG_DATA_HOME/logai/history`` (``~/.local/share/logai/history``): kept data, not cache."""
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    root = Path(base).expanduser() if base and Path(base).is_absolute() else None
    return (root or Path("~/.local/share").expanduser()) / "logai" / "history"


def _aws_file(variable: str, default: str) -> Path:
    return Path(os.environ.get(variable) or default).expanduser()


def _read_ini(path: Path) -> configparser.RawConfigParser | None:
    if not path.is_file():
        return None
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    return parser


def aws_profile_sections(profile: str) -> tuple[bool, bool]:
    """Whether ``profile`` is in the AWS config file and in the credentials file."""
    config = _read_ini(_aws_file("AWS_CONFIG_FILE", "~/.aws/config"))
    credentials = _read_ini(_aws_file("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))
    section = "default" if profile == "default" else f"profile {profile}"
    in_config = config is not None and (config.has_section(section) or config.has_section(profile))
    return in_config, credentials is not None and credentials.has_section(profile)


#: Variables through which a container or Kubernetes runtime hands out AWS credentials.
_RUNTIME_CREDENTIAL_VARIABLES = (
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


def _aws_problems(settings: LogAISettings) -> list[Problem]:
    """Credential problems visible without a network call (what ``logai config check`` adds)."""
    access, secret = settings.aws_access_key_id, settings.aws_secret_access_key
    if not settings.aws_profile and (access is None) != (secret is None):
        missing = "AWS_SECRET_ACCESS_KEY" if secret is None else "AWS_ACCESS_KEY_ID"
        return [
            Problem(
                "error",
                missing,
                "not set, but its partner is: set both AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or remove both and use a profile.",
            )
        ]
    profile = settings.aws_profile
    if profile:
        if not any(aws_profile_sections(profile)):
            return [
                Problem(
                    "error",
                    "AWS_PROFILE",
                    f"profile '{profile}' is not in ~/.aws/config or ~/.aws/credentials "
                    "(`aws configure list-profiles` lists them). Fix AWS_PROFILE, leave it empty "
                    "for the default profile, or create it with `aws configure --profile "
                    f"{profile}` or `aws configure sso`.",
                )
            ]
        return []
    if settings.aws_keys_set() or any(aws_profile_sections("default")):
        return []
    if any((os.environ.get(name) or "").strip() for name in _RUNTIME_CREDENTIAL_VARIABLES):
        return []
    return [
        Problem(
            "error",
            "AWS_ACCESS_KEY_ID",
            "no AWS credentials found: set AWS_PROFILE to a configured profile (then `aws sso "
            "login --profile NAME` if it uses SSO), or set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (environment or .env).",
        )
    ]


def _target_problems(settings: LogAISettings) -> tuple[list[AwsTarget], list[Problem]]:
    """The targets of ``LOGAI_AWS_TARGETS`` and what is wrong with them (syntax, profiles)."""
    from logai.aws_targets import TARGETS_VARIABLE, TargetSyntaxError, parse_targets

    try:
        targets = parse_targets(settings.aws_targets)
    except TargetSyntaxError as exc:
        message = str(exc).removeprefix(f"{TARGETS_VARIABLE}: ")
        return [], [Problem("error", TARGETS_VARIABLE, message)]
    problems = []
    for target in targets:
        if target.profile and not any(aws_profile_sections(target.profile)):
            problems.append(
                Problem(
                    "error",
                    TARGETS_VARIABLE,
                    f"target '{target.alias}' uses profile '{target.profile}', which is not in "
                    "~/.aws/config or ~/.aws/credentials (`aws configure list-profiles` lists "
                    "them).",
                )
            )
        if target.region is None and settings.effective_region() is None:
            problems.append(
                Problem(
                    "error",
                    TARGETS_VARIABLE,
                    f"target '{target.alias}' has no region: add @REGION (e.g. "
                    f"{target.alias}={target.profile or ''}@eu-west-1) or set AWS_REGION.",
                )
            )
    if targets and settings.data_source != "cloudwatch":
        problems.append(
            Problem(
                "warning",
                TARGETS_VARIABLE,
                f"set, but the data source is {settings.data_source}: only cloudwatch uses it.",
            )
        )
    return targets, problems


def _guardrail_problems(settings: LogAISettings, targets: list[str]) -> list[Problem]:
    """Log group patterns that cannot be used (an error: the guardrail would not run), and
    patterns naming a target that does not exist (a warning: they match nothing)."""
    from logai.sources.group_rules import GroupRules, PatternError

    try:
        rules = GroupRules.from_settings(settings)
    except PatternError as exc:
        variable, _, message = str(exc).partition(": ")
        return [Problem("error", variable, message + " Nothing can be read until it is fixed.")]
    return [Problem("warning", variable, message) for variable, message in rules.problems(targets)]


def _region_from_aws_config(profile: str | None) -> str | None:
    """Read ``region`` of a profile from the AWS config file without importing botocore."""
    parser = _read_ini(_aws_file("AWS_CONFIG_FILE", "~/.aws/config"))
    if parser is None:
        return None
    name = profile or "default"
    section = "default" if name == "default" else f"profile {name}"
    if parser.has_section(section):
        region = parser.get(section, "region", fallback=None)
        return region.strip() if region else None
    return None


def load_settings(env_file: str | Path | None = None, **overrides: Any) -> LogAISettings:
    """Build settings from the environment, the ``.env`` file and explicit overrides.

    The ``.env`` file is ``LOGAI_ENV_FILE`` when set, else ``.env`` in the current directory.
    Raises :class:`ConfigError` with one line per unparseable variable.
    """
    chosen = (
        env_file if env_file is not None else os.environ.get("LOGAI_ENV_FILE", DEFAULT_ENV_FILE)
    )
    try:
        return LogAISettings(_env_file=chosen, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(exc)) from None


def variables_of(model: type[BaseSettings], field_name: str) -> list[str]:
    """The environment variables a settings field reads, the documented one first."""
    field = model.model_fields.get(field_name)
    alias = field.validation_alias if field is not None else None
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    prefix = str(model.model_config.get("env_prefix", ""))
    return [f"{prefix}{field_name}".upper()]


def format_validation_error(exc: ValidationError, model: type[BaseSettings]) -> list[str]:
    """``VARIABLE: what is wrong`` per bad value; the raw input is never echoed (a secret?)."""
    lines = []
    for error in exc.errors():
        field_name = str(error["loc"][0]) if error["loc"] else "?"
        lines.append(f"{variables_of(model, field_name)[0]}: {error['msg']}")
    return lines


def _format_validation_error(exc: ValidationError) -> str:
    lines = format_validation_error(exc, LogAISettings)
    return "Invalid configuration:\n" + "\n".join(f"  - {line}" for line in lines)


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the configuration, phrased as what to do about it."""

    severity: Severity
    variable: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.variable}: {self.message}"


def _provider_problems(provider: str, registered: set[str]) -> list[Problem]:
    """``LOGAI_LLM_PROVIDER`` names a LiteLLM provider prefix or a plugin's registered provider.

    The built-in LiteLLM provider registers as ``litellm``; it is the one used for every LiteLLM
    prefix, so its own name is not offered as a choice.
    """
    plugin_names = registered - {"litellm"}
    if provider in KNOWN_PROVIDERS or provider in plugin_names:
        return []
    close = difflib.get_close_matches(provider, sorted(KNOWN_PROVIDERS | plugin_names), n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    from_plugins = (
        f"; installed plugins provide: {', '.join(sorted(plugin_names))}" if plugin_names else ""
    )
    return [
        Problem(
            "error",
            "LOGAI_LLM_PROVIDER",
            f"unknown provider '{provider}'.{hint} Use anthropic, openai, a LiteLLM "
            f"provider prefix such as ollama or bedrock{from_plugins}.",
        )
    ]


def _first_missing_ancestor_problem(path: Path) -> str | None:
    """Why ``path`` could not be created as a directory, or None if it can."""
    candidate = path
    while not candidate.exists():
        if candidate.parent == candidate:
            return f"no existing parent directory for {path}"
        candidate = candidate.parent
    if not candidate.is_dir():
        return f"{candidate} exists and is not a directory"
    if candidate == path:
        if not os.access(path, os.W_OK | os.X_OK):
            return f"{path} is not writable by this user"
        return None
    if not os.access(candidate, os.W_OK | os.X_OK):
        return f"cannot create {path}: {candidate} is not writable by this user"
    return None


def find_problems(
    settings: LogAISettings,
    *,
    data_sources: set[str] | None = None,
    llm_providers: set[str] | None = None,
    frontends: set[str] | None = None,
) -> list[Problem]:
    """Everything that would stop LogAI from answering a question, with how to fix it.

    ``data_sources`` and ``frontends`` are the names registered by plugins; when given, an
    unknown ``LOGAI_DATA_SOURCE`` or ``LOGAI_FRONTEND`` is reported too. ``llm_providers`` are
    the registered provider names (read from the plugin host when not given): a plugin's
    provider is as valid a ``LOGAI_LLM_PROVIDER`` as a LiteLLM prefix.
    """
    problems: list[Problem] = []
    provider = settings.llm_provider
    if llm_providers is None:
        from logai.registries import llm_providers as registered_providers

        llm_providers = set(registered_providers())
    problems += _provider_problems(provider, llm_providers)
    if frontends is not None and settings.frontend and settings.frontend not in frontends:
        close = difflib.get_close_matches(settings.frontend, sorted(frontends), n=3)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        problems.append(
            Problem(
                "error",
                "LOGAI_FRONTEND",
                f"no frontend named '{settings.frontend}'.{hint} Available: "
                f"{', '.join(sorted(frontends)) or 'none installed'}.",
            )
        )
    key_variable = API_KEY_VARIABLES.get(provider)
    if key_variable and settings.api_key() is None and not settings.llm_api_base:
        problems.append(
            Problem(
                "error",
                key_variable,
                f"not set, and the provider is {provider}. Set {key_variable} in the environment "
                f"or in .env (or set LOGAI_LLM_API_BASE for a server that needs no key).",
            )
        )
    if settings.llm_api_base and not re.match(r"^https?://", settings.llm_api_base):
        problems.append(
            Problem(
                "error",
                "LOGAI_LLM_API_BASE",
                "must be an http:// or https:// URL, e.g. http://localhost:11434 for Ollama.",
            )
        )
    targets, target_problems = _target_problems(settings)
    problems += target_problems
    problems += _guardrail_problems(settings, [target.alias for target in targets])
    region = settings.effective_region()
    if region is not None and not _REGION_RE.match(region):
        problems.append(
            Problem(
                "error",
                "AWS_REGION",
                f"'{region}' is not an AWS region name; expected something like us-east-1.",
            )
        )
    every_target_has_one = bool(targets) and all(target.region for target in targets)
    if settings.data_source == "cloudwatch" and region is None and not every_target_has_one:
        problems.append(
            Problem(
                "error",
                "AWS_REGION",
                "no AWS region: set AWS_REGION (e.g. us-east-1) or a region in your AWS profile "
                "(aws configure set region us-east-1).",
            )
        )
    if settings.data_source == "cloudwatch" and not any(t.profile for t in targets):
        problems.extend(_aws_problems(settings))
    if data_sources is not None and settings.data_source not in data_sources:
        known = ", ".join(sorted(data_sources)) or "none installed"
        hint = " (pip install logai-cloudwatch)" if settings.data_source == "cloudwatch" else ""
        close = difflib.get_close_matches(settings.data_source, sorted(data_sources), n=3)
        hint += f" (did you mean {' or '.join(close)}?)" if close else ""
        problems.append(
            Problem(
                "error",
                "LOGAI_DATA_SOURCE",
                f"no data source named '{settings.data_source}'{hint}; available: {known}.",
            )
        )
    if settings.cache_enabled:
        reason = _first_missing_ancestor_problem(settings.cache_dir)
        if reason:
            problems.append(
                Problem(
                    "error",
                    "LOGAI_CACHE_DIR",
                    f"cache directory not creatable: {reason}. Point LOGAI_CACHE_DIR elsewhere "
                    "or set LOGAI_CACHE_ENABLED=false.",
                )
            )
    if settings.history_enabled:
        reason = _first_missing_ancestor_problem(settings.history_dir)
        if reason:
            problems.append(
                Problem(
                    "warning",
                    "LOGAI_HISTORY_DIR",
                    f"history directory not creatable: {reason}; questions are answered but "
                    "not saved. Point LOGAI_HISTORY_DIR elsewhere or set "
                    "LOGAI_HISTORY_ENABLED=false.",
                )
            )
    if not settings.pii_sanitization_enabled:
        problems.append(
            Problem(
                "warning",
                "LOGAI_PII_SANITIZATION_ENABLED",
                "false: raw log lines, including any PII or secrets, will be sent to the LLM.",
            )
        )
    return problems


@dataclass(frozen=True)
class SettingRow:
    """One line of ``logai config show``."""

    variable: str
    value: str
    source: str
    help: str


def describe_settings(
    settings: BaseSettings, env_file: str | Path | None = None
) -> list[SettingRow]:
    """Effective settings with secrets masked, and where each value came from.

    ``settings`` is LogAI's own (:class:`LogAISettings`) or a plugin's
    (:class:`logai.plugin_settings.PluginSettings`): any model read from the environment.
    """
    from dotenv import dotenv_values

    chosen = (
        env_file if env_file is not None else os.environ.get("LOGAI_ENV_FILE", DEFAULT_ENV_FILE)
    )
    file_values = (
        {k.upper(): v for k, v in dotenv_values(chosen).items()} if Path(chosen).is_file() else {}
    )
    from logai.field_docs import attribute_docstrings

    model = type(settings)
    docs = attribute_docstrings(model)
    rows = []
    for name, field in model.model_fields.items():
        variables = variables_of(model, name)
        source = "default"
        for variable in variables:
            if variable in os.environ:
                source = "environment"
                break
            if variable in file_values:
                source = str(chosen)
                break
        value = getattr(settings, name)
        rows.append(
            SettingRow(
                variables[0],
                _display(value),
                source,
                (field.description or docs.get(name, "")).strip(),
            )
        )
    return rows


def _display(value: Any) -> str:
    if isinstance(value, SecretStr):
        return "********" if value.get_secret_value() else "(empty)"
    if value is None:
        return "(not set)"
    if isinstance(value, list):
        return mask_urls_in_text(",".join(str(v) for v in value)) or "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    # Any setting may hold a URL with a credential in it (an endpoint, a proxy, a plugin's).
    return mask_urls_in_text(str(value))
