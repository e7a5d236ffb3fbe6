"""The one place LogAI imports litellm, configured for a command-line tool that may be offline.

Importing litellm takes seconds and ~200 MB, so nothing imports it at module level; callers use
:func:`load_litellm`, which is safe to call from a worker thread (frontends warm it up there
while the user types) and cheap after the first call. :func:`start_loading` begins the import
in a background thread at once, so a one-shot command (``logai ask``) loads its configuration,
plugins and data source meanwhile; whoever calls :func:`load_litellm` next waits for that
import instead of starting a second one.

The environment litellm reads at import time is set by the thread that asks for the import,
before any background thread exists: ``os.environ`` is never changed while another thread may
be reading the process environment. Importing in a thread while the main thread imports other
modules is safe in Python 3 (a lock per module; a module both threads need is imported once,
the other waits for it), and is what the TUI has done since its first release.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
from collections.abc import Iterator
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None
_background: threading.Thread | None = None

#: Loggers litellm writes to; quiet unless the user asked for litellm's logs with LITELLM_LOG.
_LITELLM_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy")


def is_loaded() -> bool:
    """Whether :func:`load_litellm` already finished (so calling it will not block)."""
    return _module is not None


def _prepare_environment() -> None:
    """What litellm reads while it is imported: set before the import, in the caller's thread.

    * ``LITELLM_LOCAL_MODEL_COST_MAP=True`` (unless the user set it): otherwise the import
      fetches a model price list from the internet, retrying and printing warnings when offline.
    * ``LITELLM_MODE=PRODUCTION``: otherwise the import loads a .env found by walking up from
      litellm's own folder into os.environ: a second reading of the configuration, which boto3
      then sees (AWS keys honoured by `ask` only). LogAI reads .env once, in logai.config.
    """
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_MODE", "PRODUCTION")


def start_loading() -> None:
    """Begin importing litellm in a daemon thread and return at once (no-op if under way).

    Failures are left for the next :func:`load_litellm` to raise where it is handled.
    """
    global _background
    if _module is not None or _background is not None:
        return
    _prepare_environment()
    _background = threading.Thread(target=_load_quietly, name="logai-litellm-import", daemon=True)
    _background.start()


def _load_quietly() -> None:
    with contextlib.suppress(Exception):  # the caller's own load_litellm() reports it
        load_litellm()


@contextlib.contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Keep Python's cycle collector out of the import, then exempt what it loaded from it.

    Importing litellm creates about a million long-lived objects (3,000 modules, their classes
    and pydantic schemas). The collector, triggered by allocation counts, scans the growing heap
    again and again meanwhile, and once more during the first request: measured, a fifth of the
    import and two thirds of litellm's first-call work (time to first request 2.5 s with it,
    1.9 s without). Those objects live as long as the process, so after the import they are
    frozen (:func:`gc.freeze`): later collections skip them. The freeze takes garbage cycles
    made meanwhile along (by the import itself, ~2,000 objects measured, and by any other
    thread): those are never collected. Collecting them first would cost a full collection
    (~0.2 s), the very work this avoids; reference counting still frees everything acyclic.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_litellm() -> ModuleType:
    """Import and configure litellm once; return the module.

    * The import-time environment of :func:`_prepare_environment`.
    * No telemetry, no "Give Feedback / Get Help" banners, no logging of its own: LogAI turns
      failures into its own messages, and litellm's logs would break the terminal UI.
    * No retries of litellm's own: :class:`~logai.llm.litellm_provider.LiteLLMProvider` retries
      in exactly one place.
    """
    global _module
    if _module is not None:
        return _module
    with _lock:
        if _module is None:
            if threading.current_thread() is not _background:
                _prepare_environment()  # start_loading() did it already, before its thread
            with _no_cyclic_collection():
                import litellm

            litellm.telemetry = False
            litellm.suppress_debug_info = True
            litellm.num_retries = None
            litellm.turn_off_message_logging = True
            if "LITELLM_LOG" not in os.environ:
                for name in _LITELLM_LOGGERS:
                    logging.getLogger(name).setLevel(logging.CRITICAL)
            _module = litellm
    return _module
