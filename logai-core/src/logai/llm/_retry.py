"""Backoff arithmetic for LLM retries, kept pure so it is tested without a server or a clock.

Retrying happens in exactly one place (:class:`~logai.llm.litellm_provider.LiteLLMProvider`);
this module only answers "how long until the next attempt".
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

_RNG = random.Random()


def parse_retry_after(
    headers: Mapping[str, str] | None, *, now: float | None = None
) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``Retry-After``.

    ``Retry-After`` may be seconds (fractions accepted, as some proxies send them) or an
    HTTP date. Returns ``None`` when absent or unparseable, never a negative number.
    """
    if not headers:
        return None
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to sleep after failed attempt number ``attempt`` (1-based).

    With a ``Retry-After`` the server knows best: wait exactly that (capped at ``cap`` so a
    hostile or confused server cannot park the user for an hour) plus a little jitter. Without
    one, exponential backoff ``base * 2**(attempt-1)`` capped at ``cap``, with "equal jitter"
    (half fixed, half random) so concurrent clients spread out but never retry instantly.
    """
    chooser = rng or _RNG
    if retry_after is not None:
        return min(retry_after, cap) + chooser.uniform(0.0, 0.1 * base)
    exponential = min(cap, base * 2.0 ** max(0, attempt - 1))
    return exponential / 2 + chooser.uniform(0.0, exponential / 2)
