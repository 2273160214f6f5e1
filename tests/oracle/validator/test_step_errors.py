"""Repeated tick-step failures are summarised, not logged whole on every poll."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from oracle.validator.step_errors import StepErrorLog

LOGGER = "test.step_errors"


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


Logged = tuple[StepErrorLog, Clock, pytest.LogCaptureFixture]


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[Logged]:
    """A step-error log on a clock the test moves, and the capture of what it writes."""
    clock = Clock()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        yield (
            StepErrorLog(logging.getLogger(LOGGER), every_s=60.0, clock=clock),
            clock,
            caplog,
        )


def _boom() -> ValueError:
    try:
        raise ValueError("database disk image is malformed")
    except ValueError as exc:
        return exc


def test_step_error_log__same_error_every_poll_for_a_minute__one_traceback_then_one_summary(
    logged: Logged,
) -> None:
    errors, clock, caplog = logged
    for _ in range(241):  # a poll every 0.25 s for 60 s
        errors.failed("ingest", _boom())
        clock.t += 0.25
    assert len(caplog.records) == 2
    assert caplog.records[0].exc_info is not None  # the first failure, whole
    assert "still failing for 60 s (240 more times" in caplog.records[1].getMessage()
    assert caplog.records[1].exc_info is None
    assert errors.failing_steps() == ["ingest"]


def test_step_error_log__a_different_error__is_logged_whole_again(logged: Logged) -> None:
    errors, _, caplog = logged
    errors.failed("settle", _boom())
    errors.failed("settle", RuntimeError("nonce too low"))
    assert sum(r.exc_info is not None for r in caplog.records) == 2


def test_step_error_log__success_after_failures__says_so_once_and_forgets(logged: Logged) -> None:
    errors, clock, caplog = logged
    errors.failed("claim", _boom())
    clock.t += 12
    errors.succeeded("claim")
    errors.succeeded("claim")  # nothing was failing any more: silent
    errors.failed("claim", _boom())  # a new episode: whole again
    assert sum("works again after 12 s" in r.getMessage() for r in caplog.records) == 1
    assert sum(r.exc_info is not None for r in caplog.records) == 2


def test_step_error_log__expected_condition__one_line_without_traceback(logged: Logged) -> None:
    errors, _, caplog = logged
    for _ in range(10):
        errors.failed("tick", ConnectionError("refused"), message="chain unreachable")
    assert [r.getMessage() for r in caplog.records] == ["chain unreachable"]
    assert caplog.records[0].exc_info is None
