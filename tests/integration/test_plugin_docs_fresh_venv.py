"""A plugin written from docs/plugins.md alone, in a new venv, passes the contract suite cleanly.

The worked example's three files (``pyproject.toml``, the plugin module, its test module) are
taken from the guide as written, the plugin is built into a wheel and installed with
``pip install "logai-memory[test]"`` into a virtual environment that holds nothing else: no
system site-packages and none of this suite's tools, so only what logai-core declares (its
``testing`` extra included) is there. Its tests then run with every warning an error.
Everything is installed offline from wheels of what this environment has (see
:mod:`tests.fakes.wheelhouse`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from logai.testing import DataSourceContract
from tests.fakes.wheelhouse import build_wheel, fresh_venv, pip_install, run, wheelhouse_for

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugins.md"
EXAMPLE_FILES = ("pyproject.toml", "logai_memory/__init__.py", "tests/test_memory.py")


def _worked_example() -> dict[str, str]:
    """The code blocks of the guide's worked example whose first line names their path."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### A worked example", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:python|toml)\n# (\S+)\n(.*?)```", section, re.S)
    return dict(blocks)


@pytest.mark.slow
def test_the_docs_plugin_passes_its_tests_in_a_fresh_venv(tmp_path: Path) -> None:
    files = _worked_example()
    assert set(EXAMPLE_FILES) <= set(files), sorted(files)
    project = tmp_path / "logai-memory"
    for path in EXAMPLE_FILES:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8")

    wheels = wheelhouse_for(
        "logai-core[testing]", tmp_path / "wheels", skip=frozenset({"logai-core"})
    )
    build_wheel(ROOT / "logai-core", wheels)
    build_wheel(project, wheels)
    python = fresh_venv(tmp_path / "venv")
    pip_install(python, wheels, "logai-memory[test]")

    # Nothing of this suite's environment leaked in: what is there came from the extra.
    seen = run([python, "-c", "import importlib.util as u; print(u.find_spec('pytest_asyncio'))"])
    assert seen.stdout.strip() == "None", seen.stdout + seen.stderr

    listed = run([python, "-m", "logai", "plugins", "--json"])
    assert listed.returncode == 0, listed.stderr
    plugins = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    assert plugins["memory"]["distribution"] == "logai-memory"
    assert plugins["memory"]["status"] == "ok"
    assert plugins["memory"]["hooks"] == ["register_data_sources", "register_sanitizer_rules"]

    # Only the tests are in the working folder: the plugin is imported from the venv.
    work = tmp_path / "work"
    (work / "tests").mkdir(parents=True)
    (work / "tests" / "test_memory.py").write_text(files["tests/test_memory.py"], "utf-8")
    done = run(
        [python.parent / "pytest", "-q", "-W", "error", "-p", "no:cacheprovider", "tests"], cwd=work
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed in [\d.]+s", summary), summary
    # The contract suite ran (each of its tests, some parametrized), not just the five of the rule.
    contract = [name for name in dir(DataSourceContract) if name.startswith("test_")]
    assert int(summary.split()[0]) >= len(contract) + 5
    assert "warning" not in (done.stdout + done.stderr).lower()
