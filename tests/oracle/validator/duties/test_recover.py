"""The recovery decision: a round with no local ballot, the chain's ballot and the rebuilt
preimage in."""

from __future__ import annotations

import logging

from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import Note
from oracle.validator.duties.commit import JudgeFirst
from oracle.validator.duties.recover import (
    MarkChecked,
    Rebuilt,
    RecoverySnapshot,
    RestoreBallot,
    WaitForJudging,
    decide_recovery,
    rounds_to_check,
)
from tests.support.duty_snapshots import NONE, OURS, THEIRS, R, onchain

REBUILT = Rebuilt((4, 5), b"\x00\x02", b"\x33" * 32, OURS)


def snap(
    chain: bytes = OURS,
    *,
    previous: bool = False,
    revealed: bool = False,
    unjudged: tuple[int, ...] = (),
    rebuilt: Rebuilt | None = REBUILT,
) -> RecoverySnapshot:
    return RecoverySnapshot(
        R, previous, onchain(chain, revealed=revealed), (4, 5), unjudged, rebuilt
    )


def test_decide_recovery__not_committed_in_the_previous_round__checked_for_good() -> None:
    assert decide_recovery(snap(NONE, previous=True, rebuilt=None)) == [MarkChecked(R)]


def test_decide_recovery__not_committed_in_the_current_round__looked_at_again_later() -> None:
    assert decide_recovery(snap(NONE, rebuilt=None)) == []


def test_decide_recovery__proposals_not_judged_again_yet__judges_them_and_waits() -> None:
    assert decide_recovery(snap(unjudged=(5,), rebuilt=None)) == [
        JudgeFirst((5,)),
        WaitForJudging(),
    ]


def test_decide_recovery__rebuilt_commitment_differs__says_the_reveal_is_lost() -> None:
    note, checked = decide_recovery(snap(THEIRS))
    assert isinstance(note, Note) and note.level == logging.ERROR
    assert "cannot reproduce" in note.message and checked == MarkChecked(R)


def test_decide_recovery__rebuilt_matches__restored_committed_or_revealed() -> None:
    assert decide_recovery(snap()) == [RestoreBallot(R, REBUILT, BallotState.COMMITTED)]
    assert decide_recovery(snap(revealed=True)) == [RestoreBallot(R, REBUILT, BallotState.REVEALED)]


def test_rounds_to_check__checked_over_or_held_locally__left_out() -> None:
    ends = {4: 100, 5: 200}
    assert rounds_to_check(5, 150, ends, checked=set(), has_local=set()) == [5]  # 4 is over
    assert rounds_to_check(5, 50, ends, checked=set(), has_local=set()) == [4, 5]
    assert rounds_to_check(5, 50, ends, checked={4}, has_local={5}) == []
    assert rounds_to_check(0, 0, {0: 10}, checked=set(), has_local=set()) == [0]
