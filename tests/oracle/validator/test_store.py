"""The SQLite store: WAL, durable ballots, proposal state."""

from __future__ import annotations

from pathlib import Path

from oracle.validator.store import Store


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
    kw = {"payload": b"p", "payload_hash": b"h" * 32, "requester": "0x1", "round_": 2, "block": 9}
    assert store.add_proposal(id=1, **kw) is True
    assert store.add_proposal(id=1, **kw) is False  # re-read after a restart: no duplicate
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
        store.add_proposal(
            id=pid, payload=b"p", payload_hash=b"h" * 32, requester="0x1", round_=r, block=1
        )
    store.set_final(3, 2, 0, 5)
    assert store.pending_rounds(9) == [3]
    assert store.pending_rounds(10) == [3, 9]
