"""Commit duty: seal round r's ballot once a block of its commit phase is seen, and commit it.

Two pure decisions. `decide_seal` (no stored ballot yet): the round's size, our stake at
its snapshot, its list (read at the seen block, so it can no longer grow: duty_phases.py)
and the stored verdicts in; pass the round, judge its proposals first, or seal. And
`decide_commit_send` (a prepared ballot): the on-chain ballot and whether its commit is in
flight in; wait for it, record a commit already there, or send. The send goes through the
transaction manager (oracle/chain/tx_manager.py) without waiting, priced for the reveal
start; its outcome comes with a later block (`committed`). The executor checks the stored
payload hashes against the chain before sealing (payload_check.py) and writes the ballot
durably before the commit goes out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.client import OnChainBallot
from oracle.chain.commitment import round_list_hash, seal_ballot
from oracle.chain.revert_outcome import Outcome
from oracle.chain.round_clock import RoundTiming
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import (
    COMMIT_LATE,
    MarkBallot,
    Note,
    Refusal,
    after_vote_refused,
    carry_out_common,
    late_send_note,
)
from oracle.validator.duties.payload_check import PayloadCheck, check_payloads
from oracle.validator.duties.vote_duty import VoteDuty, VoteOffers
from oracle.validator.duty_phases import CommitAction, commit_action
from oracle.validator.store import StoredBallot
from oracle.validator.tx_intents import commit_intent

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)


class PassReason(Enum):
    EMPTY = "no proposals"  # the list is fixed once the commit phase opens
    NO_STAKE = "no stake at the snapshot"  # the reveal would revert OracleNoStakeAtSnapshot
    LIST_MISMATCH = "local list hash differs from the contract's"
    PAYLOADS_REFUSED = "stored payloads differ from the chain's and could not be re-read"


@dataclass(frozen=True)
class SealSnapshot:
    round: int
    operator: str
    round_size: int  # roundInfo at the seen block
    snapshot_block: int
    stake_at_snapshot: int
    proposal_ids: tuple[int, ...]  # the round's list at the seen block
    list_hash_matches: bool  # round_list_hash(ids) == roundInfo.listHash
    stored_verdicts: tuple[int | None, ...]  # per id: the stored verdict (None: not yet)


@dataclass(frozen=True)
class PassRound:
    """Do not vote in this round; not looked at again."""

    round: int
    reason: PassReason


@dataclass(frozen=True)
class JudgeFirst:
    """Some of the round's proposals are not judged yet: they jump the judging queue."""

    proposal_ids: tuple[int, ...]


@dataclass(frozen=True)
class Seal:
    """Check the stored payloads against the chain, then seal and store the ballot."""

    round: int
    proposal_ids: tuple[int, ...]
    verdicts: bytes


@dataclass(frozen=True)
class CommitSendSnapshot:
    round: int
    commitment: bytes  # the stored one
    onchain: OnChainBallot | None  # not read while the commit is in flight
    at_risk: bool  # the next block may already fall in the reveal phase
    seconds_left: int  # to the reveal start, on chain time
    block_interval_s: float
    in_flight: bool = False  # our commit is sent and not mined yet (the transaction manager)


@dataclass(frozen=True)
class SendCommit:
    round: int


SealStep = PassRound | JudgeFirst | Seal | Note
CommitStep = MarkBallot | Note | SendCommit


def seal_round(engine: Engine, r: int, ids: list[int], verdicts: bytes) -> tuple[bytes, bytes]:
    """(salt, commitment) of our ballot for round r (the salt derived from the signer key,
    so a lost database can seal the same ballot again: recover.py)."""
    return seal_ballot(
        engine.signer,
        chain_id=engine.client.chain_id,
        oracle=engine.client.address,
        round_=r,
        validator=engine.operator,
        proposal_ids=ids,
        verdicts=verdicts,
    )


def decide_seal(s: SealSnapshot) -> list[SealStep]:
    if s.round_size == 0:
        return [PassRound(s.round, PassReason.EMPTY)]
    if s.stake_at_snapshot == 0:
        return [
            Note(
                logging.WARNING,
                f"round {s.round}: {s.operator} has no stake at the round's snapshot "
                f"({s.snapshot_block}); skipping the round",
            ),
            PassRound(s.round, PassReason.NO_STAKE),
        ]
    if not s.list_hash_matches:
        return [
            Note(
                logging.ERROR,
                f"round {s.round}: local list hash differs from the contract's; not voting",
            ),
            PassRound(s.round, PassReason.LIST_MISMATCH),
        ]
    unjudged = tuple(
        pid for pid, v in zip(s.proposal_ids, s.stored_verdicts, strict=True) if v is None
    )
    if unjudged:
        return [JudgeFirst(unjudged)]  # sealed on a later tick, once judged
    # A stored verdict is the ballot byte: a class, or ABSTAIN (a model not held).
    votes = bytes(int(v or 0) for v in s.stored_verdicts)
    return [Seal(s.round, s.proposal_ids, votes)]


def decide_commit_send(s: CommitSendSnapshot) -> list[CommitStep]:
    if s.in_flight:
        return []  # sent, not mined yet: its outcome comes with a later block
    if s.onchain is None:
        raise ValueError(f"round {s.round}: the commit decision needs the on-chain ballot")
    if s.onchain.committed:
        # Sent before a crash, or by the relayer: idempotent, just record it.
        if s.onchain.commitment == s.commitment:
            note = "already committed on chain (restart, relayer)"
            return [MarkBallot(s.round, BallotState.COMMITTED, note)]
        note = "on-chain commitment differs from the stored one"
        return [MarkBallot(s.round, BallotState.MISSED, note, logging.ERROR)]
    late = [late_send_note(s.round, s.seconds_left, s.block_interval_s, COMMIT_LATE)]
    return [*(late if s.at_risk else []), SendCommit(s.round)]


COMMIT_REFUSALS = {
    Outcome.DONE: Refusal(BallotState.COMMITTED),
    Outcome.TOO_LATE: Refusal(
        BallotState.MISSED, "commit phase over before the commit was mined", logging.WARNING
    ),
    Outcome.FATAL: Refusal(
        BallotState.MISSED, "commit refused ({error}); not voting this round", logging.ERROR
    ),
}  # any other outcome (too early, a view a block apart): stays prepared, next block


def after_commit_refused(round_: int, outcome: Outcome, error: str) -> list[CommitStep]:
    return [*after_vote_refused("commit", COMMIT_REFUSALS, round_, outcome, error)]


class CommitDuty(VoteDuty[CommitStep]):
    kind = "commit"
    awaiting = (BallotState.PREPARED,)  # once its reveal phase began, the reveal duty decides
    mined_state = BallotState.COMMITTED

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.passed: dict[int, PassReason] = {}  # rounds not voted in, and why

    def run(self, cr: int, seen: SeenBlock) -> None:
        """Seal and commit round `cr` once block `seen` is in its commit phase; its list
        (and roundInfo) is read at `seen`'s number."""
        e = self.engine
        t = e.timing(cr)
        action = commit_action(t, seen, e.pace.interval())
        if action in (CommitAction.WAIT, CommitAction.TOO_LATE):
            return
        ballot = e.store.ballot(cr)
        if ballot is None:
            if cr in self.passed:
                return
            self._seal(self._seal_snapshot(cr, seen))
            ballot = e.store.ballot(cr)
        if ballot is not None and ballot.state is BallotState.PREPARED:
            self.send_unless_on_chain(ballot, t, seen, at_risk=action is CommitAction.AT_RISK)

    def send_unless_on_chain(
        self, b: StoredBallot, t: RoundTiming, seen: SeenBlock, *, at_risk: bool = False
    ) -> None:
        """Commit prepared ballot `b` unless its commitment is on chain already."""
        e = self.engine
        in_flight = bool(e.tx.in_flight(commit_intent(b.round)))
        snapshot = CommitSendSnapshot(
            b.round,
            b.commitment,
            None if in_flight else e.client.ballot_of(b.round, e.operator),
            at_risk=at_risk,
            seconds_left=int(seen.clock.seconds(t.reveal_start - seen.now, e.pace.interval())),
            block_interval_s=e.pace.interval(),
            in_flight=in_flight,
        )
        self.carry_out(decide_commit_send(snapshot), b, t, seen)

    def _seal_snapshot(self, cr: int, seen: SeenBlock) -> SealSnapshot:
        e = self.engine
        info = e.client.round_info(cr, block=seen.number)
        if info.size == 0:
            ids: list[int] = []
            stake = 0
        else:
            stake = e.client.stake_at(e.operator, info.snapshot)
            ids = e.client.round_proposals(cr, block=seen.number) if stake else []
        stored = e.store.proposals(ids)
        return SealSnapshot(
            round=cr,
            operator=e.operator,
            round_size=info.size,
            snapshot_block=info.snapshot,
            stake_at_snapshot=stake,
            proposal_ids=tuple(ids),
            list_hash_matches=not ids or round_list_hash(ids) == info.list_hash,
            stored_verdicts=tuple(stored[pid].verdict if pid in stored else None for pid in ids),
        )

    def _seal(self, snapshot: SealSnapshot) -> None:
        e = self.engine
        for step in decide_seal(snapshot):
            if carry_out_common(step, e.store, log):
                continue
            if isinstance(step, PassRound):
                self.passed[step.round] = step.reason
            elif isinstance(step, JudgeFirst):
                e.judging.prioritize(step.proposal_ids)
            elif isinstance(step, Seal):
                ids = list(step.proposal_ids)
                check = check_payloads(e, step.round, ids)
                if check is PayloadCheck.REFUSED:
                    self.passed[step.round] = PassReason.PAYLOADS_REFUSED
                if check is not PayloadCheck.MATCH:
                    return
                salt, c = seal_round(e, step.round, ids, step.verdicts)
                # Durable before the commit transaction goes out (see store.py).
                e.store.save_ballot(step.round, ids, step.verdicts, salt, c)

    # VoteDuty: what a commit is.
    def offered_to(self, relay: VoteOffers, b: StoredBallot, t: RoundTiming) -> bool:
        return relay.offer_commit(b, t, self.engine.now())

    def intent(self, round_: int) -> str:
        return commit_intent(round_)

    def call(self, b: StoredBallot) -> Any:
        return self.engine.client.fn("commit", b.round, b.commitment)

    def deadline(self, t: RoundTiming) -> int:
        return t.reveal_start

    def after_refused(self, round_: int, outcome: Outcome, error: str) -> list[CommitStep]:
        return after_commit_refused(round_, outcome, error)

    def carry_out_own(
        self, step: CommitStep, b: StoredBallot, t: RoundTiming, seen: SeenBlock
    ) -> None:
        if isinstance(step, SendCommit):
            self.send(b, t, seen)
