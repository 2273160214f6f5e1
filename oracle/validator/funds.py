"""The hot signer pays gas for every vote: how much it holds, how much a few rounds need.

The estimate is deliberately rough (a round's commit + reveal + settle + a share of a
finalize for one validator, `bench/gas.py`: ~286k gas at one proposal a round, at the
fee the sender would offer now); it exists so the log says "send ~X ETH to ADDRESS"
instead of a traceback.
"""

from __future__ import annotations

import logging
import time

from web3 import Web3

from oracle.chain.errors import InsufficientFunds
from oracle.chain.units import format_eth

# One validator's gas for one small round (bench/gas.py, batched, 1 proposal: 285,824).
ROUND_GAS_ESTIMATE = 300_000
# Rounds of gas the signer should hold: enough to ride out a slow top-up.
FUNDED_ROUNDS = 10
# The same tip TxSender offers when the node has no eth_maxPriorityFeePerGas.
DEFAULT_TIP_WEI = 10**9
# A repeated shortfall is logged at most this often (each tick retries the vote).
SHORTFALL_LOG_EVERY_S = 60.0


def fee_per_gas(w3: Web3) -> int:
    """What the sender offers per gas now: 2 x base fee + tip (or the legacy gas price)."""
    block = w3.eth.get_block("latest")
    base = block.get("baseFeePerGas")
    if base is None:
        return int(w3.eth.gas_price)
    return 2 * int(base) + DEFAULT_TIP_WEI


def need_for_rounds(w3: Web3, rounds: int = FUNDED_ROUNDS) -> int:
    return rounds * ROUND_GAS_ESTIMATE * fee_per_gas(w3)


def signer_funds_line(w3: Web3, signer: str) -> tuple[bool, str]:
    """(enough, one log line) for the signer's balance against `FUNDED_ROUNDS` rounds."""
    balance = int(w3.eth.get_balance(Web3.to_checksum_address(signer)))
    need = need_for_rounds(w3)
    enough = balance >= need
    line = (
        f"signer {signer} balance {format_eth(balance)}; about {format_eth(need)} pays for "
        f"{FUNDED_ROUNDS} rounds of votes at the current gas price"
    )
    if not enough:
        line += f": send ETH to {signer}, it cannot vote without gas"
    return enough, line


class ShortfallLog:
    """One line per key per `SHORTFALL_LOG_EVERY_S` when a transaction lacks funds."""

    def __init__(self, logger: logging.Logger, signer: str) -> None:
        self.logger = logger
        self.signer = signer
        self._last: dict[str, float] = {}

    def note(self, exc: InsufficientFunds, what: str, w3: Web3) -> None:
        now = time.monotonic()
        if now - self._last.get(exc.address, -SHORTFALL_LOG_EVERY_S) < SHORTFALL_LOG_EVERY_S:
            return
        self._last[exc.address] = now
        role = "signer" if exc.address.lower() == self.signer.lower() else "operator"
        try:
            rounds = f", about {format_eth(need_for_rounds(w3))} for {FUNDED_ROUNDS} rounds"
        except Exception:
            rounds = ""  # the estimate is a courtesy; the line must still come out
        self.logger.error(
            "%s %s cannot pay for its %s transaction: balance %s, this one needs up to %s%s; "
            "send ETH to %s",
            role,
            exc.address,
            what,
            format_eth(exc.balance),
            format_eth(exc.cost),
            rounds,
            exc.address,
        )
