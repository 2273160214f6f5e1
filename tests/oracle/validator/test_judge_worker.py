"""The judge worker's batch choice (pure), and the store write it relies on: a verdict lands
only on the payload that was judged."""

from __future__ import annotations

from pathlib import Path

from oracle.validator.judge_worker import pick_batch
from oracle.validator.store import Store
from oracle.validator.submitted_proposal import SubmittedProposal


def test_pick_batch__prioritized_ids__judged_alone_ahead_of_the_backlog() -> None:
    # A lost database's rebuild waits for its round's 2 proposals, not for 512 of the backlog.
    assert pick_batch([9, 3], [1, 3, 4, 5], 4) == [9, 3]
    assert pick_batch([7, 7, 8], [1], 1) == [7]


def test_pick_batch__nothing_prioritized__the_backlog_each_once_up_to_the_limit() -> None:
    assert pick_batch([], [1, 2, 2, 3], 2) == [1, 2]
    assert pick_batch([], [], 5) == []


def test_set_verdicts__payload_replaced_while_judging__verdict_not_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    store.add_proposal(SubmittedProposal(1, b"old", b"o" * 32, "0x1", round=2, block=9))
    store.add_proposal(SubmittedProposal(2, b"two", b"t" * 32, "0x1", round=2, block=9))
    judged = {1: b"o" * 32, 2: b"t" * 32}  # what the worker read before judging
    store.replace_proposal(SubmittedProposal(1, b"new", b"n" * 32, "0x1", round=2, block=9))

    store.set_verdicts([(1, 2, 0.9, "r"), (2, 3, 0.8, "r")], payload_hashes=judged)

    one, two = store.proposal(1), store.proposal(2)
    assert one is not None and one.verdict is None  # judged again, on the new bytes
    assert two is not None and two.verdict == 3
