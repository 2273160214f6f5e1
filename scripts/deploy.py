"""Deploy VerdictOracle and GuardedTreasury; write the deployment file validators read.

Usage (from the project root, with the Makefile's env: SOLCX_BINARY_PATH, APE_DATA_FOLDER, PATH):

    ape run deploy                                        # Anvil that ape starts and stops
    ape run deploy --network ethereum:local:test          # ape's in-process EVM
    ape run deploy --network http://127.0.0.1:8545        # an ALREADY RUNNING node (Anvil, Ganache)
    APE_FOUNDRY_HOST=http://127.0.0.1:8545 ape run deploy --network ethereum:local:foundry
                                                          # the same, through ape-foundry
    ape run deploy --network ethereum:sepolia:node --account ALIAS   # anything else: name a key

Parameters come from flags or the ORACLE_* environment variables below (flags win); names,
defaults and ranges live in oracle/chain/params.py (DEPLOY_DEFAULTS: a local chain, 6 s
rounds, 6 s reveals). On a local chain (chain id 1337 or
31337) the deployer is ape's test account 0, which is Anvil's first funded account, so nothing
prompts; elsewhere `--account` is required.

Writes `deployments/<chainId>.json` (or `--out FILE`):
    {chain_id, rpc_url, deployed_block, deployer, contracts: {VerdictOracle, GuardedTreasury},
     parameters: {...}, abi: {VerdictOracle: "deployments/abi/VerdictOracle.json", ...}}
and the ABI files it names (next to `--out FILE` in `abi/` when given). The validator reads
these with web3.py only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand, account_option, network_option
from ape.exceptions import ContractLogicError

from oracle.chain.params import DEPLOY_DEFAULTS, SPECS, OracleParams, problems

LOCAL_CHAIN_IDS = {1337, 31337}
CONTRACTS = ("VerdictOracle", "GuardedTreasury")


# Every option comes from oracle.chain.params (names, defaults, ranges) and passes to the
# constructor's OracleConfig under the struct's own field name.
def _parameter_options(func: Any) -> Any:
    for spec in reversed(SPECS.values()):
        func = click.option(
            f"--{spec.flag}",
            spec.name,
            envvar=spec.env,
            type=int,
            default=getattr(DEPLOY_DEFAULTS, spec.name),
            show_default=True,
            help=f"{spec.help} ({spec.minimum}..{spec.maximum}) [env {spec.env}]",
        )(func)
    return func


def _deployer(account: Any) -> Any:
    if account is not None:
        return account
    if chain.chain_id in LOCAL_CHAIN_IDS:
        return accounts.test_accounts[0]
    raise click.UsageError(
        f"chain {chain.chain_id} is not a local chain: "
        "pass --account ALIAS (see `ape accounts list`)"
    )


def _write_abis(abi_dir: Path) -> dict[str, Path]:
    abi_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in CONTRACTS:
        abi = [
            entry.model_dump(mode="json", by_alias=True)
            for entry in project.get_contract(name).contract_type.abi
        ]
        path = abi_dir / f"{name}.json"
        path.write_text(json.dumps(abi, indent=2) + "\n")
        written[name] = path
    return written


@click.command(cls=ConnectedProviderCommand)
@network_option()
@account_option(prompt=False)
@_parameter_options
@click.option(
    "--model-hash",
    envvar="ORACLE_MODEL_HASH",
    default="0x" + "00" * 32,
    show_default=True,
    help="classifier hash new proposals pin (32 bytes hex) [env ORACLE_MODEL_HASH]",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="deployment file to write [default: deployments/<chainId>.json]",
)
def cli(provider: Any, account: Any, model_hash: str, out: Path | None, **params: Any) -> None:
    """Deploy VerdictOracle and GuardedTreasury and write the deployment file."""
    chosen = OracleParams(**params, modelHash=model_hash)
    wrong = problems(chosen)
    if wrong:
        # Checked here so the error names every bad value before any transaction is sent.
        raise click.UsageError("; ".join(wrong) + " (see oracle/chain/params.py)")
    config = chosen.as_config()
    deployer = _deployer(account)

    try:
        oracle = deployer.deploy(project.VerdictOracle, config, deployer.address)
    except ContractLogicError as err:
        inputs = getattr(err, "inputs", None) or {}
        if isinstance(inputs.get("name"), bytes):  # GovernanceInvalidParameter(name, value)
            label = inputs["name"].rstrip(b"\0").decode()
            raise click.UsageError(
                f"parameter {label}={inputs['value']} is out of range; see the setter's NatSpec in "
                "contracts/interfaces/IOracleGovernance.sol (and R <= D < U - R for timings)"
            ) from err
        raise
    # Validators scan events from here; the oracle's own block, before the treasury's.
    deployed_block = chain.blocks.head.number
    treasury = deployer.deploy(project.GuardedTreasury, oracle.address, deployer.address)

    chain_id = chain.chain_id
    out = out or Path("deployments") / f"{chain_id}.json"
    # Default layout: deployments/abi/*.json, referenced from the project root.
    # With --out: <out dir>/abi/*.json, referenced relative to the deployment file.
    abi_dir = out.parent / "abi"
    abi_paths = _write_abis(abi_dir)
    abi_refs = {
        name: (
            str(path) if out.parent == Path("deployments") else str(path.relative_to(out.parent))
        )
        for name, path in abi_paths.items()
    }
    record = {
        "chain_id": chain_id,
        "rpc_url": getattr(provider, "http_uri", None),
        "deployed_block": deployed_block,
        "deployer": deployer.address,
        "contracts": {"VerdictOracle": oracle.address, "GuardedTreasury": treasury.address},
        "parameters": {**chosen.as_record(), "genesis": int(oracle.genesis())},
        "abi": abi_refs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")

    click.echo(f"VerdictOracle   {oracle.address}")
    click.echo(f"GuardedTreasury {treasury.address}")
    click.echo(f"chain {chain_id}, block {deployed_block}, deployer {deployer.address}")
    click.echo(f"wrote {out}")
