"""``logai summarize [FILE]``: group raw log lines into templates, for a human or a script.

Like ``logai logs``, lines are sanitized unless ``--raw`` is given, and control and format
characters always print as visible escapes.

Top-level imports stay light (stdlib and click): the reducer is imported when the command runs.
"""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING

import click

from logai.cli._common import note, write_lines

if TYPE_CHECKING:
    from datetime import datetime

    from logai.reduce import TemplateGroup
    from logai.sanitize import Sanitizer

_PLACEHOLDER_NUMBER = re.compile(r"<([A-Z][A-Z0-9_]*)_\d+>")

RAW_WARNING = (
    "logai: warning: --raw: printing templates and samples unsanitized; they may contain PII "
    "or secrets."
)


def _make_sanitizer() -> Sanitizer:
    """The configured sanitizer (``LOGAI_PII_SANITIZATION_ENABLED`` and disabled rules apply)."""
    from logai.cli._common import load_settings_or_exit
    from logai.cli.logs_cmd import make_sanitizer

    settings = load_settings_or_exit()
    if not settings.pii_sanitization_enabled:
        note("logai: warning: LOGAI_PII_SANITIZATION_ENABLED=false: lines are not redacted.")
    return make_sanitizer(settings)


def _sanitized(sanitizer: Sanitizer, lines: list[str]) -> list[str]:
    """Lines with PII and secrets replaced; what was redacted goes to stderr.

    Sanitizing before grouping, not after, means no template can carry a partly masked
    secret that its rule no longer recognises.
    """
    from logai.sanitize.stats import SanitizeStats

    stats = SanitizeStats()
    clean = []
    for line in lines:
        text, found = sanitizer.sanitize_text(line)
        if found:
            stats.merge(found)
        clean.append(text)
    if stats:
        note(str(stats))
    return clean


@click.command("summarize")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per template, per line.")
@click.option(
    "--samples", default=1, show_default=True, type=click.IntRange(0, 2), help="Samples shown."
)
@click.option(
    "--raw",
    is_flag=True,
    help="Do not redact PII and secrets (warns on stderr); control characters still print "
    "as visible escapes such as \\x1b.",
)
def summarize(file: str | None, as_json: bool, samples: int, raw: bool) -> None:
    """Group the lines of FILE (or stdin) into templates with counts, errors first.

    Lines are sanitized before grouping, as `logai logs` does, so templates and samples show
    <EMAIL_1>-style placeholders; --raw prints them unsanitized. With --json, each output line
    is {"template", "count", "severity", "lines", "samples", "first_timestamp",
    "last_timestamp"}; "lines" are 0-based input line numbers and every input line is in
    exactly one group.
    """
    from logai.reduce import group_lines
    from logai.terminal import json_safe, visible

    # Built before reading, so a sanitizer misconfiguration fails before a long stdin read.
    sanitizer = None if raw else _make_sanitizer()
    lines = _read_lines(file)
    if sanitizer is None:
        note(RAW_WARNING)
        groups = group_lines(lines)
    else:
        lines = _sanitized(sanitizer, lines)
        groups = _group_sanitized(lines)
    if as_json:
        write_lines(json_safe(json.dumps(_to_json(group), ensure_ascii=False)) for group in groups)
        return
    # Control and format characters print as visible escapes, --raw or not.
    write_lines([visible(_human(groups, len(lines), samples), multiline=True).rstrip("\n")])


def _read_lines(file: str | None) -> list[str]:
    """Input lines without line endings; invalid UTF-8 is replaced, never fatal."""
    from logai.cli._common import read_input

    if file is None or file == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    else:
        with read_input(file) as handle:
            data = handle.read()
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def _group_sanitized(lines: list[str]) -> list[TemplateGroup]:
    """Group sanitized lines as if each placeholder were one value.

    ``<EMAIL_1>`` and ``<EMAIL_2>`` are the same slot of a template: grouping sees ``<EMAIL>``
    (which the reducer leaves whole, having no digit to mask); samples keep the numbered
    placeholders, as ``logai sanitize`` and ``logai logs`` print them.
    """
    import dataclasses

    from logai.reduce import group_lines

    groups = group_lines([_PLACEHOLDER_NUMBER.sub(r"<\1>", line) for line in lines])
    return [dataclasses.replace(group, samples=_samples(group, lines)) for group in groups]


def _samples(group: TemplateGroup, lines: list[str]) -> list[str]:
    """The first member line, and the last when it differs (as the reducer picks them)."""
    first, last = lines[group.line_numbers[0]], lines[group.line_numbers[-1]]
    return [first] if last == first or not group.samples else [first, last]


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
