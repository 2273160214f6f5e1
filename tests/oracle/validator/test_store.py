"""The SQLite store: WAL, durable ballots, proposal state."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from oracle.validator.ballot_state import ALLOWED_TRANSITIONS, BallotState, IllegalBallotTransition
from oracle.validator.store import Store
from oracle.validator.submitted_proposal import SubmittedProposal


def test_store__uses_write_ahead_logging(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    assert store._conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_saved_ballot__survives_reopening_the_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    store.save_ballot(7, [3, 4, 5], b"\x00\x01\x04", b"\x11" * 32, b"\x22" * 32)
    store.close()
    again = Store(tmp_path / "v.db").ballot(7)
    assert again is not None
    assert (again.proposal_ids, again.verdicts, again.salt, again.commitment, again.state) == (
        [3, 4, 5],
        b"\x00\x01\x04",
        b"\x11" * 32,
        b"\x22" * 32,
        "prepared",
    )


def test_ballot_state__records_transactions(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    store.save_ballot(1, [1], b"\x00", b"\x01" * 32, b"\x02" * 32)
    store.set_ballot_state(1, "committed", commit_tx="0xabc")
    store.set_ballot_state(1, "revealed", reveal_tx="0xdef")
    b = store.ballot(1)
    assert b is not None and (b.state, b.commit_tx, b.reveal_tx) == ("revealed", "0xabc", "0xdef")
    assert [x.round for x in store.ballots_in(("revealed",))] == [1]
    assert [x.round for x in store.ballots_with(1)] == [1]
    assert store.ballots_with(11) == []


def test_add_proposal__is_idempotent_and_tracks_rolls_and_finals(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    proposal = SubmittedProposal(1, b"p", b"h" * 32, "0x1", round=2, block=9)
    assert store.add_proposal(proposal) is True
    assert store.add_proposal(proposal) is False  # re-read after a restart: no duplicate
    assert [p.id for p in store.unjudged()] == [1]
    store.set_verdicts([(1, 2, 0.9, "model")])
    assert store.unjudged() == []
    assert store.pending_in_round(2) == [1]
    store.set_rolled(1, 3)
    assert store.pending_in_round(2) == [] and store.pending_in_round(3) == [1]
    store.set_final(1, 2, 2, 3)
    assert store.pending_in_round(3) == []
    assert store.counts()["pending"] == 0


def test_cursor__round_trips(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    assert store.get_cursor("events") is None
    store.set_cursor("events", 42)
    assert store.get_cursor("events") == 42


def test_pending_rounds__lists_rounds_with_pending_proposals_before_a_round(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    for pid, r in ((1, 3), (2, 3), (3, 5), (4, 9)):
        _add(store, pid, r)
    store.set_final(3, 2, 0, 5)
    assert store.pending_rounds(9) == [3]
    assert store.pending_rounds(10) == [3, 9]


def _add(store: Store, pid: int, round_: int) -> None:
    store.add_proposal(SubmittedProposal(pid, b"p", b"h" * 32, "0x1", round=round_, block=1))


def test_set_verdicts__failing_midway__leaves_no_open_transaction_and_later_writes_commit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v.db"
    store = Store(path)
    _add(store, 1, 2)
    _add(store, 2, 2)
    unbindable = object()  # sqlite3 cannot bind it: the second UPDATE of the batch fails

    with pytest.raises(sqlite3.ProgrammingError):
        store.set_verdicts([(1, 2, 0.9, "model"), (2, unbindable, 0.9, "model")])  # type: ignore[list-item]

    assert not store._conn().in_transaction
    store.save_ballot(5, [1, 2], b"\x02\x02", b"\x11" * 32, b"\x22" * 32)
    store.set_cursor("events", 40)
    # What another process (the restarted validator) reads from the file.
    other = sqlite3.connect(path)
    assert other.execute("SELECT state FROM ballots WHERE round=5").fetchone() == ("prepared",)
    assert other.execute("SELECT value FROM meta WHERE key='cursor:events'").fetchone() == ("40",)
    # The failed batch is all or nothing: proposal 1's verdict was rolled back with it.
    assert other.execute("SELECT verdict FROM proposals WHERE id=1").fetchone() == (None,)


def test_transaction__error_inside__rolls_back_every_write_of_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    with pytest.raises(RuntimeError), store.transaction():
        _add(store, 1, 2)
        store.set_cursor("events", 9)
        raise RuntimeError("the event after these failed to apply")

    assert store.proposal(1) is None and store.get_cursor("events") is None
    assert not store._conn().in_transaction


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_store_files__are_created_owner_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "v.db"
    old = os.umask(umask)
    try:
        store = Store(path)
        store.save_ballot(1, [1], b"\x00", b"\x01" * 32, b"\x02" * 32)  # the -wal gets a frame
    finally:
        os.umask(old)

    files = [path, path.with_name("v.db-wal"), path.with_name("v.db-shm")]
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}


def test_store__existing_world_readable_file__is_tightened_to_0600(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    Store(path).close()
    os.chmod(path, 0o644)  # as the releases before this one left it

    Store(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_prune__drops_old_final_proposals_and_settled_ballots_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    for pid, r in ((1, 3), (2, 3), (3, 8), (4, 20), (5, 3)):
        _add(store, pid, r)
    store.set_final(1, 2, 0, 3)  # final long ago
    store.set_final(3, 2, 0, 8)  # final long ago, but listed by an unsettled ballot
    store.set_final(4, 2, 0, 20)  # final recently
    # 5 stays pending: never pruned, however old.
    store.save_ballot(3, [1, 2, 5], b"\x00" * 3, b"\x01" * 32, b"\x02" * 32)
    store.set_ballot_state(3, "settled")
    store.save_ballot(8, [3], b"\x00", b"\x01" * 32, b"\x02" * 32)
    store.set_ballot_state(8, "missed")  # still to be settled (the non-reveal path)

    assert store.prune(before_round=15) == (1, 1)

    assert store.proposal(1) is None and store.ballot(3) is None
    assert [p for p in (2, 3, 4, 5) if store.proposal(p) is None] == []
    assert store.ballot(8) is not None

    store.set_ballot_state(8, "settled")
    assert store.prune(before_round=15) == (1, 1)  # now proposal 3 and ballot 8 may go
    assert store.proposal(3) is None and store.proposal(4) is not None


def test_set_ballot_state__illegal_transition__raises_and_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    store.save_ballot(4, [1], b"\x00", b"\x01" * 32, b"\x02" * 32)
    store.set_ballot_state(4, BallotState.COMMITTED, commit_tx="0xabc")
    store.set_ballot_state(4, BallotState.REVEALED)
    store.set_ballot_state(4, BallotState.SETTLED, settle_tx="0xdef")

    with pytest.raises(IllegalBallotTransition, match="from settled to committed"):
        store.set_ballot_state(4, BallotState.COMMITTED, commit_tx="0x999")
    b = store.ballot(4)
    assert b is not None and (b.state, b.commit_tx) == (BallotState.SETTLED, "0xabc")


def test_save_ballot__over_a_committed_ballot__raises_and_keeps_the_preimage(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "v.db")
    store.save_ballot(4, [1], b"\x00", b"\x01" * 32, b"\x02" * 32)
    store.save_ballot(4, [1], b"\x03", b"\x01" * 32, b"\x04" * 32)  # still prepared: sealed again
    store.set_ballot_state(4, BallotState.COMMITTED)

    with pytest.raises(IllegalBallotTransition, match="from committed to prepared"):
        store.save_ballot(4, [1], b"\x00", b"\x05" * 32, b"\x06" * 32)
    b = store.ballot(4)
    assert b is not None and (b.state, b.verdicts, b.commitment) == (
        "committed",
        b"\x03",
        b"\x04" * 32,
    )


def test_ballot_transitions__every_final_state_has_no_way_out() -> None:
    finals = {s for s, to in ALLOWED_TRANSITIONS.items() if not to}
    assert finals == {BallotState.SETTLED, BallotState.UNCOMMITTED}
    assert set(ALLOWED_TRANSITIONS) == set(BallotState)
