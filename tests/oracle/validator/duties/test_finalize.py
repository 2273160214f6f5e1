"""The finalize decision: the round's timing, chain time, our reveal and the host-clock
schedule in."""

from __future__ import annotations

import logging

from oracle.chain.revert_outcome import Outcome
from oracle.validator.duties.actions import Note
from oracle.validator.duties.finalize import (
    FinalizeSnapshot,
    NoteDue,
    SendFinalize,
    after_finalize_refused,
    decide_finalize,
    finalize_stagger,
)
from tests.support.duty_snapshots import R, T


def snap(now: int, **over: object) -> FinalizeSnapshot:
    base: dict[str, object] = {
        "round": R,
        "timing": T,
        "now": now,
        "pending_ids": (4, 5),
        "revealed_here": True,
        "host_now": 100.0,
        "due_since": 50.0,
        "last_reveal_at": 0.0,
        "stagger_s": 0.6,
        "last_tried_at": 0.0,
    }
    return FinalizeSnapshot(**{**base, **over})  # type: ignore[arg-type]


def test_decide_finalize__before_the_reveal_phase_or_nothing_pending__nothing() -> None:
    assert decide_finalize(snap(T.reveal_start - 1)) == []
    assert decide_finalize(snap(T.reveal_end, pending_ids=())) == []


def test_decide_finalize__reveal_phase_without_our_reveal__waits_for_it() -> None:
    assert decide_finalize(snap(T.reveal_start, revealed_here=False)) == []


def test_decide_finalize__after_the_reveal_end__sends_even_without_our_reveal() -> None:
    assert decide_finalize(snap(T.reveal_end, revealed_here=False)) == [SendFinalize(R, (4, 5))]


def test_decide_finalize__first_found_due__noted_and_waits_out_its_stagger() -> None:
    assert decide_finalize(snap(T.reveal_end, due_since=None)) == [NoteDue(R, 100.0)]
    assert decide_finalize(snap(T.reveal_end, due_since=None, stagger_s=0.0)) == [
        NoteDue(R, 100.0),
        SendFinalize(R, (4, 5)),
    ]


def test_decide_finalize__our_reveal_just_went_out__staggers_from_it() -> None:
    assert decide_finalize(snap(T.reveal_end, last_reveal_at=99.9)) == []
    assert decide_finalize(snap(T.reveal_end, last_reveal_at=99.0)) == [SendFinalize(R, (4, 5))]


def test_decide_finalize__tried_within_the_last_second__not_again_yet() -> None:
    assert decide_finalize(snap(T.reveal_end, last_tried_at=99.5)) == []


def test_finalize_stagger__per_validator_and_round__one_of_four_slots() -> None:
    slots = {round(finalize_stagger(f"0x{v:040x}", r), 6) for v in range(8) for r in range(8)}
    assert slots <= {0.0, 0.3, 0.6, 0.9} and len(slots) > 1


def test_after_finalize_refused__peer_first_said_too_early_silent_others_warn() -> None:
    (done,) = after_finalize_refused(R, Outcome.DONE, "x")
    assert "someone else first" in done.message
    assert after_finalize_refused(R, Outcome.TOO_EARLY, "x") == []
    (fatal,) = after_finalize_refused(R, Outcome.FATAL, "OracleX")
    assert fatal == Note(logging.WARNING, f"round {R}: finalize refused: OracleX")


def test_decide_finalize__a_part_in_flight__not_sent_again() -> None:
    assert decide_finalize(snap(T.reveal_end, in_flight=True)) == []
    assert decide_finalize(snap(T.reveal_end)) == [SendFinalize(R, (4, 5))]
