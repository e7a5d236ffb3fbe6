"""``.env.example`` lists every variable LogAI reads, not only the settings model's fields.

Plugins read some variables themselves (``LOGAI_CLOUDWATCH_MAX_CONCURRENCY``); the settings-model
check in ``test_config.py`` cannot see those, so this one reads the shipped source code.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["logai-core/src", "logai-cloudwatch/src", "logai-tui/src"]
#: Read by tooling, not by users: a benchmark hook of the TUI (docs/tui.md).
INTERNAL = {"LOGAI_TUI_STARTUP_PROBE"}
_QUOTED = re.compile(r"""["'](LOGAI_[A-Z0-9_]*[A-Z0-9])["']""")


def _variables_in_code() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found.update(_QUOTED.findall(path.read_text(encoding="utf-8")))
    # "LOGAI_LLM" in startswith("LOGAI_LLM") is a prefix of variables, not a variable.
    prefixes = {name for name in found if any(other.startswith(name + "_") for other in found)}
    return found - prefixes - INTERNAL


def _variables_in_example() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?(LOGAI_[A-Z0-9_]+)=", text, re.MULTILINE))


def test_every_variable_the_code_reads_is_in_the_example() -> None:
    in_code = _variables_in_code()
    assert "LOGAI_CLOUDWATCH_MAX_CONCURRENCY" in in_code  # the scan finds plugin variables
    missing = sorted(in_code - _variables_in_example())
    assert not missing, f"add to .env.example, with a comment line: {missing}"


def test_the_example_names_no_variable_the_code_does_not_read() -> None:
    stale = sorted(_variables_in_example() - _variables_in_code())
    settings_fields = _settings_variables()
    assert not [name for name in stale if name not in settings_fields], stale


def _settings_variables() -> set[str]:
    """Core's settings model and every installed plugin's own (``register_settings``)."""
    from logai.config import describe_settings, load_settings
    from logai.plugins import PluginHost

    names = {row.variable for row in describe_settings(load_settings())}
    for registered in PluginHost().plugin_settings():
        model = registered.factory
        names.update(f"{model.env_prefix()}{field}".upper() for field in model.model_fields)
    return names
