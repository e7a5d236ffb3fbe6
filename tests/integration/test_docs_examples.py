"""The plugin examples in docs/examples install into a fresh venv and work as documented.

The fresh venv sees logai-core (and its dependencies) through a ``.pth`` file pointing at this
environment's site-packages, and gets the examples by a real, non-editable ``pip install``
(wheel build included), so their packaging and entry points are tested, not just their code.
The build runs on copies, so the suite leaves nothing behind in docs/examples.
"""

from __future__ import annotations

import json
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.fakes.wheelhouse import run

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    done = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    # An ``import`` line in a .pth runs at start-up: addsitedir also processes the parent's own
    # .pth files, which is how its editable installs of the LogAI packages are found.
    parent = sysconfig.get_paths()["purelib"]
    (site / "_logai_parent_env.pth").write_text(f"import site; site.addsitedir({parent!r})\n")
    # Built from copies: an in-tree build would leave build/ and *.egg-info in docs/examples.
    copies = tmp_path_factory.mktemp("examples")
    for example in ("logai-rules-example", "logai-source-demo"):
        shutil.copytree(
            EXAMPLES / example,
            copies / example,
            ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"),
        )
        installed = run(
            [
                sys.executable,
                "-m",
                "pip",
                "--python",
                str(python),
                "install",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                str(copies / example),
            ]
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
    return python


def test_examples_are_listed_by_logai_plugins(fresh_python: Path) -> None:
    done = run([str(fresh_python), "-m", "logai", "plugins", "--json"])
    assert done.returncode == 0, done.stderr
    plugins = {entry["name"]: entry for entry in json.loads(done.stdout)}
    assert plugins["rules-example"]["distribution"] == "logai-rules-example"
    assert plugins["rules-example"]["hooks"] == ["register_sanitizer_rules"]
    assert plugins["source-demo"]["distribution"] == "logai-source-demo"
    assert plugins["source-demo"]["status"] == "ok"


def test_example_rule_pack_redacts_in_logai_sanitize(fresh_python: Path) -> None:
    done = run(
        [str(fresh_python), "-m", "logai", "sanitize"],
        input="refund for CUST-1234567 issued\nnothing here\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["refund for <CUSTOMER_1> issued", "nothing here"]


def test_example_source_groups_show_in_logai_groups(fresh_python: Path) -> None:
    done = run([str(fresh_python), "-m", "logai", "groups", "--source", "demo"])
    assert done.returncode == 0, done.stderr
    assert "/demo/checkout" in done.stdout and "/demo/payments" in done.stdout


def test_installing_the_examples_leaves_docs_examples_clean(fresh_python: Path) -> None:
    left = [
        path.relative_to(EXAMPLES).as_posix()
        for path in EXAMPLES.rglob("*")
        if path.name == "build" or path.name.endswith(".egg-info")
    ]
    assert left == []
