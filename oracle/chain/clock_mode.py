"""The oracle's clock (ERC-6372): block timestamps or block numbers, fixed at deployment.

Every time the oracle keeps (round phases, stake snapshots, unbonding, bounty locks) is a
reading of this clock and every duration is in its unit. A validator therefore compares the
contract's times with the same reading of the block it has seen (`SeenBlock.now`), and turns
a distance on the clock into blocks or seconds only where it schedules or prices something.

Why a block clock exists: under timestamps a chain that halts for longer than a phase skips
that phase (the first block after the halt is already past it), and a validator whose node
shows blocks a few seconds late may never see the phase open. Under block numbers a halt only
delays the phase: its blocks all still come (docs/protocol.md, "The clock").
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum

# ERC-6372's CLOCK_MODE() strings, as the contract returns them.
_MODE_STRINGS = {"mode=timestamp": 0, "mode=blocknumber&from=default": 1}


class ClockMode(IntEnum):
    """`OracleConfig.clockMode`: 0 block timestamps (seconds), 1 block numbers (blocks)."""

    TIMESTAMP = 0
    BLOCKNUMBER = 1

    @classmethod
    def from_erc6372(cls, mode: str) -> ClockMode:
        """The mode a contract's `CLOCK_MODE()` names; ValueError for any other string."""
        try:
            return cls(_MODE_STRINGS[mode])
        except KeyError:
            raise ValueError(f"unknown ERC-6372 clock mode {mode!r}") from None

    @property
    def unit(self) -> str:
        """The unit of every duration on this clock, for messages."""
        return "s" if self is ClockMode.TIMESTAMP else "blocks"

    def reading(self, number: int, timestamp: int) -> int:
        """The clock at a block with this number and timestamp."""
        return timestamp if self is ClockMode.TIMESTAMP else number

    def per_block(self, block_interval_s: float) -> float:
        """How far the clock moves from one block to the next (blocks every `block_interval_s`)."""
        return block_interval_s if self is ClockMode.TIMESTAMP else 1.0

    def blocks(self, span: float, block_interval_s: float) -> float:
        """How many blocks `span` of this clock takes."""
        return span / self.per_block(block_interval_s)

    def seconds(self, span: float, block_interval_s: float) -> float:
        """About how many seconds `span` of this clock takes."""
        return span if self is ClockMode.TIMESTAMP else span * block_interval_s

    def describe(self, value: int, now: int | None = None) -> str:
        """A reading for people: a UTC time or a block number, and how far it is from `now`."""
        if self is ClockMode.TIMESTAMP:
            shown = datetime.fromtimestamp(int(value), UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        else:
            shown = f"block {int(value)}"
        if now is None:
            return shown
        left = int(value) - now
        return shown + (f" (in {left} {self.unit})" if left > 0 else " (passed)")
