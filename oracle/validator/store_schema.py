"""The store's schema: version 0 as first shipped, then ordered migrations (`PRAGMA user_version`).

A database records the version it is at in SQLite's `user_version` header field. Opening
one runs every migration above that version, all in one transaction, so a database is
either fully at the new version or untouched. A new database is created at version 0
and migrated like any other, so new and upgraded databases have the same schema.
Never edit a shipped migration: append a new one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message says what to do."""


# Version 0: the schema of the first releases (no identity, no user_version, one index).
SCHEMA_V0: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS proposals (
        id INTEGER PRIMARY KEY,
        payload BLOB NOT NULL,
        payload_hash BLOB NOT NULL,
        requester TEXT NOT NULL,
        first_round INTEGER NOT NULL,
        block INTEGER NOT NULL,
        verdict INTEGER,            -- this validator's verdict (before any test-only shift)
        confidence REAL,
        reason TEXT,
        status INTEGER NOT NULL DEFAULT 1,  -- Status enum; 1 pending
        final_verdict INTEGER,
        final_round INTEGER,
        current_round INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS proposals_unjudged ON proposals(id) WHERE verdict IS NULL",
    """CREATE TABLE IF NOT EXISTS ballots (
        round INTEGER PRIMARY KEY,
        proposal_ids TEXT NOT NULL,   -- comma-separated, in list order
        verdicts BLOB NOT NULL,
        salt BLOB NOT NULL,
        commitment BLOB NOT NULL,
        state TEXT NOT NULL,          -- prepared, committed, revealed, settled, missed, uncommitted
        commit_tx TEXT,
        reveal_tx TEXT,
        settle_tx TEXT
    )""",
)


@dataclass(frozen=True)
class Migration:
    to_version: int
    why: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "indexes for the per-tick queries and for pruning",
        (
            # pending_in_round, pending_rounds and counts()['pending'] (partial: only
            # pending rows, so the index stays as small as the open work).
            "CREATE INDEX IF NOT EXISTS proposals_pending_by_round"
            " ON proposals(current_round) WHERE status = 1",
            # prune(): final proposals by the round they finished in.
            "CREATE INDEX IF NOT EXISTS proposals_final_by_round"
            " ON proposals(final_round) WHERE status <> 1",
            # ballots_in() (reveal, settle) and counts()['open_ballots'].
            "CREATE INDEX IF NOT EXISTS ballots_by_state ON ballots(state, round)",
        ),
    ),
    Migration(
        2,
        "the model each proposal is pinned to (NULL: stored before this column, read from chain)",
        ("ALTER TABLE proposals ADD COLUMN model_hash BLOB",),
    ),
    Migration(
        3,
        "the transaction manager's attempts in flight (oracle/chain/tx_attempts.py)",
        (
            """CREATE TABLE IF NOT EXISTS tx_attempts (
                sender TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                intent TEXT NOT NULL,
                state TEXT NOT NULL,      -- AttemptState value; rows leave once final
                body TEXT NOT NULL,       -- the attempt as JSON (store_attempts.py)
                PRIMARY KEY (sender, nonce, intent)
            )""",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].to_version


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: object) -> int:
    """Bring the database on `conn` (autocommit mode) to SCHEMA_VERSION; the version it was at.

    Refuses a database written by a newer release: its schema may mean things this
    code does not know, and guessing could lose a ballot.
    """
    conn.execute("BEGIN IMMEDIATE")  # one writer migrates; a second opener waits, then sees it
    try:
        found = schema_version(conn)
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"store {path} is at schema version {found}, newer than this release knows "
                f"({SCHEMA_VERSION}); run the release that wrote it, or set db_path to a new file"
            )
        if found == 0:
            for statement in SCHEMA_V0:
                conn.execute(statement)
        for m in MIGRATIONS:
            if m.to_version > found:
                for statement in m.statements:
                    conn.execute(statement)
                # user_version is written inside the transaction: it commits with the schema.
                conn.execute(f"PRAGMA user_version = {int(m.to_version)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return found
