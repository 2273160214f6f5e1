"""Fixtures for the explorer tests: one Anvil chain with one played-out voting round."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.anvil import Anvil
from oracle.chain.deployment import Deployment
from oracle.explorer.indexer import Indexer
from tests.support.oracle_scenario import OracleScenario

ANVIL_DIRS = [Path(__file__).resolve().parents[2] / "node_modules" / ".bin"]


@pytest.fixture(scope="session")
def anvil() -> Iterator[Anvil]:
    if shutil.which("anvil") is None:
        import os

        os.environ["PATH"] = os.pathsep.join([*map(str, ANVIL_DIRS), os.environ["PATH"]])
    with Anvil() as node:
        yield node


@pytest.fixture(scope="session")
def scenario(anvil: Anvil, tmp_path_factory: pytest.TempPathFactory) -> OracleScenario:
    """Stakes, six proposals and one complete round (commit, reveal, finalize, settle).

    Shared by every explorer test; tests that add proposals look them up by id.
    """
    played = OracleScenario.deploy(anvil.url, tmp_path_factory.mktemp("deployment"))
    played.stake_all()
    played.submit_all()
    played.vote_round()
    return played


@pytest.fixture
def indexer(scenario: OracleScenario) -> Indexer:
    w3 = Web3(Web3.HTTPProvider(scenario.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    return Indexer(w3, Deployment.load(scenario.deployment_path))
