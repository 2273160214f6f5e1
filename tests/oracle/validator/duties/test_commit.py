"""The commit decisions: seal (the round's list and our verdicts in) and send (the chain's
ballot in)."""

from __future__ import annotations

import logging

import pytest

from oracle.chain.revert_outcome import Outcome
from oracle.model.labels import ABSTAIN, NUM_CLASSES
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import MarkBallot, Note
from oracle.validator.duties.commit import (
    CommitSendSnapshot,
    JudgeFirst,
    PassReason,
    PassRound,
    Seal,
    SealSnapshot,
    SendCommit,
    after_commit_refused,
    decide_commit_send,
    decide_seal,
)
from tests.support.duty_snapshots import NONE, OURS, THEIRS, B, R, onchain


def seal_snap(**over: object) -> SealSnapshot:
    base: dict[str, object] = {
        "round": R,
        "operator": "0xop",
        "round_size": 3,
        "snapshot_block": 77,
        "stake_at_snapshot": 10**18,
        "proposal_ids": (4, 5, 6),
        "list_hash_matches": True,
        "stored_verdicts": (0, 2, 1),
    }
    return SealSnapshot(**{**base, **over})  # type: ignore[arg-type]


def test_decide_seal__empty_round__passed() -> None:
    assert decide_seal(seal_snap(round_size=0, proposal_ids=(), stored_verdicts=())) == [
        PassRound(R, PassReason.EMPTY)
    ]


def test_decide_seal__no_stake_at_the_snapshot__passed_with_a_warning_naming_it() -> None:
    note, passed = decide_seal(seal_snap(stake_at_snapshot=0))
    assert passed == PassRound(R, PassReason.NO_STAKE)
    assert isinstance(note, Note) and note.level == logging.WARNING
    assert "0xop" in note.message and "(77)" in note.message


def test_decide_seal__list_hash_differs__passed_with_an_error() -> None:
    note, passed = decide_seal(seal_snap(list_hash_matches=False))
    assert passed == PassRound(R, PassReason.LIST_MISMATCH)
    assert isinstance(note, Note) and note.level == logging.ERROR


def test_decide_seal__some_proposals_unjudged__judges_those_first_and_seals_nothing() -> None:
    assert decide_seal(seal_snap(stored_verdicts=(0, None, None))) == [JudgeFirst((5, 6))]


def test_decide_seal__every_proposal_judged__seals_the_verdicts_in_list_order() -> None:
    assert decide_seal(seal_snap()) == [Seal(R, (4, 5, 6), bytes([0, 2, 1]))]


def test_decide_seal__an_abstention__stays_an_abstention_beside_the_classes() -> None:
    (seal,) = decide_seal(seal_snap(stored_verdicts=(0, ABSTAIN, NUM_CLASSES - 1)))
    assert isinstance(seal, Seal) and seal.verdicts == bytes([0, ABSTAIN, NUM_CLASSES - 1])


def send_snap(chain: bytes = NONE, *, at_risk: bool = False) -> CommitSendSnapshot:
    return CommitSendSnapshot(R, OURS, onchain(chain), at_risk, seconds_left=1, block_interval_s=B)


def test_decide_commit_send__nothing_on_chain__sends() -> None:
    assert decide_commit_send(send_snap()) == [SendCommit(R)]


def test_decide_commit_send__ours_on_chain_already__recorded_committed() -> None:
    (mark,) = decide_commit_send(send_snap(OURS))
    assert isinstance(mark, MarkBallot) and mark.state is BallotState.COMMITTED


def test_decide_commit_send__another_commitment_on_chain__missed_loudly() -> None:
    (mark,) = decide_commit_send(send_snap(THEIRS))
    assert isinstance(mark, MarkBallot) and mark.state is BallotState.MISSED
    assert mark.level == logging.ERROR


def test_decide_commit_send__within_a_block_of_the_reveal_phase__warns_and_sends() -> None:
    note, send = decide_commit_send(send_snap(at_risk=True))
    assert isinstance(note, Note) and "may land too late" in note.message
    assert send == SendCommit(R)


def test_after_commit_refused__each_outcome__maps_to_its_state() -> None:
    assert after_commit_refused(R, Outcome.DONE, "x") == [MarkBallot(R, BallotState.COMMITTED)]
    for outcome in (Outcome.TOO_LATE, Outcome.FATAL):
        (mark,) = after_commit_refused(R, outcome, "x")
        assert isinstance(mark, MarkBallot) and mark.state is BallotState.MISSED
    for outcome in (Outcome.TOO_EARLY, Outcome.RETRY):
        (note,) = after_commit_refused(R, outcome, "OracleNotCommitPhase")
        assert isinstance(note, Note) and f"commit {outcome.value}" in note.message


def test_decide_commit_send__our_commit_in_flight__waits_without_the_chain() -> None:
    s = CommitSendSnapshot(R, OURS, None, False, seconds_left=4, block_interval_s=B, in_flight=True)
    assert decide_commit_send(s) == []


def test_decide_commit_send__not_in_flight_without_the_chain_view__raises() -> None:
    s = CommitSendSnapshot(R, OURS, None, False, seconds_left=4, block_interval_s=B)
    with pytest.raises(ValueError, match="on-chain ballot"):
        decide_commit_send(s)
