"""The actions every duty may return besides its own: move a ballot, write a log line; and
what a duty's transaction-manager result handler shares (a mined revert as a refusal)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

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
