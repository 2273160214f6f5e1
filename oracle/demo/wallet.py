"""Send the demo's own transactions (requester and treasury owner), signed locally."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3


class DemoTxError(RuntimeError):
    """A demo transaction reverted; the message names the call."""


class Wallet:
    def __init__(self, w3: Web3, account: LocalAccount) -> None:
        self.w3 = w3
        self.account = account
        self.address = Web3.to_checksum_address(account.address)

    def send(self, call: Any, *, value: int = 0, what: str) -> Any:
        """Sign, send and wait for `call`; returns the receipt or raises naming `what`."""
        return self.send_all([(call, value, what)])[0]

    def send_all(self, calls: Sequence[tuple[Any, int, str]]) -> list[Any]:
        """Send (call, value, what) triples with consecutive nonces, then wait for all.

        One mined block can carry them all, instead of one block per transaction.
        """
        nonce = self.w3.eth.get_transaction_count(self.address, "pending")
        sent = []
        for offset, (call, value, what) in enumerate(calls):
            try:
                tx = call.build_transaction(
                    {
                        "from": self.address,
                        "value": value,
                        "nonce": nonce + offset,
                        "chainId": self.w3.eth.chain_id,
                    }
                )
            except Exception as exc:  # gas estimation runs the call: a revert shows up here
                raise DemoTxError(f"{what} would revert: {exc}") from None
            # Headroom: the estimate ran on the pending block; when the transaction is
            # mined a new round may have started, and joining one writes more storage.
            tx["gas"] = int(tx["gas"]) * 3 // 2 + 50_000
            signed = self.account.sign_transaction(tx)
            sent.append((self.w3.eth.send_raw_transaction(signed.raw_transaction), what))
        receipts = []
        for tx_hash, what in sent:
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
            if receipt["status"] != 1:
                raise DemoTxError(f"{what} reverted in transaction {tx_hash.to_0x_hex()}")
            receipts.append(receipt)
        return receipts

    def transfer(self, to: str, value: int, *, what: str) -> Any:
        block = self.w3.eth.get_block("latest")
        tx: dict[str, Any] = {
            "from": self.address,
            "to": Web3.to_checksum_address(to),
            "value": value,
            "gas": 100_000,
            "nonce": self.w3.eth.get_transaction_count(self.address, "pending"),
            "chainId": self.w3.eth.chain_id,
            "maxFeePerGas": 2 * int(block.get("baseFeePerGas") or 10**9) + 10**9,
            "maxPriorityFeePerGas": 10**9,
        }
        signed = self.account.sign_transaction(tx)
        tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
        if receipt["status"] != 1:
            raise DemoTxError(f"{what} failed in transaction {tx_hash.to_0x_hex()}")
        return receipt
