"""Deploy VerdictOracle (it creates its VerdictOracleViews and VerdictOracleEquivocation),
GuardedTreasury and OracleSafeGuard; write the deployment file validators read.

Usage (from the project root, with the Makefile's env: SOLCX_BINARY_PATH, APE_DATA_FOLDER, PATH):

    ape run deploy                                        # Anvil that ape starts and stops
    ape run deploy --network ethereum:local:test          # ape's in-process EVM
    ape run deploy --network http://127.0.0.1:8545        # an ALREADY RUNNING node (Anvil, Ganache)
    APE_FOUNDRY_HOST=http://127.0.0.1:8545 ape run deploy --network ethereum:local:foundry
                                                          # the same, through ape-foundry
    ape run deploy --network ethereum:sepolia:node --account ALIAS   # anything else: name a key

Build: `--build auto` (the default) deploys the prague build (`ape compile`) where the chain
runs Cancun opcodes and the shanghai build (`make compile-shanghai`, `.build/shanghai.json`)
where it does not, e.g. Ganache 7; `--build prague|shanghai` (env ORACLE_BUILD) forces one.

Parameters come from flags or the ORACLE_* environment variables below (flags win); names,
defaults and ranges live in oracle/chain/params.py (DEPLOY_DEFAULTS: a local chain, 6 s
rounds, 6 s reveals). Each phase must last at least two block intervals of the target chain,
measured from its last 32 blocks (`--block-interval S` states it instead, 0 skips the check):
a shorter phase may hold no block. On a local chain (chain id 1337 or
31337) the deployer is ape's test account 0, which is Anvil's first funded account, so nothing
prompts; elsewhere `--account` is required.

Writes `deployments/<chainId>.json` (or `--out FILE`):
    {chain_id, rpc_url, deployed_block, deployer,
     contracts: {VerdictOracle, VerdictOracleViews, VerdictOracleEquivocation, GuardedTreasury,
                 OracleSafeGuard},
     parameters: {...}, abi: {VerdictOracle: "deployments/abi/VerdictOracle.json", ...}}
and the ABI files it names (next to `--out FILE` in `abi/` when given). The validator reads
these with web3.py only.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand, account_option, network_option
from ape.contracts import ContractContainer
from ape.exceptions import ContractLogicError
from eth_abi import decode as abi_decode
from ethpm_types import ContractType

from oracle.chain.block_interval import SPAN_BLOCKS, average_block_interval
from oracle.chain.builds import BUILDS, PRAGUE, Build, BuildError, artifacts_path, build_for
from oracle.chain.oracle_abi import (
    CORE,
    EQUIVOCATION_MODULE,
    EXTENSIONS,
    VIEW_EXTENSION,
    merged_oracle_abi,
    with_views,
)
from oracle.chain.params import DEPLOY_DEFAULTS, SPECS, OracleParams, phase_problems, problems

LOCAL_CHAIN_IDS = {1337, 31337}
CONTRACTS = (CORE, *EXTENSIONS, "GuardedTreasury", "OracleSafeGuard")


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


def _select_build(provider: Any, name: str) -> Build:
    runs = build_for(provider.web3)
    if name == "auto":
        return runs
    build = BUILDS[name]
    if build is PRAGUE and runs is not PRAGUE:
        # It would deploy (the constructor uses no TSTORE) and then fail every guarded call.
        raise click.UsageError(
            "this chain does not run Cancun opcodes (TSTORE): the prague build would deploy, "
            "then every finalize, claim and withdraw would fail; use --build shanghai "
            "(`make compile-shanghai`) or --build auto"
        )
    return build


def _containers(build: Build) -> dict[str, Any]:
    """The contracts to deploy: ape's own project for prague, the build's artifacts otherwise."""
    if build is PRAGUE:
        return {name: project.get_contract(name) for name in CONTRACTS}
    try:
        path = artifacts_path(build)
    except BuildError as exc:
        raise click.UsageError(str(exc)) from None
    types = json.loads(path.read_text())["contractTypes"]
    return {name: ContractContainer(ContractType.model_validate(types[name])) for name in CONTRACTS}


def _error_inputs(err: ContractLogicError) -> dict[str, Any]:
    """The arguments of the oracle's custom error in `err`, decoded here when ape could not:
    a reverted deployment has no contract at its address yet, so ape finds no ABI to decode
    with (it leaves the raw revert bytes, as hex or as a bytes literal, in the message)."""
    text = str(err.message or "")
    try:
        raw = bytes.fromhex(text[2:]) if text.startswith("0x") else ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return {}
    errors = project.VerdictOracle.contract_type.errors
    if not isinstance(raw, bytes) or len(raw) < 4 or raw[:4] not in errors:
        return {}
    abi = errors[raw[:4]]
    values = abi_decode([i.canonical_type for i in abi.inputs], raw[4:])
    return {i.name: v for i, v in zip(abi.inputs, values, strict=True)}


def _write_abis(abi_dir: Path, containers: dict[str, Any]) -> dict[str, Path]:
    abi_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    abis = {
        name: [
            entry.model_dump(mode="json", by_alias=True)
            for entry in containers[name].contract_type.abi
        ]
        for name in CONTRACTS
    }
    # The oracle's ABI includes the functions its fallback forwards to its extensions.
    abis[CORE] = merged_oracle_abi(abis[CORE], *(abis[name] for name in EXTENSIONS))
    for name, abi in abis.items():
        path = abi_dir / f"{name}.json"
        path.write_text(json.dumps(abi, indent=2) + "\n")
        written[name] = path
    return written


def _block_interval(stated: float | None) -> float | None:
    """The stated interval (0: no check), or the one measured from the chain's recent blocks."""
    if stated is not None:
        return stated or None
    return average_block_interval(
        lambda n: int(chain.blocks[n].timestamp), chain.blocks.head.number
    )


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
    "--build",
    "build_name",
    envvar="ORACLE_BUILD",
    type=click.Choice(["auto", *BUILDS]),
    default="auto",
    show_default=True,
    help="contracts build: auto = prague if the chain runs Cancun opcodes, else shanghai "
    "[env ORACLE_BUILD]",
)
@click.option(
    "--block-interval",
    envvar="ORACLE_BLOCK_INTERVAL",
    type=click.FloatRange(min=0),
    default=None,
    help=f"the chain's seconds per block for the phase check [default: measured over the "
    f"last {SPAN_BLOCKS} blocks; 0 skips the check] [env ORACLE_BLOCK_INTERVAL]",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="deployment file to write [default: deployments/<chainId>.json]",
)
def cli(
    provider: Any,
    account: Any,
    model_hash: str,
    build_name: str,
    block_interval: float | None,
    out: Path | None,
    **params: Any,
) -> None:
    """Deploy VerdictOracle, GuardedTreasury and OracleSafeGuard; write the deployment file."""
    chosen = OracleParams(**params, modelHash=model_hash)
    short_phases = phase_problems(chosen, _block_interval(block_interval))
    wrong = problems(chosen) + short_phases
    if wrong:
        # Checked here so the error names every bad value before any transaction is sent.
        hint = " (see oracle/chain/params.py)"
        if short_phases and block_interval is None:
            hint += "; a chain that mines on demand: state --block-interval S (0 skips the check)"
        raise click.UsageError("; ".join(wrong) + hint)
    config = chosen.as_config()
    deployer = _deployer(account)
    build = _select_build(provider, build_name)
    contracts = _containers(build)
    click.echo(f"build {build.name} (EVM {build.evm_version})")

    try:
        core = deployer.deploy(contracts[CORE], config, deployer.address)
    except ContractLogicError as err:
        inputs = getattr(err, "inputs", None) or _error_inputs(err)
        # GovernanceInvalidParameter(name, value, min, max)
        if isinstance(inputs.get("name"), bytes):
            label = inputs["name"].rstrip(b"\0").decode()
            raise click.UsageError(
                f"parameter {label}={inputs['value']} is out of range: allowed "
                f"{inputs['min']}..{inputs['max']} (contracts/interfaces/IOracleGovernance.sol)"
            ) from err
        raise
    oracle = with_views(core, *(contracts[name].contract_type for name in EXTENSIONS))
    # Validators scan events from here; the oracle's own block, before the treasury's.
    deployed_block = chain.blocks.head.number
    treasury = deployer.deploy(contracts["GuardedTreasury"], oracle.address, deployer.address)
    # One guard serves any number of Safes (settings are per Safe): docs/safe-guard.md.
    safe_guard = deployer.deploy(contracts["OracleSafeGuard"], oracle.address)

    chain_id = chain.chain_id
    out = out or Path("deployments") / f"{chain_id}.json"
    # Default layout: deployments/abi/*.json, referenced from the project root.
    # With --out: <out dir>/abi/*.json, referenced relative to the deployment file.
    abi_dir = out.parent / "abi"
    abi_paths = _write_abis(abi_dir, contracts)
    abi_refs = {
        name: (
            str(path) if out.parent == Path("deployments") else str(path.relative_to(out.parent))
        )
        for name, path in abi_paths.items()
    }
    record = {
        "chain_id": chain_id,
        "rpc_url": getattr(provider, "http_uri", None),
        "build": build.name,
        "deployed_block": deployed_block,
        "deployer": deployer.address,
        "contracts": {
            CORE: oracle.address,
            VIEW_EXTENSION: oracle.viewExtension(),
            EQUIVOCATION_MODULE: oracle.equivocationModule(),
            "GuardedTreasury": treasury.address,
            "OracleSafeGuard": safe_guard.address,
        },
        "parameters": {**chosen.as_record(), "genesis": int(oracle.timing()[0])},
        "abi": abi_refs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")

    click.echo(f"VerdictOracle   {oracle.address} (views: {oracle.viewExtension()})")
    click.echo(f"GuardedTreasury {treasury.address}")
    click.echo(f"OracleSafeGuard {safe_guard.address}")
    click.echo(f"chain {chain_id}, block {deployed_block}, deployer {deployer.address}")
    click.echo(f"wrote {out}")
