"""Safe 1.4.1 transactions: the EIP-712 `SafeTx` typed data, its hash and owner signatures.

The Safe's domain is `EIP712Domain(uint256 chainId, address verifyingContract)` (no name or
version); `execTransaction` wants the owners' 65-byte ECDSA signatures `r || s || v`
concatenated in ascending order of owner address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from oracle.chain.abi_fields import fields

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

_DOMAIN_TYPE = fields("uint256 chainId", "address verifyingContract")
SAFE_TX_TYPE = fields(
    "address to",
    "uint256 value",
    "bytes data",
    "uint8 operation",
    "uint256 safeTxGas",
    "uint256 baseGas",
    "uint256 gasPrice",
    "address gasToken",
    "address refundReceiver",
    "uint256 nonce",
)
# `execTransaction` takes the SafeTx fields but the nonce (the Safe's own), then the signatures.
EXEC_TRANSACTION_INPUTS = [*SAFE_TX_TYPE[:-1], *fields("bytes signatures")]


class Operation(IntEnum):
    """Safe's `Enum.Operation`."""

    CALL = 0
    DELEGATE_CALL = 1


@dataclass(frozen=True)
class SafeTx:
    """One Safe transaction; gas and refund fields default to "no refund" (all zero)."""

    to: str
    value: int
    data: bytes
    operation: Operation
    nonce: int
    safe_tx_gas: int = 0
    base_gas: int = 0
    gas_price: int = 0
    gas_token: str = ZERO_ADDRESS
    refund_receiver: str = ZERO_ADDRESS

    def exec_args(self, signatures: bytes) -> tuple[Any, ...]:
        """The arguments of `Safe.execTransaction`, in order."""
        return (
            to_checksum_address(self.to),
            self.value,
            self.data,
            int(self.operation),
            self.safe_tx_gas,
            self.base_gas,
            self.gas_price,
            to_checksum_address(self.gas_token),
            to_checksum_address(self.refund_receiver),
            signatures,
        )


def safe_tx_typed_data(safe: str, chain_id: int, tx: SafeTx) -> dict[str, Any]:
    """The full EIP-712 message of `tx` for the Safe at `safe`."""
    return {
        "types": {"EIP712Domain": _DOMAIN_TYPE, "SafeTx": SAFE_TX_TYPE},
        "primaryType": "SafeTx",
        "domain": {"chainId": chain_id, "verifyingContract": to_checksum_address(safe)},
        "message": {
            "to": to_checksum_address(tx.to),
            "value": tx.value,
            "data": tx.data,
            "operation": int(tx.operation),
            "safeTxGas": tx.safe_tx_gas,
            "baseGas": tx.base_gas,
            "gasPrice": tx.gas_price,
            "gasToken": to_checksum_address(tx.gas_token),
            "refundReceiver": to_checksum_address(tx.refund_receiver),
            "nonce": tx.nonce,
        },
    }


def safe_tx_hash(safe: str, chain_id: int, tx: SafeTx) -> bytes:
    """What `Safe.getTransactionHash(...)` returns for `tx`."""
    signable = encode_typed_data(full_message=safe_tx_typed_data(safe, chain_id, tx))
    # EIP-712 digest: keccak256(0x19 0x01 || domainSeparator || structHash).
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def sign_safe_tx(
    safe: str, chain_id: int, tx: SafeTx, owners: Sequence[LocalAccount | bytes | str]
) -> bytes:
    """Owner signatures for `execTransaction`: sorted by owner address, `r || s || v` each."""
    message = encode_typed_data(full_message=safe_tx_typed_data(safe, chain_id, tx))
    signed: list[tuple[int, bytes]] = []
    for owner in owners:
        account = owner if isinstance(owner, LocalAccount) else Account.from_key(owner)
        signature = account.sign_message(message)
        packed = (
            signature.r.to_bytes(32, "big") + signature.s.to_bytes(32, "big") + bytes([signature.v])
        )
        signed.append((int(account.address, 16), packed))
    return b"".join(sig for _, sig in sorted(signed))
