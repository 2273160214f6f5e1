"""One Anvil, one deployment, one tiny model and one fleet of four validators per session.

Every validator talks to Anvil through its own `RpcProxy`, so a test can cut one
validator off (outage) or feed it tampered payload bytes. Scenario tests run in
file order and leave the fleet as they found it (all four up and honest).
Processes are in their own process groups and are killed in finalizers, also
when a test fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil
from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.chain.rpc import connect
from oracle.validator.fleet import Fleet, FleetSpec
from oracle.validator.keys import anvil_key
from tests.support.fleet_control import BYZANTINE, BYZANTINE_LAUNCHER, make_all_honest
from tests.support.localchain import OracleParams, deploy
from tests.support.rpc_proxy import RpcProxy

VALIDATORS = 4
ROUND_S = 15  # a validator killed after its commit must restart, load the model and reveal
REVEAL_S = 15


@pytest.fixture(scope="session")
def anvil(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A block a second besides each transaction's own (mixed mining): chain time moves on
    # when nobody sends, as on a real chain; validators decide phases on seen blocks.
    log = tmp_path_factory.mktemp("anvil") / "anvil.log"
    with Anvil(block_time=1, mixed_mining=True, log_path=log) as node:
        yield node.url


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Trained once per session (~30 s); ORACLE_E2E_MODEL_DIR reuses one while iterating."""
    from oracle.model.tiny import train_tiny_model

    reuse = os.environ.get("ORACLE_E2E_MODEL_DIR")
    if reuse:
        return Path(reuse)

    return train_tiny_model(tmp_path_factory.mktemp("model") / "tiny", seed=0)


@pytest.fixture(scope="session")
def pipeline(tiny_model: Path):  # type: ignore[no-untyped-def]
    """The same pipeline the validators run, in the test process: the expected verdicts."""
    from oracle.model.pipeline import VerdictPipeline

    return VerdictPipeline.load(tiny_model, chain_id=31337)


@pytest.fixture(scope="session")
def deployment(anvil: str, pipeline, tmp_path_factory: pytest.TempPathFactory) -> Deployment:  # type: ignore[no-untyped-def]
    w3 = Web3(Web3.HTTPProvider(anvil))
    params = OracleParams(
        roundDuration=ROUND_S,
        revealDuration=REVEAL_S,
        modelHash=pipeline.model_hash,
        unbondingPeriod=3600,
    )
    path = deploy(
        w3, anvil_key(0, ANVIL_MNEMONIC), tmp_path_factory.mktemp("deployments"), params, anvil
    )
    return Deployment.load(path)


@pytest.fixture(scope="session")
def client(anvil: str, deployment: Deployment) -> OracleClient:
    return OracleClient(connect(anvil), deployment)


@pytest.fixture(scope="session")
def proxies(anvil: str) -> Iterator[list[RpcProxy]]:
    ps = [RpcProxy(anvil) for _ in range(VALIDATORS)]
    yield ps
    for p in ps:
        p.close()


@pytest.fixture(scope="session")
def fleet(
    anvil: str,
    deployment: Deployment,
    tiny_model: Path,
    proxies: list[RpcProxy],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Fleet]:
    spec = FleetSpec(
        rpc_url=anvil,
        deployment=deployment.path,
        model_dir=tiny_model,
        workdir=tmp_path_factory.mktemp("fleet"),
        validators=VALIDATORS,
        stake_wei=10**18,
        poll_interval_s=0.4,
    )
    f = Fleet(spec)
    for m, proxy in zip(f.members, proxies, strict=True):
        # Each validator reaches the chain through its own proxy.
        m.config.write_text(
            m.config.read_text().replace(f'rpc_url = "{anvil}"', f'rpc_url = "{proxy.url}"')
        )
    try:
        for i in range(VALIDATORS):
            f.start(i, launcher=BYZANTINE_LAUNCHER if i == BYZANTINE else None)
        f.wait_ready(timeout_s=240)
        yield f
    finally:
        f.stop_all()
        for m in f.members:
            if m.log_path.exists():
                lines = [
                    line
                    for line in m.log_path.read_text().splitlines()
                    if line[:2] == "20" or line.startswith(("validator", "oracle.", "RuntimeError"))
                ]
                print(f"--- validator {m.index} log ---\n" + "\n".join(lines[-60:]))


@pytest.fixture
def honest_fleet(fleet: Fleet) -> Fleet:
    """The fleet with every member honest (the Byzantine one restarted if still Byzantine)."""
    return make_all_honest(fleet)


@pytest.fixture(scope="session")
def requester(anvil: str):  # type: ignore[no-untyped-def]
    return anvil_key(10, ANVIL_MNEMONIC)
