"""``logai plugins``: every plugin, where it comes from, which hooks it implements, its status."""

from __future__ import annotations

import json

import click

from logai.plugins import get_host


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def plugins(as_json: bool) -> None:
    """List built-in and installed plugins, with their hooks and status."""
    host = get_host()
    # Hooks are called lazily elsewhere; call the register hooks once here so that a plugin
    # that raises inside one is shown as failed rather than as healthy.
    for hook in host.hook_names():
        if hook != "register_commands":
            host.collect(hook)
    infos = host.plugins
    if as_json:
        click.echo(json.dumps([info.to_dict() for info in infos], indent=2))
        return
    headers = ("PLUGIN", "DISTRIBUTION", "VERSION", "HOOKS", "STATUS")
    rows = [
        (
            info.name,
            info.distribution + (" (built-in)" if info.builtin else ""),
            info.version,
            ", ".join(hook.removeprefix("register_") for hook in info.hooks) or "-",
            info.status if not info.error else f"{info.status}: {info.error}",
        )
        for info in infos
    ]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers) - 1)]
    for row in [headers, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, str(row[-1])]).rstrip())
