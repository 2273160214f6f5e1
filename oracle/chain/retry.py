"""Retries with exponential backoff for calls to a JSON-RPC endpoint that may be down."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import requests
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


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TRANSIENT_ERRORS):
        return True
    if isinstance(exc, requests.exceptions.HTTPError):
        status = exc.response.status_code if exc.response is not None else 0
        return status in (429, 502, 503, 504)
    return False


class Backoff:
    """Exponential backoff with jitter: base, 2*base, 4*base ... capped at `cap` seconds."""

    def __init__(self, base: float = 0.2, cap: float = 5.0) -> None:
        self.base = base
        self.cap = cap
        self.attempt = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.base * (2**self.attempt))
        self.attempt += 1
        return delay * (0.5 + random.random() / 2)

    def reset(self) -> None:
        self.attempt = 0


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
    backoff = Backoff(base, cap)
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            if not is_transient(exc) or attempt == attempts:
                raise
            if on_error is not None:
                on_error(exc)
            delay = backoff.next_delay()
            log.warning(
                "rpc error (%s); retry %d/%d in %.2fs", type(exc).__name__, attempt, attempts, delay
            )
            sleep(delay)
    raise AssertionError("unreachable")
