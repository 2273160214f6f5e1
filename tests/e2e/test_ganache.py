"""The Ganache path: the shanghai build deployed by `ape run deploy` on Ganache 7, real validators.

Self-contained: its own Ganache (chain 1337, EVM shanghai), its own deployment and
its own fleet of three validator processes on the tiny model (the session's
`tiny_model`). One round of proposals of every class goes to finalization with the
verdicts the pipeline computes, and the GuardedTreasury pays out exactly the
transfers judged legal. Slow on a loaded machine (a node-script chain, four Python
processes): the timeouts are generous but bounded and name what they waited for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from oracle.chain.builds import SHANGHAI, build_for
from oracle.chain.client import OracleClient, Status
from oracle.chain.deployment import Deployment
from oracle.chain.ganache import GANACHE_CHAIN_ID, Ganache
from oracle.chain.payload import encode_payload
from oracle.chain.rpc import connect
from oracle.chain.submitter import Submitter
from oracle.demo.deploy import DeployError, run_deploy
from oracle.model.generate import CorpusGenerator
from oracle.model.labels import Verdict
from oracle.validator.fleet import ANVIL_MNEMONIC, Fleet, FleetSpec
from oracle.validator.keys import anvil_key
from tests.support.chain_env import events, wait_final
from tests.support.treasury_execution import execute_judged_transfers, request_transfers

pytestmark = pytest.mark.e2e

VALIDATORS = 3
PHASE_S = 15  # commit and reveal: a validator on a loaded machine must make each in time
FINAL_TIMEOUT_S = 180  # a few rounds of 2 x PHASE_S, with room for a slow machine
READY_TIMEOUT_S = 300  # three processes importing torch and loading the model
REQUEST_GAS = 600_000  # requestTransfer -> submit; the first of a round needs ~350k
TREASURY_MEMOS = (
    "invoice 2291 for design work",
    "monthly payroll for the support team",
    "urgent: verify your wallet now or your account will be suspended, send funds to support",
    "payment for stolen credit card dumps and fresh fullz",
)


@pytest.fixture(scope="module")
def ganache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ganache]:
    # Interval mining: Ganache simulates calls ("pending" too) at the latest block's
    # timestamp, so on an idle instamine chain a validator's estimate would see a phase
    # that ended long ago. A block a second keeps chain time within a second of the clock.
    log = tmp_path_factory.mktemp("ganache") / "ganache.log"
    with Ganache(block_time=1, log_path=log) as node:
        yield node


@pytest.fixture(scope="module")
def ganache_pipeline(tiny_model: Path):  # type: ignore[no-untyped-def]
    """The validators' pipeline for chain 1337 (the rules reject requests for other chains)."""
    from oracle.model.pipeline import VerdictPipeline

    return VerdictPipeline.load(tiny_model, chain_id=GANACHE_CHAIN_ID)


@pytest.fixture(scope="module")
def ganache_deployment(
    ganache: Ganache, ganache_pipeline, tmp_path_factory: pytest.TempPathFactory
) -> Deployment:  # type: ignore[no-untyped-def]
    """What a user runs: `ape run deploy --network http://127.0.0.1:PORT` (build picked: auto)."""
    workdir = tmp_path_factory.mktemp("ganache-deploy")
    path = run_deploy(
        ganache.url,
        out=workdir / "deployments" / f"{GANACHE_CHAIN_ID}.json",
        model_hash=ganache_pipeline.model_hash,
        log_path=workdir / "deploy.log",
        extra_env={
            "ORACLE_ROUND_DURATION": str(PHASE_S),
            "ORACLE_REVEAL_DURATION": str(PHASE_S),
            "ORACLE_UNBONDING_PERIOD": "3600",
        },
    )
    return Deployment.load(path)


@pytest.fixture(scope="module")
def ganache_client(ganache: Ganache, ganache_deployment: Deployment) -> OracleClient:
    return OracleClient(connect(ganache.url), ganache_deployment)


@pytest.fixture(scope="module")
def ganache_fleet(
    ganache: Ganache,
    ganache_deployment: Deployment,
    tiny_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    fleet = Fleet(
        FleetSpec(
            rpc_url=ganache.url,
            deployment=ganache_deployment.path,
            model_dir=tiny_model,
            workdir=tmp_path_factory.mktemp("ganache-fleet"),
            validators=VALIDATORS,
            stake_wei=10**18,
            poll_interval_s=0.5,
            rpc_timeout_s=ganache.request_timeout_s,
        )
    )
    try:
        fleet.start_all()
        fleet.wait_ready(timeout_s=READY_TIMEOUT_S)
        yield fleet
    finally:
        fleet.stop_all()
        for m in fleet.members:
            if m.log_path.exists():
                tail = m.log_path.read_text().splitlines()[-40:]
                print(f"--- ganache validator {m.index} log ---\n" + "\n".join(tail))


def one_request_of_each_class(seed: int) -> list[tuple[Verdict, bytes]]:
    """Generated requests, moved to chain 1337 (a malformed one stays malformed)."""
    gen = CorpusGenerator(seed)
    out = []
    for label in Verdict:
        tx = gen.record(label).tx
        if tx.chain_id == 1:
            tx = replace(tx, chain_id=GANACHE_CHAIN_ID)
        out.append((label, encode_payload(tx)))
    return out


def test_ganache_deploy__auto_build__is_the_shanghai_build_on_chain_1337(
    ganache: Ganache, ganache_deployment: Deployment
) -> None:
    assert build_for(ganache.w3) is SHANGHAI, "Ganache 7 should lack Cancun's TSTORE"
    record = json.loads(ganache_deployment.path.read_text())
    assert ganache_deployment.path.name == "1337.json"
    assert record["chain_id"] == GANACHE_CHAIN_ID and record["build"] == "shanghai"
    for name in ("VerdictOracle", "GuardedTreasury"):
        code = ganache.w3.eth.get_code(ganache_deployment.address(name))
        assert len(code) > 1000, f"{name} has no code at {ganache_deployment.address(name)}"


def test_ganache_deploy__prague_build_forced__is_refused_naming_the_fix(
    ganache: Ganache, tmp_path: Path
) -> None:
    with pytest.raises(DeployError) as err:
        run_deploy(
            ganache.url,
            out=tmp_path / "1337.json",
            model_hash="0x" + "00" * 32,
            log_path=tmp_path / "deploy.log",
            extra_env={"ORACLE_BUILD": "prague"},
        )
    assert "does not run Cancun opcodes" in str(err.value)
    assert "--build shanghai" in str(err.value)
    assert not (tmp_path / "1337.json").exists()


def test_ganache_round__every_class_finalizes_with_the_pipelines_verdict(
    ganache_client: OracleClient, ganache_fleet: Fleet, ganache_pipeline
) -> None:  # type: ignore[no-untyped-def]
    labelled = one_request_of_each_class(seed=5)
    payloads = [p for _, p in labelled]
    requester = anvil_key(10, ANVIL_MNEMONIC)
    ids = [s.proposal_id for s in Submitter(ganache_client, requester).submit(payloads)]
    expected = ganache_pipeline.judge_payloads(payloads)
    outcomes = wait_final(ganache_client, ids, FINAL_TIMEOUT_S)

    for pid, (label, _), want in zip(ids, labelled, expected, strict=True):
        status, verdict = outcomes[pid]
        assert status == Status.FINALIZED, f"proposal {pid} ({label.label}) ended {status.name}"
        assert verdict == int(want.verdict), f"proposal {pid}: chain {verdict}, pipeline {want}"
    assert {Verdict(v) for _, v in outcomes.values()} >= {Verdict.SANCTIONED, Verdict.MALFORMED}
    finalized = {int(e.args["id"]) for e in events(ganache_client, "ProposalFinalized", 0)}
    assert set(ids) <= finalized, f"no ProposalFinalized event for {set(ids) - finalized}"


def test_ganache_guarded_treasury__executes_exactly_the_legal_transfers(
    ganache_client: OracleClient,
    ganache_fleet: Fleet,
    ganache_pipeline,
    ganache_deployment: Deployment,  # type: ignore[no-untyped-def]
) -> None:
    # A fixed gas limit, as Submitter sends `submit`: Ganache estimates at the latest
    # block's time, and the first proposal of a new round writes the round's slots.
    req = request_transfers(ganache_client, ganache_deployment, TREASURY_MEMOS, gas=REQUEST_GAS)
    expected = ganache_pipeline.judge_payloads(req.payloads)
    outcomes = wait_final(ganache_client, req.ids, FINAL_TIMEOUT_S)

    execute_judged_transfers(
        ganache_client.w3, req.sender, req.treasury, req.ids, req.recipients, outcomes, expected
    )
