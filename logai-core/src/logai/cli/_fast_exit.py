"""Ending a one-shot command without the interpreter's teardown of modules it no longer needs.

After ``logai ask`` has printed its answer and closed its caches, a normal interpreter exit
still spends a second or more (measured: about 1.3 s on a quiet machine) finalising the
hundreds of modules litellm brought in, and joining threads that have nothing left to do: time
the user waits for the prompt with nothing to show for it. A command that opts in with
:func:`request` is ended by :func:`exit_now` instead: standard streams flushed, logging shut down,
then ``os._exit`` with the command's status.

Only the command-line entry point (:func:`logai.cli.main`) calls :func:`exit_now`, never library
code, tests driving the click group in-process, nor an embedding application. What must outlive
the command is finished before that point by the command itself: the answer is written and
flushed, and every cache is closed inside the command's event loop
(:func:`logai.cli._common.run_async`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import NoReturn

_requested = False


def request() -> None:
    """Ask the entry point to end the process with :func:`exit_now` once the command ends."""
    global _requested
    _requested = True


def requested() -> bool:
    """Whether the running command asked for it."""
    return _requested


def exit_now(code: object) -> NoReturn:
    """Flush what was printed and end the process with ``code``, as ``sys.exit(code)`` would."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed on stderr, status 1
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader that went away: nothing to save
            stream.flush()
    logging.shutdown()
    os._exit(status)
