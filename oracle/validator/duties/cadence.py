"""The host-clock cadence of the housekeeping duties (claim, prune): scheduling only, never a
phase decision (those run on chain time: duty_phases.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CadenceTime:
    host_now: float  # monotonic
    last_at: float  # when the cadence last ran (0: never)
    every_s: float

    @property
    def due(self) -> bool:
        return self.host_now - self.last_at >= self.every_s


@dataclass(frozen=True)
class StartCadence:
    """The cadence runs now: the next one is due `every_s` after `at`."""

    at: float
