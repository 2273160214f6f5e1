"""Chain time as a validator has seen it: the latest block it read, and the chain's pace.

The validator decides phases from the latest block it has *seen* (its timestamp, or its number
when the oracle runs on the block clock, oracle.chain.clock_mode), never
from the host's clock: a host clock 5 s fast, or an RPC node a few blocks behind the head,
then cannot make it act on a phase the chain has not reached (docs/validator.md,
"Chain time"). The host clock only schedules sleeps.

A transaction lands in a later block than the one seen: on a chain that makes a block every
B seconds, about B seconds of chain time later. `BlockPace` measures B from the blocks seen.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass
from itertools import pairwise

from oracle.chain.clock_mode import ClockMode

# Seconds per block assumed until two blocks have been seen: Ethereum's slot, the longest
# interval a validator is likely to meet, so early deadline estimates err on the safe side.
DEFAULT_BLOCK_INTERVAL_S = 12.0
# How many seen blocks the measured interval spans: enough to smooth a missed slot.
PACE_SPAN_BLOCKS = 32
# The longest wait between two head reads, whatever the pace: blocks seen only now and then
# (a validator reads the head, not every block) after a halt or a jump in time (tests) can
# make even the median gap long, and a reveal must not wait that out.
MAX_POLL_DELAY_S = 2.0
# The first head read after a block comes this long after the next one is due: reading just
# before it (one poll early, as before) cost a second read nearly every block (the soak:
# 2.4 head reads a block), and the block seen still lags its mining by under a poll interval.
POLL_AFTER_DUE_S = 0.1


@dataclass(frozen=True)
class SeenBlock:
    """A block the validator has read: its number, its timestamp (chain seconds), the
    oracle's clock it is read on (`now`: what the contract's phase checks would compare),
    and its base fee (None: not read, or a chain without EIP-1559)."""

    number: int
    timestamp: int
    clock: ClockMode = ClockMode.TIMESTAMP
    base_fee: int | None = None

    @property
    def now(self) -> int:
        """This block on the oracle's clock: its timestamp, or its number under the block clock."""
        return self.clock.reading(self.number, self.timestamp)


class BlockPace:
    """The chain's average block interval over the last blocks seen (not necessarily each)."""

    def __init__(self, span: int = PACE_SPAN_BLOCKS) -> None:
        self._seen: deque[SeenBlock] = deque(maxlen=span)

    def observe(self, block: SeenBlock) -> None:
        """Note a block read from the chain; an older or repeated one changes nothing."""
        if not self._seen or block.number > self._seen[-1].number:
            self._seen.append(block)

    @property
    def measured(self) -> bool:
        """Whether two blocks have been seen (before that `interval` is the default)."""
        return len(self._seen) >= 2

    def interval(self) -> float:
        """Seconds per block: (newest - oldest timestamp) / (newest - oldest number)."""
        if len(self._seen) < 2:
            return DEFAULT_BLOCK_INTERVAL_S
        first, last = self._seen[0], self._seen[-1]
        return (last.timestamp - first.timestamp) / (last.number - first.number)

    def typical_gap(self) -> float:
        """The median seconds per block between consecutive blocks seen: when the next
        block is likely, unmoved by one long halt or a jump in time (both inflate the mean,
        and a poll scheduled on it would sleep through the blocks after the halt)."""
        gaps = [
            (b.timestamp - a.timestamp) / (b.number - a.number) for a, b in pairwise(self._seen)
        ]
        return statistics.median(gaps) if gaps else DEFAULT_BLOCK_INTERVAL_S


def poll_delay(since_new_block_s: float, block_interval_s: float, poll_interval_s: float) -> float:
    """Seconds until the next head read (host clock: scheduling only).

    Every `poll_interval_s`, except early in a block interval: a block seen
    `since_new_block_s` ago is not followed by the next before about one interval, so
    reading the head before then only costs requests (a validator polling every 0.25 s
    read the head 8 times per 2 s block). Reading resumes `POLL_AFTER_DUE_S` after the
    next block is due, and never waits longer than `MAX_POLL_DELAY_S`.
    """
    if block_interval_s <= poll_interval_s:
        return poll_interval_s  # blocks come faster than polls: every poll finds one
    due = block_interval_s + POLL_AFTER_DUE_S - since_new_block_s
    return max(poll_interval_s, min(due, MAX_POLL_DELAY_S))
