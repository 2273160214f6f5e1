"""Round-phase arithmetic (docs/protocol.md), written once for every Python reader.

Round r commits in [genesis + rD, genesis + (r+1)D) and reveals in
[genesis + (r+1)D, genesis + (r+1)D + R); after that it can be finalized. The
contract computes the same (its `roundTiming` view); the validator engine, the
explorer and the test suite's spec model use this module instead of restating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Phase = Literal["queued", "commit", "reveal", "finalizable"]


@dataclass(frozen=True)
class RoundTiming:
    """One round's phase boundaries, in chain seconds (the `roundTiming` view)."""

    commit_start: int
    reveal_start: int
    reveal_end: int

    def as_tuple(self) -> tuple[int, int, int]:
        return self.commit_start, self.reveal_start, self.reveal_end

    def phase(self, now: int) -> tuple[Phase, int | None]:
        """The phase at chain time `now` and when it ends (None once finalizable)."""
        if now < self.commit_start:
            return "queued", self.commit_start
        if now < self.reveal_start:
            return "commit", self.reveal_start
        if now < self.reveal_end:
            return "reveal", self.reveal_end
        return "finalizable", None


@dataclass(frozen=True)
class RoundClock:
    """The oracle's fixed timing: genesis, round (commit) duration D, reveal duration R."""

    genesis: int
    round_duration: int
    reveal_duration: int

    @classmethod
    def from_timing(cls, round_: int, timing: RoundTiming) -> RoundClock:
        """Recover the clock from any one round's timing (the durations are immutable)."""
        duration = timing.reveal_start - timing.commit_start
        return cls(
            genesis=timing.commit_start - round_ * duration,
            round_duration=duration,
            reveal_duration=timing.reveal_end - timing.reveal_start,
        )

    def timing(self, round_: int) -> RoundTiming:
        commit_start = self.genesis + round_ * self.round_duration
        reveal_start = commit_start + self.round_duration
        return RoundTiming(commit_start, reveal_start, reveal_start + self.reveal_duration)

    def current_round(self, now: int) -> int:
        """The round whose commit phase contains `now` (0 before genesis)."""
        if now < self.genesis or self.round_duration <= 0:
            return 0
        return (now - self.genesis) // self.round_duration
