"""The reveal decision: a stored ballot, the seen block and the chain's ballot in; actions out."""

from __future__ import annotations

import logging

import pytest

from oracle.chain.revert_outcome import Outcome
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import MarkBallot, Note
from oracle.validator.duties.reveal import (
    CountMissedReveal,
    RevealSnapshot,
    SendReveal,
    after_reveal_refused,
    decide_reveal,
    needs_chain_view,
)
from tests.support.duty_snapshots import NONE, OURS, THEIRS, B, R, T, at, onchain


def snap(seen: int, state: BallotState = BallotState.COMMITTED, **chain: object) -> RevealSnapshot:
    view = onchain(**chain) if seen >= T.reveal_start else None  # type: ignore[arg-type]
    return RevealSnapshot(R, state, OURS, T, at(seen), B, view)


def test_decide_reveal__seen_block_before_the_reveal_phase__waits_without_the_chain() -> None:
    assert not needs_chain_view(T, at(T.reveal_start - 1), B)
    assert decide_reveal(snap(T.reveal_start - 1)) == []


def test_decide_reveal__in_the_reveal_phase__sends() -> None:
    assert needs_chain_view(T, at(T.reveal_start), B)
    assert decide_reveal(snap(T.reveal_start)) == [SendReveal(R)]


def test_decide_reveal__within_a_block_of_the_deadline__warns_and_still_sends() -> None:
    steps = decide_reveal(snap(T.reveal_end - 1))
    assert isinstance(steps[0], Note) and steps[0].level == logging.WARNING
    assert "may land too late" in steps[0].message
    assert steps[1:] == [SendReveal(R)]


def test_decide_reveal__prepared_ballot_never_committed__missed_without_a_send() -> None:
    steps = decide_reveal(snap(T.reveal_start, BallotState.PREPARED, commitment=NONE))
    assert steps == [MarkBallot(R, BallotState.MISSED)]


def test_decide_reveal__prepared_ballot_committed_before_a_crash__reveals() -> None:
    assert decide_reveal(snap(T.reveal_start, BallotState.PREPARED)) == [SendReveal(R)]


def test_decide_reveal__another_commitment_on_chain_for_a_prepared_ballot__missed() -> None:
    steps = decide_reveal(snap(T.reveal_start, BallotState.PREPARED, commitment=THEIRS))
    assert steps == [MarkBallot(R, BallotState.MISSED)]


@pytest.mark.parametrize("seen", [T.reveal_start, T.reveal_end])
def test_decide_reveal__revealed_on_chain_already__recorded_not_sent(seen: int) -> None:
    assert decide_reveal(snap(seen, revealed=True)) == [MarkBallot(R, BallotState.REVEALED)]


def test_decide_reveal__block_past_the_reveal_end_seen__counted_and_missed() -> None:
    count, mark = decide_reveal(snap(T.reveal_end))
    assert count == CountMissedReveal(R)
    assert isinstance(mark, MarkBallot) and mark.state is BallotState.MISSED
    assert mark.level == logging.ERROR and "ended before the reveal" in mark.note


def test_decide_reveal__chain_view_missing_in_the_phase__raises() -> None:
    with pytest.raises(ValueError, match="needs the on-chain ballot"):
        decide_reveal(
            RevealSnapshot(R, BallotState.COMMITTED, OURS, T, at(T.reveal_start), B, None)
        )


def test_after_reveal_refused__each_outcome__done_revealed_fatal_missed_others_retry() -> None:
    assert after_reveal_refused(R, Outcome.DONE, "x") == [MarkBallot(R, BallotState.REVEALED)]
    (fatal,) = after_reveal_refused(R, Outcome.FATAL, "OracleNoStakeAtSnapshot")
    assert isinstance(fatal, MarkBallot) and fatal.state is BallotState.MISSED
    assert "OracleNoStakeAtSnapshot" in fatal.note
    for outcome in (Outcome.TOO_EARLY, Outcome.TOO_LATE, Outcome.RETRY):
        (note,) = after_reveal_refused(R, outcome, "x")
        assert isinstance(note, Note) and "next block" in note.message


def test_decide_reveal__our_reveal_in_flight__waits_without_the_chain() -> None:
    seen = at(T.reveal_start)
    assert not needs_chain_view(T, seen, B, state=BallotState.COMMITTED, in_flight=True)
    s = RevealSnapshot(R, BallotState.COMMITTED, OURS, T, seen, B, None, in_flight=True)
    assert decide_reveal(s) == []


def test_decide_reveal__in_flight_for_a_prepared_ballot_never_committed__still_missed() -> None:
    seen = at(T.reveal_start)
    assert needs_chain_view(T, seen, B, state=BallotState.PREPARED, in_flight=True)
    s = RevealSnapshot(R, BallotState.PREPARED, OURS, T, seen, B, onchain(NONE), in_flight=True)
    assert decide_reveal(s) == [MarkBallot(R, BallotState.MISSED)]
    s = RevealSnapshot(R, BallotState.PREPARED, OURS, T, seen, B, onchain(), in_flight=True)
    assert decide_reveal(s) == []


def test_decide_reveal__in_flight_past_the_deadline__missed_unless_revealed_on_chain() -> None:
    seen = at(T.reveal_end)
    assert needs_chain_view(T, seen, B, state=BallotState.COMMITTED, in_flight=True)
    s = RevealSnapshot(R, BallotState.COMMITTED, OURS, T, seen, B, onchain(), in_flight=True)
    assert decide_reveal(s)[-1] == MarkBallot(
        R, BallotState.MISSED, "reveal phase ended before the reveal", logging.ERROR
    )
    s = RevealSnapshot(
        R, BallotState.COMMITTED, OURS, T, seen, B, onchain(revealed=True), in_flight=True
    )
    assert decide_reveal(s) == [MarkBallot(R, BallotState.REVEALED)]
