"""A real Safe 1.4.1 (singleton + SafeProxyFactory + proxy) driven with owner signatures.

Owned by the guard tests: deploys Safe's own compiled contracts from the npm package
(ape dependency `safe`), signs each `SafeTx` with the owners' keys (EIP-712, eth-account,
oracle/sdk/safe_tx.py) and executes it with `execTransaction`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_account import Account

from oracle.sdk.safe_deploy import setup_args
from oracle.sdk.safe_tx import Operation, SafeTx, sign_safe_tx

# GuardManager's storage slot: keccak256("guard_manager.guard.address").
GUARD_SLOT = 0x4A204F620C8C5CCDCA3FD54D003BADD85BA500436A431F0CBDA4F558C93C34C8


class SafeHarness:
    """One Safe proxy with `owners` (ape test accounts) and `threshold`."""

    def __init__(self, safe_package: Any, deployer: Any, owners: Sequence[Any], threshold: int):
        self.package = safe_package
        self.owners = list(owners)
        self.threshold = threshold
        singleton = deployer.deploy(safe_package.Safe)
        factory = deployer.deploy(safe_package.SafeProxyFactory)
        initializer = singleton.setup.encode_input(
            *setup_args([o.address for o in self.owners], threshold)
        )
        tx = factory.createProxyWithNonce(singleton.address, initializer, 0, sender=deployer)
        (created,) = tx.decode_logs(factory.ProxyCreation)
        self.safe = safe_package.Safe.at(created.proxy)
        self.singleton = singleton
        self.factory = factory

    @property
    def address(self) -> str:
        return str(self.safe.address)

    def nonce(self) -> int:
        # `ContractInstance.nonce` is the account nonce of the proxy; Safe's own `nonce()` view:
        return int(self.safe.call_view_method("nonce"))

    def safe_tx(self, to: str, value: int = 0, data: bytes = b"", operation: int = 0) -> SafeTx:
        return SafeTx(
            to=str(to),
            value=value,
            data=bytes(data),
            operation=Operation(operation),
            nonce=self.nonce(),
        )

    def sign(self, tx: SafeTx, signers: Sequence[Any] | None = None) -> bytes:
        signers = self.owners[: self.threshold] if signers is None else signers
        keys = [Account.from_key(s.private_key) for s in signers]
        return sign_safe_tx(self.address, int(self.safe.provider.chain_id), tx, keys)

    def execute(
        self,
        to: str,
        value: int = 0,
        data: bytes = b"",
        operation: int = 0,
        sender: Any = None,
    ) -> Any:
        """Sign with `threshold` owners and send `execTransaction` from the first owner."""
        tx = self.safe_tx(to, value, data, operation)
        return self.safe.execTransaction(
            *tx.exec_args(self.sign(tx)), sender=sender or self.owners[0]
        )

    def guard(self) -> str:
        """The guard installed on this Safe (Safe 1.4.1 has no getter: read its storage slot)."""
        raw = self.safe.provider.get_storage(self.address, GUARD_SLOT)
        return "0x" + bytes(raw)[-20:].hex()
