"""The signal handling around the drain: the first SIGTERM drains, a second exits at once."""

from __future__ import annotations

import signal
import threading
from types import SimpleNamespace
from typing import Any

import uvicorn

from oracle.chain.clock_mode import ClockMode
from oracle.chain.round_clock import RoundClock
from oracle.validator.drain import DrainControl, Mode, drain_status, worst_case_drain_s
from oracle.validator.shutdown import DrainingServer
from tests.support.chain_env import wait_for

CLOCK = RoundClock(genesis=0, round_duration=6, reveal_duration=6)


def _server(open_rounds: list[int]) -> tuple[DrainingServer, Any, threading.Event]:
    """A server around a stand-in engine whose loop runs until the returned event is set."""
    engine = SimpleNamespace(
        drain=DrainControl(),
        drained=threading.Event(),
        clock=CLOCK,
        open_ballots=lambda: drain_status(open_rounds, CLOCK),
        worst_case_drain_s=lambda: worst_case_drain_s(CLOCK, ClockMode.TIMESTAMP, 2.0),
    )
    loop_ends = threading.Event()
    thread = threading.Thread(target=loop_ends.wait, daemon=True)
    thread.start()
    validator = SimpleNamespace(engine=engine, thread=thread)
    server = DrainingServer(uvicorn.Config(app=lambda: None), validator)  # type: ignore[arg-type]
    return server, engine, loop_ends


def test_handle_exit__first_sigterm__drains_and_keeps_serving_until_the_loop_ends() -> None:
    server, engine, loop_ends = _server([4])

    server.handle_exit(signal.SIGTERM, None)

    assert engine.drain.mode is Mode.STOPPING
    assert not server.should_exit  # the engine's loop still runs: reveals owed
    loop_ends.set()  # the loop ends once drained
    wait_for("the server to stop once drained", lambda: server.should_exit, 10, 0.01)
    assert not server.force_exit


def test_handle_exit__second_sigterm__exits_at_once() -> None:
    server, engine, loop_ends = _server([4])
    server.handle_exit(signal.SIGTERM, None)

    server.handle_exit(signal.SIGTERM, None)

    assert server.should_exit and server.force_exit
    assert engine.drain.mode is Mode.STOPPING
    loop_ends.set()
