"""When the commit and the reveal of a round may be sent: a pure decision on chain time.

State in (the round's timing, the latest block seen, the measured block interval), a
decision out; no chain, no clock, no store (unit-tested in tests/oracle/validator/
test_duty_phases.py). The rules, and why (docs/validator.md, "Chain time"):

- A round's proposal list is fixed once a block at or after its commit start exists (a
  proposal submitted at time t joins round currentRound(t) + 1). So the round is committed
  only after such a block is *seen*, and its list is read at that block's number.
- A transaction lands in a block after the one seen, about one block interval B later.
  A reveal goes out once the seen block is inside the reveal phase (then every later
  block is too). It keeps being tried while the seen block is before the reveal end, even
  when seen + B reaches it: the next block may still come in time, and a reveal that lands
  too late costs its gas, while one never sent costs the non-reveal slash.
- The phase is over only when a block at or after its end has been seen.
"""

from __future__ import annotations

from enum import Enum

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.round_clock import RoundTiming


class CommitAction(Enum):
    WAIT = "wait"  # no block of the commit phase seen yet: the list may still grow
    COMMIT = "commit"  # the list is fixed at the seen block: read it there, seal, send
    AT_RISK = "commit at risk"  # as COMMIT, but the next block may fall in the reveal phase
    TOO_LATE = "too late"  # a block of the reveal phase is seen: no commit can land


class RevealAction(Enum):
    WAIT = "wait"  # the seen block is before the reveal phase
    REVEAL = "reveal"
    AT_RISK = "reveal at risk"  # as REVEAL, but the next block may fall after the deadline
    PHASE_OVER = "phase over"  # a block at or after the reveal end is seen: revealed or missed


class Window(Enum):
    """Where the seen block stands against a phase [start, end)."""

    BEFORE = "before"
    OPEN = "open"
    LAST_BLOCK = "last block"  # inside, but the next block may fall at or after the end
    OVER = "over"


def window_position(start: int, end: int, seen: SeenBlock, block_interval_s: float) -> Window:
    """The one rule both duties follow: the phase is open from the first seen block at or
    after `start`, over from the first at or after `end`, and within one block interval of
    `end` the next block may already be too late."""
    if seen.now < start:
        return Window.BEFORE
    if seen.now >= end:
        return Window.OVER
    if seen.now + seen.clock.per_block(block_interval_s) >= end:
        return Window.LAST_BLOCK
    return Window.OPEN


_COMMIT_ACTIONS = {
    Window.BEFORE: CommitAction.WAIT,
    Window.OPEN: CommitAction.COMMIT,
    Window.LAST_BLOCK: CommitAction.AT_RISK,
    Window.OVER: CommitAction.TOO_LATE,
}
_REVEAL_ACTIONS = {
    Window.BEFORE: RevealAction.WAIT,
    Window.OPEN: RevealAction.REVEAL,
    Window.LAST_BLOCK: RevealAction.AT_RISK,
    Window.OVER: RevealAction.PHASE_OVER,
}


def commit_action(timing: RoundTiming, seen: SeenBlock, block_interval_s: float) -> CommitAction:
    """What to do about round `timing`'s commit, having seen block `seen`."""
    window = window_position(timing.commit_start, timing.reveal_start, seen, block_interval_s)
    return _COMMIT_ACTIONS[window]


def reveal_action(timing: RoundTiming, seen: SeenBlock, block_interval_s: float) -> RevealAction:
    """What to do about round `timing`'s reveal (of a committed ballot), having seen `seen`."""
    window = window_position(timing.reveal_start, timing.reveal_end, seen, block_interval_s)
    return _REVEAL_ACTIONS[window]
