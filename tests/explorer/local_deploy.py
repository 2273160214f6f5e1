"""Deploy the compiled contracts (ape's `.build/__local__.json`) with web3.py.

The explorer tests need long round timings and a known model hash; a web3
deploy from the artifacts `make compile` wrote takes well under a second.
The deployment file has the shape `ape run deploy` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".build" / "__local__.json"

# OracleConfig in constructor order; short names for what the tests vary.
DEFAULT_CONFIG: dict[str, Any] = {
    "roundDuration": 600,
    "revealDuration": 300,
    "unbondingPeriod": 3600,
    "proposalFee": 10**15,
    "maxPayloadSize": 4096,
    "maxProposalsPerRound": 256,
    "quorumBps": 5000,
    "supermajorityBps": 6667,
    "maxRounds": 3,
    "minStake": 10**17,
    "nonRevealSlashBps": 1000,
    "incoherentSlashBps": 500,
    "equivocationSlashBps": 5000,
    "callbackGasLimit": 200_000,
    "modelHash": "0x" + "ab" * 32,
}


def contract_types() -> dict[str, Any]:
    if not ARTIFACTS.is_file():
        raise RuntimeError(f"{ARTIFACTS} is missing: compile the contracts first (`make compile`)")
    return dict(json.loads(ARTIFACTS.read_text())["contractTypes"])


def _deploy(w3: Web3, account: LocalAccount, ctype: dict[str, Any], *args: Any) -> str:
    factory = w3.eth.contract(abi=ctype["abi"], bytecode=ctype["deploymentBytecode"]["bytecode"])
    tx = factory.constructor(*args).build_transaction(
        {
            "from": account.address,
            "nonce": w3.eth.get_transaction_count(account.address, "pending"),
            "chainId": w3.eth.chain_id,
            "gas": 15_000_000,
        }
    )
    tx_hash = w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    if receipt["status"] != 1:
        raise RuntimeError(f"deploying {ctype['contractName']} reverted")
    return str(receipt["contractAddress"])


def deploy(w3: Web3, deployer: LocalAccount, out_dir: Path, rpc_url: str, **overrides: Any) -> Path:
    """Deploy VerdictOracle and GuardedTreasury; write `out_dir/<chainId>.json` and the ABIs."""
    types = contract_types()
    params = {**DEFAULT_CONFIG, **overrides}
    constructor = next(e for e in types["VerdictOracle"]["abi"] if e["type"] == "constructor")
    names = [c["name"] for c in constructor["inputs"][0]["components"]]
    config = tuple(bytes.fromhex(params[n][2:]) if n == "modelHash" else params[n] for n in names)
    first_block = w3.eth.block_number + 1
    oracle = _deploy(w3, deployer, types["VerdictOracle"], config, deployer.address)
    treasury = _deploy(w3, deployer, types["GuardedTreasury"], oracle, deployer.address)
    (out_dir / "abi").mkdir(parents=True, exist_ok=True)
    abis = {}
    for name in ("VerdictOracle", "GuardedTreasury"):
        (out_dir / "abi" / f"{name}.json").write_text(json.dumps(types[name]["abi"]))
        abis[name] = f"abi/{name}.json"
    chain_id = int(w3.eth.chain_id)
    path = out_dir / f"{chain_id}.json"
    document = {
        "chain_id": chain_id,
        "rpc_url": rpc_url,
        "deployed_block": first_block,
        "deployer": deployer.address,
        "contracts": {"VerdictOracle": oracle, "GuardedTreasury": treasury},
        "parameters": params,
        "abi": abis,
    }
    path.write_text(json.dumps(document, indent=2))
    return path
