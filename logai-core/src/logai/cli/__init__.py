"""Entry point of the ``logai`` command.

``--version`` is answered before click or the plugin host are imported: it is the command
people (and scripts) run to check an install, and it must be instant. A one-shot command that
asks for it ends without the interpreter's teardown (:mod:`logai.cli._fast_exit`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``logai`` command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        from logai._distributions import version_report

        sys.stdout.write(version_report() + "\n")
        sys.exit(0)
    from logai.cli import _fast_exit
    from logai.cli.app import cli

    try:
        cli.main(args=args, prog_name="logai")
    except SystemExit as exc:
        if _fast_exit.requested():  # see logai.cli._fast_exit: no seconds of teardown
            _fast_exit.exit_now(exc.code)
        raise
