"""Prune duty: on its cadence, delete final proposals and settled ballots older than the
retention (store.prune keeps everything an unsettled ballot still needs)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oracle.validator.duties.cadence import CadenceTime, StartCadence

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PruneSnapshot:
    cadence: CadenceTime
    current_round: int
    retention_rounds: int


@dataclass(frozen=True)
class PruneBefore:
    round: int
    started: StartCadence


def decide_prune(s: PruneSnapshot) -> PruneBefore | None:
    if not s.cadence.due:
        return None
    return PruneBefore(s.current_round - s.retention_rounds, StartCadence(s.cadence.host_now))


class PruneDuty:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.last_prune_at = 0.0

    def run(self, cr: int) -> None:
        e = self.engine
        cadence = CadenceTime(time.monotonic(), self.last_prune_at, e.config.prune_every_s)
        action = decide_prune(PruneSnapshot(cadence, cr, e.config.retention_rounds))
        if action is None:
            return
        self.last_prune_at = action.started.at
        proposals, ballots = e.store.prune(action.round)
        if proposals or ballots:
            log.info("pruned %d final proposals and %d settled ballots", proposals, ballots)
