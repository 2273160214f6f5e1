"""The transaction manager's attempt store (oracle/chain/tx_attempts.py) in the validator's SQLite.

Mixed into `Store`: one row per live attempt (table `tx_attempts`, schema version 3),
written in its own transaction before the attempt's bytes go to the node. A row leaves
once its attempt is final: the outcome has been reported, and only what is in flight
matters to a restarted validator.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_pricing import Fees, Priority


class AttemptRows:
    """`save_attempt` / `live_attempts` for a class with `transaction()` (the Store)."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:  # pragma: no cover
        raise NotImplementedError

    def _conn(self) -> sqlite3.Connection:  # pragma: no cover
        raise NotImplementedError

    def save_attempt(self, attempt: Attempt) -> None:
        with self.transaction() as c:
            if attempt.state.final:
                c.execute(
                    "DELETE FROM tx_attempts WHERE sender = ? AND nonce = ? AND intent = ?",
                    (attempt.sender, attempt.nonce, attempt.intent),
                )
                return
            c.execute(
                "INSERT OR REPLACE INTO tx_attempts (sender, nonce, intent, state, body)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    attempt.sender,
                    attempt.nonce,
                    attempt.intent,
                    attempt.state.value,
                    json.dumps(_to_json(attempt)),
                ),
            )

    def live_attempts(self, sender: str) -> list[Attempt]:
        rows = self._conn().execute(
            "SELECT body FROM tx_attempts WHERE sender = ? AND state = ? ORDER BY nonce",
            (sender, AttemptState.PENDING.value),
        )
        return list(_from_rows(rows))


def _to_json(a: Attempt) -> dict[str, Any]:
    return {
        "sender": a.sender,
        "intent": a.intent,
        "nonce": a.nonce,
        "to": a.to,
        "data": a.data.hex(),
        "value": str(a.value),
        "gas": a.gas,
        "priority": a.priority.name,
        "deadline": a.deadline,
        "max_fee": str(a.fees.max_fee),
        "tip": str(a.fees.tip),
        "hashes": list(a.hashes),
        "sent_block": a.sent_block,
        "first_block": a.first_block,
    }


def _from_rows(rows: Iterator[Any]) -> Iterator[Attempt]:
    for (body,) in rows:
        d = json.loads(body)
        yield Attempt(
            sender=d["sender"],
            intent=d["intent"],
            nonce=int(d["nonce"]),
            to=d["to"],
            data=bytes.fromhex(d["data"]),
            value=int(d["value"]),
            gas=int(d["gas"]),
            priority=Priority[d["priority"]],
            deadline=d["deadline"],
            fees=Fees(max_fee=int(d["max_fee"]), tip=int(d["tip"])),
            hashes=tuple(d["hashes"]),
            sent_block=int(d["sent_block"]),
            first_block=d.get("first_block"),  # absent in attempts stored before it existed
        )
