"""A Web3 connection to one JSON-RPC endpoint, with timeouts and no hidden retries.

web3's own retry layer is switched off: retries and backoff are ours
(`oracle.chain.retry`), so an outage is counted and reported once.
"""

from __future__ import annotations

from web3 import Web3


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
