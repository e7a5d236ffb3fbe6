"""Start-up hygiene: the quick commands import none of the heavy dependencies.

litellm alone costs ~3 s and 200 MB; boto3, textual and sqlalchemy 0.1-0.2 s each. Each
command runs in a fresh interpreter and reports which heavy top-level packages it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("litellm", "boto3", "botocore", "textual", "sqlalchemy", "aiosqlite", "openai", "rich")

PROBE = """
import json, sys
from logai.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(HEAVY)))
sys.stderr.write('HEAVY=' + json.dumps(heavy) + '\\n')
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["plugins"],
        ["plugins", "--json"],
        ["config", "show"],
        ["config", "check"],
    ],
    ids=" ".join,
)
def test_quick_commands_import_nothing_heavy(argv: list[str]) -> None:
    code = PROBE.replace("json.loads(HEAVY)", f"json.loads({json.dumps(json.dumps(HEAVY))})")
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker, done.stderr
    assert json.loads(marker[0].removeprefix("HEAVY=")) == [], f"{argv} imported heavy modules"


def test_version_lists_every_installed_distribution() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "logai", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "logai 0.1.0"
    listed = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert listed == {
        "logai-cloudwatch": "0.1.0",
        "logai-core": "0.1.0",
        "logai-mcp": "0.1.0",
        "logai-tui": "0.1.0",
    }
    # ``-V`` and ``--version`` after other options go through click and say the same.
    again = subprocess.run(
        [sys.executable, "-m", "logai", "-V"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert again.stdout == done.stdout
