"""The validator's local state in SQLite (WAL): proposals, verdicts, ballots, cursors.

The ballot row (salt, verdicts, commitment) is written and committed to disk
*before* the commit transaction is sent, so a restarted validator can always
reveal. Each thread opens its own connection (SQLite connections are not
shared across threads); WAL lets the API read while the engine writes.

Every write runs in `transaction()`: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any
error, so a failed write never leaves the connection inside an open transaction that
would swallow the writes after it. The file holds salts: it (and SQLite's -wal and -shm
files, which take the database file's mode) is created 0600. The schema is versioned
(store_schema.py) and the store is bound to one deployment and operator
(store_identity.py).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from oracle.validator.ballot_state import (
    OPEN_STATES,
    UNSETTLED_STATES,
    BallotState,
    IllegalBallotTransition,
    check_transition,
)
from oracle.validator.store_attempts import AttemptRows
from oracle.validator.store_identity import (
    StoreHoldsOtherPayloads,
    StoreIdentity,
    StoreIdentityMismatch,
    same_identity,
)
from oracle.validator.store_schema import StoreError, migrate
from oracle.validator.submitted_proposal import SubmittedProposal

log = logging.getLogger(__name__)

FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm")


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
    # The proposal's pinned `modelHash`; None for rows stored before schema version 2.
    model_hash: bytes | None = None


@dataclass(frozen=True)
class StoredBallot:
    round: int
    proposal_ids: list[int]
    verdicts: bytes
    salt: bytes
    commitment: bytes
    state: BallotState
    commit_tx: str | None
    reveal_tx: str | None
    settle_tx: str | None


class Store(AttemptRows):
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        _create_private(self.path)
        try:
            c = self._conn()
            c.execute("PRAGMA journal_mode=WAL")
            self.migrated_from = migrate(c, self.path)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(
                f"store {self.path} is not a readable SQLite database ({exc}); move it aside "
                "and restart (ballots committed on chain are rebuilt from the signer key)"
            ) from exc
        _restrict_side_files(self.path)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: the sqlite3 module never opens transactions behind our
            # back; transaction() opens and ends every one explicitly.
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA synchronous=FULL")  # durable before the commit tx goes out
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            self._local.depth = 0
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One logical write: everything inside commits together or not at all.

        Nested uses join the outermost transaction (an error anywhere rolls it all back).
        BEGIN IMMEDIATE takes the write lock up front, so a busy database fails here,
        before any statement, rather than at COMMIT.
        """
        c = self._conn()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield c
            finally:
                self._local.depth -= 1
            return
        c.execute("BEGIN IMMEDIATE")
        self._local.depth = 1
        try:
            yield c
            c.execute("COMMIT")
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        finally:
            self._local.depth = 0

    # -------------------------------------------------------------- identity

    def identity(self) -> StoreIdentity | None:
        rows = self._conn().execute("SELECT key, value FROM meta WHERE key LIKE 'identity:%'")
        return StoreIdentity.from_meta({str(k): str(v) for k, v in rows.fetchall()})

    def bind(
        self,
        wanted: StoreIdentity,
        *,
        chain_payload_hash: Callable[[int], bytes | None] | None = None,
    ) -> str:
        """Tie the store to `wanted`'s deployment and operator, or refuse (StoreError).

        'new': first start, identity written. 'matched': the same deployment and operator.
        'adopted': a store from before identities existed; if it holds proposals, the
        newest one's payload hash is checked against the chain (`chain_payload_hash`,
        None when the chain has no such proposal) before the identity is written.
        """
        with self.transaction() as c:
            stored = self.identity()
            if stored is not None:
                if not same_identity(stored, wanted):
                    raise StoreIdentityMismatch(self.path, stored, wanted)
                return "matched"
            row = c.execute(
                "SELECT id, payload_hash FROM proposals ORDER BY id DESC LIMIT 1"
            ).fetchone()
            outcome = "new" if row is None else "adopted"
            if row is not None and chain_payload_hash is not None:
                on_chain = chain_payload_hash(int(row[0]))
                if on_chain != bytes(row[1]):
                    raise StoreHoldsOtherPayloads(
                        self.path,
                        int(row[0]),
                        "0x" + bytes(row[1]).hex(),
                        "none" if on_chain is None else "0x" + on_chain.hex(),
                    )
            for key, value in wanted.as_meta().items():
                self.set_meta(key, value)
        if outcome == "adopted":
            log.warning("store %s had no recorded deployment; bound it to this one", self.path)
        return outcome

    # ------------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute(
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

    def add_proposal(self, proposal: SubmittedProposal) -> bool:
        """Store a newly seen proposal; False when it is stored already (an event read again)."""
        with self.transaction() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO proposals(id, payload, payload_hash, requester, first_round,"
                " block, current_round, model_hash) VALUES(:id, :payload, :payload_hash,"
                " :requester, :round, :block, :round, :model_hash)",
                asdict(proposal),
            )
            return cur.rowcount > 0

    def replace_proposal(self, proposal: SubmittedProposal) -> None:
        """The chain's payload for a stored proposal whose hash differed; judged again (its
        rounds are kept: the proposal is the same, only the payload stored for it was not)."""
        with self.transaction() as c:
            c.execute(
                "UPDATE proposals SET payload=:payload, payload_hash=:payload_hash,"
                " requester=:requester, block=:block, model_hash=:model_hash, verdict=NULL,"
                " confidence=NULL, reason=NULL WHERE id=:id",
                asdict(proposal),
            )

    def set_model_hashes(self, hashes: dict[int, bytes]) -> None:
        """Record the pinned model of proposals stored before the column existed."""
        with self.transaction() as c:
            c.executemany(
                "UPDATE proposals SET model_hash=? WHERE id=?",
                [(h, pid) for pid, h in hashes.items()],
            )

    def unjudged(self, limit: int = 10_000) -> list[StoredProposal]:
        rows = (
            self._conn()
            .execute("SELECT * FROM proposals WHERE verdict IS NULL ORDER BY id LIMIT ?", (limit,))
            .fetchall()
        )
        return [StoredProposal(*r) for r in rows]

    def set_verdicts(
        self,
        results: list[tuple[int, int, float, str]],
        *,
        payload_hashes: dict[int, bytes] | None = None,
    ) -> None:
        """(id, verdict, confidence, reason) each, in one transaction. With `payload_hashes`
        (the payloads judged), a verdict is written only while the proposal's stored payload
        is still that one: the judge worker runs beside a refetch that may replace it."""
        with self.transaction() as c:
            if payload_hashes is None:
                c.executemany(
                    "UPDATE proposals SET verdict=?, confidence=?, reason=? WHERE id=?",
                    [(v, conf, reason, pid) for pid, v, conf, reason in results],
                )
                return
            c.executemany(
                "UPDATE proposals SET verdict=?, confidence=?, reason=? WHERE id=?"
                " AND payload_hash=?",
                [(v, conf, reason, pid, payload_hashes[pid]) for pid, v, conf, reason in results],
            )

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
        with self.transaction() as c:
            c.execute(
                "UPDATE proposals SET status=?, final_verdict=?, final_round=? WHERE id=?",
                (status, verdict, round_, pid),
            )

    def set_rolled(self, pid: int, to_round: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE proposals SET current_round=? WHERE id=?", (to_round, pid))

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

    def outcome_pairs(self) -> list[tuple[int, int, int]]:
        """(our verdict, the final verdict, proposals) over finalized proposals judged here
        (observer.py compares them)."""
        rows = (
            self._conn()
            .execute(
                # status 2: finalized (no consensus has no final verdict to compare)
                "SELECT verdict, final_verdict, COUNT(*) FROM proposals WHERE status=2 "
                "AND verdict IS NOT NULL AND final_verdict IS NOT NULL "
                "GROUP BY verdict, final_verdict"
            )
            .fetchall()
        )
        return [(int(a), int(b), int(n)) for a, b, n in rows]

    def counts(self) -> dict[str, int]:
        c = self._conn()
        total = c.execute("SELECT COUNT(*) FROM proposals").fetchone()[0]
        pending = c.execute("SELECT COUNT(*) FROM proposals WHERE status=1").fetchone()[0]
        unjudged = c.execute("SELECT COUNT(*) FROM proposals WHERE verdict IS NULL").fetchone()[0]
        counted = (*OPEN_STATES, BallotState.REVEALED)
        open_ballots = c.execute(
            f"SELECT COUNT(*) FROM ballots WHERE state IN ({','.join('?' * len(counted))})",
            counted,
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
        """Persist the preimage durably; called before the commit transaction is sent.

        Only a new ballot or a still-prepared one (sealed again) may be written: replacing
        one that is committed or further would lose what its reveal or settle needs.
        """
        with self.transaction() as c:
            current = self._ballot_state(c, round_)
            if current not in (None, BallotState.PREPARED):
                raise IllegalBallotTransition(round_, current, BallotState.PREPARED)
            c.execute(
                "INSERT OR REPLACE INTO ballots(round, proposal_ids, verdicts, salt, commitment,"
                " state) VALUES(?,?,?,?,?,'prepared')",
                (round_, ",".join(map(str, proposal_ids)), verdicts, salt, commitment),
            )

    def ballot(self, round_: int) -> StoredBallot | None:
        row = self._conn().execute("SELECT * FROM ballots WHERE round=?", (round_,)).fetchone()
        return None if row is None else _ballot(row)

    def ballots_in(self, states: tuple[BallotState, ...]) -> list[StoredBallot]:
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

    def set_ballot_state(self, round_: int, state: BallotState | str, **tx: Any) -> None:
        """Move ballot `round_` to `state` (recording any tx hashes given), if that move is
        allowed (ballot_state.py); IllegalBallotTransition otherwise, with nothing written."""
        wanted = BallotState(state)
        cols = ["state=?"] + [f"{k}=?" for k in tx]
        with self.transaction() as c:
            current = self._ballot_state(c, round_)
            if current is None:
                raise KeyError(f"round {round_}: no stored ballot to move to {wanted}")
            check_transition(round_, current, wanted)
            c.execute(
                f"UPDATE ballots SET {', '.join(cols)} WHERE round=?",
                (str(wanted), *tx.values(), round_),
            )

    @staticmethod
    def _ballot_state(c: sqlite3.Connection, round_: int) -> BallotState | None:
        row = c.execute("SELECT state FROM ballots WHERE round=?", (round_,)).fetchone()
        return None if row is None else BallotState(str(row[0]))

    # --------------------------------------------------------------- pruning

    def prune(self, before_round: int, batch: int = 5_000) -> tuple[int, int]:
        """Delete what no later step reads: (proposals, ballots) deleted, at most `batch` each.

        Final proposals that finished before `before_round`, and settled or uncommitted
        ballots of rounds before it. The cut-off never passes the oldest unsettled ballot:
        a proposal is only listed in ballots of rounds up to the one it finished in, so
        every proposal an unsettled ballot lists is kept.
        """
        with self.transaction() as c:
            marks = ",".join("?" * len(UNSETTLED_STATES))
            oldest = c.execute(
                f"SELECT MIN(round) FROM ballots WHERE state IN ({marks})", UNSETTLED_STATES
            ).fetchone()[0]
            cutoff = before_round if oldest is None else min(before_round, int(oldest))
            proposals = c.execute(
                "DELETE FROM proposals WHERE id IN (SELECT id FROM proposals"
                " WHERE status <> 1 AND final_round < ? LIMIT ?)",
                (cutoff, batch),
            ).rowcount
            ballots = c.execute(
                "DELETE FROM ballots WHERE round IN (SELECT round FROM ballots"
                " WHERE state IN (?, ?) AND round < ? LIMIT ?)",
                (BallotState.SETTLED, BallotState.UNCOMMITTED, cutoff, batch),
            ).rowcount
        return int(proposals), int(ballots)


def _ballot(row: Any) -> StoredBallot:
    ids = [int(x) for x in str(row[1]).split(",") if x]
    return StoredBallot(
        int(row[0]),
        ids,
        bytes(row[2]),
        bytes(row[3]),
        bytes(row[4]),
        BallotState(str(row[5])),
        row[6],
        row[7],
        row[8],
    )


def _create_private(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would use 0644 under umask 022).

    SQLite gives its -wal and -shm files the database file's mode, so they follow. An
    existing file written by an older release is tightened to 0600.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    _restrict(path)


def _restrict_side_files(path: Path) -> None:
    for suffix in SQLITE_SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            _restrict(side)


def _restrict(path: Path) -> None:
    if path.stat().st_mode & 0o777 != FILE_MODE:
        os.chmod(path, FILE_MODE)
