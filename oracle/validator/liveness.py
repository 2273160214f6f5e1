"""`/health`: whether the validator process is alive, as opposed to able to vote (`/ready`).

It fails (503, each reason named) when the engine's thread has died, when it is alive but
wedged (no tick has finished, successfully or not, for longer than the stall bound), or when
the judge worker has died under a running engine. A supervisor restarts on it; a restart is
safe at any second (ballots are durable, lost ones are rebuilt). The judgement is pure
(tests/oracle/validator/test_liveness.py); the API gathers the facts.
"""

from __future__ import annotations

from dataclasses import dataclass

# A tick runs every poll interval; this many intervals without one finishing is a stall...
STALL_POLLS = 20


def stall_bound_s(poll_interval_s: float, longest_blocking_call_s: float) -> float:
    """...unless one call inside a tick may legitimately block longer. Every send of the tick
    (the duties', the relayer's) goes through the transaction manager and never waits; the
    bound keeps the sender's give-up time as the longest a chain call may take while an RPC
    endpoint is down and retried (the engine says so in its log meanwhile)."""
    return max(STALL_POLLS * poll_interval_s, longest_blocking_call_s + poll_interval_s)


@dataclass(frozen=True)
class LivenessFacts:
    engine_started: bool  # the API started the engine's thread (tests may not)
    engine_alive: bool
    drained: bool  # the loop ended after a stopping drain (the process is exiting)
    judge_worker_alive: bool
    since_last_beat_s: float | None  # since the loop began or last finished a tick
    stall_bound_s: float


def health_failures(f: LivenessFacts) -> list[str]:
    """One line per reason this process is dead or wedged (empty: healthy)."""
    if not f.engine_started:
        return []
    if not f.engine_alive:
        return [
            "engine_stopped: drained, exiting" if f.drained else "engine_dead: its thread ended"
        ]
    out: list[str] = []
    if f.since_last_beat_s is not None and f.since_last_beat_s > f.stall_bound_s:
        out.append(
            f"engine_wedged: no tick finished for {f.since_last_beat_s:.0f} s "
            f"(bound {f.stall_bound_s:.0f} s)"
        )
    if not f.judge_worker_alive:
        out.append("judge_worker_dead: nothing gets judged, so nothing new is committed")
    return out
