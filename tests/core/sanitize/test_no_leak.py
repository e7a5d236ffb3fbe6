"""The placeholder mapping lives only in memory: never on disk, in the cache, or in a pickle.

Two angles: an audit hook in a fresh interpreter records every file the sanitizer opens for
writing (and every SQLite connection) while it works through a whole conversation's worth of
calls; and a real ``logai sanitize`` run leaves no file behind that holds a placeholder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SECRETS = ["jane.doe@example.com", "AKIAIOSFODNN7EXAMPLE", "4111 1111 1111 1111", "10.1.2.3"]

PROBE = r"""
import json, os, sys
from datetime import UTC, datetime

writes = []

def audit(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
            mode is None and isinstance(flags, int)
            and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND)
        )
        if writing and path not in (1, 2):
            writes.append(f"open {path} {mode}")
    elif event in ("sqlite3.connect", "os.rename", "os.replace", "shutil.copyfile"):
        writes.append(f"{event} {args}")

import logai.sanitize as sanitize_api
from logai.sanitize import Sanitizer
from logai.sources import LogEvent

sys.addaudithook(audit)
secrets = json.loads(sys.argv[1])
sanitizer = Sanitizer.from_plugins()
text = " | ".join(secrets)
clean, stats = sanitizer.sanitize_text(text)
events = [LogEvent(datetime.now(UTC), text, "/aws/lambda/x", "s", str(i)) for i in range(3)]
cleaned, _ = sanitizer.sanitize_logs(events)
answer = sanitizer.restore(clean)
summary = str(stats) + repr(sanitizer)
module_clean, _ = sanitize_api.sanitize_text(text)
print(json.dumps({"writes": writes, "clean": clean, "restored": answer, "module": module_clean,
                  "events": [e.message for e in cleaned], "summary": summary}))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGAI_")}
    env.update(
        HOME=str(tmp_path / "home"),
        LOGAI_CACHE_DIR=str(tmp_path / "cache"),
        LOGAI_ENV_FILE=str(tmp_path / "none.env"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def test_sanitizing_writes_nothing_anywhere(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(SECRETS)],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["writes"] == []
    for secret in SECRETS:
        assert secret not in report["clean"] and secret not in report["module"]
        assert secret in report["restored"]
        assert all(secret not in message for message in report["events"])
        assert secret not in report["summary"]
    assert not (tmp_path / "cache").exists()


def test_logai_sanitize_leaves_no_mapping_on_disk(tmp_path: Path) -> None:
    log = tmp_path / "input.log"
    log.write_text("\n".join(SECRETS) + "\n")
    out = tmp_path / "output.log"
    with out.open("wb") as sink:
        subprocess.run(
            [sys.executable, "-m", "logai", "sanitize", str(log)],
            stdout=sink,
            env=_env(tmp_path),
            timeout=120,
            check=True,
        )
    sanitized = out.read_text()
    assert all(secret not in sanitized for secret in SECRETS)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path not in (log, out):
            content = path.read_bytes()
            assert b"<EMAIL_" not in content and b"jane.doe" not in content, path
    assert not (tmp_path / "cache").exists()
