"""The engine on chain time: the seen block decides, refusals are decoded, SIGTERM drains.

A real Anvil with the clock moved forward; no model (the tests seal or commit by hand).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.client import OracleClient
from oracle.chain.submitter import Submitter
from oracle.validator.engine import Engine
from tests.support.timetravel import advance_to
from tests.support.validator_parts import commit_by_hand, engine_without_model, seal_for


def _round_of_one(client: OracleClient, account: Any, tmp_path: Path) -> tuple[Engine, int]:
    """A staked engine and the round its one proposal joined (chain time still before it)."""
    client.stake(client.make_sender(account), int(client.param("minStake")))
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    pid = Submitter(client, account).submit([b"\x0c" * 64])[0].proposal_id
    return engine_without_model(client, account, tmp_path / "validator.db"), client.proposal(
        pid
    ).round


def _block(client: OracleClient, number: int) -> SeenBlock:
    b = client.w3.eth.get_block(number)
    return SeenBlock(int(b["number"]), int(b["timestamp"]))


def test_commit_due__seen_block_before_the_commit_start__seals_nothing_until_one_is_seen(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    engine, r = _round_of_one(client, account, tmp_path)
    before = _block(client, client.w3.eth.block_number)  # in the round before: list still open
    advance_to(client, client.round_timing(r).commit_start)
    engine.ingest()
    ids = client.round_proposals(r)
    engine.store.set_verdicts([(i, 2, 1.0, "test") for i in ids])  # as the judge would

    engine.commit_due(r, before)  # the chain is further, but this validator has not seen it
    assert engine.store.ballot(r) is None

    seen = engine.observe_head()
    engine.commit_due(r, seen)
    assert engine.tx.in_flight(f"commit:{r}")  # sent without waiting for the receipt
    engine.check_transactions(engine.observe_head())  # the next block: its receipt
    ballot = engine.store.ballot(r)
    assert ballot is not None and ballot.state == "committed"
    assert list(ballot.proposal_ids) == client.round_proposals(r, block=seen.number)
    assert client.ballot_of(r, account.address).commitment == ballot.commitment


def test_send_commit__refused_before_the_commit_phase__stays_prepared_not_missed(
    client: OracleClient, account: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine, r = _round_of_one(client, account, tmp_path)
    ids = client.round_proposals(r)
    verdicts = bytes([2] * len(ids))
    salt, c = seal_for(client, account, r, ids, verdicts)
    engine.store.save_ballot(r, ids, verdicts, salt, c)
    ballot = engine.store.ballot(r)
    assert ballot is not None

    with caplog.at_level(logging.INFO, logger="oracle.validator"):
        # OracleNotCommitPhase while the phase has not begun: too early, not "over".
        engine.commit_duty.send_unless_on_chain(ballot, engine.timing(r), engine.observe_head())

    assert engine.store.ballot(r).state == "prepared"  # type: ignore[union-attr]
    assert any("commit too early" in m for m in caplog.messages)
    assert not any("commit phase over" in m for m in caplog.messages)


def test_tick__stopping_with_a_committed_ballot__reveals_it_then_reports_drained(
    client: OracleClient, account: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine, r = _round_of_one(client, account, tmp_path)
    advance_to(client, client.round_timing(r).commit_start)
    commit_by_hand(engine, client, account, r)
    engine.drain.stop()  # SIGTERM

    engine.tick()  # still in the commit phase: the ballot owes its reveal
    assert not engine.drained.is_set()
    assert engine.status()["unrevealed_ballots"] == 1
    assert engine.status()["next_reveal_deadline"] == client.round_timing(r).reveal_end

    advance_to(client, client.round_timing(r).reveal_start)
    with caplog.at_level(logging.WARNING, logger="oracle.validator"):
        engine.tick()  # the reveal goes out
        assert client.ballot_of(r, account.address).revealed
        assert not engine.drained.is_set()  # its receipt is not read yet
        engine.tick()  # the next block: revealed, nothing left open
    assert engine.drained.is_set()
    assert engine.status()["unrevealed_ballots"] == 0
    assert any("drained" in m for m in caplog.messages)
