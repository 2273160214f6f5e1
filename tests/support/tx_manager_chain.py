"""Driving Anvil's block production by hand for the transaction manager tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from web3 import Web3

from oracle.chain.tx_manager import TxManager


def rpc(w3: Web3, method: str, *params: Any) -> Any:
    reply = w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
    assert "error" not in reply, reply
    return reply.get("result")


@contextmanager
def manual_mining(w3: Web3) -> Iterator[None]:
    """Blocks only when the test mines one (`mine`); afterwards automine again, at the base
    fee the chain had before (a fee spike must not leak into the next test)."""
    base = int(w3.eth.get_block("latest")["baseFeePerGas"])
    rpc(w3, "evm_setAutomine", False)
    try:
        yield
    finally:
        spike_base_fee(w3, base)
        rpc(w3, "evm_mine")  # whatever a test left in the pool lands, not in the next test
        rpc(w3, "evm_setAutomine", True)


def mine(w3: Web3, manager: TxManager | None = None, blocks: int = 1) -> None:
    """Mine `blocks` blocks one second apart, each followed by the manager's once-per-block
    check with the head's number, timestamp and base fee, as the validator's tick passes
    them (without a timestamp, blocks mined within one second could share one)."""
    for _ in range(blocks):
        rpc(w3, "evm_mine", int(w3.eth.get_block("latest")["timestamp"]) + 1)
        if manager is not None:
            head = w3.eth.get_block("latest")
            manager.on_block(
                int(head["number"]), int(head["timestamp"]), int(head["baseFeePerGas"])
            )


def spike_base_fee(w3: Web3, wei: int) -> None:
    """The next block's base fee (Anvil lets it decay by 1/8 per empty block after that)."""
    rpc(w3, "anvil_setNextBlockBaseFeePerGas", hex(wei))


def pool_nonces(w3: Web3, address: str) -> dict[int, dict[str, Any]]:
    """The node's pool of `address`: pending and queued transactions by nonce."""
    content = rpc(w3, "txpool_content")
    out: dict[int, dict[str, Any]] = {}
    for part in ("pending", "queued"):
        for nonce, tx in (content.get(part, {}).get(address.lower()) or {}).items():
            out[int(nonce)] = tx
    return out
