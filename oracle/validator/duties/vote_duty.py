"""What the commit and the reveal duty share once their pure decision says "send": offer the
vote to a relayer, else submit it through the transaction manager without waiting, priced
for the phase's deadline; record its outcome when a later block brings it; and decode a
refusal (at the estimate, or a mined revert) the same way for both."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.errors import TxReverted
from oracle.chain.revert_outcome import Duty, Outcome
from oracle.chain.round_clock import RoundTiming
from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_pricing import Priority
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import carry_out_common, mined_revert, refused_steps
from oracle.validator.store import StoredBallot

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)

Step = TypeVar("Step")


class VoteOffers(Protocol):
    """Another way for a vote to reach the chain (oracle/relay/client.py): True while it is
    trusted with the vote, False when the validator must send the vote itself now."""

    def offer_commit(self, b: StoredBallot, t: RoundTiming, now: int) -> bool: ...

    def offer_reveal(self, b: StoredBallot, t: RoundTiming, now: int) -> bool: ...


class VoteDuty(ABC, Generic[Step]):
    """A vote transaction (commit or reveal) of one stored ballot, from send to outcome."""

    kind: ClassVar[Duty]
    # The ballot states in which a mined vote is still news (otherwise the ballot moved on).
    awaiting: ClassVar[Collection[BallotState]]
    mined_state: ClassVar[BallotState]  # where a mined vote moves the ballot

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @abstractmethod
    def offered_to(self, relay: VoteOffers, b: StoredBallot, t: RoundTiming) -> bool:
        """True while `relay` is trusted with this vote (nothing to send ourselves)."""

    @abstractmethod
    def intent(self, round_: int) -> str: ...

    @abstractmethod
    def call(self, b: StoredBallot) -> Any: ...

    @abstractmethod
    def deadline(self, t: RoundTiming) -> int:
        """The chain time the vote must land by: what it is priced for."""

    @abstractmethod
    def after_refused(self, round_: int, outcome: Outcome, error: str) -> list[Step]: ...

    @abstractmethod
    def carry_out_own(self, step: Step, b: StoredBallot, t: RoundTiming, seen: SeenBlock) -> None:
        """Carry out a step that is not a MarkBallot or a Note."""

    def on_sent(self) -> None:
        """Called when the vote is handed to the transaction manager, and when it mines."""

    def carry_out(
        self, steps: list[Step], b: StoredBallot, t: RoundTiming, seen: SeenBlock
    ) -> None:
        for step in steps:
            if not carry_out_common(step, self.engine.store, log):
                self.carry_out_own(step, b, t, seen)

    def send(self, b: StoredBallot, t: RoundTiming, seen: SeenBlock) -> None:
        e = self.engine
        if e.relay is not None and self.offered_to(e.relay, b, t):
            return  # the relayer submits it; the next ticks see it on chain (or fall back)
        try:
            e.tx.submit(
                self.intent(b.round),
                self.call(b),
                deadline=self.deadline(t),
                priority=Priority.DEADLINE,
                on_result=partial(self.outcome, b, t),
            )
        except TxReverted as exc:
            self.refused(b, exc, seen, t)
            return
        self.on_sent()

    def outcome(self, b: StoredBallot, t: RoundTiming, a: Attempt) -> None:
        """The outcome of round b.round's vote transaction (a replaced or dropped one leaves
        the ballot where it was: the next tick sends it again while the phase lasts)."""
        e = self.engine
        current = e.store.ballot(b.round)
        if current is None or current.state not in self.awaiting:
            return  # moved on already: nothing left to record
        if a.state is AttemptState.MINED:
            e.metrics.votes_sent.labels(kind=self.kind).inc()
            e.store.set_ballot_state(b.round, self.mined_state, **{f"{self.kind}_tx": a.tx_hash})
            self.on_sent()
            log.info(
                "round %d: %s of %d verdicts mined (tx %s)",
                b.round,
                self.kind,
                len(b.verdicts),
                a.tx_hash,
            )
        elif a.state is AttemptState.REVERTED:
            self.refused(b, mined_revert(a), e.seen, t)

    def refused(self, b: StoredBallot, exc: TxReverted, seen: SeenBlock, t: RoundTiming) -> None:
        """A vote refused at its estimate or reverted on chain: decoded the same way."""
        decide: Callable[[Outcome, str], list[Step]] = partial(self.after_refused, b.round)
        steps = refused_steps(
            self.kind, exc, seen=seen, timing=t, metrics=self.engine.metrics, decide=decide
        )
        self.carry_out(steps, b, t, seen)
