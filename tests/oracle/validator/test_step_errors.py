"""Repeated tick-step failures are summarised, not logged whole on every poll."""

from __future__ import annotations

import logging

import pytest

from oracle.validator.step_errors import StepErrorLog


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _log(clock: Clock) -> StepErrorLog:
    return StepErrorLog(logging.getLogger("test.step_errors"), every_s=60.0, clock=clock)


def _boom() -> ValueError:
    try:
        raise ValueError("database disk image is malformed")
    except ValueError as exc:
        return exc


def test_step_error_log__same_error_every_poll_for_a_minute__one_traceback_then_one_summary(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    errors = _log(clock)
    with caplog.at_level(logging.INFO, logger="test.step_errors"):
        for _ in range(241):  # a poll every 0.25 s for 60 s
            errors.failed("ingest", _boom())
            clock.t += 0.25
    lines = [r for r in caplog.records if r.name == "test.step_errors"]
    assert len(lines) == 2
    assert lines[0].exc_info is not None  # the first failure, whole
    assert "still failing for 60 s (240 more times" in lines[1].getMessage()
    assert lines[1].exc_info is None
    assert errors.failing_steps() == ["ingest"]


def test_step_error_log__a_different_error__is_logged_whole_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    errors = _log(Clock())
    with caplog.at_level(logging.INFO, logger="test.step_errors"):
        errors.failed("settle", _boom())
        errors.failed("settle", RuntimeError("nonce too low"))
    tracebacks = [r for r in caplog.records if r.exc_info is not None]
    assert len(tracebacks) == 2


def test_step_error_log__success_after_failures__says_so_once_and_forgets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    errors = _log(clock)
    with caplog.at_level(logging.INFO, logger="test.step_errors"):
        errors.failed("claim", _boom())
        clock.t += 12
        errors.succeeded("claim")
        errors.succeeded("claim")  # nothing was failing any more: silent
        errors.failed("claim", _boom())  # a new episode: whole again
    messages = [r.getMessage() for r in caplog.records]
    assert sum("works again after 12 s" in m for m in messages) == 1
    assert sum(r.exc_info is not None for r in caplog.records) == 2


def test_step_error_log__expected_condition__one_line_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    errors = _log(Clock())
    with caplog.at_level(logging.INFO, logger="test.step_errors"):
        for _ in range(10):
            errors.failed("tick", ConnectionError("refused"), message="chain unreachable")
    assert [r.getMessage() for r in caplog.records] == ["chain unreachable"]
    assert caplog.records[0].exc_info is None
