"""Moving the shared Anvil's clock forward, so unit tests reach a round's phases at once."""

from __future__ import annotations

from oracle.chain.client import OracleClient


def advance_to(client: OracleClient, timestamp: int) -> None:
    """Mine a block at `timestamp` (if it is ahead of the chain) so later blocks follow it."""
    latest = int(client.w3.eth.get_block("latest")["timestamp"])
    if timestamp > latest:
        client.w3.provider.make_request("evm_increaseTime", [timestamp - latest])  # type: ignore[arg-type]
    client.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
