"""Commits and reveals through the transaction manager from the duty executors: one in
flight is not sent again, and after a restart the old process's reveal is recorded from its
receipt (on_orphan, handed to the reveal duty).

A real Anvil with manual mining where a block must not come; no model (verdicts by hand).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oracle.chain.client import OracleClient
from oracle.chain.submitter import Submitter
from oracle.validator.ballot_state import BallotState
from oracle.validator.engine import Engine
from tests.support.timetravel import advance_to
from tests.support.tx_manager_chain import manual_mining, mine, pool_nonces
from tests.support.validator_parts import engine_without_model


def _committable_round(client: OracleClient, account: Any, db: Path) -> tuple[Engine, int]:
    """A staked engine in the commit phase of a round of one proposal, its verdict stored."""
    client.stake(client.make_sender(account), int(client.param("minStake")))
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    pid = Submitter(client, account).submit([b"\x0c" * 64])[0].proposal_id
    r = client.proposal(pid).round
    engine = engine_without_model(client, account, db)
    advance_to(client, client.round_timing(r).commit_start)
    engine.ingest()
    engine.store.set_verdicts([(i, 2, 1.0, "test") for i in client.round_proposals(r)])
    return engine, r


def test_commit_duty__commit_in_flight__not_sent_again_and_committed_once_mined(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    engine, r = _committable_round(client, account, tmp_path / "validator.db")
    with manual_mining(client.w3):
        engine.commit_due(r, engine.observe_head())
        [sent] = engine.tx.in_flight(f"commit:{r}")
        pooled = sorted(pool_nonces(client.w3, account.address))
        engine.commit_due(r, engine.observe_head())  # no block yet: still in flight
        assert sorted(pool_nonces(client.w3, account.address)) == pooled
        assert engine.store.ballot(r).state is BallotState.PREPARED  # type: ignore[union-attr]
        mine(client.w3)
        engine.check_transactions(engine.observe_head())
    ballot = engine.store.ballot(r)
    assert ballot is not None and ballot.state is BallotState.COMMITTED
    assert ballot.commit_tx == sent.tx_hash


def test_restart__reveal_in_flight__not_sent_again_and_recorded_from_its_receipt(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    db = tmp_path / "validator.db"
    engine, r = _committable_round(client, account, db)
    engine.commit_due(r, engine.observe_head())
    engine.check_transactions(engine.observe_head())
    assert engine.store.ballot(r).state is BallotState.COMMITTED  # type: ignore[union-attr]
    advance_to(client, client.round_timing(r).reveal_start)
    with manual_mining(client.w3):
        engine.tick()  # the reveal goes out; no block comes
        [sent] = engine.tx.in_flight(f"reveal:{r}")
        # Everything the old process sent (finalizes of other tests' rounds on the shared
        # chain too): the restarted one sends none of it again.
        pooled = sorted(a.nonce for a in engine.tx.in_flight())
        restarted = engine_without_model(client, account, db)  # kill -9: the database is left
        restarted.tick()
        assert [a.tx_hash for a in restarted.tx.in_flight(f"reveal:{r}")] == [sent.tx_hash]
        assert sorted(pool_nonces(client.w3, account.address)) == pooled
        mine(client.w3)
        # Its receipt alone (no reveal step): recorded as the old process's callback would.
        restarted.check_transactions(restarted.observe_head())
    ballot = restarted.store.ballot(r)
    assert ballot is not None and ballot.state is BallotState.REVEALED
    assert ballot.reveal_tx == sent.tx_hash
    assert client.ballot_of(r, account.address).revealed
