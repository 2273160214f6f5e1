"""The validator's local state in SQLite (WAL): proposals, verdicts, ballots, cursors.

The ballot row (salt, verdicts, commitment) is written and committed to disk
*before* the commit transaction is sent, so a restarted validator can always
reveal. Each thread opens its own connection (SQLite connections are not
shared across threads); WAL lets the API read while the engine writes.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
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


@dataclass(frozen=True)
class StoredProposal:
    id: int
    payload: bytes
    payload_hash: bytes
    requester: str
    first_round: int
    block: int
    verdict: int | None
    confidence: float | None
    reason: str | None
    status: int
    final_verdict: int | None
    final_round: int | None
    current_round: int


@dataclass(frozen=True)
class StoredBallot:
    round: int
    proposal_ids: list[int]
    verdicts: bytes
    salt: bytes
    commitment: bytes
    state: str
    commit_tx: str | None
    reveal_tx: str | None
    settle_tx: str | None


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous=FULL")  # durable before the commit tx goes out
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # ------------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._conn().execute(
            "INSERT INTO meta(key, value) VALUES(?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, value),
        )

    def get_cursor(self, name: str) -> int | None:
        v = self.get_meta(f"cursor:{name}")
        return None if v is None else int(v)

    def set_cursor(self, name: str, block: int) -> None:
        self.set_meta(f"cursor:{name}", str(block))

    # ------------------------------------------------------------- proposals

    def add_proposal(
        self,
        *,
        id: int,
        payload: bytes,
        payload_hash: bytes,
        requester: str,
        round_: int,
        block: int,
    ) -> bool:
        cur = self._conn().execute(
            "INSERT OR IGNORE INTO proposals(id, payload, payload_hash, requester,"
            " first_round, block, current_round) VALUES(?,?,?,?,?,?,?)",
            (id, payload, payload_hash, requester, round_, block, round_),
        )
        return cur.rowcount > 0

    def unjudged(self, limit: int = 10_000) -> list[StoredProposal]:
        rows = (
            self._conn()
            .execute("SELECT * FROM proposals WHERE verdict IS NULL ORDER BY id LIMIT ?", (limit,))
            .fetchall()
        )
        return [StoredProposal(*r) for r in rows]

    def set_verdicts(self, results: list[tuple[int, int, float, str]]) -> None:
        """(id, verdict, confidence, reason) each, in one transaction."""
        c = self._conn()
        c.execute("BEGIN")
        c.executemany(
            "UPDATE proposals SET verdict=?, confidence=?, reason=? WHERE id=?",
            [(v, conf, reason, pid) for pid, v, conf, reason in results],
        )
        c.execute("COMMIT")

    def proposal(self, pid: int) -> StoredProposal | None:
        row = self._conn().execute("SELECT * FROM proposals WHERE id=?", (pid,)).fetchone()
        return None if row is None else StoredProposal(*row)

    def proposals(self, ids: list[int]) -> dict[int, StoredProposal]:
        out: dict[int, StoredProposal] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT * FROM proposals WHERE id IN ({','.join('?' * len(chunk))})"
            for r in self._conn().execute(q, chunk).fetchall():
                out[int(r[0])] = StoredProposal(*r)
        return out

    def set_final(self, pid: int, status: int, verdict: int, round_: int) -> None:
        self._conn().execute(
            "UPDATE proposals SET status=?, final_verdict=?, final_round=? WHERE id=?",
            (status, verdict, round_, pid),
        )

    def set_rolled(self, pid: int, to_round: int) -> None:
        self._conn().execute("UPDATE proposals SET current_round=? WHERE id=?", (to_round, pid))

    def pending_in_round(self, round_: int) -> list[int]:
        rows = (
            self._conn()
            .execute(
                "SELECT id FROM proposals WHERE status=1 AND current_round=? ORDER BY id", (round_,)
            )
            .fetchall()
        )
        return [int(r[0]) for r in rows]

    def pending_rounds(self, before: int) -> list[int]:
        """Rounds before `before` that still hold pending proposals (as far as we know)."""
        rows = (
            self._conn()
            .execute(
                "SELECT DISTINCT current_round FROM proposals WHERE status=1 AND current_round < ?"
                " ORDER BY current_round",
                (before,),
            )
            .fetchall()
        )
        return [int(r[0]) for r in rows]

    def counts(self) -> dict[str, int]:
        c = self._conn()
        total = c.execute("SELECT COUNT(*) FROM proposals").fetchone()[0]
        pending = c.execute("SELECT COUNT(*) FROM proposals WHERE status=1").fetchone()[0]
        unjudged = c.execute("SELECT COUNT(*) FROM proposals WHERE verdict IS NULL").fetchone()[0]
        open_ballots = c.execute(
            "SELECT COUNT(*) FROM ballots WHERE state IN ('prepared','committed','revealed')"
        ).fetchone()[0]
        return {
            "proposals": int(total),
            "pending": int(pending),
            "unjudged": int(unjudged),
            "open_ballots": int(open_ballots),
        }

    # --------------------------------------------------------------- ballots

    def save_ballot(
        self, round_: int, proposal_ids: list[int], verdicts: bytes, salt: bytes, commitment: bytes
    ) -> None:
        """Persist the preimage durably; called before the commit transaction is sent."""
        self._conn().execute(
            "INSERT OR REPLACE INTO ballots(round, proposal_ids, verdicts, salt, commitment, state)"
            " VALUES(?,?,?,?,?,'prepared')",
            (round_, ",".join(map(str, proposal_ids)), verdicts, salt, commitment),
        )

    def ballot(self, round_: int) -> StoredBallot | None:
        row = self._conn().execute("SELECT * FROM ballots WHERE round=?", (round_,)).fetchone()
        return None if row is None else _ballot(row)

    def ballots_in(self, states: tuple[str, ...]) -> list[StoredBallot]:
        q = f"SELECT * FROM ballots WHERE state IN ({','.join('?' * len(states))}) ORDER BY round"
        return [_ballot(r) for r in self._conn().execute(q, states).fetchall()]

    def ballots_with(self, pid: int) -> list[StoredBallot]:
        rows = (
            self._conn()
            .execute(
                "SELECT * FROM ballots WHERE ','||proposal_ids||',' LIKE ? ORDER BY round",
                (f"%,{pid},%",),
            )
            .fetchall()
        )
        return [_ballot(r) for r in rows]

    def set_ballot_state(self, round_: int, state: str, **tx: Any) -> None:
        cols = ["state=?"] + [f"{k}=?" for k in tx]
        self._conn().execute(
            f"UPDATE ballots SET {', '.join(cols)} WHERE round=?", (state, *tx.values(), round_)
        )


def _ballot(row: Any) -> StoredBallot:
    ids = [int(x) for x in str(row[1]).split(",") if x]
    return StoredBallot(
        int(row[0]),
        ids,
        bytes(row[2]),
        bytes(row[3]),
        bytes(row[4]),
        str(row[5]),
        row[6],
        row[7],
        row[8],
    )
