"""The block interval as measured from the blocks a validator has seen (no chain here)."""

from __future__ import annotations

from oracle.chain.chain_clock import DEFAULT_BLOCK_INTERVAL_S, BlockPace, SeenBlock


def test_block_pace__fewer_than_two_blocks__assumes_the_default_interval() -> None:
    pace = BlockPace()
    assert pace.interval() == DEFAULT_BLOCK_INTERVAL_S
    pace.observe(SeenBlock(10, 1_000))
    pace.observe(SeenBlock(10, 1_000))  # the same block seen again
    assert pace.interval() == DEFAULT_BLOCK_INTERVAL_S


def test_block_pace__blocks_seen_with_gaps__averages_over_them() -> None:
    pace = BlockPace()
    for number, ts in [(10, 1_000), (12, 1_004), (15, 1_010)]:
        pace.observe(SeenBlock(number, ts))
    assert pace.interval() == 2.0


def test_block_pace__older_block_from_a_lagging_node__is_ignored() -> None:
    pace = BlockPace()
    pace.observe(SeenBlock(10, 1_000))
    pace.observe(SeenBlock(20, 1_020))
    pace.observe(SeenBlock(17, 1_014))
    assert pace.interval() == 2.0


def test_block_pace__span__forgets_the_oldest_blocks() -> None:
    pace = BlockPace(span=2)
    for number, ts in [(1, 0), (2, 100), (3, 101)]:
        pace.observe(SeenBlock(number, ts))
    assert pace.interval() == 1.0
