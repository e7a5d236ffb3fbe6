"""``logai summarize``: human output and the --json protocol."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from logai.cli.summarize_cmd import summarize

DATA = Path(__file__).parent / "data"


def _json_groups(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


def test_summarize_json_puts_every_line_in_exactly_one_group() -> None:
    result = CliRunner().invoke(summarize, ["--json", str(DATA / "app.log")])
    assert result.exit_code == 0, result.output
    groups = _json_groups(result.output)
    lines = sorted(n for g in groups for n in g["lines"])  # type: ignore[attr-defined]
    assert lines == list(range(10))
    assert all(g["count"] == len(g["lines"]) for g in groups)  # type: ignore[arg-type]
    assert {"template", "count", "lines"} <= set(groups[0])


def test_summarize_reads_stdin_strips_cr_and_replaces_bad_utf8() -> None:
    data = b"job 1 done\r\njob 2 done\r\n\xff\xfe broken\r\n"
    result = CliRunner().invoke(summarize, ["--json"], input=data)
    assert result.exit_code == 0, result.output
    groups = _json_groups(result.output)
    assert [(g["template"], g["lines"]) for g in groups] == [
        ("job <*> done", [0, 1]),
        ("\ufffd\ufffd broken", [2]),
    ]


def test_summarize_human_output_lists_errors_first_with_a_sample() -> None:
    result = CliRunner().invoke(summarize, [str(DATA / "app.log")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "10 lines → 4 templates (errors and warnings first)"
    assert "ERROR  payment <*> declined by provider stripe" in lines[2]
    assert "e.g. 2024-03-01 10:00:03,000 - shop.payments - ERROR" in result.output


def test_summarize_reports_a_missing_file_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(summarize, [str(tmp_path / "nope.log")])
    assert result.exit_code != 0
    assert "cannot read" in result.output
    assert "Traceback" not in result.output
