"""The actions every duty may return besides its own: move a ballot, write a log line."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from oracle.validator.ballot_state import BallotState
from oracle.validator.store import Store


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
