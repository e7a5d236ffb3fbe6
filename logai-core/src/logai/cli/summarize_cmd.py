"""``logai summarize [FILE]``: group raw log lines into templates, for a human or a script.

Top-level imports stay light (stdlib and click): the reducer is imported when the command runs.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from datetime import datetime

    from logai.reduce import TemplateGroup


@click.command("summarize")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per template, per line.")
@click.option(
    "--samples", default=1, show_default=True, type=click.IntRange(0, 2), help="Samples shown."
)
def summarize(file: str | None, as_json: bool, samples: int) -> None:
    """Group the lines of FILE (or stdin) into templates with counts, errors first.

    With --json, each output line is {"template", "count", "severity", "lines", "samples",
    "first_timestamp", "last_timestamp"}; "lines" are 0-based input line numbers and every input
    line is in exactly one group.
    """
    from logai.reduce import group_lines

    lines = _read_lines(file)
    groups = group_lines(lines)
    if as_json:
        for group in groups:
            click.echo(json.dumps(_to_json(group), ensure_ascii=False))
        return
    click.echo(_human(groups, len(lines), samples), nl=False)


def _read_lines(file: str | None) -> list[str]:
    """Input lines without line endings; invalid UTF-8 is replaced, never fatal."""
    if file is None or file == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    else:
        try:
            with open(file, "rb") as handle:  # noqa: PTH123 - click gives a str path
                data = handle.read()
        except OSError as error:
            raise click.ClickException(f"cannot read {file}: {error.strerror or error}") from None
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def _to_json(group: TemplateGroup) -> dict[str, object]:
    return {
        "template": group.template,
        "count": group.count,
        "severity": group.severity,
        "lines": group.line_numbers,
        "samples": group.samples,
        "first_timestamp": _iso(group.first_timestamp),
        "last_timestamp": _iso(group.last_timestamp),
    }


def _iso(stamp: datetime | None) -> str | None:
    from logai.reduce._timestamps import iso_utc

    return iso_utc(stamp) if stamp is not None else None


def _human(groups: list[TemplateGroup], total: int, samples: int) -> str:
    out = [f"{total:,} lines → {len(groups):,} templates (errors and warnings first)\n"]
    width = len(f"{max((g.count for g in groups), default=0):,}")
    for group in groups:
        level = f" {group.severity}" if group.severity else ""
        out.append(f"\n{group.count:>{width},}{level}  {group.template}\n")
        when = _when(group)
        if when:
            out.append(f"{'':>{width}}  {when}\n")
        out.extend(f"{'':>{width}}  e.g. {sample}\n" for sample in group.samples[:samples])
    return "".join(out)


def _when(group: TemplateGroup) -> str:
    first, last = _iso(group.first_timestamp), _iso(group.last_timestamp)
    if first is None:
        return ""
    return first if last in (None, first) else f"{first} → {last}"
