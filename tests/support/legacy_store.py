"""A validator database as the first releases wrote it (schema version 0), for migration tests.

The SQL is a frozen copy of what those releases shipped, on purpose not imported from
oracle/validator/store_schema.py: the test must keep proving that a file written by the
old code opens, even if someone edits the store's own copy by mistake.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

V0_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS proposals (
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
);
CREATE INDEX IF NOT EXISTS proposals_unjudged ON proposals(id) WHERE verdict IS NULL;
CREATE TABLE IF NOT EXISTS ballots (
    round INTEGER PRIMARY KEY,
    proposal_ids TEXT NOT NULL,   -- comma-separated, in list order
    verdicts BLOB NOT NULL,
    salt BLOB NOT NULL,
    commitment BLOB NOT NULL,
    state TEXT NOT NULL,          -- prepared, committed, revealed, settled, missed, uncommitted
    commit_tx TEXT,
    reveal_tx TEXT,
    settle_tx TEXT
);
"""


def write_v0_store(
    path: Path,
    *,
    proposals: Sequence[tuple[int, bytes, bytes]] = (),
    committed_round: int | None = None,
    cursor: int | None = None,
) -> None:
    """A v0 database (user_version 0, no identity) with (id, payload, payload_hash) rows.

    `committed_round`: a committed ballot of that round listing every proposal, as a v0
    validator killed between its commit and its reveal leaves it.
    """
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(V0_SCHEMA_SQL)
    with conn:
        for pid, payload, payload_hash in proposals:
            conn.execute(
                "INSERT INTO proposals(id, payload, payload_hash, requester, first_round, block,"
                " current_round) VALUES(?,?,?,?,?,?,?)",
                (pid, payload, payload_hash, "0x" + "11" * 20, 1, 1, 1),
            )
        if committed_round is not None:
            conn.execute(
                "INSERT INTO ballots(round, proposal_ids, verdicts, salt, commitment, state)"
                " VALUES(?,?,?,?,?,'committed')",
                (
                    committed_round,
                    ",".join(str(p[0]) for p in proposals),
                    bytes(len(proposals)),
                    b"\x05" * 32,
                    b"\x06" * 32,
                ),
            )
        if cursor is not None:
            conn.execute("INSERT INTO meta(key, value) VALUES('cursor:events', ?)", (str(cursor),))
    conn.close()
