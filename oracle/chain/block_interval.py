"""The target chain's block interval, measured from its recent block timestamps.

`ape run deploy` uses it to refuse round phases a block may not fall into
(`oracle.chain.params.phase_problems`).
"""

from __future__ import annotations

from collections.abc import Callable

# How many recent blocks the average spans: enough to smooth a missed slot.
SPAN_BLOCKS = 32


def average_block_interval(
    timestamp_of: Callable[[int], int], head: int, span: int = SPAN_BLOCKS
) -> float | None:
    """Seconds per block over the last `span` blocks up to `head` (None with fewer than 2).

    `timestamp_of(number)` is the timestamp of block `number`. A chain that mines on demand
    (Anvil's or Ganache's automine) has no fixed interval; its average is what it did lately.
    """
    first = max(0, head - span)
    if head <= first:
        return None
    return (timestamp_of(head) - timestamp_of(first)) / (head - first)
