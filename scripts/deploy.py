"""Deploy VerdictOracle (it creates its VerdictOracleViews) and GuardedTreasury; write the
deployment file validators read.

Usage (from the project root, with the Makefile's env: SOLCX_BINARY_PATH, APE_DATA_FOLDER, PATH):

    ape run deploy                                        # Anvil that ape starts and stops
    ape run deploy --network ethereum:local:test          # ape's in-process EVM
    ape run deploy --network http://127.0.0.1:8545        # an ALREADY RUNNING node (Anvil, Ganache)
    APE_FOUNDRY_HOST=http://127.0.0.1:8545 ape run deploy --network ethereum:local:foundry
                                                          # the same, through ape-foundry
    ape run deploy --network ethereum:sepolia:node --account ALIAS   # anything else: name a key

Parameters come from flags or the ORACLE_* environment variables below (flags win); the
defaults are for a local chain: 6 s rounds, 6 s reveals. On a local chain (chain id 1337 or
31337) the deployer is ape's test account 0, which is Anvil's first funded account, so nothing
prompts; elsewhere `--account` is required.

Writes `deployments/<chainId>.json` (or `--out FILE`):
    {chain_id, rpc_url, deployed_block, deployer,
     contracts: {VerdictOracle, VerdictOracleViews, GuardedTreasury},
     parameters: {...}, abi: {VerdictOracle: "deployments/abi/VerdictOracle.json", ...}}
and the ABI files it names (next to `--out FILE` in `abi/` when given). `VerdictOracle.json` is
the ABI that answers at the oracle's address: the core's functions plus the view extension's
(the oracle forwards those; contracts/README.md). The validator reads these with web3.py only.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import click
from ape import accounts, chain, project
from ape.cli import ConnectedProviderCommand, account_option, network_option
from ape.exceptions import ContractLogicError
from eth_abi import decode as abi_decode

from oracle.chain.oracle_abi import CORE, VIEW_EXTENSION, merged_oracle_abi, with_views

LOCAL_CHAIN_IDS = {1337, 31337}
CONTRACTS = (CORE, VIEW_EXTENSION, "GuardedTreasury")

# (flag name, env var, default, help): every value passes to the constructor's OracleConfig.
PARAMETERS: tuple[tuple[str, str, int, str], ...] = (
    ("round-duration", "ORACLE_ROUND_DURATION", 6, "seconds per round (commit phase length)"),
    ("reveal-duration", "ORACLE_REVEAL_DURATION", 6, "seconds of reveal phase, <= round duration"),
    ("unbonding-period", "ORACLE_UNBONDING_PERIOD", 60, "seconds, > round + reveal duration"),
    ("proposal-fee", "ORACLE_PROPOSAL_FEE", 10**15, "minimum fee per proposal, wei"),
    ("min-stake", "ORACLE_MIN_STAKE", 10**18, "minimum validator stake, wei"),
    ("quorum-bps", "ORACLE_QUORUM_BPS", 5_000, "revealed stake needed, bps of snapshot stake"),
    (
        "supermajority-bps",
        "ORACLE_SUPERMAJORITY_BPS",
        6_667,
        "winning share of revealed stake, bps (> 5000)",
    ),
    ("max-rounds", "ORACLE_MAX_ROUNDS", 3, "rounds a proposal may take before NoConsensus"),
    (
        "max-proposals-per-round",
        "ORACLE_MAX_PROPOSALS_PER_ROUND",
        64,
        "proposals per round (1..1024)",
    ),
    ("max-payload-size", "ORACLE_MAX_PAYLOAD_SIZE", 4_096, "payload size limit, bytes"),
    (
        "non-reveal-slash-bps",
        "ORACLE_NON_REVEAL_SLASH_BPS",
        100,
        "slash per proposal for not revealing, bps",
    ),
    ("incoherent-slash-bps", "ORACLE_INCOHERENT_SLASH_BPS", 500, "slash per incoherent vote, bps"),
    (
        "equivocation-slash-bps",
        "ORACLE_EQUIVOCATION_SLASH_BPS",
        5_000,
        "slash for equivocation, bps of bonded stake",
    ),
    ("callback-gas-limit", "ORACLE_CALLBACK_GAS_LIMIT", 100_000, "gas for requesters' onVerdict"),
)


def _camel(flag: str) -> str:
    head, *rest = flag.split("-")
    return head + "".join(
        part.replace("bps", "Bps").capitalize() if part != "bps" else "Bps" for part in rest
    )


def _parameter_options(func: Any) -> Any:
    for flag, env, default, text in reversed(PARAMETERS):
        func = click.option(
            f"--{flag}",
            envvar=env,
            type=int,
            default=default,
            show_default=True,
            help=f"{text} [env {env}]",
        )(func)
    return func


def _model_hash(value: str) -> bytes:
    text = value.removeprefix("0x")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise click.BadParameter(
            f"{value!r} is not a 32-byte hex string; pass the model hash `oracle` prints "
            "(0x followed by 64 hex digits)",
            param_hint="--model-hash / ORACLE_MODEL_HASH",
        )
    return raw


def _deployer(account: Any) -> Any:
    if account is not None:
        return account
    if chain.chain_id in LOCAL_CHAIN_IDS:
        return accounts.test_accounts[0]
    raise click.UsageError(
        f"chain {chain.chain_id} is not a local chain: "
        "pass --account ALIAS (see `ape accounts list`)"
    )


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


def _write_abis(abi_dir: Path) -> dict[str, Path]:
    abi_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    abis = {
        name: [
            entry.model_dump(mode="json", by_alias=True)
            for entry in project.get_contract(name).contract_type.abi
        ]
        for name in CONTRACTS
    }
    abis[CORE] = merged_oracle_abi(abis[CORE], abis[VIEW_EXTENSION])
    for name, abi in abis.items():
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
def cli(provider: Any, account: Any, model_hash: str, out: Path | None, **params: int) -> None:
    """Deploy VerdictOracle and GuardedTreasury and write the deployment file."""
    config: dict[str, Any] = {
        _camel(flag): params[flag.replace("-", "_")] for flag, *_ in PARAMETERS
    }
    config["modelHash"] = _model_hash(model_hash)
    deployer = _deployer(account)

    try:
        core = deployer.deploy(project.VerdictOracle, config, deployer.address)
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
    oracle = with_views(core, project.VerdictOracleViews.contract_type)
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
        "contracts": {
            CORE: oracle.address,
            VIEW_EXTENSION: oracle.viewExtension(),
            "GuardedTreasury": treasury.address,
        },
        "parameters": {
            **{k: v for k, v in config.items() if k != "modelHash"},
            "modelHash": "0x" + config["modelHash"].hex(),
            "genesis": int(oracle.genesis()),
        },
        "abi": abi_refs,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")

    click.echo(f"VerdictOracle   {oracle.address} (views: {oracle.viewExtension()})")
    click.echo(f"GuardedTreasury {treasury.address}")
    click.echo(f"chain {chain_id}, block {deployed_block}, deployer {deployer.address}")
    click.echo(f"wrote {out}")
