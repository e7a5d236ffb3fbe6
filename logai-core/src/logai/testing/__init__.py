"""Test helpers for LogAI plugin authors (also loaded by pytest as the ``logai`` plugin)."""

from __future__ import annotations

from logai.testing.hosts import isolated_host

__all__ = ["isolated_host"]
