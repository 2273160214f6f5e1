"""Gas of the prague build vs the shanghai build: what the storage-slot reentrancy guard costs.

Both builds are deployed to one Anvil (prague runs shanghai code unchanged), so
the only difference is the build. Measured: deployment of VerdictOracle, an empty
`finalizeMany([])` (the guard and nothing else), and `withdraw()` after a stake,
an unstake request and a jump past the unbonding period (the time travel of
`LocalNode`). Also the deployed runtime size of VerdictOracle in each build.

Run: `make bench-gas-builds` (after `make compile compile-shanghai`).
Writes bench/results/gas-builds.json and prints a table.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web3 import Web3  # noqa: E402

from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil  # noqa: E402
from oracle.chain.builds import PRAGUE, SHANGHAI, Build, artifacts_path  # noqa: E402
from oracle.chain.client import OracleClient  # noqa: E402
from oracle.chain.deployment import Deployment  # noqa: E402
from oracle.chain.localdeploy import OracleParams, deploy  # noqa: E402
from oracle.validator.keys import anvil_key  # noqa: E402

RESULTS_FILE = ROOT / "bench" / "results" / "gas-builds.json"
UNBONDING_S = 3_600
STAKE = 10**18


def measure(node: Anvil, build: Build, workdir: Path) -> dict[str, Any]:
    w3 = Web3(Web3.HTTPProvider(node.url))
    artifacts = artifacts_path(build, ROOT)
    path = deploy(
        w3,
        anvil_key(0, ANVIL_MNEMONIC),
        workdir / build.name,
        OracleParams(unbondingPeriod=UNBONDING_S),
        node.url,
        artifacts=artifacts,
    )
    deployment = Deployment.load(path)
    client = OracleClient(w3, deployment)
    deploy_gas = _deploy_gas(w3, deployment.oracle_address)
    validator = client.make_sender(anvil_key(1, ANVIL_MNEMONIC))
    empty_finalize = client.finalize_many(validator, []).gas_used
    client.stake(validator, STAKE)
    unstake = validator.send_call(client.fn("requestUnstake", STAKE))
    node.increase_time(UNBONDING_S + 1)
    node.mine()
    withdraw = validator.send_call(client.fn("withdraw"))
    assert unstake.status == 1 and withdraw.status == 1
    runtime = w3.eth.get_code(deployment.oracle_address)
    return {
        "build": build.name,
        "evm_version": build.evm_version,
        "verdict_oracle_runtime_bytes": len(runtime),
        "deploy_verdict_oracle_gas": deploy_gas,
        "finalize_many_empty_gas": empty_finalize,
        "withdraw_gas": withdraw.gas_used,
    }


def _deploy_gas(w3: Web3, address: str) -> int:
    """Gas of the transaction that created `address` (localdeploy's first transaction)."""
    for number in range(w3.eth.block_number, -1, -1):
        block = w3.eth.get_block(number, full_transactions=True)
        for tx in block["transactions"]:
            receipt = w3.eth.get_transaction_receipt(tx["hash"])
            if receipt["contractAddress"] == address:
                return int(receipt["gasUsed"])
    raise RuntimeError(f"no creation transaction for {address}")


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Anvil() as node:
        rows = [measure(node, build, Path(tmp)) for build in (PRAGUE, SHANGHAI)]
    base, other = rows
    delta = {key: other[key] - base[key] for key in base if key.endswith(("_gas", "_bytes"))}
    result = {
        "what": "shanghai build minus prague build, same Anvil chain",
        "machine": platform.platform(),
        "builds": rows,
        "shanghai_minus_prague": delta,
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'':32}{'prague':>12}{'shanghai':>12}{'delta':>10}")
    for key, d in delta.items():
        print(f"{key:32}{base[key]:>12,}{other[key]:>12,}{d:>+10,}")
    print(f"wrote {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
