"""Reveal duty: send the stored preimage of every committed ballot in its reveal phase.

Decision (pure): the ballot, its round's timing, the seen block, the on-chain ballot and
whether our reveal is in flight in; what to do out: nothing yet, send, or settle the
ballot's state (revealed already, never committed, missed). The send goes through the
transaction manager (oracle/chain/tx_manager.py) without waiting, priced for the reveal
end and re-priced block by block while not mined; its outcome comes with a later block.
A ballot is missed only once a block past its reveal end is seen without it
(duty_phases.py). Stored ballots reveal without the model: a restarted validator reveals at
once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.client import OnChainBallot
from oracle.chain.revert_outcome import Outcome
from oracle.chain.round_clock import RoundTiming
from oracle.validator.ballot_state import OPEN_STATES, BallotState
from oracle.validator.duties.actions import (
    REVEAL_LATE,
    MarkBallot,
    Note,
    Refusal,
    after_vote_refused,
    late_send_note,
)
from oracle.validator.duties.vote_duty import VoteDuty, VoteOffers
from oracle.validator.duty_phases import RevealAction, reveal_action
from oracle.validator.store import StoredBallot
from oracle.validator.tx_intents import reveal_intent

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RevealSnapshot:
    round: int
    state: BallotState  # one of OPEN_STATES
    commitment: bytes  # the stored one
    timing: RoundTiming
    seen: SeenBlock
    block_interval_s: float
    onchain: OnChainBallot | None  # read only once the reveal phase may have begun
    in_flight: bool = False  # our reveal is sent and not mined yet (the transaction manager)


@dataclass(frozen=True)
class SendReveal:
    round: int


@dataclass(frozen=True)
class CountMissedReveal:
    round: int


RevealStep = MarkBallot | Note | SendReveal | CountMissedReveal


def needs_chain_view(
    timing: RoundTiming,
    seen: SeenBlock,
    block_interval_s: float,
    *,
    state: BallotState = BallotState.COMMITTED,
    in_flight: bool = False,
) -> bool:
    """Whether the decision will look at the on-chain ballot: not before the reveal phase,
    nor for a committed ballot whose reveal is in flight while the phase lasts."""
    action = reveal_action(timing, seen, block_interval_s)
    if action is RevealAction.WAIT:
        return False
    return not (
        in_flight and state is BallotState.COMMITTED and action is not RevealAction.PHASE_OVER
    )


def decide_reveal(s: RevealSnapshot) -> list[RevealStep]:
    action = reveal_action(s.timing, s.seen, s.block_interval_s)
    if action is RevealAction.WAIT:
        return []
    if s.in_flight and s.state is BallotState.COMMITTED and action is not RevealAction.PHASE_OVER:
        return []  # sent, not mined yet: re-priced for its deadline block by block
    if s.onchain is None:
        raise ValueError(f"round {s.round}: the reveal decision needs the on-chain ballot")
    if s.state is BallotState.PREPARED and s.onchain.commitment != s.commitment:
        return [MarkBallot(s.round, BallotState.MISSED)]  # never committed: nothing to reveal
    if s.in_flight and action is not RevealAction.PHASE_OVER:
        return []  # its outcome (mined: revealed) comes with a later block
    if s.onchain.revealed:
        return [MarkBallot(s.round, BallotState.REVEALED)]  # by a relayer, or before a crash
    if action is RevealAction.PHASE_OVER:
        note = "reveal phase ended before the reveal"
        return [
            CountMissedReveal(s.round),
            MarkBallot(s.round, BallotState.MISSED, note, logging.ERROR),
        ]
    seconds_left = int(s.seen.clock.seconds(s.timing.reveal_end - s.seen.now, s.block_interval_s))
    late = [late_send_note(s.round, seconds_left, s.block_interval_s, REVEAL_LATE)]
    return [*(late if action is RevealAction.AT_RISK else []), SendReveal(s.round)]


# The reveal can never pass: missed, so it is settled and withdraw() unblocks.
# (OracleNoStakeAtSnapshot: committed without stake, before that check existed; settled with no
# stake, so no slash.) Too early or a view a block apart: again on the next block. "Too late"
# is decided by a seen block past the deadline (decide_reveal), not by one refusal.
REVEAL_REFUSALS = {
    Outcome.DONE: Refusal(BallotState.REVEALED),
    Outcome.FATAL: Refusal(
        BallotState.MISSED, "reveal refused ({error}); it cannot pass", logging.ERROR
    ),
}


def after_reveal_refused(round_: int, outcome: Outcome, error: str) -> list[RevealStep]:
    return [*after_vote_refused("reveal", REVEAL_REFUSALS, round_, outcome, error)]


class RevealDuty(VoteDuty[RevealStep]):
    """Gathers each open ballot's snapshot and carries the decision out."""

    kind = "reveal"
    awaiting = OPEN_STATES  # revealed or missed: nothing left to record
    mined_state = BallotState.REVEALED

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.last_reveal_at = 0.0  # host monotonic time of our last reveal (finalize staggers)

    def run(self, seen: SeenBlock) -> None:
        e = self.engine
        interval = e.pace.interval()
        for b in e.store.ballots_in(OPEN_STATES):
            t = e.timing(b.round)
            in_flight = bool(e.tx.in_flight(reveal_intent(b.round)))
            onchain = (
                e.client.ballot_of(b.round, e.operator)
                if needs_chain_view(t, seen, interval, state=b.state, in_flight=in_flight)
                else None
            )
            snapshot = RevealSnapshot(
                b.round, b.state, b.commitment, t, seen, interval, onchain, in_flight
            )
            self.carry_out(decide_reveal(snapshot), b, t, seen)

    # VoteDuty: what a reveal is.
    def offered_to(self, relay: VoteOffers, b: StoredBallot, t: RoundTiming) -> bool:
        return relay.offer_reveal(b, t, self.engine.now())

    def intent(self, round_: int) -> str:
        return reveal_intent(round_)

    def call(self, b: StoredBallot) -> Any:
        return self.engine.client.fn("reveal", b.round, self.engine.operator, b.verdicts, b.salt)

    def deadline(self, t: RoundTiming) -> int:
        return t.reveal_end

    def after_refused(self, round_: int, outcome: Outcome, error: str) -> list[RevealStep]:
        return after_reveal_refused(round_, outcome, error)

    def on_sent(self) -> None:
        self.last_reveal_at = time.monotonic()

    def carry_out_own(
        self, step: RevealStep, b: StoredBallot, t: RoundTiming, seen: SeenBlock
    ) -> None:
        if isinstance(step, CountMissedReveal):
            self.engine.metrics.reveal_misses.inc()
        elif isinstance(step, SendReveal):
            self.send(b, t, seen)
