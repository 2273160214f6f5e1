"""Transaction builders shared by the model tests."""

from __future__ import annotations

from eth_abi import encode as abi_encode

from oracle.chain.payload import TxRequest
from oracle.model.calldata import selector_of

USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
ALICE = "0x1111111111111111111111111111111111111111"
BOB = "0x2222222222222222222222222222222222222222"


def call(signature: str, types: list[str], args: list[object]) -> bytes:
    return selector_of(signature) + abi_encode(types, args)


def eth_transfer(memo: str, *, to: str = BOB, value: int = 10**18, chain_id: int = 1) -> TxRequest:
    return TxRequest(chain_id, ALICE, to, value, b"", memo)


def token_transfer(recipient: str, amount: int, memo: str = "") -> TxRequest:
    data = call("transfer(address,uint256)", ["address", "uint256"], [recipient, amount])
    return TxRequest(1, ALICE, USDC, 0, data, memo)
