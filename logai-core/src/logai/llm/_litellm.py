"""The one place LogAI imports litellm, configured for a command-line tool that may be offline.

Importing litellm takes seconds and ~200 MB, so nothing imports it at module level; callers use
:func:`load_litellm`, which is safe to call from a worker thread (frontends warm it up there
while the user types) and cheap after the first call.
"""

from __future__ import annotations

import logging
import os
import threading
from types import ModuleType

_lock = threading.Lock()
_module: ModuleType | None = None

#: Loggers litellm writes to; quiet unless the user asked for litellm's logs with LITELLM_LOG.
_LITELLM_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy")


def is_loaded() -> bool:
    """Whether :func:`load_litellm` already finished (so calling it will not block)."""
    return _module is not None


def load_litellm() -> ModuleType:
    """Import and configure litellm once; return the module.

    * ``LITELLM_LOCAL_MODEL_COST_MAP=True`` (unless the user set it): otherwise the import
      fetches a model price list from the internet, retrying and printing warnings when offline.
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
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            # Otherwise the import loads a .env found by walking up from litellm's own folder
            # into os.environ: a second reading of the configuration, which boto3 then sees
            # (AWS keys honoured by `ask` only). LogAI reads .env once, in logai.config.
            os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
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
