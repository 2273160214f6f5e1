"""Repeated tick-step failures: the first logged whole, repeats summarised, recovery said once.

A step that fails the same way on every poll (a few times a second) would otherwise write a
traceback each time: a corrupt database once wrote 9,750 lines in 40 s, burying the one line
that said why. The first failure of a step is logged with its traceback; further failures
with the same error are counted and summarised at most once per `every_s`; a different error
is logged whole again; the first success after a failure says how long it lasted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Errors are compared by type and the start of their message (which may carry a number
# that changes every tick, such as a block; the start is what names the failure).
_ERROR_KEY_CHARS = 120


@dataclass
class _Failing:
    error: str
    since: float
    last_logged: float
    unlogged: int = 0


@dataclass
class StepErrorLog:
    logger: logging.Logger
    every_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failing: dict[str, _Failing] = field(default_factory=dict)

    def failed(self, step: str, exc: BaseException, *, message: str | None = None) -> None:
        """Note a failure of `step`; `message` replaces the traceback of the first line
        (for an expected condition, such as an unreachable node)."""
        error = f"{type(exc).__name__}: {exc}"[:_ERROR_KEY_CHARS]
        now = self.clock()
        current = self._failing.get(step)
        if current is None or current.error != error:
            self._failing[step] = _Failing(error, since=now, last_logged=now)
            if message is None:
                self.logger.error(
                    "tick step %s failed; the other steps still run", step, exc_info=exc
                )
            else:
                self.logger.warning("%s", message)
            return
        current.unlogged += 1
        if now - current.last_logged >= self.every_s:
            self.logger.error(
                "tick step %s still failing for %.0f s (%d more times since the last line): %s",
                step,
                now - current.since,
                current.unlogged,
                error,
            )
            current.last_logged = now
            current.unlogged = 0

    def succeeded(self, step: str) -> None:
        current = self._failing.pop(step, None)
        if current is not None:
            self.logger.info(
                "tick step %s works again after %.0f s of failing",
                step,
                self.clock() - current.since,
            )

    def failing_steps(self) -> list[str]:
        return sorted(self._failing)
