"""The oracle's clock (ERC-6372) as the validator reads it: one reading per block."""

from __future__ import annotations

import pytest

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.clock_mode import ClockMode


def test_from_erc6372__the_two_mode_strings__name_the_two_clocks() -> None:
    assert ClockMode.from_erc6372("mode=timestamp") is ClockMode.TIMESTAMP
    assert ClockMode.from_erc6372("mode=blocknumber&from=default") is ClockMode.BLOCKNUMBER


def test_from_erc6372__another_string__is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="mode=blocknumber&from=1"):
        ClockMode.from_erc6372("mode=blocknumber&from=1")


def test_seen_block_now__reads_the_timestamp_or_the_number() -> None:
    assert SeenBlock(7, 1_700, ClockMode.TIMESTAMP).now == 1_700
    assert SeenBlock(7, 1_700, ClockMode.BLOCKNUMBER).now == 7
    assert SeenBlock(7, 1_700).now == 1_700  # the default: timestamps, as deployed before


def test_blocks_and_seconds__convert_by_the_block_interval_only_where_it_applies() -> None:
    assert ClockMode.TIMESTAMP.blocks(24, block_interval_s=12.0) == 2
    assert ClockMode.BLOCKNUMBER.blocks(24, block_interval_s=12.0) == 24
    assert ClockMode.TIMESTAMP.seconds(24, block_interval_s=12.0) == 24
    assert ClockMode.BLOCKNUMBER.seconds(24, block_interval_s=12.0) == 288


def test_describe__names_a_time_or_a_block_and_the_distance() -> None:
    assert ClockMode.TIMESTAMP.describe(0) == "1970-01-01 00:00:00 UTC"
    assert ClockMode.TIMESTAMP.describe(60, now=0) == "1970-01-01 00:01:00 UTC (in 60 s)"
    assert ClockMode.BLOCKNUMBER.describe(120, now=100) == "block 120 (in 20 blocks)"
    assert ClockMode.BLOCKNUMBER.describe(90, now=100) == "block 90 (passed)"
