"""An oracle on the shared Anvil that pins a given model, and funded fresh accounts on it:
for in-process engines whose real (tiny) models must be the pinned ones to vote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_MNEMONIC
from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.chain.localdeploy import OracleParams, deploy
from oracle.chain.rpc import connect
from oracle.validator.keys import anvil_key

ROOT = Path(__file__).resolve().parents[2]


def deploy_pinned(anvil_url: str, model_hash: str, folder: Path) -> OracleClient:
    """A fresh oracle (30 s commit and reveal phases) pinning `model_hash`."""
    params = OracleParams(roundDuration=30, revealDuration=30, modelHash=model_hash)
    path = deploy(
        Web3(Web3.HTTPProvider(anvil_url)),
        anvil_key(0, ANVIL_MNEMONIC),
        folder,
        params,
        anvil_url,
        artifacts=ROOT / ".build" / "__local__.json",
    )
    return OracleClient(connect(anvil_url), Deployment.load(path))


def funded_account(client: OracleClient) -> Any:
    """A new account with 1,000 ETH on the chain."""
    account = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [account.address, hex(10**21)])  # type: ignore[arg-type]
    return account
