"""A third-party rule pack (``tests/plugins/logai-rules-employee-id``) adds a rule LogAI applies."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from logai.plugins import PluginHost, set_host
from logai.sanitize import Rule, Sanitizer

PACK_SRC = Path(__file__).resolve().parents[2] / "plugins" / "logai-rules-employee-id" / "src"


@pytest.fixture
def pack_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The pack's module, imported from its source tree (as its entry point would)."""
    monkeypatch.syspath_prepend(str(PACK_SRC))
    monkeypatch.delitem(sys.modules, "logai_rules_employee_id", raising=False)
    return importlib.import_module("logai_rules_employee_id")


def test_registered_pack_adds_its_rule_beside_the_defaults(pack_module: ModuleType) -> None:
    host = PluginHost(load_entry_points=False)
    host.register_plugin("employee-id", pack_module, distribution="logai-rules-employee-id")
    set_host(host)
    sanitizer = Sanitizer.from_plugins()
    names = [rule.name for rule in sanitizer.rules]
    assert names[-1] == "employee_id" and "email" in names  # built-ins first
    out, stats = sanitizer.sanitize_text("EMP-004211 (jane@example.com) swiped; XEMP-123456 no")
    assert out == "<EMPLOYEE_ID_1> (<EMAIL_1>) swiped; XEMP-123456 no"
    assert str(stats) == "Redacted 1 email, 1 employee ID"


def test_pack_rule_can_be_disabled_by_name(pack_module: ModuleType) -> None:
    host = PluginHost(load_entry_points=False)
    host.register_plugin("employee-id", pack_module)
    set_host(host)
    sanitizer = Sanitizer.from_plugins(disabled_rules=["employee_id"])
    assert sanitizer.sanitize_text("EMP-004211")[0] == "EMP-004211"


class _Misbehaving:
    """A pack that reuses a built-in name, registers junk and a broken pattern."""

    @staticmethod
    def register_sanitizer_rules(register):  # type: ignore[no-untyped-def]
        register(Rule("email", "FAKE", "x"))
        register("not a rule")
        register(Rule("broken", "BROKEN", "(unclosed"))
        register(Rule("fine", "FINE", r"\bFINE-\d+\b"))


def test_misbehaving_pack_blocks_sanitization_and_names_each_rejected_rule() -> None:
    from logai.hookspecs import hookimpl
    from logai.sanitize import SanitizerUnavailable
    from logai.sanitize.packs import collect_rules

    hookimpl(_Misbehaving.register_sanitizer_rules)
    warnings: list[str] = []
    host = PluginHost(load_entry_points=False, warn=warnings.append)
    host.register_plugin("bad-pack", _Misbehaving)
    set_host(host)
    with pytest.raises(SanitizerUnavailable) as caught:
        Sanitizer.from_plugins()
    message = str(caught.value)
    assert "plugin 'bad-pack'" in message and "LOGAI_DISABLE_PLUGINS=bad-pack" in message
    pack = collect_rules(host).packs["bad-pack"]
    assert pack.rules == ["fine"]
    reasons = {rejected.name: rejected.reason for rejected in pack.rejected}
    assert reasons["email"] == "the name is taken by plugin 'default-rules' (logai-core)"
    assert "not a logai.sanitize.Rule" in reasons["#2"]
    assert "invalid pattern" in reasons["broken"]
    assert any("'email', already registered by plugin 'default-rules'" in w for w in warnings)
    # Sanitization switched off: nothing would be redacted anyway, so nothing blocks.
    assert not Sanitizer.from_plugins(enabled=False).enabled


def test_installed_pack_is_applied_by_logai_sanitize(
    install_test_plugins: object, tmp_path: Path
) -> None:
    """The distribution installed from ``tests/plugins`` is found through its entry point."""
    env = install_test_plugins("logai-rules-employee-id")  # type: ignore[operator]
    log = tmp_path / "app.log"
    log.write_text("badge EMP-004211 at door 3\nEMP-004211 left, EMP-777777 came\n")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "sanitize", str(log), "--stats"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "badge <EMPLOYEE_ID_1> at door 3\n<EMPLOYEE_ID_1> left, <EMPLOYEE_ID_2> came\n"
    )
    assert "Redacted 3 employee IDs" in done.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "logai", "plugins"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert "employee-id" in listed.stdout
