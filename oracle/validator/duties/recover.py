"""Recover duty: a ballot committed on chain but missing locally (lost database) is rebuilt.

The verdicts are recomputed (deterministic argmax) and the salt re-derived from the
signer key; if they reproduce the on-chain commitment, the ballot is stored and reveals
(in the same pass: after a lost database the model load and re-judging leave little of
the reveal phase). Decision (pure): per round, the on-chain ballot and the rebuilt
preimage in; wait, give up, or restore.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oracle.chain.client import OnChainBallot
from oracle.validator.ballot_state import BallotState
from oracle.validator.duties.actions import Note
from oracle.validator.duties.commit import JudgeFirst, seal_round

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rebuilt:
    """The preimage sealed again from the stored verdicts and the signer key."""

    proposal_ids: tuple[int, ...]
    verdicts: bytes
    salt: bytes
    commitment: bytes


@dataclass(frozen=True)
class RecoverySnapshot:
    round: int
    is_previous: bool  # round cr - 1 (its commit phase is over: checked once)
    onchain: OnChainBallot
    proposal_ids: tuple[int, ...]  # the round's list (empty when not committed)
    unjudged: tuple[int, ...]  # of those, not judged yet
    rebuilt: Rebuilt | None  # None while some are unjudged


@dataclass(frozen=True)
class MarkChecked:
    """Nothing (more) to recover in this round."""

    round: int


@dataclass(frozen=True)
class WaitForJudging:
    """Stop here for this pass: the round's proposals are being judged again."""


@dataclass(frozen=True)
class RestoreBallot:
    round: int
    rebuilt: Rebuilt
    state: BallotState  # committed, or revealed when the reveal is on chain already


RecoverStep = MarkChecked | JudgeFirst | WaitForJudging | RestoreBallot | Note


def rounds_to_check(
    cr: int, now: int, reveal_end: dict[int, int], *, checked: set[int], has_local: set[int]
) -> list[int]:
    """Rounds cr - 1 and cr, unless already checked, over (a block past the reveal end seen),
    or with a local ballot."""
    return [
        r
        for r in (cr - 1, cr)
        if r >= 0 and r not in checked and now < reveal_end[r] and r not in has_local
    ]


def decide_recovery(s: RecoverySnapshot) -> list[RecoverStep]:
    if not s.onchain.committed:
        return [MarkChecked(s.round)] if s.is_previous else []
    if s.unjudged or s.rebuilt is None:
        return [JudgeFirst(s.unjudged), WaitForJudging()]
    if s.rebuilt.commitment != s.onchain.commitment:
        return [
            Note(
                logging.ERROR,
                f"round {s.round}: cannot reproduce the on-chain commitment; reveal lost",
            ),
            MarkChecked(s.round),
        ]
    state = BallotState.REVEALED if s.onchain.revealed else BallotState.COMMITTED
    return [RestoreBallot(s.round, s.rebuilt, state)]


class RecoverDuty:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.checked: set[int] = set()  # rounds checked for a lost ballot

    def run(self, cr: int, now: int) -> int:
        """Rebuild what can be; the number of ballots rebuilt."""
        e = self.engine
        candidates = [r for r in (cr - 1, cr) if r >= 0]
        todo = rounds_to_check(
            cr,
            now,
            {r: e.timing(r).reveal_end for r in candidates},
            checked=self.checked,
            has_local={r for r in candidates if e.store.ballot(r) is not None},
        )
        rebuilt = 0
        for r in todo:
            for step in decide_recovery(self._snapshot(r, cr)):
                if isinstance(step, Note):
                    log.log(step.level, "%s", step.message)
                elif isinstance(step, MarkChecked):
                    self.checked.add(step.round)
                elif isinstance(step, JudgeFirst):
                    e.judging.prioritize(step.proposal_ids)  # ahead of the backlog
                elif isinstance(step, WaitForJudging):
                    return rebuilt
                elif isinstance(step, RestoreBallot):
                    b = step.rebuilt
                    with e.store.transaction():
                        e.store.save_ballot(
                            step.round, list(b.proposal_ids), b.verdicts, b.salt, b.commitment
                        )
                        e.store.set_ballot_state(step.round, step.state)
                    log.warning(
                        "round %d: ballot rebuilt from the signer key after a lost database",
                        step.round,
                    )
                    rebuilt += 1
        return rebuilt

    def _snapshot(self, r: int, cr: int) -> RecoverySnapshot:
        e = self.engine
        onchain = e.client.ballot_of(r, e.operator)
        if not onchain.committed:
            return RecoverySnapshot(r, r == cr - 1, onchain, (), (), None)
        ids = e.client.round_proposals(r)
        stored = e.store.proposals(ids)
        unjudged = tuple(pid for pid in ids if pid not in stored or stored[pid].verdict is None)
        rebuilt = None
        if not unjudged:
            verdicts = bytes(int(stored[pid].verdict or 0) for pid in ids)
            salt, c = seal_round(e, r, ids, verdicts)
            rebuilt = Rebuilt(tuple(ids), verdicts, salt, c)
        return RecoverySnapshot(r, r == cr - 1, onchain, tuple(ids), unjudged, rebuilt)
