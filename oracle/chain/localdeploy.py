"""Deploy the compiled contracts to a running local chain with web3.py only.

For tests and benchmarks that need their own parameters (short rounds, a model
hash known only at run time) without ape's start-up: it reads ape's compiled
artifacts (`.build/__local__.json`, written by `ape compile` / `make compile`)
and writes a deployment file of the same shape as `scripts/deploy.py` does, so
validators read it unchanged. Operators deploy with `ape run deploy`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from oracle.chain.oracle_abi import (
    CORE,
    EQUIVOCATION_MODULE,
    EXTENSIONS,
    VIEW_EXTENSION,
    merged_oracle_abi,
)
from oracle.chain.params import OracleParams

__all__ = ["DEFAULT_ARTIFACTS", "OracleParams", "deploy", "load_artifacts"]

DEFAULT_ARTIFACTS = Path(".build") / "__local__.json"


def load_artifacts(path: Path = DEFAULT_ARTIFACTS) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: compile the contracts first (`make compile`)")
    return dict(json.loads(path.read_text())["contractTypes"])


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
    h = w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=30)
    if receipt["status"] != 1:
        raise RuntimeError(f"deploying {ctype['contractName']} reverted; check the parameters")
    return str(receipt["contractAddress"])


def deploy(
    w3: Web3,
    deployer: LocalAccount,
    out_dir: Path,
    params: OracleParams,
    rpc_url: str,
    *,
    artifacts: Path = DEFAULT_ARTIFACTS,
) -> Path:
    """Deploy VerdictOracle (which creates its VerdictOracleViews and VerdictOracleEquivocation),
    GuardedTreasury and OracleSafeGuard; write `out_dir/<chainId>.json` and the ABIs
    (VerdictOracle's includes the extensions' functions)."""
    types = load_artifacts(artifacts)
    config = params.as_tuple()
    first_block = w3.eth.block_number + 1
    oracle = _deploy(w3, deployer, types[CORE], config, deployer.address)
    views = w3.eth.contract(address=Web3.to_checksum_address(oracle), abi=types[CORE]["abi"])
    view_extension = str(views.functions.viewExtension().call())
    equivocation_module = str(views.functions.equivocationModule().call())
    treasury = _deploy(w3, deployer, types["GuardedTreasury"], oracle, deployer.address)
    safe_guard = _deploy(w3, deployer, types["OracleSafeGuard"], oracle)
    abi_dir = out_dir / "abi"
    abi_dir.mkdir(parents=True, exist_ok=True)
    written = {
        CORE: merged_oracle_abi(types[CORE]["abi"], *(types[name]["abi"] for name in EXTENSIONS)),
        VIEW_EXTENSION: types[VIEW_EXTENSION]["abi"],
        EQUIVOCATION_MODULE: types[EQUIVOCATION_MODULE]["abi"],
        "GuardedTreasury": types["GuardedTreasury"]["abi"],
        "OracleSafeGuard": types["OracleSafeGuard"]["abi"],
    }
    abis = {}
    for name, abi in written.items():
        (abi_dir / f"{name}.json").write_text(json.dumps(abi))
        abis[name] = f"abi/{name}.json"
    chain_id = int(w3.eth.chain_id)
    path = out_dir / f"{chain_id}.json"
    path.write_text(
        json.dumps(
            {
                "chain_id": chain_id,
                "rpc_url": rpc_url,
                "deployed_block": first_block,
                "deployer": deployer.address,
                "contracts": {
                    CORE: oracle,
                    VIEW_EXTENSION: view_extension,
                    EQUIVOCATION_MODULE: equivocation_module,
                    "GuardedTreasury": treasury,
                    "OracleSafeGuard": safe_guard,
                },
                "parameters": params.as_record(),
                "abi": abis,
            },
            indent=2,
        )
    )
    return path
