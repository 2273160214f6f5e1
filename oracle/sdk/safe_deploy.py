"""Deploy Safe 1.4.1 (singleton, SafeProxyFactory, a proxy) with web3.py, for tests and the demo.

The bytecode is Safe's own, compiled from the npm package by ape (`make compile` runs
`ape pm compile safe`, which writes the package manifest read here). Production Safes
already exist; this is for local chains.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.logs import DISCARD

from oracle.chain.localdeploy import _deploy
from oracle.sdk.safe_tx import ZERO_ADDRESS

SAFE_VERSION = "1.4.1"


def safe_manifest_path() -> Path:
    """Where ape keeps the compiled Safe package (inside APE_DATA_FOLDER, default ./.ape)."""
    data = Path(os.environ.get("APE_DATA_FOLDER", ".ape"))
    return data / "packages" / "manifests" / "@safe-global_safe-contracts" / "1_4_1.json"


def load_safe_artifacts(path: Path | None = None) -> dict[str, Any]:
    path = path or safe_manifest_path()
    types = json.loads(path.read_text()).get("contractTypes", {}) if path.is_file() else {}
    if "Safe" not in types or "SafeProxyFactory" not in types:
        raise FileNotFoundError(
            f"{path} has no compiled Safe {SAFE_VERSION}: run `make compile` "
            f"(or `ape pm compile safe --version {SAFE_VERSION}`)"
        )
    return dict(types)


@dataclass(frozen=True)
class DeployedSafe:
    singleton: str
    factory: str
    proxy: str


def setup_args(owners: Sequence[str], threshold: int) -> list[Any]:
    """`Safe.setup` arguments for plain owners and a threshold: no module, fallback handler,
    payment or refund."""
    return [
        [Web3.to_checksum_address(o) for o in owners],
        threshold,
        ZERO_ADDRESS,
        b"",
        ZERO_ADDRESS,
        ZERO_ADDRESS,
        0,
        ZERO_ADDRESS,
    ]


def deploy_safe(
    w3: Web3,
    deployer: LocalAccount,
    owners: Sequence[str],
    threshold: int,
    *,
    artifacts: dict[str, Any] | None = None,
) -> DeployedSafe:
    """A fresh Safe singleton and factory, and one proxy set up with `owners` and `threshold`."""
    types = artifacts or load_safe_artifacts()
    singleton = _deploy(w3, deployer, types["Safe"])
    factory = _deploy(w3, deployer, types["SafeProxyFactory"])
    safe_abi = types["Safe"]["abi"]
    setup = w3.eth.contract(abi=safe_abi).encode_abi("setup", setup_args(owners, threshold))
    factory_contract = w3.eth.contract(
        address=Web3.to_checksum_address(factory), abi=types["SafeProxyFactory"]["abi"]
    )
    tx = factory_contract.functions.createProxyWithNonce(singleton, setup, 0).build_transaction(
        {
            "from": deployer.address,
            "nonce": w3.eth.get_transaction_count(deployer.address, "pending"),
            "chainId": w3.eth.chain_id,
            "gas": 1_000_000,
        }
    )
    signed = deployer.sign_transaction(tx)  # type: ignore[arg-type]
    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    if receipt["status"] != 1:
        raise RuntimeError("SafeProxyFactory.createProxyWithNonce reverted")
    (created,) = factory_contract.events.ProxyCreation().process_receipt(receipt, errors=DISCARD)
    return DeployedSafe(singleton, factory, str(created["args"]["proxy"]))
