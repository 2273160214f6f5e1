"""Start and stop a local Anvil node on 127.0.0.1: for the demo, the benchmarks and the tests."""

from __future__ import annotations

from oracle.chain.localnode import TEST_MNEMONIC, LocalNode, LocalNodeError, free_port, port_is_free

ANVIL_MNEMONIC = TEST_MNEMONIC

__all__ = ["ANVIL_MNEMONIC", "Anvil", "LocalNodeError", "free_port", "port_is_free"]


class Anvil(LocalNode):
    """An Anvil process on 127.0.0.1 (chain id 31337, EVM prague)."""

    name = "anvil"
    title = "Anvil"
    set_balance_method = "anvil_setBalance"

    block_time_flag = "--block-time"

    def options(self, port: int, *, accounts: int) -> list[str]:
        flags = f"--host 127.0.0.1 --port {port} --accounts {accounts} --silent"
        return [*flags.split(), "--mnemonic", ANVIL_MNEMONIC]
