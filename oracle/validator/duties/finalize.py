"""Finalize duty: anyone may finalize a round's pending proposals; every validator tries.

Decision (pure): the round's timing, chain time, its pending ids, whether our own reveal
is in, and the host-clock schedule (when the round was first due, our last reveal, our
stagger, our last attempt) in; wait or send. Validators take turns so one finalizeMany
usually does it: the stagger runs on the host clock (scheduling only, never a phase
decision) from when this validator first found the round due, or from its own last reveal.
Each finalizeMany part goes through the transaction manager without waiting; a round with a
part in flight is not tried again until its outcome comes with a later block.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from eth_utils import keccak

from oracle.chain.errors import TxReverted
from oracle.chain.gas_cap import fitting_prefix
from oracle.chain.revert_outcome import Outcome, classify
from oracle.chain.round_clock import RoundTiming
from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_pricing import Priority
from oracle.validator.ballot_state import REVEAL_DONE_STATES
from oracle.validator.duties.actions import Note, mined_revert
from oracle.validator.tx_intents import finalize_intent, finalize_prefix

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)

# At most one finalize attempt per round per this many seconds (host clock).
RETRY_EVERY_S = 1.0


@dataclass(frozen=True)
class FinalizeSnapshot:
    round: int
    timing: RoundTiming
    now: int  # chain time
    pending_ids: tuple[int, ...]  # as far as the store knows
    revealed_here: bool  # our reveal is in (or there is nothing of ours to reveal)
    host_now: float  # monotonic
    due_since: float | None  # when this validator first found the round due
    last_reveal_at: float
    stagger_s: float
    last_tried_at: float
    in_flight: bool = False  # a finalizeMany of the round is sent and not mined yet


@dataclass(frozen=True)
class NoteDue:
    round: int
    at: float


@dataclass(frozen=True)
class SendFinalize:
    round: int
    proposal_ids: tuple[int, ...]


FinalizeStep = NoteDue | SendFinalize | Note


def finalize_stagger(operator: str, r: int) -> float:
    """0 to 0.9 s, different per (validator, round): spreads the finalizers out."""
    return (keccak(text=f"{operator}:{r}")[0] % 4) * 0.3


def decide_finalize(s: FinalizeSnapshot) -> list[FinalizeStep]:
    if s.now < s.timing.reveal_start or not s.pending_ids:
        return []
    if s.now < s.timing.reveal_end and not s.revealed_here:
        return []  # early finalization only once our own reveal is in
    steps: list[FinalizeStep] = []
    since = s.due_since
    if since is None:
        since = s.host_now
        steps.append(NoteDue(s.round, s.host_now))
    if s.host_now < max(since, s.last_reveal_at) + s.stagger_s:
        return steps
    if s.host_now - s.last_tried_at < RETRY_EVERY_S:
        return steps
    if s.in_flight:
        return steps  # sent, not mined yet: the next blocks tell
    steps.append(SendFinalize(s.round, s.pending_ids))
    return steps


def after_finalize_refused(round_: int, outcome: Outcome, error: str) -> list[Note]:
    if outcome is Outcome.DONE:
        # Finalized by a peer first (mined after its finalizeMany, or our event view lags a
        # block): the ProposalFinalized events update the store.
        return [Note(logging.INFO, f"round {round_}: finalized by someone else first")]
    if outcome is Outcome.TOO_EARLY:
        return []
    return [Note(logging.WARNING, f"round {round_}: finalize refused: {error}")]


class FinalizeDuty:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.due_since: dict[int, float] = {}
        self.tried_at: dict[int, float] = {}

    def run(self, cr: int, now: int) -> None:
        e = self.engine
        for r in e.store.pending_rounds(cr):
            b = e.store.ballot(r)
            snapshot = FinalizeSnapshot(
                round=r,
                timing=e.timing(r),
                now=now,
                pending_ids=tuple(e.store.pending_in_round(r)),
                revealed_here=b is None or b.state in REVEAL_DONE_STATES,
                host_now=time.monotonic(),
                due_since=self.due_since.get(r),
                last_reveal_at=e.reveal_duty.last_reveal_at,
                stagger_s=finalize_stagger(e.operator, r),
                last_tried_at=self.tried_at.get(r, 0.0),
                in_flight=e.tx.in_flight_like(finalize_prefix(r)),
            )
            for step in decide_finalize(snapshot):
                if isinstance(step, NoteDue):
                    self.due_since[step.round] = step.at
                elif isinstance(step, SendFinalize):
                    self.tried_at[step.round] = time.monotonic()
                    self._send(step, snapshot.timing)

    def _send(self, step: SendFinalize, t: RoundTiming) -> None:
        try:
            self._finalize_in_parts(step.round, list(step.proposal_ids))
        except TxReverted as exc:
            self._refused(step.round, exc, t)

    def finalized(self, r: int, a: Attempt) -> None:
        """The outcome of one finalizeMany part of round r (a replaced or dropped one: the
        round's proposals stay pending and the next ticks try again)."""
        e = self.engine
        if a.state is AttemptState.MINED:
            e.metrics.votes_sent.labels(kind="finalize").inc()
        elif a.state is AttemptState.REVERTED:
            self._refused(r, mined_revert(a), e.timing(r))

    def _refused(self, r: int, exc: TxReverted, t: RoundTiming) -> None:
        """A finalize refused at its estimate or reverted on chain: decoded the same way."""
        e = self.engine
        outcome = classify("finalize", exc, seen=e.seen, timing=t)
        if outcome not in (Outcome.DONE, Outcome.TOO_EARLY):
            e.metrics.tx_reverts.labels(kind="finalize").inc()
        for note in after_finalize_refused(r, outcome, str(exc)):
            log.log(note.level, "%s", note.message)

    def _finalize_in_parts(self, r: int, ids: list[int]) -> None:
        """finalizeMany(ids), in as many transactions as the per-transaction gas cap needs.

        A full round (1,024 proposals, rolls and callbacks) can need more than 2^24 gas in
        one call; each part is the largest prefix whose estimate fits (gas_cap.py).
        """
        e = self.engine
        while ids:
            part = fitting_prefix(
                ids, lambda chunk: e.sender.estimate_call(e.client.fn("finalizeMany", chunk))
            )
            e.tx.submit(
                finalize_intent(r, part[0]),
                e.client.fn("finalizeMany", list(part)),
                priority=Priority.DUTY,
                on_result=partial(self.finalized, r),
            )
            ids = ids[len(part) :]
