"""A plugin's own settings: a pydantic-settings model under its own prefix, read like core's.

LogAI's own :class:`~logai.config.LogAISettings` ignores variables it does not know, so a
plugin that reads ``os.environ`` itself misses the ``.env`` file, ``LOGAI_ENV_FILE``, blank
values meaning "unset", and ``logai config show`` / ``check``. Subclassing
:class:`PluginSettings` gets all of those::

    class LokiSettings(PluginSettings):
        model_config = PluginSettings.config(env_prefix="LOGAI_LOKI_")

        url: str = "http://localhost:3100"
        \"\"\"Loki's base URL.\"\"\"

    @hookimpl
    def register_settings(register):
        register(LokiSettings)

and ``LokiSettings.load()`` wherever the plugin needs them (its factory, usually).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Self

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from logai.config import DEFAULT_ENV_FILE, ConfigError, Problem, format_validation_error

__all__ = ["PluginSettings"]


#: Core's conventions for reading settings (environment, then ``.env``; blank means unset).
_CONVENTIONS = SettingsConfigDict(
    env_file=DEFAULT_ENV_FILE,
    env_file_encoding="utf-8",
    env_ignore_empty=True,
    extra="ignore",
    validate_default=True,
    # Field docstrings are still the help `config show` prints: read when shown (logai.field_docs).
)


class PluginSettings(BaseSettings):
    """Base class of a plugin's settings. Set ``model_config = PluginSettings.config(...)``.

    Field docstrings are the help ``logai config show`` prints; ``SecretStr`` fields are masked
    there. Override :meth:`problems` to report what is wrong beyond parsing (a URL that is not
    one, a missing key) the way ``logai config check`` reports core's problems.
    """

    model_config = _CONVENTIONS

    @staticmethod
    def config(*, env_prefix: str, **options: Any) -> SettingsConfigDict:
        """The model configuration for a plugin: core's conventions under ``env_prefix``.

        ``env_prefix`` must end with ``_`` (``LOGAI_LOKI_``); pick one that names your plugin,
        since a variable of core's (``LOGAI_LLM_MODEL``) cannot be a plugin's.
        """
        if not env_prefix or not env_prefix.endswith("_"):
            raise ValueError(f"env_prefix {env_prefix!r} must be non-empty and end with '_'")
        settings_config = SettingsConfigDict(**_CONVENTIONS, env_prefix=env_prefix.upper())
        settings_config.update(options)  # type: ignore[typeddict-item]
        return settings_config

    @classmethod
    def env_prefix(cls) -> str:
        """The prefix of every variable of this model."""
        return str(cls.model_config.get("env_prefix", ""))

    @classmethod
    def load(cls, env_file: str | Path | None = None, **overrides: Any) -> Self:
        """Read the settings from the environment and the ``.env`` file LogAI reads.

        That file is ``LOGAI_ENV_FILE`` when set, else ``.env`` in the current directory;
        environment variables win over it. Raises :class:`~logai.config.ConfigError` naming
        each variable that cannot be parsed (never its value: it may be a secret).
        """
        chosen = env_file if env_file is not None else os.environ.get("LOGAI_ENV_FILE")
        try:
            return cls(_env_file=chosen or DEFAULT_ENV_FILE, **overrides)  # type: ignore[call-arg]
        except ValidationError as exc:
            lines = format_validation_error(exc, cls)
            raise ConfigError(
                "Invalid configuration:\n" + "\n".join(f"  - {line}" for line in lines)
            ) from None

    def problems(self) -> list[Problem]:
        """What is wrong with these values beyond parsing; ``logai config check`` lists them."""
        return []
