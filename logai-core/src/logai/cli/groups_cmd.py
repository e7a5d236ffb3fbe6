"""``logai groups``: list the log groups of the configured data source, one per line.

Names only by default, so the output feeds ``xargs`` or ``fzf`` directly; ``--long`` adds size,
retention and creation date, ``--json`` prints one JSON object per group and line.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from logai.terminal import json_safe, visible

if TYPE_CHECKING:
    from logai.sources.base import DataSource, LogGroup


@click.command("groups")
@click.option("--prefix", "-p", metavar="PREFIX", help="Only groups whose name starts with this.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="At most this many groups.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per group and line.")
@click.option("--long", "-l", "long_format", is_flag=True, help="Add size, retention, creation.")
@click.option(
    "--source",
    "source_name",
    metavar="NAME",
    help="Data source to list (default: LOGAI_DATA_SOURCE, i.e. cloudwatch).",
)
@click.option(
    "--target",
    "-t",
    metavar="NAME",
    help="Only this target of LOGAI_AWS_TARGETS (default: every target).",
)
def groups(
    prefix: str | None,
    limit: int,
    as_json: bool,
    long_format: bool,
    source_name: str | None,
    target: str | None,
) -> None:
    """List log groups, sorted by name (as target:name when several targets are set)."""
    from logai.cli._common import (
        in_target,
        load_settings_or_exit,
        note,
        open_source,
        run_with_source,
        write_lines,
    )

    settings = load_settings_or_exit()
    source = open_source(settings, source_name)
    asked = in_target(source, prefix or "", target) or None
    note(f"Listing log groups ({source.describe()})...", only_on_tty=True)
    # One more than asked for: "showing the first N" only when there really are more.
    listed, close = run_with_source(source, lambda src: _list(src, asked, limit + 1))
    found = listed[:limit]
    if not found:
        where = f" starting with '{prefix}'" if prefix else ""
        hint = f" Did you mean --prefix {' or '.join(close)}?" if close else ""
        note(f"No log groups{where} in {source.describe()}.{hint}")
        return
    # Names come from the data source: control and format characters print as escapes.
    if as_json:
        write_lines(json_safe(json.dumps(group.to_dict(), ensure_ascii=False)) for group in found)
    elif long_format:
        write_lines(_long_lines(found))
    else:
        write_lines(visible(group.qualified_name) for group in found)
    if len(listed) > limit:
        first = "the first group" if limit == 1 else f"the first {limit} groups"
        note(f"Showing {first}; use --prefix or a higher --limit to see others.")


async def _list(
    source: DataSource, prefix: str | None, limit: int
) -> tuple[list[LogGroup], list[str]]:
    """The groups, and when a prefix matched none, the existing prefixes it may have meant."""
    from logai.cli._name_checks import PREFIX_SCAN_LIMIT, closest_prefixes
    from logai.sources.base import DataSourceError

    found = await source.list_log_groups(prefix, limit)
    if found or not prefix:
        return found, []
    try:
        others = await source.list_log_groups(None, PREFIX_SCAN_LIMIT)
    except DataSourceError:  # no hints is better than no answer
        return found, []
    return found, closest_prefixes(prefix, (group.qualified_name for group in others))


def _size(stored: int | None) -> str:
    if stored is None:
        return "-"
    value = float(stored)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - the loop always returns


def _long_lines(found: list[LogGroup]) -> list[str]:
    """Aligned columns: name, stored size, retention, creation date."""
    rows = [
        (
            visible(group.qualified_name),
            _size(group.stored_bytes),
            f"{group.retention_days}d" if group.retention_days else "never expires",
            group.created.date().isoformat() if group.created else "-",
        )
        for group in found
    ]
    width = max(len(row[0]) for row in rows)
    return [f"{name:<{width}}  {size:>9}  {keep:<13}  {made}" for name, size, keep, made in rows]
