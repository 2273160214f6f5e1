"""Observer mode: judges every proposal, compares with the chain's final verdicts, sends nothing.

A real Anvil, an oracle pinning a real tiny model, one staked voting engine that decides the
proposals, and observers beside it, each its own engine with `observer` set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.model.labels import ABSTAIN, Verdict
from oracle.model.pipeline import VerdictPipeline
from oracle.model.tiny import train_tiny_model
from oracle.validator.engine import Engine
from oracle.validator.engine_knobs import EngineKnobs
from oracle.validator.judge import Judge
from oracle.validator.observer import OBSERVER_OPERATOR, Agreement
from oracle.validator.settings import ConfigError, ValidatorSettings
from oracle.validator.store import Store
from tests.support.chain_env import CHAIN_ID, wait_for
from tests.support.pinned_oracle import deploy_pinned, funded_account
from tests.support.timetravel import advance_to
from tests.support.validator_parts import engine_without_model

WAIT_S = 120  # how long a condition may take on a loaded machine before the test fails


def test_agreement__pairs__counts_agreement_abstentions_and_each_disagreement() -> None:
    legal, fraud = int(Verdict.LEGAL), int(Verdict.FRAUD)
    a = Agreement.of([(legal, legal, 7), (fraud, legal, 2), (ABSTAIN, fraud, 1)])
    assert (a.compared, a.agreed, a.abstained) == (9, 7, 1)
    assert a.as_json() == {
        "compared": 9,
        "agreed": 7,
        "agreement": round(7 / 9, 4),
        "abstained": 1,
        "disagreements": {"fraud->legal": 2},
    }
    assert Agreement.of([]).as_json()["agreement"] is None


def test_settings__no_signer_keystore__required_unless_observer(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="signer_keystore: required, not set"):
        ValidatorSettings.from_file(None)
    assert ValidatorSettings.from_file(None, observer=True).signer_keystore is None


def _tiny(folder: Path, seed: int) -> VerdictPipeline:
    return VerdictPipeline.load(
        train_tiny_model(folder, seed=seed, n_records=300), device="cpu", chain_id=CHAIN_ID
    )


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> VerdictPipeline:
    return _tiny(tmp_path_factory.mktemp("pinned") / "model", seed=0)


@pytest.fixture(scope="module")
def oracle(anvil_url: str, pinned: VerdictPipeline, tmp_path_factory) -> OracleClient:  # type: ignore[no-untyped-def]
    return deploy_pinned(anvil_url, pinned.model_hash, tmp_path_factory.mktemp("deploy"))


def _observer(client: OracleClient, pipeline: VerdictPipeline, db: Path) -> Engine:
    signer = funded_account(client)  # funded, so that a transaction would show in its nonce
    return Engine(
        client=client,
        store=Store(db),
        judge=Judge(pipeline),
        signer=signer,
        operator=OBSERVER_OPERATOR,
        sender=client.make_sender(signer),
        config=EngineKnobs(observer=True),
    )


def _until(what: str, condition: Callable[[], bool]) -> None:
    wait_for(what, condition, WAIT_S, interval_s=0.05)


@pytest.fixture
def engines(
    oracle: OracleClient, pinned: VerdictPipeline, tmp_path: Path
) -> Iterator[tuple[Engine, Engine, Engine]]:
    """(voter, observer with the pinned model, observer with another model), all running."""
    voter_key = funded_account(oracle)
    oracle.stake(oracle.make_sender(voter_key), int(oracle.param("minStake")))
    voter = engine_without_model(oracle, voter_key, tmp_path / "voter.db", judge=Judge(pinned))
    same = _observer(oracle, pinned, tmp_path / "same.db")
    other = _observer(oracle, _tiny(tmp_path / "other", seed=1), tmp_path / "other.db")
    threads = [threading.Thread(target=e.run, daemon=True) for e in (voter, same, other)]
    for t in threads:
        t.start()
    yield voter, same, other
    for e in (voter, same, other):
        e.stop()
    for t in threads:
        t.join(WAIT_S)


def test_observer__beside_a_voting_validator__reports_agreement_and_sends_nothing(
    oracle: OracleClient, engines: tuple[Engine, Engine, Engine]
) -> None:
    voter, same, other = engines
    advance_to(oracle, oracle.round_timing(oracle.current_round() + 2).commit_start)
    payloads = [bytes([7, i]) * 32 for i in range(3)]
    ids = [s.proposal_id for s in Submitter(oracle, funded_account(oracle)).submit(payloads)]
    r = oracle.proposal(ids[0]).round
    advance_to(oracle, oracle.round_timing(r).commit_start)
    _until("the voter committed", lambda: oracle.ballot_of(r, voter.operator).committed)
    advance_to(oracle, oracle.round_timing(r).reveal_start)
    _until("the voter revealed", lambda: oracle.ballot_of(r, voter.operator).revealed)
    advance_to(oracle, oracle.round_timing(r).reveal_end)
    _until(
        "the proposals final",
        lambda: all(oracle.proposal(pid).status is Status.FINALIZED for pid in ids),
    )

    _until("the observer compared them", lambda: same.observe().compared == len(ids))
    assert same.observe().agreed == len(ids)
    assert same.status()["observer"]["agreement"] == 1.0
    # A model the oracle does not pin abstains: nothing to compare, every one counted.
    _until("the other observer judged them", lambda: other.observe().abstained == len(ids))
    assert other.observe().compared == 0

    for observer in (same, other):
        assert oracle.w3.eth.get_transaction_count(observer.signer.address) == 0
        assert observer.store.ballot(r) is None
    assert not oracle.ballot_of(r, OBSERVER_OPERATOR).committed
