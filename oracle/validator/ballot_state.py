"""A ballot's life in the store: its states and the moves between them, enforced by the store.

A ballot is written `prepared` (salt and verdicts durable) before its commit transaction goes
out. From there it is committed, revealed and settled; or missed (committed and never revealed,
or never committed at all) and then settled (the non-reveal slash) or found `uncommitted`.
The store refuses any other move (IllegalBallotTransition): a bug that would, say, put a
settled ballot back to committed fails loudly instead of sending a second settle.
"""

from __future__ import annotations

from enum import StrEnum


class BallotState(StrEnum):
    PREPARED = "prepared"  # sealed and stored; the commit may not be on chain (yet)
    COMMITTED = "committed"  # the commitment is on chain: the reveal is owed
    REVEALED = "revealed"  # revealed on chain: settle once the round is settleable
    MISSED = "missed"  # the reveal phase ended without our reveal (or the commit never landed)
    SETTLED = "settled"  # settled on chain: nothing more to send
    UNCOMMITTED = "uncommitted"  # missed, and no commitment on chain: nothing to settle


S = BallotState
ALLOWED_TRANSITIONS: dict[BallotState, frozenset[BallotState]] = {
    # prepared → revealed/settled: a ballot rebuilt after a lost database, already that far.
    S.PREPARED: frozenset({S.COMMITTED, S.REVEALED, S.MISSED, S.SETTLED}),
    S.COMMITTED: frozenset({S.REVEALED, S.MISSED}),
    S.REVEALED: frozenset({S.SETTLED}),
    S.MISSED: frozenset({S.SETTLED, S.UNCOMMITTED}),
    S.SETTLED: frozenset(),
    S.UNCOMMITTED: frozenset(),
}

# Ballots that may still owe a reveal: "prepared" (its commit may be on chain or still land,
# e.g. through a relayer or a transaction sent before a crash) and "committed".
OPEN_STATES = (S.PREPARED, S.COMMITTED)
# Ballots that may still need a transaction (reveal, settle): never pruned.
UNSETTLED_STATES = (S.PREPARED, S.COMMITTED, S.REVEALED, S.MISSED)
# Ballots whose reveal question is closed (revealed, or missed for good).
REVEAL_DONE_STATES = (S.REVEALED, S.SETTLED, S.MISSED)


class IllegalBallotTransition(RuntimeError):
    def __init__(self, round_: int, current: BallotState, wanted: BallotState) -> None:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[current])) or "none (final)"
        super().__init__(
            f"round {round_}: ballot cannot go from {current} to {wanted} (allowed: {allowed})"
        )
        self.round = round_
        self.current = current
        self.wanted = wanted


def check_transition(round_: int, current: BallotState, wanted: BallotState) -> None:
    """Raise IllegalBallotTransition unless `current` → `wanted` is an allowed move."""
    if wanted not in ALLOWED_TRANSITIONS[current]:
        raise IllegalBallotTransition(round_, current, wanted)
