"""The one RPC retry policy (oracle/chain/retry.py): what is retried, how often, how long."""

from __future__ import annotations

import pytest

from oracle.chain.retry import RetryPolicy, with_retry


class Flaky:
    """Raises `error` for the first `failures` calls, then returns the call count."""

    def __init__(self, failures: int, error: BaseException) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return self.calls


def test_with_retry__transient_errors_then_success__returns_after_backoff_waits():
    waits: list[float] = []
    seen: list[BaseException] = []
    fn = Flaky(3, ConnectionError("refused"))
    assert (
        with_retry(fn, attempts=6, base=0.2, cap=2.0, on_error=seen.append, sleep=waits.append) == 4
    )
    assert len(waits) == 3 and len(seen) == 3
    # Jittered exponential: each wait lies in [delay/2, delay] of 0.2, 0.4, 0.8.
    for wait, delay in zip(waits, (0.2, 0.4, 0.8), strict=True):
        assert delay / 2 <= wait <= delay


def test_with_retry__transient_error_every_time__raises_it_after_attempts():
    fn = Flaky(100, TimeoutError("slow"))
    with pytest.raises(TimeoutError):
        with_retry(fn, attempts=4, sleep=lambda _s: None)
    assert fn.calls == 4


def test_with_retry__non_transient_error__raises_at_once():
    fn = Flaky(1, ValueError("bad call"))
    with pytest.raises(ValueError):
        with_retry(fn, sleep=lambda _s: None)
    assert fn.calls == 1


def test_backoff__over_a_thousand_attempts__stays_at_the_cap():
    waits: list[float] = []
    fn = Flaky(1_100, ConnectionError("refused"))
    assert with_retry(fn, attempts=1_200, base=0.2, cap=2.0, sleep=waits.append) == 1_101
    assert 1.0 <= waits[-1] <= 2.0


def test_retry_policy__time_limit__no_wait_runs_past_the_deadline():
    waits: list[float] = []
    fn = Flaky(10**9, ConnectionError("refused"))
    with pytest.raises(ConnectionError):
        RetryPolicy(base=10.0, cap=10.0, give_up_after_s=0.05).call(fn, sleep=waits.append)
    # Fake sleeps take no time: each wait is cut to what is left of the 0.05 s.
    assert waits and all(w <= 0.05 for w in waits)
