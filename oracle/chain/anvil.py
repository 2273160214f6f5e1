"""Start and stop a local Anvil node on 127.0.0.1: for the demo, the benchmarks and the tests."""

from __future__ import annotations

import shutil
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

    def command(self, port: int, *, accounts: int, block_time: float | None) -> list[str]:
        binary = shutil.which("anvil")
        if binary is None:
            raise AnvilError(
                "anvil is not on PATH: run `make setup` (it installs node_modules/.bin/anvil) "
                "and put node_modules/.bin on PATH"
            )
        args = [
            binary,
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
        if block_time is not None:
            args += ["--block-time", str(block_time)]
        return args
