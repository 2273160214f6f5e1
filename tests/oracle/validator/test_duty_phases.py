"""When a commit and a reveal may go out, decided on the latest seen block (no chain here)."""

from __future__ import annotations

import pytest

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.clock_mode import ClockMode
from oracle.chain.round_clock import RoundClock
from oracle.validator.duty_phases import (
    CommitAction,
    RevealAction,
    commit_action,
    reveal_action,
)

CLOCK = RoundClock(genesis=1_000, round_duration=12, reveal_duration=12)
R = 5
T = CLOCK.timing(R)  # commit [1060, 1072), reveal [1072, 1084)
B = 2.0  # seconds per block


def at(ts: int) -> SeenBlock:
    return SeenBlock(number=ts - 900, timestamp=ts)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        (T.commit_start - 1, CommitAction.WAIT),  # the list may still grow
        (T.commit_start, CommitAction.COMMIT),
        (T.reveal_start - 3, CommitAction.COMMIT),
        (T.reveal_start - 2, CommitAction.AT_RISK),  # the next block may be in the reveal
        (T.reveal_start - 1, CommitAction.AT_RISK),
        (T.reveal_start, CommitAction.TOO_LATE),
        (T.reveal_end + 50, CommitAction.TOO_LATE),
    ],
)
def test_commit_action__seen_block_time__decides_the_commit(seen: int, expected: str) -> None:
    assert commit_action(T, at(seen), B) is expected


def test_commit_action__host_clock_ahead_but_no_block_of_the_phase_seen__waits() -> None:
    # Whatever the host clock says, a chain whose latest block is before the commit start
    # may still add proposals to the round: no commit over a partial list.
    assert commit_action(T, at(T.commit_start - 1), block_interval_s=0.0) is CommitAction.WAIT


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        (T.commit_start, RevealAction.WAIT),
        (T.reveal_start - 1, RevealAction.WAIT),  # a block of the commit phase: not yet
        (T.reveal_start, RevealAction.REVEAL),
        (T.reveal_end - 3, RevealAction.REVEAL),
        (T.reveal_end - 2, RevealAction.AT_RISK),  # still sent: a block may come sooner
        (T.reveal_end - 1, RevealAction.AT_RISK),
        (T.reveal_end, RevealAction.PHASE_OVER),
    ],
)
def test_reveal_action__seen_block_time__decides_the_reveal(seen: int, expected: str) -> None:
    assert reveal_action(T, at(seen), B) is expected


def test_reveal_action__lagging_node_behind_the_deadline__still_reveals() -> None:
    # A node a few blocks behind shows an older block: the phase is not over until a block
    # at or after the reveal end is seen, so the reveal is still tried, never given up.
    assert reveal_action(T, at(T.reveal_end - 1), block_interval_s=12.0) is RevealAction.AT_RISK


# Under the block clock (clockMode 1) the round's times are block numbers.
BLOCKS = RoundClock(genesis=100, round_duration=10, reveal_duration=10).timing(R)


def at_block(number: int, timestamp: int = 1_000_000) -> SeenBlock:
    return SeenBlock(number=number, timestamp=timestamp, clock=ClockMode.BLOCKNUMBER)


def test_reveal_action__block_clock_after_a_long_halt__still_reveals() -> None:
    # The soak's failure under timestamps: a halt longer than the phase. Under the block
    # clock the first block after it is still in the phase, whatever its timestamp.
    assert reveal_action(BLOCKS, at_block(BLOCKS.reveal_start + 2, 10**9), B) is (
        RevealAction.REVEAL
    )


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (BLOCKS.reveal_start - 1, RevealAction.WAIT),
        (BLOCKS.reveal_start, RevealAction.REVEAL),
        (BLOCKS.reveal_end - 2, RevealAction.REVEAL),
        (BLOCKS.reveal_end - 1, RevealAction.AT_RISK),  # the next block is the deadline
        (BLOCKS.reveal_end, RevealAction.PHASE_OVER),
    ],
)
def test_reveal_action__block_clock__decides_on_the_seen_block_number(
    number: int, expected: RevealAction
) -> None:
    # The block interval (12 s here) does not matter: one block moves the clock by one.
    assert reveal_action(BLOCKS, at_block(number), block_interval_s=12.0) is expected


def test_commit_action__block_clock__waits_for_a_block_of_the_commit_phase() -> None:
    assert commit_action(BLOCKS, at_block(BLOCKS.commit_start - 1), B) is CommitAction.WAIT
    assert commit_action(BLOCKS, at_block(BLOCKS.commit_start), B) is CommitAction.COMMIT
