"""LogAI's AWS CloudWatch Logs data source.

Importing this package is cheap on purpose: the plugin host imports :mod:`logai_cloudwatch.plugin`
on every ``logai`` start, and boto3 alone costs a few hundred milliseconds. The source class is
loaded on first attribute access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from logai_cloudwatch.source import CloudWatchSource

__version__ = "0.1.0"

__all__ = ["CloudWatchSource", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "CloudWatchSource":
        from logai_cloudwatch.source import CloudWatchSource

        return CloudWatchSource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
