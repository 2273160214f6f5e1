"""The store's schema version (`PRAGMA user_version`), its migrations, and its indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from oracle.validator.store import Store
from oracle.validator.store_schema import MIGRATIONS, SCHEMA_VERSION, StoreError, schema_version
from oracle.validator.submitted_proposal import SubmittedProposal
from tests.support.legacy_store import write_v0_store


def _plan(store: Store, sql: str, *args: object) -> str:
    rows = store._conn().execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def _add(store: Store, pid: int, round_: int) -> None:
    store.add_proposal(SubmittedProposal(pid, b"p", b"h" * 32, "0x1", round=round_, block=1))


def test_new_store__is_at_the_latest_schema_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    assert schema_version(store._conn()) == SCHEMA_VERSION == MIGRATIONS[-1].to_version
    assert store.migrated_from == 0


def test_migrations__are_numbered_in_order_from_one() -> None:
    assert [m.to_version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_v0_database__opens_migrated_with_its_ballots_and_cursor_kept(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    write_v0_store(path, proposals=[(4, b"pay", b"\x44" * 32)], committed_round=9, cursor=77)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 0

    store = Store(path)

    assert store.migrated_from == 0
    assert schema_version(store._conn()) == SCHEMA_VERSION
    ballot = store.ballot(9)
    assert ballot is not None and (ballot.state, ballot.proposal_ids) == ("committed", [4])
    assert store.get_cursor("events") == 77
    assert store.proposal(4).payload_hash == b"\x44" * 32  # type: ignore[union-attr]
    assert store.proposal(4).model_hash is None  # type: ignore[union-attr]  # read from chain
    assert Store(path).migrated_from == SCHEMA_VERSION  # a second open migrates nothing


def test_store__schema_newer_than_this_release__refuses_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()

    with pytest.raises(StoreError) as err:
        Store(path)

    msg = str(err.value)
    assert "\n" not in msg and f"schema version {SCHEMA_VERSION + 1}" in msg and "db_path" in msg


def test_store__file_that_is_not_sqlite__refuses_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    path.write_bytes(b"this is not a database, it is a text file of some length" * 100)

    with pytest.raises(StoreError) as err:
        Store(path)

    assert "\n" not in str(err.value) and "not a readable SQLite database" in str(err.value)


def test_per_tick_queries__use_the_indexes_not_a_table_scan(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    for pid in range(1, 200):
        _add(store, pid, pid % 7)
    store._conn().execute("ANALYZE")

    pending_in_round = _plan(
        store, "SELECT id FROM proposals WHERE status=1 AND current_round=? ORDER BY id", 3
    )
    pending_rounds = _plan(
        store,
        "SELECT DISTINCT current_round FROM proposals WHERE status=1 AND current_round < ?"
        " ORDER BY current_round",
        5,
    )
    ballots_in = _plan(
        store, "SELECT * FROM ballots WHERE state IN (?, ?) ORDER BY round", "prepared", "committed"
    )
    unjudged = _plan(store, "SELECT * FROM proposals WHERE verdict IS NULL ORDER BY id LIMIT ?", 9)

    # SEARCH: a lookup in the index; a SCAN of the table would read every row each tick.
    assert pending_in_round.startswith("SEARCH proposals USING INDEX proposals_pending_by_round")
    assert pending_rounds.startswith("SEARCH proposals USING INDEX proposals_pending_by_round")
    assert ballots_in.startswith("SEARCH ballots USING INDEX ballots_by_state")
    # The partial index holds only unjudged rows: scanning it reads no judged proposal.
    assert unjudged.startswith("SCAN proposals USING INDEX proposals_unjudged")


def test_proposal__model_hash__stored_and_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    store.add_proposal(
        SubmittedProposal(1, b"p", b"h" * 32, "0x1", round=3, block=1, model_hash=b"\xab" * 32)
    )
    _add(store, 2, 3)  # a caller that does not know the pin
    store.set_model_hashes({2: b"\xcd" * 32})
    assert store.proposal(1).model_hash == b"\xab" * 32  # type: ignore[union-attr]
    assert store.proposal(2).model_hash == b"\xcd" * 32  # type: ignore[union-attr]
