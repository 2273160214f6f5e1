"""A Web3 connection to one JSON-RPC endpoint, with timeouts and no hidden retries.

web3's own retry layer is switched off: retries and backoff are ours
(`oracle.chain.retry`, on tenacity), so an outage is counted and reported once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from web3 import Web3

from oracle.chain.retry import RetryPolicy, is_transient

log = logging.getLogger(__name__)
T = TypeVar("T")


def connect(rpc_url: str, *, timeout_s: float = 10.0) -> Web3:
    if not rpc_url.startswith(("http://", "https://")):
        raise ValueError(f"rpc_url {rpc_url!r} must be an http(s) URL, e.g. http://127.0.0.1:8545")
    provider = Web3.HTTPProvider(
        rpc_url,
        request_kwargs={"timeout": timeout_s},
        exception_retry_configuration=None,
    )
    w3 = Web3(provider)
    # The default middleware (ENS names, validation, AttributeDict results, gas price
    # strategies) costs CPU on every call and is not used here: raw dict results and
    # explicit fees. A validator makes many calls per second.
    w3.middleware_onion.clear()
    return w3


class RpcUnreachable(ValueError):
    """rpc_url did not answer within the start-up timeout."""


def wait_for_rpc(
    rpc_url: str,
    read: Callable[[], T],
    *,
    timeout_s: float,
    what: str = "the chain",
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`read()` once the endpoint answers: transient errors are retried with backoff.

    A validator restarted during a short RPC outage must wait, not exit (it would miss its
    reveals without a supervisor). Each failed attempt is logged naming rpc_url; after
    `timeout_s` (the `startup_timeout_s` setting) a permanently wrong URL ends in a clear
    error instead of a silent hang. Errors that are not about reachability raise at once.
    """
    started = time.monotonic()

    def note(exc: BaseException, attempt: int, delay: float) -> None:
        log.warning(
            "rpc_url %s unreachable while reading %s (attempt %d, %s); "
            "retrying in %.1fs, giving up in %.0fs",
            rpc_url,
            what,
            attempt,
            type(exc).__name__,
            delay,
            max(0.0, timeout_s - (time.monotonic() - started)),
        )

    try:
        policy = RetryPolicy(base=0.5, cap=10.0, give_up_after_s=timeout_s)
        return policy.call(read, on_retry=note, sleep=sleep)
    except Exception as exc:
        if not is_transient(exc):
            raise
        raise RpcUnreachable(
            f"cannot reach rpc_url {rpc_url} to read {what} "
            f"({type(exc).__name__}: {exc}); gave up after {timeout_s:g}s "
            f"(startup_timeout_s). Start the node or fix rpc_url."
        ) from exc
