"""The actions every duty may return besides its own: move a ballot, write a log line; and
what a duty's transaction-manager result handler shares (a mined revert as a refusal)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.errors import TxReverted
from oracle.chain.revert_outcome import Duty, Outcome, classify
from oracle.chain.round_clock import RoundTiming
from oracle.chain.tx_attempts import Attempt
from oracle.validator.ballot_state import BallotState
from oracle.validator.metrics import Metrics
from oracle.validator.store import Store

Step = TypeVar("Step")


@dataclass(frozen=True)
class MarkBallot:
    """Move the stored ballot of `round` to `state` (the store checks the move is allowed)."""

    round: int
    state: BallotState
    note: str = ""  # logged at `level` when set
    level: int = logging.INFO


@dataclass(frozen=True)
class Note:
    """A log line the decision wants written (why it waits, why it gives up)."""

    level: int
    message: str


class LateSend(NamedTuple):
    """The words of the warning for a vote sent less than a block before its phase ends."""

    sending: str
    before: str
    risk: str


COMMIT_LATE = LateSend(
    "committing", "the reveal phase", "the commit may land too late (gas only, no stake at risk)"
)
REVEAL_LATE = LateSend("revealing", "the deadline", "it may land too late")


def late_send_note(round_: int, seconds_left: int, interval_s: float, words: LateSend) -> Note:
    return Note(
        logging.WARNING,
        f"round {round_}: {words.sending} {seconds_left} s before {words.before}, within a "
        f"block ({interval_s:.1f} s); {words.risk}",
    )


@dataclass(frozen=True)
class Refusal:
    """Where a refused vote moves its ballot; `note` may name the decoded `{error}`."""

    state: BallotState
    note: str = ""
    level: int = logging.INFO


def after_vote_refused(
    kind: str, moves: Mapping[Outcome, Refusal], round_: int, outcome: Outcome, error: str
) -> list[MarkBallot | Note]:
    """What a refused vote (decoded, revert_outcome.py) leaves to do: the move its outcome
    names, else (too early, a view a block apart) the same again on the next block."""
    move = moves.get(outcome)
    if move is None:
        note = f"round {round_}: {kind} {outcome.value} ({error}); next block"
        return [Note(logging.INFO, note)]
    return [MarkBallot(round_, move.state, move.note.format(error=error), move.level)]


def carry_out_common(action: object, store: Store, log: logging.Logger) -> bool:
    """Carry out a MarkBallot or a Note; False for any other action (the duty's own)."""
    if isinstance(action, MarkBallot):
        store.set_ballot_state(action.round, action.state)
        if action.note:
            log.log(action.level, "round %d: %s", action.round, action.note)
        return True
    if isinstance(action, Note):
        log.log(action.level, "%s", action.message)
        return True
    return False


def refused_steps(
    kind: Duty,
    exc: TxReverted,
    *,
    seen: SeenBlock,
    timing: RoundTiming,
    metrics: Metrics,
    decide: Callable[[Outcome, str], list[Step]],
) -> list[Step]:
    """A refused commit or reveal: counted, decoded once (revert_outcome.py), and the duty's
    pure `after_*_refused` decides what is left to do."""
    metrics.tx_reverts.labels(kind=kind).inc()
    return decide(classify(kind, exc, seen=seen, timing=timing), str(exc))


def mined_revert(a: Attempt) -> TxReverted:
    """A transaction that mined and reverted, as the estimate would have raised it: the
    decoding (revert_outcome.py) is the same for both."""
    return TxReverted(
        f"transaction {a.tx_hash} reverted on chain: {a.error or 'no reason'}",
        error=a.error,
        tx_hash=a.tx_hash,
        data=a.revert_data,
    )
