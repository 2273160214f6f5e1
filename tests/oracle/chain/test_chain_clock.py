"""The block interval as measured from the blocks a validator has seen (no chain here)."""

from __future__ import annotations

import pytest

from oracle.chain.chain_clock import (
    DEFAULT_BLOCK_INTERVAL_S,
    MAX_POLL_DELAY_S,
    POLL_AFTER_DUE_S,
    BlockPace,
    SeenBlock,
    poll_delay,
)


def _pace_having_seen(blocks: list[tuple[int, int]], span: int | None = None) -> BlockPace:
    """A pace that observed `blocks` (number, timestamp) in this order."""
    pace = BlockPace() if span is None else BlockPace(span=span)
    for number, ts in blocks:
        pace.observe(SeenBlock(number, ts))
    return pace


def test_block_pace__fewer_than_two_blocks__assumes_the_default_interval() -> None:
    pace = BlockPace()
    assert pace.interval() == DEFAULT_BLOCK_INTERVAL_S
    pace.observe(SeenBlock(10, 1_000))
    pace.observe(SeenBlock(10, 1_000))  # the same block seen again
    assert pace.interval() == DEFAULT_BLOCK_INTERVAL_S


def test_block_pace__blocks_seen_with_gaps__averages_over_them() -> None:
    pace = _pace_having_seen([(10, 1_000), (12, 1_004), (15, 1_010)])
    assert pace.interval() == 2.0


def test_block_pace__older_block_from_a_lagging_node__is_ignored() -> None:
    pace = _pace_having_seen([(10, 1_000), (20, 1_020), (17, 1_014)])
    assert pace.interval() == 2.0


def test_block_pace__span__forgets_the_oldest_blocks() -> None:
    pace = _pace_having_seen([(1, 0), (2, 100), (3, 101)], span=2)
    assert pace.interval() == 1.0


def test_block_pace__two_blocks_seen__measured() -> None:
    pace = BlockPace()
    pace.observe(SeenBlock(1, 100))
    assert not pace.measured
    pace.observe(SeenBlock(2, 102))
    assert pace.measured


def test_poll_delay__block_just_seen__no_head_read_until_the_next_is_due() -> None:
    # 1.5 s blocks, 0.5 s polls: read again just after the next block is due, not before.
    due = 1.5 + POLL_AFTER_DUE_S
    assert poll_delay(0.0, block_interval_s=1.5, poll_interval_s=0.5) == pytest.approx(due)
    assert poll_delay(1.0, block_interval_s=1.5, poll_interval_s=0.5) == pytest.approx(due - 1)


def test_poll_delay__next_block_due__polls_at_the_poll_interval() -> None:
    assert poll_delay(2.0, block_interval_s=2.0, poll_interval_s=0.5) == 0.5
    assert poll_delay(30.0, block_interval_s=2.0, poll_interval_s=0.5) == 0.5  # a freeze


def test_poll_delay__blocks_faster_than_polls__polls_at_the_poll_interval() -> None:
    assert poll_delay(0.0, block_interval_s=0.2, poll_interval_s=0.25) == 0.25


def test_block_pace__a_long_halt_among_2_s_blocks__typical_gap_stays_2_s() -> None:
    # Seen in the merged tree: a poll paced on the mean (a 41 s halt, or a test's jump in
    # time) slept through the blocks that came after it, and a reveal went out late.
    pace = BlockPace()
    for number, ts in [(1, 0), (2, 2), (3, 4), (4, 45), (5, 47), (6, 49)]:
        pace.observe(SeenBlock(number, ts))
    assert pace.interval() == 9.8
    assert pace.typical_gap() == 2.0
    assert poll_delay(0.0, pace.typical_gap(), 0.25) == MAX_POLL_DELAY_S


def test_poll_delay__slow_pace__never_sleeps_past_the_cap() -> None:
    assert poll_delay(0.0, 12.0, 0.25) == MAX_POLL_DELAY_S
    assert poll_delay(11.0, 12.0, 0.25) == pytest.approx(1.0 + POLL_AFTER_DUE_S)
