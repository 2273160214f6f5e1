"""Chain time as a validator has seen it: the latest block it read, and the chain's pace.

The validator decides phases from the timestamp of the latest block it has *seen*, never
from the host's clock: a host clock 5 s fast, or an RPC node a few blocks behind the head,
then cannot make it act on a phase the chain has not reached (docs/validator.md,
"Chain time"). The host clock only schedules sleeps.

A transaction lands in a later block than the one seen: on a chain that makes a block every
B seconds, about B seconds of chain time later. `BlockPace` measures B from the blocks seen.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

# Seconds per block assumed until two blocks have been seen: Ethereum's slot, the longest
# interval a validator is likely to meet, so early deadline estimates err on the safe side.
DEFAULT_BLOCK_INTERVAL_S = 12.0
# How many seen blocks the measured interval spans: enough to smooth a missed slot.
PACE_SPAN_BLOCKS = 32


@dataclass(frozen=True)
class SeenBlock:
    """A block the validator has read: its number and its timestamp (chain seconds)."""

    number: int
    timestamp: int


class BlockPace:
    """The chain's average block interval over the last blocks seen (not necessarily each)."""

    def __init__(self, span: int = PACE_SPAN_BLOCKS) -> None:
        self._seen: deque[SeenBlock] = deque(maxlen=span)

    def observe(self, block: SeenBlock) -> None:
        """Note a block read from the chain; an older or repeated one changes nothing."""
        if not self._seen or block.number > self._seen[-1].number:
            self._seen.append(block)

    def interval(self) -> float:
        """Seconds per block: (newest - oldest timestamp) / (newest - oldest number)."""
        if len(self._seen) < 2:
            return DEFAULT_BLOCK_INTERVAL_S
        first, last = self._seen[0], self._seen[-1]
        return (last.timestamp - first.timestamp) / (last.number - first.number)
