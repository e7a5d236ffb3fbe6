"""Importing the cache package stays cheap: SQLAlchemy arrives only when a cache is opened."""

from __future__ import annotations

import os
import subprocess
import sys


def test_import_does_not_load_sqlalchemy_or_aiosqlite() -> None:
    code = (
        "import sys, logai.cache, logai.cli.cache_cmd\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy', 'aiosqlite', 'sqlite3'})\n"
        "print(heavy)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "[]"
