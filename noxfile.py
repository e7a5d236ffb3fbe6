"""Developer tasks: ``nox`` runs lint, typecheck and tests; ``nox -s bench`` runs the benchmarks.

Sessions run in the current environment (install it first with
``pip install -r requirements-dev.txt``): one environment for everything keeps CI fast and the
README's test command short.
"""

from __future__ import annotations

from pathlib import Path

import nox
import nox.virtualenv
from packaging.version import Version

# Every session runs in the current environment: no virtualenv is ever created.
nox.options.default_venv_backend = "none"
# Even so, nox looks for uv while choosing a backend and logs "uv binary not found." when it is
# absent, which reads like a problem with this project. Nothing here uses uv: say so up front
# (nox reads these module attributes before probing).
nox.virtualenv.HAS_UV = False
nox.virtualenv.UV = "uv"
nox.virtualenv.UV_VERSION = Version("0")
nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.error_on_missing_interpreters = True

PACKAGES = ["logai-core/src", "logai-cloudwatch/src", "logai-tui/src", "logai-mcp/src"]
ROOT = Path(__file__).parent


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree."""
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the packages."""
    session.run("mypy")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (pytest fails when no test ran)."""
    session.run("pytest", *session.posargs, env={"LITELLM_LOCAL_MODEL_COST_MAP": "True"})


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark under benchmarks/, each printing its figures."""
    scripts = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    wanted = set(session.posargs)
    for script in scripts:
        if wanted and script.stem.removeprefix("bench_") not in wanted:
            continue
        session.log(f"== {script.name}")
        session.run("python", str(script), env={"LITELLM_LOCAL_MODEL_COST_MAP": "True"})
