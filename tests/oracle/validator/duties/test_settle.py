"""The settle decision: our revealed or missed ballot, the chain's ballot and the round's
pending count in."""

from __future__ import annotations

import pytest

from oracle.chain.revert_outcome import Outcome
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import MarkBallot
from oracle.validator.duties.settle import (
    Escalate,
    SendSettle,
    SettleSnapshot,
    after_settle_refused,
    check_due,
    decide_settle,
)
from tests.support.duty_snapshots import NONE, OURS, R, T, onchain

VERDICTS = b"\x00\x02"


def missed(chain: bytes = OURS, *, pending: int = 0, **flags: bool) -> SettleSnapshot:
    return SettleSnapshot(R, BallotState.MISSED, VERDICTS, onchain(chain, **flags), pending)


def test_check_due__before_the_reveal_end_or_looked_at_just_now__not_yet() -> None:
    assert not check_due(T, T.reveal_end - 1, 100.0, 0.0)
    assert not check_due(T, T.reveal_end, 100.0, 99.5)
    assert check_due(T, T.reveal_end, 100.0, 99.0)


def test_decide_settle__revealed_and_round_decided__settles_with_the_verdicts() -> None:
    s = SettleSnapshot(R, BallotState.REVEALED, VERDICTS, None, 0)
    assert decide_settle(s) == [SendSettle(R, VERDICTS)]


def test_decide_settle__proposals_still_pending__waits() -> None:
    assert decide_settle(SettleSnapshot(R, BallotState.REVEALED, VERDICTS, None, 2)) == []
    assert decide_settle(missed(pending=2)) == []


def test_decide_settle__missed_never_committed__uncommitted_nothing_sent() -> None:
    assert decide_settle(missed(NONE)) == [MarkBallot(R, BallotState.UNCOMMITTED)]


def test_decide_settle__missed_but_settled_on_chain__recorded() -> None:
    assert decide_settle(missed(settled=True)) == [MarkBallot(R, BallotState.SETTLED)]


def test_decide_settle__missed_unrevealed__settles_empty_the_non_reveal_path() -> None:
    assert decide_settle(missed()) == [SendSettle(R, b"")]


def test_decide_settle__missed_here_but_revealed_by_a_relayer__settles_the_verdicts() -> None:
    assert decide_settle(missed(revealed=True)) == [SendSettle(R, VERDICTS)]


def test_decide_settle__missed_without_the_chain_view__raises() -> None:
    with pytest.raises(ValueError, match="needs the chain's"):
        decide_settle(SettleSnapshot(R, BallotState.MISSED, VERDICTS, None, 0))


def test_after_settle_refused__each_outcome__settled_wait_or_escalate() -> None:
    assert after_settle_refused(R, Outcome.DONE) == [MarkBallot(R, BallotState.SETTLED)]
    assert after_settle_refused(R, Outcome.TOO_EARLY) == []
    assert after_settle_refused(R, Outcome.RETRY) == []
    assert after_settle_refused(R, Outcome.FATAL) == [Escalate()]


def test_check_due__our_settle_in_flight__not_looked_at() -> None:
    assert not check_due(T, T.reveal_end, 100.0, 0.0, in_flight=True)
