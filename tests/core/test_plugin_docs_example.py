"""The worked example of docs/plugins.md passes the contract suite, with no warning at all.

The two files are copied out of the guide as written (a code block whose first line names its
path) into a fresh folder, and pytest runs them there with every warning an error, as a plugin
author would after ``pip install "logai-core[testing]"``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugins.md"


def _files_in_guide() -> dict[str, str]:
    """Code blocks whose first line is ``# path.py``, by path."""
    blocks = re.findall(
        r"```python\n# (\S+\.py)\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S
    )
    return dict(blocks)


def test_the_worked_example_passes_the_contract_suite_without_warnings(tmp_path: Path) -> None:
    wanted = ("logai_memory/__init__.py", "tests/test_memory.py")
    files = _files_in_guide()
    assert set(wanted) <= set(files), sorted(files)
    for path in wanted:
        code = files[path]
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-W",
            "error",
            "-p",
            "no:cacheprovider",
            # Not in a plugin author's venv; here it warns about its own unset option.
            "-p",
            "no:asyncio",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            "tests/test_memory.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed in [\d.]+s", summary), summary
    assert "warning" not in done.stdout.lower()


def test_the_testing_extra_brings_what_the_test_kit_imports() -> None:
    project = tomllib.loads((ROOT / "logai-core" / "pyproject.toml").read_text("utf-8"))
    extra = project["project"]["optional-dependencies"]["testing"]
    assert any(re.match(r"pytest\b", requirement) for requirement in extra)
    # Beyond pytest, the kit imports only logai-core's own dependencies and the standard library.
    kit = ROOT / "logai-core" / "src" / "logai" / "testing"
    imported = {
        name.split(".")[0]
        for source in kit.glob("*.py")
        for name in re.findall(r"^\s*(?:from|import) ([\w.]+)", source.read_text("utf-8"), re.M)
    }
    third_party = imported - set(sys.stdlib_module_names) - {"logai", "__future__"}
    assert third_party == {"pytest"}, third_party
