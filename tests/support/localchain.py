"""Deployment for the tests: the package's web3.py deploy, from this checkout's artifacts."""

from __future__ import annotations

from pathlib import Path

from eth_account.signers.local import LocalAccount
from web3 import Web3

from oracle.chain.localdeploy import OracleParams
from oracle.chain.localdeploy import deploy as deploy_from_artifacts

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".build" / "__local__.json"

__all__ = ["OracleParams", "deploy"]


def deploy(
    w3: Web3, deployer: LocalAccount, out_dir: Path, params: OracleParams, rpc_url: str
) -> Path:
    return deploy_from_artifacts(w3, deployer, out_dir, params, rpc_url, artifacts=ARTIFACTS)
