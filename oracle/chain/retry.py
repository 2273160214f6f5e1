"""Retries with exponential backoff for calls to a JSON-RPC endpoint that may be down.

One retry policy for every caller, built on tenacity: only transient errors
(`is_transient`) are retried, waits grow base, 2*base, 4*base ... up to `cap`
with jitter, and each caller says when to give up (a number of attempts or a
deadline) and what to do before each wait (log, count an outage).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
)
from tenacity.stop import StopBaseT
from web3.exceptions import TimeExhausted

log = logging.getLogger(__name__)
T = TypeVar("T")

# Errors that mean "the endpoint is unreachable or slow", not "the call is wrong".
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
    ConnectionError,
    TimeoutError,
    TimeExhausted,
)

# Called before each wait with (the error, the attempt that failed, the wait in seconds).
OnRetry = Callable[[BaseException, int, float], None]


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    if isinstance(exc, requests.exceptions.HTTPError):
        status = exc.response.status_code if exc.response is not None else 0
        return status in (429, 502, 503, 504)
    return False


def jittered_backoff(base: float, cap: float) -> Callable[[RetryCallState], float]:
    """tenacity wait: min(cap, base * 2**(n-1)) scaled by a random 0.5..1 (n: failed attempts)."""

    def wait(state: RetryCallState) -> float:
        # The exponent stops growing long after `cap` is reached (2**1024 overflows a float).
        doublings = min(state.attempt_number - 1, 60)
        delay: float = min(cap, base * (2**doublings))
        return delay * (0.5 + random.random() / 2)

    return wait


@dataclass(frozen=True)
class RetryPolicy:
    """When to give up (after `attempts` calls, or `give_up_after_s` seconds) and how to wait.

    With a time limit no wait runs past it: the last attempt comes at the deadline.
    """

    base: float
    cap: float
    attempts: int | None = None
    give_up_after_s: float | None = None

    def _stop(self) -> StopBaseT:
        if self.attempts is not None:
            return stop_after_attempt(self.attempts)
        if self.give_up_after_s is not None:
            return stop_after_delay(self.give_up_after_s)
        raise ValueError("a RetryPolicy needs attempts or give_up_after_s")

    def call(
        self,
        fn: Callable[[], T],
        on_retry: OnRetry | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> T:
        """Call `fn`; retry transient errors with backoff until the policy gives up; re-raise."""
        backoff, deadline = jittered_backoff(self.base, self.cap), self.give_up_after_s

        def wait(state: RetryCallState) -> float:
            delay = backoff(state)
            if deadline is not None:
                delay = max(0.0, min(delay, deadline - (state.seconds_since_start or 0.0)))
            return delay

        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome is not None else None
            if on_retry is not None and error is not None:
                on_retry(
                    error,
                    state.attempt_number,
                    state.next_action.sleep if state.next_action else 0.0,
                )

        retrying = Retrying(
            retry=retry_if_exception(is_transient),
            stop=self._stop(),
            wait=wait,
            before_sleep=before_sleep,
            sleep=sleep,
            reraise=True,
        )
        return retrying(fn)


def with_retry(
    fn: Callable[[], T],
    *,
    attempts: int = 6,
    base: float = 0.2,
    cap: float = 2.0,
    on_error: Callable[[BaseException], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `fn`; on a transient RPC error wait (backoff) and try again, up to `attempts` times."""

    def note(exc: BaseException, attempt: int, delay: float) -> None:
        if on_error is not None:
            on_error(exc)
        log.warning(
            "rpc error (%s); retry %d/%d in %.2fs", type(exc).__name__, attempt, attempts, delay
        )

    return RetryPolicy(base, cap, attempts=attempts).call(fn, on_retry=note, sleep=sleep)
