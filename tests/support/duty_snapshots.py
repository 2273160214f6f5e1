"""Plain values for the duties' pure decisions (tests/oracle/validator/duties): a round's
timing, a seen block, an on-chain ballot. No chain."""

from __future__ import annotations

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.client import OnChainBallot
from oracle.chain.round_clock import RoundClock

CLOCK = RoundClock(genesis=1_000, round_duration=12, reveal_duration=12)
R = 5
T = CLOCK.timing(R)  # commit [1060, 1072), reveal [1072, 1084)
B = 2.0  # seconds per block
OURS = b"\x11" * 32  # the stored commitment
THEIRS = b"\x22" * 32
NONE = b"\x00" * 32  # no commitment on chain


def at(ts: int) -> SeenBlock:
    return SeenBlock(number=ts - 900, timestamp=ts)


def onchain(
    commitment: bytes = OURS, *, revealed: bool = False, settled: bool = False
) -> OnChainBallot:
    return OnChainBallot(commitment, b"\x00" * 32, 10**18, revealed, settled)
