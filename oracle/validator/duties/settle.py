"""Settle duty: settle our own ballots once their round is settleable.

Missed ballots (committed, never revealed) are settled too, with empty verdicts (the
non-reveal slash, docs/protocol.md): `withdraw()` refuses while any committed ballot is
unsettled, so leaving them open would lock the stake for good. Decision (pure): the
ballot, chain time, the on-chain ballot (missed ones) and the round's pending count in;
wait, record, or send. The settle goes through the transaction manager without waiting;
a ballot whose settle is in flight is not looked at until its outcome comes with a later
block.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from oracle.chain.client import OnChainBallot
from oracle.chain.errors import TxReverted
from oracle.chain.revert_outcome import Outcome, classify
from oracle.chain.round_clock import RoundTiming
from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_pricing import Priority
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import MarkBallot, carry_out_common, mined_revert
from oracle.validator.tx_intents import settle_intent

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)

SETTLE_STATES = (BallotState.REVEALED, BallotState.MISSED)
# Each ballot is looked at (chain reads) at most once per this many seconds (host clock).
CHECK_EVERY_S = 1.0


@dataclass(frozen=True)
class SettleSnapshot:
    round: int
    state: BallotState  # revealed or missed
    verdicts: bytes  # the stored ones
    onchain: OnChainBallot | None  # read for missed ballots only
    round_pending: int  # proposals of the round still pending on chain


@dataclass(frozen=True)
class SendSettle:
    round: int
    verdicts: bytes  # empty: the non-reveal path


@dataclass(frozen=True)
class Escalate:
    """A refusal retrying cannot change: counted and raised (the tick logs the step)."""


SettleStep = MarkBallot | SendSettle | Escalate


def check_due(
    timing: RoundTiming, now: int, host_now: float, last_checked: float, in_flight: bool = False
) -> bool:
    """Whether to look at a ballot now: its reveal phase is over on chain time, it was not
    looked at within the last CHECK_EVERY_S, and no settle of it is in flight."""
    if now < timing.reveal_end or host_now - last_checked < CHECK_EVERY_S:
        return False
    return not in_flight  # sent, not mined yet: its outcome comes with a later block


def decide_settle(s: SettleSnapshot) -> list[SettleStep]:
    verdicts = s.verdicts
    if s.state is BallotState.MISSED:
        if s.onchain is None:
            raise ValueError(f"round {s.round}: settling a missed ballot needs the chain's")
        if not s.onchain.committed:
            # The commit never landed: no ballot on chain, nothing to settle.
            return [MarkBallot(s.round, BallotState.UNCOMMITTED)]
        if s.onchain.settled:
            return [MarkBallot(s.round, BallotState.SETTLED)]
        # Revealed after all (by anyone holding the preimage, e.g. a relayer): the stored
        # verdicts; otherwise the non-reveal path takes empty verdicts.
        verdicts = s.verdicts if s.onchain.revealed else b""
    if s.round_pending:
        return []
    return [SendSettle(s.round, verdicts)]


def after_settle_refused(round_: int, outcome: Outcome) -> list[SettleStep]:
    if outcome is Outcome.DONE:
        return [MarkBallot(round_, BallotState.SETTLED)]
    if outcome in (Outcome.TOO_EARLY, Outcome.RETRY):
        return []  # not settleable yet, or raced: the next check decides
    return [Escalate()]


class SettleDuty:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.checked_at: dict[int, float] = {}

    def run(self, now: int) -> None:
        e = self.engine
        for b in e.store.ballots_in(SETTLE_STATES):
            t = e.timing(b.round)
            in_flight = bool(e.tx.in_flight(settle_intent(b.round)))
            last = self.checked_at.get(b.round, 0.0)
            if not check_due(t, now, time.monotonic(), last, in_flight):
                continue
            self.checked_at[b.round] = time.monotonic()
            onchain = (
                e.client.ballot_of(b.round, e.operator) if b.state is BallotState.MISSED else None
            )
            snapshot = SettleSnapshot(
                b.round, b.state, b.verdicts, onchain, e.client.round_info(b.round).pending
            )
            self._carry_out(decide_settle(snapshot), t)

    def _carry_out(self, steps: list[SettleStep], t: RoundTiming) -> None:
        for step in steps:
            if carry_out_common(step, self.engine.store, log):
                continue
            if isinstance(step, SendSettle):
                self._send(step, t)

    def _send(self, step: SendSettle, t: RoundTiming) -> None:
        e = self.engine
        try:
            e.tx.submit(
                settle_intent(step.round),
                e.client.fn("settle", step.round, e.operator, step.verdicts),
                priority=Priority.DUTY,
                on_result=partial(self.settled, step.round, step.verdicts),
            )
        except TxReverted as exc:
            outcome = classify("settle", exc, seen=e.seen, timing=t)
            steps = after_settle_refused(step.round, outcome)
            if any(isinstance(s, Escalate) for s in steps):
                e.metrics.tx_reverts.labels(kind="settle").inc()
                raise
            self._carry_out(steps, t)

    def settled(self, r: int, verdicts: bytes, a: Attempt) -> None:
        """The outcome of round r's settle transaction; a refused or replaced one is tried
        again by the next settle check."""
        e = self.engine
        current = e.store.ballot(r)
        if current is None or current.state not in SETTLE_STATES:
            return  # settled already (seen on chain by a settle check): nothing to record
        if a.state is AttemptState.MINED:
            e.metrics.votes_sent.labels(kind="settle").inc()
            e.store.set_ballot_state(r, BallotState.SETTLED, settle_tx=a.tx_hash)
            if not verdicts:
                log.warning("round %d: settled our missed ballot (non-reveal slash)", r)
        elif a.state is AttemptState.REVERTED:
            t = e.timing(r)
            steps = after_settle_refused(
                r, classify("settle", mined_revert(a), seen=e.seen, timing=t)
            )
            if any(isinstance(s, Escalate) for s in steps):
                # Mined and reverted: nothing to raise into; counted and said once.
                e.metrics.tx_reverts.labels(kind="settle").inc()
                log.warning("round %d: settle reverted on chain: %s", r, a.error)
                return
            self._carry_out(steps, t)
