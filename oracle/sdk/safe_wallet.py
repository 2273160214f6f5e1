"""A Safe 1.4.1 seen from Python: its nonce, and `execTransaction` signed by owner keys.

Only the three Safe functions a backend needs are declared (no Safe artifacts required);
deploying a Safe for tests and the demo is `oracle.sdk.safe_deploy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from oracle.chain.sender import SentTx, TxSender
from oracle.sdk.safe_tx import EXEC_TRANSACTION_INPUTS, Operation, SafeTx, sign_safe_tx

SAFE_ABI: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "nonce",
        "stateMutability": "view",
        "inputs": [],
        "outputs": [{"name": "", "type": "uint256"}],
    },
    {
        "type": "function",
        "name": "execTransaction",
        "stateMutability": "payable",
        "inputs": EXEC_TRANSACTION_INPUTS,
        "outputs": [{"name": "success", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "setGuard",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "guard", "type": "address"}],
        "outputs": [],
    },
]


class SafeWallet:
    """One Safe at `address`; `owners` sign, `sender` pays the gas of `execTransaction`."""

    def __init__(self, w3: Web3, address: str, *, chain_id: int) -> None:
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.chain_id = chain_id
        self.contract = w3.eth.contract(address=self.address, abi=SAFE_ABI)

    def nonce(self) -> int:
        return int(self.contract.functions.nonce().call())

    def transaction(
        self, to: str, value: int = 0, data: bytes = b"", operation: Operation = Operation.CALL
    ) -> SafeTx:
        """The next Safe transaction (current nonce, no refund)."""
        return SafeTx(to=to, value=value, data=data, operation=operation, nonce=self.nonce())

    def execute(
        self,
        tx: SafeTx,
        owners: Sequence[LocalAccount],
        sender: TxSender,
        *,
        gas: int | None = None,
    ) -> SentTx:
        """Sign `tx` with `owners` (at least the threshold) and send `execTransaction`.

        Raises TxReverted naming the guard's custom error when the guard refuses it."""
        signatures = sign_safe_tx(self.address, self.chain_id, tx, owners)
        return sender.send_call(
            self.contract.functions.execTransaction(*tx.exec_args(signatures)), gas=gas
        )

    def set_guard_data(self, guard: str) -> bytes:
        """Calldata of `setGuard(guard)` (a Safe transaction to the Safe itself)."""
        return bytes.fromhex(
            self.contract.functions.setGuard(
                Web3.to_checksum_address(guard)
            )._encode_transaction_data()[2:]
        )
