"""`/health`'s judgement: dead or wedged engine, dead judge worker (pure, no process)."""

from __future__ import annotations

from oracle.validator.liveness import STALL_POLLS, LivenessFacts, health_failures, stall_bound_s


def facts(**over: object) -> LivenessFacts:
    base: dict[str, object] = {
        "engine_started": True,
        "engine_alive": True,
        "drained": False,
        "judge_worker_alive": True,
        "since_last_beat_s": 0.1,
        "stall_bound_s": 30.0,
    }
    return LivenessFacts(**{**base, **over})  # type: ignore[arg-type]


def test_health_failures__ticking_engine_and_worker__healthy() -> None:
    assert health_failures(facts()) == []


def test_health_failures__engine_never_started__nothing_to_judge_yet() -> None:
    assert health_failures(facts(engine_started=False, engine_alive=False)) == []


def test_health_failures__engine_thread_ended__dead_or_drained() -> None:
    assert health_failures(facts(engine_alive=False)) == ["engine_dead: its thread ended"]
    assert health_failures(facts(engine_alive=False, drained=True)) == [
        "engine_stopped: drained, exiting"
    ]


def test_health_failures__no_tick_finished_past_the_bound__wedged_with_the_seconds() -> None:
    assert health_failures(facts(since_last_beat_s=30.0)) == []
    (line,) = health_failures(facts(since_last_beat_s=95.0))
    assert line == "engine_wedged: no tick finished for 95 s (bound 30 s)"


def test_health_failures__judge_worker_dead_under_a_running_engine__named() -> None:
    (line,) = health_failures(facts(judge_worker_alive=False))
    assert line.startswith("judge_worker_dead")


def test_stall_bound_s__several_polls_or_the_longest_blocking_send() -> None:
    assert stall_bound_s(1.0, 0.0) == STALL_POLLS
    assert stall_bound_s(0.25, 120.0) == 120.25
