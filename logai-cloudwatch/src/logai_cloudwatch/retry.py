"""Retry CloudWatch calls that can succeed later: throttling, 5xx, dropped connections.

This is the only retry layer (botocore's is set to one attempt in :mod:`logai_cloudwatch.client`).
Waits grow exponentially with random jitter and a cap, so many concurrent group fetches that
were throttled together do not retry in lockstep. Waits are ``asyncio.sleep``: a cancelled
search stops waiting at once and no worker thread is held while backing off.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tenacity import RetryCallState

T = TypeVar("T")

log = logging.getLogger("logai_cloudwatch")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Tests use ``RetryPolicy.immediate()`` so retries cost no time."""

    max_attempts: int = 5
    """Attempts in total, the first included. 1 disables retrying."""

    initial_wait: float = 0.5
    """Seconds before the second attempt; doubled for each further one."""

    max_wait: float = 10.0
    """Cap of a single wait, jitter included."""

    jitter: float = 0.5
    """Up to this many random seconds added to each wait."""

    @classmethod
    def immediate(cls, max_attempts: int = 3) -> RetryPolicy:
        """Retry without waiting (tests, benchmarks)."""
        return cls(max_attempts=max_attempts, initial_wait=0.0, max_wait=0.0, jitter=0.0)

    def wait_seconds(self, state: RetryCallState) -> float:
        """Wait before the next attempt: ``initial * 2^(n-1) + U(0, jitter)``, capped.

        Written out rather than taken from tenacity because its jittered-exponential helper
        changed parameters across the versions we support.
        """
        exponential = self.initial_wait * 2.0 ** (state.attempt_number - 1)
        return max(0.0, min(self.max_wait, exponential + random.uniform(0, self.jitter)))


def _log_retry(state: RetryCallState) -> None:
    outcome = state.outcome
    error = outcome.exception() if outcome is not None else None
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    log.info(
        "CloudWatch call failed (%r); attempt %d, retrying in %.2fs",
        error,
        state.attempt_number,
        wait,
    )


async def call_with_retry(call: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """Await ``call()``, retrying retryable failures; the last failure is re-raised as is."""
    # Imported here: this module is loaded with the source, which must stay cheap to create.
    from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

    from logai_cloudwatch.errors import is_retryable

    retrying = AsyncRetrying(
        stop=stop_after_attempt(max(1, policy.max_attempts)),
        wait=policy.wait_seconds,
        retry=retry_if_exception(is_retryable),
        before_sleep=_log_retry,
        sleep=asyncio.sleep,
        reraise=True,
    )
    return await retrying(call)
