"""Stopping a validator without losing stake: the first SIGTERM (or Ctrl-C) drains.

uvicorn stops on the first signal; a validator must not: a ballot committed and not yet
revealed would cost the non-reveal slash. `DrainingServer` turns the first SIGTERM or
SIGINT into a drain (oracle/validator/drain.py: no new commits, every open ballot
revealed), and stops the server once the engine says it is drained. A second signal exits
at once, naming what it may cost.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

import uvicorn

if TYPE_CHECKING:
    from oracle.validator.service import Validator

log = logging.getLogger(__name__)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, validator: Validator) -> None:
        super().__init__(config)
        self.validator = validator
        self._draining = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Runs in the main thread between two bytecodes: set flags, leave the talking (and
        # the store reads) to a thread of its own.
        name = signal.Signals(sig).name
        if self._draining:
            self.force_exit = True
            threading.Thread(target=self._say_forced, args=(name,), daemon=True).start()
            super().handle_exit(sig, frame)
            return
        self._draining = True
        self.validator.engine.drain.stop()
        threading.Thread(target=self._exit_when_drained, args=(name,), daemon=True).start()

    def _exit_when_drained(self, name: str) -> None:
        engine = self.validator.engine
        status = engine.open_ballots()
        log.warning(
            "%s: draining: no new commits; %d open ballot(s)%s; exiting once each is revealed "
            "(at most ~%d s); a second %s exits at once",
            name,
            status.open_ballots,
            ""
            if status.next_reveal_deadline is None
            else f", next reveal deadline {status.next_reveal_deadline} (chain clock)",
            engine.worst_case_drain_s(),
            name,
        )
        thread = self.validator.thread
        if thread is not None:
            thread.join()  # ends once drained (engine.run), or when stopped
        if engine.drained.is_set():
            log.warning("drained; exiting")
        self.should_exit = True

    def _say_forced(self, name: str) -> None:
        status = self.validator.engine.open_ballots()
        if status.done:
            log.warning("second %s: exiting now (nothing left to reveal)", name)
            return
        log.warning(
            "second %s: exiting now, not drained: %d open ballot(s) unrevealed; each costs the "
            "non-reveal slash (nonRevealSlashBps of the stake) unless this validator is back "
            "and reveals it before its reveal deadline",
            name,
            status.open_ballots,
        )


def serve(validator: Validator, app: object, *, host: str, port: int) -> None:
    """Run the HTTP service and the engine until drained (or a second signal)."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")  # type: ignore[arg-type]
    DrainingServer(config, validator).run()
