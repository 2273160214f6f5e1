"""What a contract refusal means for the duty that hit it: done, too early, too late, retry, fatal.

Every vote sender (commit, reveal, finalize, settle) decodes a revert here, once, instead
of comparing error names of its own. The custom errors come decoded by name from the ABI
(`oracle.chain.errors.ErrorDecoder`, raised as `TxReverted`); a phase error is judged
against the chain time of the latest block seen, because `OracleNotCommitPhase` means
"too early" before the commit phase as much as "too late" after it.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.errors import TxReverted
from oracle.chain.round_clock import RoundTiming

Duty = Literal["commit", "reveal", "finalize", "settle"]


class Outcome(Enum):
    DONE = "done"  # what the duty wanted is on chain already (ours, a relayer's, a peer's)
    TOO_EARLY = "too early"  # the chain is not there yet: try again on a later block
    TOO_LATE = "too late"  # the phase is over on chain: this duty can no longer be done
    RETRY = "retry"  # a race or a view one block apart: re-read the state and try again
    FATAL = "fatal"  # refused for a reason retrying cannot change: give up on it, loudly


# The window each phase error is about: the RoundTiming fields of its start and end.
_PHASE_ERRORS = {
    "OracleNotCommitPhase": ("commit_start", "reveal_start"),
    "OracleNotRevealPhase": ("reveal_start", "reveal_end"),
}

# Error name -> outcome, per duty. Anything not listed is FATAL.
_TABLE: dict[Duty, dict[str, Outcome]] = {
    "commit": {"OracleAlreadyCommitted": Outcome.DONE},
    "reveal": {"OracleAlreadyRevealed": Outcome.DONE},
    "finalize": {
        "OracleProposalNotPending": Outcome.DONE,  # finalized (or rolled) by a peer first
        "OracleTooEarlyToFinalize": Outcome.TOO_EARLY,
    },
    "settle": {
        "OracleAlreadySettled": Outcome.DONE,
        "OracleRoundNotSettleable": Outcome.TOO_EARLY,
    },
}


def classify(
    duty: Duty, exc: TxReverted, *, seen: SeenBlock, timing: RoundTiming | None = None
) -> Outcome:
    """The outcome of `exc`, raised by `duty`'s transaction or its estimate.

    `timing` is the round's (needed for the phase errors); `seen` the latest block seen.
    """
    name = exc.error
    if name is None:
        # No revert data: a transaction mined and reverted (the receipt carries no reason),
        # typically behind a peer's identical one. A finalize raced by a peer is done;
        # the other duties re-read the chain on the next tick and see what happened.
        if duty == "finalize" and exc.tx_hash is not None:
            return Outcome.DONE
        return Outcome.RETRY
    window = _PHASE_ERRORS.get(name)
    if window is not None and timing is not None:
        start, end = (getattr(timing, field) for field in window)
        if seen.now < start:
            return Outcome.TOO_EARLY
        if seen.now >= end:
            return Outcome.TOO_LATE
        # The seen block is inside the phase; the block the call was evaluated in (the
        # pending one, or the one it landed in) was past its end, or a node's view differs.
        # Only a seen block decides "over": retry until one is seen (the duty's own phase
        # decision then stops it), never give up a reveal the chain may still take.
        return Outcome.RETRY
    return _TABLE[duty].get(name, Outcome.FATAL)
