"""A small retry loop for flaky downloads.

Only errors the caller classifies as transient are retried (a refused rules check or a missing
competition never improves by waiting), with exponential backoff. ``sleep`` is a parameter so
tests run the whole loop without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

Sleep = Callable[[float], None]


def call_with_retries(
    action: Callable[[], T],
    *,
    is_transient: Callable[[BaseException], bool],
    retries: int = 3,
    base_delay: float = 2.0,
    sleep: Sleep = time.sleep,
    on_retry: Callable[[int, BaseException, float], None] | None = None,
) -> T:
    """Run ``action``; on a transient error wait and try again, at most ``retries`` more times.

    The last transient error is re-raised when the retries are used up; any other error is
    raised at once.
    """
    attempt = 0
    while True:
        try:
            return action()
        except Exception as exc:
            if attempt >= retries or not is_transient(exc):
                raise
            attempt += 1
            delay = base_delay * 2 ** (attempt - 1)
            if on_retry is not None:
                on_retry(attempt, exc, delay)
            sleep(delay)
