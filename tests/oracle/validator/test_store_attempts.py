"""The transaction manager's attempts in the validator's store: they survive a reopen, and
leave once final."""

from __future__ import annotations

from pathlib import Path

from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_pricing import Fees, Priority
from oracle.validator.store import Store

SENDER = "0x" + "11" * 20


def _attempt(nonce: int, intent: str) -> Attempt:
    return Attempt(
        sender=SENDER,
        intent=intent,
        nonce=nonce,
        to="0x" + "22" * 20,
        data=b"\x01\x02",
        value=3,
        gas=50_000,
        priority=Priority.DEADLINE,
        deadline=1_700_000_000,
        fees=Fees(max_fee=4 * 10**9, tip=10**9),
        hashes=("0x" + "aa" * 32, "0x" + "bb" * 32),
        sent_block=12,
    )


def test_save_attempt__reopened_store__has_it_in_flight_as_saved(tmp_path: Path) -> None:
    Store(tmp_path / "v.db").save_attempt(_attempt(4, "settle:2"))
    assert Store(tmp_path / "v.db").live_attempts(SENDER) == [_attempt(4, "settle:2")]


def test_save_attempt__final__leaves_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "v.db")
    store.save_attempt(_attempt(4, "settle:2"))
    store.save_attempt(_attempt(5, "claim"))
    store.save_attempt(_attempt(4, "settle:2").finished(AttemptState.MINED, mined_hash="0x01"))
    assert [a.intent for a in store.live_attempts(SENDER)] == ["claim"]
    assert store.live_attempts("0x" + "33" * 20) == []
