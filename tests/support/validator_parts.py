"""Pieces of a validator for unit tests against the shared Anvil: a sealed ballot, an engine.

Ballots are sealed with the same `oracle.chain.commitment.seal_ballot` the engine
uses (salt derived from the signer's key), for tests that commit by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from oracle.chain.client import OracleClient
from oracle.chain.commitment import seal_ballot
from oracle.validator.engine import Engine
from oracle.validator.judge import Judge
from oracle.validator.metrics import Metrics
from oracle.validator.store import Store


def seal_for(
    client: OracleClient,
    signer: Any,
    round_: int,
    proposal_ids: Sequence[int],
    verdicts: bytes,
    *,
    validator: str | None = None,
) -> tuple[bytes, bytes]:
    """(salt, commitment) of `signer`'s ballot for `round_` on this client's oracle."""
    return seal_ballot(
        signer,
        chain_id=client.chain_id,
        oracle=client.address,
        round_=round_,
        validator=validator or signer.address,
        proposal_ids=list(proposal_ids),
        verdicts=verdicts,
    )


def engine_without_model(
    client: OracleClient,
    account: Any,
    db_path: Path,
    metrics: Metrics | None = None,
    judge: Judge | None = None,
) -> Engine:
    """An engine operated by `account`; its judge has no model (it never votes by itself)
    unless `judge` is given."""
    return Engine(
        client=client,
        store=Store(db_path),
        judge=judge or Judge(None),
        signer=account,
        operator=account.address,
        sender=client.make_sender(account),
        metrics=metrics,
    )


def commit_by_hand(engine: Engine, client: OracleClient, account: Any, round_: int) -> None:
    """Seal `account`'s ballot for `round_` (verdict 2 on each proposal), store it and commit
    it on chain as the engine would have, leaving it `committed` in the engine's store."""
    ids = client.round_proposals(round_)
    verdicts = bytes([2] * len(ids))
    salt, c = seal_for(client, account, round_, ids, verdicts)
    engine.store.save_ballot(round_, ids, verdicts, salt, c)
    client.commit(engine.sender, round_, c)
    engine.store.set_ballot_state(round_, "committed")
