"""Start and stop a local Anvil node on 127.0.0.1: for the demo, the benchmarks and the tests."""

from __future__ import annotations

from typing import ClassVar

from oracle.chain.localnode import TEST_MNEMONIC, LocalNode, LocalNodeError, free_port, port_is_free

ANVIL_MNEMONIC = TEST_MNEMONIC

__all__ = ["ANVIL_MNEMONIC", "Anvil", "AnvilError", "free_port", "port_is_free"]


class AnvilError(LocalNodeError):
    """Anvil cannot start; the message says what to do."""


class Anvil(LocalNode):
    """An Anvil process on 127.0.0.1 (chain id 31337, EVM prague)."""

    name = "anvil"
    title = "Anvil"
    error: ClassVar[type[LocalNodeError]] = AnvilError
    set_balance_method = "anvil_setBalance"

    block_time_flag = "--block-time"

    def options(self, port: int, *, accounts: int) -> list[str]:
        return [
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--accounts",
            str(accounts),
            "--mnemonic",
            ANVIL_MNEMONIC,
            "--silent",
        ]
