"""Drain: stop taking on new rounds, finish the reveals already owed, then (on SIGTERM) exit.

A committed ballot that is never revealed costs the non-reveal slash, so stopping a
validator at the wrong second costs stake. SIGTERM and `/admin/pause` therefore enter a
drain: no new commits; every ballot that is (or may be) committed is revealed, or its
reveal phase ends; then a stopping validator exits and says so. The decision is pure
(tests/oracle/validator/test_drain.py); the engine feeds it its open ballots.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from oracle.chain.clock_mode import ClockMode
from oracle.chain.round_clock import RoundClock

# Slack on top of the worst case: a slow tick, a block or two, the exit itself.
STOP_MARGIN_S = 30


class Mode(Enum):
    RUNNING = "running"
    PAUSED = "paused"  # /admin/pause: drain, then keep running without voting
    STOPPING = "stopping"  # SIGTERM: drain, then exit


@dataclass(frozen=True)
class DrainStatus:
    open_ballots: int  # ballots in ballot_state.OPEN_STATES
    next_reveal_deadline: int | None  # the earliest reveal end (chain time) among them
    done: bool  # nothing open: stopping now loses nothing


def drain_status(open_rounds: Iterable[int], clock: RoundClock) -> DrainStatus:
    """The drain's state given the rounds of the open ballots."""
    rounds = sorted(set(open_rounds))
    deadline = clock.timing(rounds[0]).reveal_end if rounds else None
    return DrainStatus(open_ballots=len(rounds), next_reveal_deadline=deadline, done=not rounds)


def commits_allowed(mode: Mode) -> bool:
    return mode is Mode.RUNNING


def should_exit(mode: Mode, status: DrainStatus) -> bool:
    return mode is Mode.STOPPING and status.done


def worst_case_drain_s(clock: RoundClock, mode: ClockMode, block_interval_s: float) -> int:
    """Seconds a drain can take, plus a margin: what systemd's TimeoutStopSec must allow.

    A ballot committed at the start of a commit phase reveals once the reveal phase has
    begun (up to roundDuration later) and at worst keeps trying until it ends
    (revealDuration more). Under the block clock the durations are blocks, each taking
    `block_interval_s` (a halt makes it longer: so does the phase it delays)."""
    span = mode.seconds(clock.round_duration + clock.reveal_duration, block_interval_s)
    return math.ceil(span) + STOP_MARGIN_S


class DrainControl:
    """The mode, set from the HTTP and signal threads, read by the engine's thread."""

    def __init__(self) -> None:
        self._mode = Mode.RUNNING
        self._lock = threading.Lock()

    @property
    def mode(self) -> Mode:
        with self._lock:
            return self._mode

    def pause(self) -> None:
        with self._lock:
            if self._mode is Mode.RUNNING:
                self._mode = Mode.PAUSED

    def stop(self) -> None:
        with self._lock:
            self._mode = Mode.STOPPING

    def resume(self) -> bool:
        """Back to voting; False when stopping (a SIGTERM is not undone)."""
        with self._lock:
            if self._mode is Mode.STOPPING:
                return False
            self._mode = Mode.RUNNING
            return True
