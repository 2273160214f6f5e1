"""Pinned models on a real chain: validators judge each proposal with the model its
`modelHash` pins; one that does not hold it abstains, and is neither paid nor slashed
while the others decide.

A real Anvil (clock moved forward), the real contracts, in-process engines with real tiny
models (real forward passes): model A is pinned; model B is A with one weight changed
(another hash). Validators: two hold A, one holds only B, one holds both (B first).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.explorer import views
from oracle.explorer.indexer import Indexer
from oracle.model.checkpoint import LabelMap, save_checkpoint
from oracle.model.labels import ABSTAIN
from oracle.model.pipeline import VerdictPipeline
from oracle.model.tiny import train_tiny_model
from oracle.validator.engine import Engine
from oracle.validator.judge import Judge
from tests.support.chain_env import CHAIN_ID, events, payloads_of_every_class
from tests.support.pinned_oracle import deploy_pinned, funded_account
from tests.support.timetravel import advance_to
from tests.support.validator_parts import engine_without_model


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[VerdictPipeline, VerdictPipeline]:
    """(A, B): a tiny trained model, and the same with one bias nudged (a different hash)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = tmp_path_factory.mktemp("models")
    model_a = train_tiny_model(folder / "a", seed=0, n_records=300)
    model = AutoModelForSequenceClassification.from_pretrained(str(model_a))
    with torch.no_grad():
        model.classifier.bias[0] += 1e-3
    save_checkpoint(
        model,
        AutoTokenizer.from_pretrained(str(model_a)),
        folder / "b",
        LabelMap.read(model_a),
    )

    def load(path: Path) -> VerdictPipeline:
        return VerdictPipeline.load(path, device="cpu", chain_id=CHAIN_ID)

    return load(model_a), load(folder / "b")


@pytest.fixture(scope="module")
def pinned_client(anvil_url: str, models, tmp_path_factory) -> OracleClient:  # type: ignore[no-untyped-def]
    """An oracle on the shared Anvil that pins model A."""
    return deploy_pinned(anvil_url, models[0].model_hash, tmp_path_factory.mktemp("pinned"))


def _engine(client: OracleClient, pipelines: list[VerdictPipeline], db: Path) -> Engine:
    account = funded_account(client)
    sender = client.make_sender(account)
    client.stake(sender, int(client.param("minStake")))
    return engine_without_model(client, account, db, judge=Judge(pipelines))


def test_round__validator_without_the_pinned_model__abstains_unpaid_and_unslashed(
    pinned_client: OracleClient, models, tmp_path: Path
) -> None:
    client = pinned_client
    model_a, model_b = models
    holders = [_engine(client, [model_a], tmp_path / f"a{i}.db") for i in range(2)]
    lacking = _engine(client, [model_b], tmp_path / "b.db")
    both = _engine(client, [model_b, model_a], tmp_path / "ba.db")
    fleet = [*holders, lacking, both]
    stake = int(client.param("minStake"))
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    start_block = client.w3.eth.block_number
    payloads = [p for _, p in payloads_of_every_class(1, seed=3)]
    ids = [s.proposal_id for s in Submitter(client, funded_account(client)).submit(payloads)]
    r = client.proposal(ids[0]).round
    assert {client.proposal(pid).round for pid in ids} == {r}

    advance_to(client, client.round_timing(r).commit_start)
    for engine in fleet:
        engine.tick()  # ingest; the round's proposals go to the judge worker first
        engine.judging.judge_once()  # the worker's pass, here on the test's thread
        engine.tick()  # commit
    advance_to(client, client.round_timing(r).reveal_start)
    for engine in fleet:
        engine.tick()  # reveal
    advance_to(client, client.round_timing(r).reveal_end + 1)
    client.finalize_many(holders[0].sender, ids)
    for engine in fleet:
        engine.tick()  # settle

    revealed = {
        e.args["validator"]: bytes(e.args["verdicts"])
        for e in events(client, "VotesRevealed", start_block)
    }
    expected = bytes(int(r.verdict) for r in model_a.judge_payloads(payloads))
    assert revealed[lacking.operator] == bytes([ABSTAIN] * len(ids))
    assert revealed[holders[0].operator] == revealed[holders[1].operator] == expected
    assert revealed[both.operator] == expected  # voted, not abstained (routing: test_judge.py)
    assert [client.verdict_of(pid) for pid in ids] == [(Status.FINALIZED, v) for v in expected]
    settled = {
        e.args["validator"]: (int(e.args["reward"]), int(e.args["slashed"]))
        for e in events(client, "BallotSettled", start_block)
    }
    assert settled[lacking.operator] == (0, 0)
    assert client.validator_info(lacking.operator).active == stake
    for engine in (*holders, both):
        reward, slashed = settled[engine.operator]
        assert reward > 0 and slashed == 0
    assert lacking.status()["model_hashes"] == [model_b.model_hash]
    assert "not held" in (lacking.store.proposal(ids[0]).reason or "")  # type: ignore[union-attr]

    # The explorer shows who abstained on what.
    url = str(client.w3.provider.endpoint_uri)  # type: ignore[attr-defined]
    indexer = Indexer(Web3(Web3.HTTPProvider(url)), client.deployment)
    indexer.sync()
    with indexer.lock:
        now = indexer.chain_now()
        by_address = {v.address: views.validator_view(v, now) for v in indexer.validators.values()}
        summary = views.proposal_summary(indexer, indexer.proposals[ids[0]], indexer.chain_now())
    assert by_address[lacking.operator]["abstentions"] == [
        {"round": r, "proposal_id": pid} for pid in ids
    ]
    assert by_address[holders[0].operator]["abstentions"] == []
    assert summary["abstained"] == 1
    (vote,) = [v for v in summary["votes"] if v["validator"] == lacking.operator]
    assert vote["abstained"] and vote["verdict_name"] == "abstain"
