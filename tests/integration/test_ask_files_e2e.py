"""``logai ask --source files`` over a folder of real-looking logs: no AWS account needed.

The folder holds an application log, its gzip-rotated predecessor, an nginx access log and a
JSON-lines log. The fake LLM lists the groups, fetches the restart lines from the rotated set
with a glob, and answers; the customer's email in those lines must never reach it.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture

EMAIL = "olivia.chen@example.net"


def _write_logs(root: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)

    def stamp(minutes_ago: int) -> str:
        return (now - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M:%S,123")

    rotated = "\n".join(
        [
            f"{stamp(50)} INFO app.server: listening on :8080",
            f"{stamp(45)} WARNING app.db: pool exhausted (32/32), waiting",
            f"{stamp(44)} ERROR app.worker: OOMKilled while rendering invoice for {EMAIL}",
            f"{stamp(44)} INFO app.server: restart requested by supervisor (exit code 137)",
        ]
    )
    with gzip.open(root / "app.log.1.gz", "wt") as handle:
        handle.write(rotated + "\n")
    (root / "app.log").write_text(
        "\n".join(
            [
                f"{stamp(43)} INFO app.server: starting version 2.4.1",
                f"{stamp(43)} INFO app.server: restart complete, listening on :8080",
                f"{stamp(10)} INFO app.worker: invoice 991 rendered",
            ]
        )
        + "\n"
    )
    (root / "access.log").write_text(
        f"203.0.113.9 - - [{(now - timedelta(minutes=44)).strftime('%d/%b/%Y:%H:%M:%S +0000')}]"
        ' "GET /invoice/991 HTTP/1.1" 502 0 "-" "curl/8.5"\n'
    )
    (root / "events.jsonl").write_text(
        f'{{"time": "{(now - timedelta(minutes=44)).isoformat()}", "level": "error", '
        f'"msg": "healthcheck failed", "user": "{EMAIL}"}}\n'
    )


def test_ask_over_local_files(fake_llm: FakeLLMServer, tmp_path: Path) -> None:  # noqa: F811
    root = tmp_path / "logs"
    root.mkdir()
    _write_logs(root)

    def respond(request: LLMRequest) -> Turn:
        results = request.tool_results
        if not results:
            return Turn(tool_calls=[ToolCall("list_log_groups", {})])
        if len(results) == 1:
            assert "app.log.1.gz" in results[0].content, results[0].content
            return Turn(
                tool_calls=[
                    ToolCall(
                        "fetch_logs",
                        {
                            "log_group": "app.log*",
                            "start_time": "2h ago",
                            "filter_pattern": "?restart ?OOMKilled",
                        },
                    )
                ]
            )
        lines = results[-1].content
        assert "OOMKilled" in lines and "restart requested" in lines
        return Turn(
            text="The worker was OOMKilled (exit 137) and the supervisor restarted the app."
        )

    fake_llm.respond_with(respond)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(
        LOGAI_LLM_PROVIDER="openai",
        LOGAI_LLM_API_BASE=fake_llm.openai_base,
        LOGAI_LLM_MODEL="fake-model",
        LOGAI_FILES_ROOT=str(root),
        LOGAI_CACHE_DIR=str(tmp_path / "cache"),
        LOGAI_ENV_FILE=os.devnull,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
    )
    done = subprocess.run(
        [sys.executable, "-m", "logai", "ask", "--source", "files", "why did the app restart?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "OOMKilled (exit 137)" in done.stdout
    assert "✓ list_log_groups: 4 log groups" in done.stderr
    assert "✓ fetch_logs: 3 events" in done.stderr
    assert not fake_llm.requests_containing(EMAIL)
    assert not fake_llm.problems
