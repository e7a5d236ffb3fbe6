"""Fixtures for cross-package integration tests: moto's HTTP server and a ``logai`` runner."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.fakes.moto_server import MotoServer, fake_aws_env
from tests.fakes.moto_server import moto_endpoint as moto_endpoint  # re-exported fixtures
from tests.fakes.moto_server import moto_server as moto_server

#: Where each command object lives, for running it when ``logai`` does not list it yet.
COMMAND_OBJECTS = {
    "groups": "logai.cli.groups_cmd:groups",
    "logs": "logai.cli.logs_cmd:logs",
}

_RUN_COMMAND_OBJECT = (
    "import sys, importlib\n"
    "module, name = sys.argv[1].split(':')\n"
    "command = getattr(importlib.import_module(module), name)\n"
    "command.main(args=sys.argv[2:], prog_name='logai ' + name)\n"
)

_base_argv: dict[str, list[str]] = {}


@dataclass(frozen=True)
class Completed:
    """What one ``logai`` run printed and returned."""

    returncode: int
    stdout: str
    stderr: str


LogaiRunner = Callable[..., Completed]


def base_argv(command: str, env: dict[str, str]) -> list[str]:
    """``python -m logai COMMAND``; the command object itself while the group lacks it.

    Decided once per session: the lead wires commands into the ``logai`` group, and these tests
    must exercise the real entry point as soon as it exists.
    """
    if command not in _base_argv:
        argv = [sys.executable, "-m", "logai", command]
        if command in COMMAND_OBJECTS:
            probe = subprocess.run(
                [*argv, "--help"], capture_output=True, text=True, env=env, timeout=120
            )
            if probe.returncode != 0 or f"logai {command}" not in probe.stdout:
                argv = [sys.executable, "-c", _RUN_COMMAND_OBJECT, COMMAND_OBJECTS[command]]
        _base_argv[command] = argv
    return _base_argv[command]


def runs_through_logai_entry_point(command: str) -> bool:
    """Whether the session ran ``command`` as ``python -m logai`` (False: the fallback)."""
    return "-m" in _base_argv.get(command, [])


@pytest.fixture
def logai_cli(moto_endpoint: MotoServer) -> LogaiRunner:
    """Run ``logai`` in a child process against the test's moto server (fake credentials)."""
    env = fake_aws_env(moto_endpoint.endpoint)

    def run(command: str, *args: str, timeout: float = 120) -> Completed:
        done = subprocess.run(
            [*base_argv(command, env), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
        return Completed(done.returncode, done.stdout, done.stderr)

    return run
