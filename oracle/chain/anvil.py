"""Start and stop a local Anvil node on 127.0.0.1: for the demo, the benchmarks and the tests."""

from __future__ import annotations

from pathlib import Path

from oracle.chain.localnode import TEST_MNEMONIC, LocalNode, LocalNodeError, free_port, port_is_free

ANVIL_MNEMONIC = TEST_MNEMONIC

__all__ = ["ANVIL_MNEMONIC", "Anvil", "LocalNodeError", "free_port", "port_is_free"]


class Anvil(LocalNode):
    """An Anvil process on 127.0.0.1 (chain id 31337, EVM prague).

    `mixed_mining=True` (with `block_time`) mines every transaction at once, as automine
    does, and a block every `block_time` seconds besides: chain time moves on an idle chain,
    as on a real one, so validators that decide phases on seen blocks never wait for a
    transaction to make the next block (docs/validator.md, "Chain time").
    """

    name = "anvil"
    title = "Anvil"
    set_balance_method = "anvil_setBalance"

    block_time_flag = "--block-time"

    def __init__(
        self,
        port: int | None = None,
        *,
        accounts: int = 20,
        block_time: float | None = None,
        mixed_mining: bool = False,
        log_path: Path | None = None,
    ) -> None:
        if mixed_mining and block_time is None:
            raise ValueError("mixed_mining needs a block_time (the interval between blocks)")
        self.mixed_mining = mixed_mining
        super().__init__(port, accounts=accounts, block_time=block_time, log_path=log_path)

    def options(self, port: int, *, accounts: int) -> list[str]:
        flags = f"--host 127.0.0.1 --port {port} --accounts {accounts} --silent"
        mixed = ["--mixed-mining"] if self.mixed_mining else []
        return [*flags.split(), *mixed, "--mnemonic", ANVIL_MNEMONIC]
