"""Fixtures shared by the whole suite."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from logai.plugins import set_host
from tests.fakes.plugin_dists import install_as_dist_info, plugin_project

# litellm must never try to download its model cost map: there is no network here.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@pytest.fixture(autouse=True)
def _fresh_plugin_host() -> Iterator[None]:
    """Every test starts with a new process-wide plugin host, and leaves none behind."""
    set_host(None)
    yield
    set_host(None)


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own LogAI settings, .env file or AWS profile."""
    for name in list(os.environ):
        if name.startswith("LOGAI_") or name in {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LOGAI_ENV_FILE", str(tmp_path / "no-such.env"))
    monkeypatch.setenv("LOGAI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LOGAI_HISTORY_FILE", str(tmp_path / "history"))
    monkeypatch.setenv("LOGAI_HISTORY_DIR", str(tmp_path / "conversations"))
    # Children started with LOGAI_* stripped from their environment still save history here.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))


InstallPlugins = Callable[..., dict[str, str]]


@pytest.fixture
def install_test_plugins(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> InstallPlugins:
    """Make test plugin projects from ``tests/plugins/`` discoverable, in-process and in children.

    Returns the environment a subprocess needs (``PYTHONPATH``) to see them too.
    """

    def install(*folder_names: str) -> dict[str, str]:
        target = tmp_path_factory.mktemp("site")
        install_as_dist_info([plugin_project(name) for name in folder_names], target)
        monkeypatch.syspath_prepend(str(target))
        importlib.invalidate_caches()
        existing = os.environ.get("PYTHONPATH", "")
        pythonpath = os.pathsep.join(p for p in (str(target), existing) if p)
        monkeypatch.setenv("PYTHONPATH", pythonpath)
        for module in [m for m in sys.modules if m.startswith(("logai_example", "logai_broken"))]:
            monkeypatch.delitem(sys.modules, module)
        return {**os.environ, "PYTHONPATH": pythonpath}

    return install
