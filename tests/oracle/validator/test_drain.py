"""The drain decision: no new commits while draining; exit once no ballot owes a reveal."""

from __future__ import annotations

from oracle.chain.clock_mode import ClockMode
from oracle.chain.round_clock import RoundClock
from oracle.validator.drain import (
    STOP_MARGIN_S,
    DrainControl,
    Mode,
    commits_allowed,
    drain_status,
    should_exit,
    worst_case_drain_s,
)

CLOCK = RoundClock(genesis=1_000, round_duration=6, reveal_duration=6)


def test_drain_status__open_ballots__counts_them_and_names_the_earliest_deadline() -> None:
    status = drain_status([9, 7, 8], CLOCK)
    assert status.open_ballots == 3
    assert status.next_reveal_deadline == CLOCK.timing(7).reveal_end
    assert not status.done


def test_drain_status__nothing_open__is_done_without_a_deadline() -> None:
    status = drain_status([], CLOCK)
    assert (status.open_ballots, status.next_reveal_deadline, status.done) == (0, None, True)


def test_should_exit__stopping_with_a_ballot_still_open__keeps_running() -> None:
    assert not should_exit(Mode.STOPPING, drain_status([7], CLOCK))
    assert should_exit(Mode.STOPPING, drain_status([], CLOCK))


def test_should_exit__paused_and_drained__stays_up() -> None:
    assert not should_exit(Mode.PAUSED, drain_status([], CLOCK))
    assert not should_exit(Mode.RUNNING, drain_status([], CLOCK))


def test_commits_allowed__paused_or_stopping__no_new_commits() -> None:
    assert commits_allowed(Mode.RUNNING)
    assert not commits_allowed(Mode.PAUSED)
    assert not commits_allowed(Mode.STOPPING)


def test_drain_control__resume_after_sigterm__is_refused_and_stays_stopping() -> None:
    control = DrainControl()
    control.pause()
    assert control.mode is Mode.PAUSED
    assert control.resume() and control.mode is Mode.RUNNING
    control.stop()
    control.pause()  # a pause does not undo a stop either
    assert not control.resume()
    assert control.mode is Mode.STOPPING


def test_worst_case_drain_s__phase_lengths__covers_a_commit_phase_and_a_reveal_phase() -> None:
    assert worst_case_drain_s(CLOCK, ClockMode.TIMESTAMP, 2.0) == 6 + 6 + STOP_MARGIN_S


def test_worst_case_drain_s__block_clock__counts_the_blocks_at_the_measured_pace() -> None:
    assert worst_case_drain_s(CLOCK, ClockMode.BLOCKNUMBER, 2.0) == 2 * (6 + 6) + STOP_MARGIN_S
