"""Fixtures: a real Anvil with the real compiled contracts (chain and validator unit tests).

Deployment is `oracle.chain.localdeploy` (web3.py from ape's compiled artifacts),
so `make compile` must have run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil
from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.chain.localdeploy import OracleParams, deploy
from oracle.chain.rpc import connect
from oracle.validator.keys import anvil_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def anvil_url() -> Iterator[str]:
    with Anvil() as node:
        yield node.url


@pytest.fixture(scope="session")
def deployment(anvil_url: str, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    w3 = Web3(Web3.HTTPProvider(anvil_url))
    params = OracleParams(roundDuration=30, revealDuration=30, modelHash="0x" + "ab" * 32)
    return Deployment.load(
        deploy(
            w3,
            anvil_key(0, ANVIL_MNEMONIC),
            tmp_path_factory.mktemp("dep"),
            params,
            anvil_url,
            artifacts=ROOT / ".build" / "__local__.json",
        )
    )


@pytest.fixture(scope="session")
def client(anvil_url: str, deployment: Deployment) -> OracleClient:
    return OracleClient(connect(anvil_url), deployment)


@pytest.fixture
def account(client: OracleClient):  # type: ignore[no-untyped-def]
    """A fresh funded account per test, so nonces and stakes never leak between tests."""
    from eth_account import Account

    acct = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [acct.address, hex(10**21)])  # type: ignore[arg-type]
    return acct
