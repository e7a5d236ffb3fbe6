"""LogAI: ask questions about your logs in plain language.

This top-level module stays import-light on purpose: the ``logai`` command line imports it on
every start, so anything heavy (litellm, boto3, sqlalchemy, textual) is imported where it is used.
Plugin authors need only :data:`hookimpl` from here; the rest of the public API lives in
:mod:`logai.sources`, :mod:`logai.sanitize`, :mod:`logai.tools` and :mod:`logai.config`.
"""

from __future__ import annotations

from logai.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]
