"""Sub-commands of `oracle` for the validator area:

oracle validator run --config FILE     one validator service
oracle keys new|import|address         encrypted keystore files
oracle fleet up --validators N         N local validators against one chain
oracle validate-config FILE            check a validator.toml without starting anything
oracle submit FILE.jsonl               submit proposals from a dataset
oracle watch                           follow proposals to their final verdicts
oracle watch --equivocation --peer URL report peers' provable equivocation on chain
oracle stake|unstake|withdraw|set-signer|claim|status   operator commands (operator_cli.py)
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from oracle.validator.cli_common import (
    DEFAULT_DEPLOYMENT,
    DEFAULT_RPC_URL,
    PRIVATE_KEY_ENV,
    AnvilAccount,
    DeploymentFile,
    PasswordEnv,
    PasswordFile,
    RpcUrl,
    cli_account,
    cli_client,
    cli_password,
)

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from oracle.chain.client import OracleClient

validator_app = typer.Typer(help="Run a validator.", no_args_is_help=True)
keys_app = typer.Typer(
    help="Encrypted keystore files (password from --password-env or --password-file).",
    no_args_is_help=True,
)
fleet_app = typer.Typer(help="A local fleet of validator processes.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the top-level app."""
    app.add_typer(validator_app, name="validator")
    app.add_typer(keys_app, name="keys")
    app.add_typer(fleet_app, name="fleet")
    app.command("validate-config")(validate_config)
    app.command("submit")(submit)
    app.command("watch")(watch)
    from oracle.validator.operator_cli import register as register_operator_commands

    register_operator_commands(app)


# ------------------------------------------------------------------ validator


@validator_app.command("run")
def run(config: Annotated[Path, typer.Option("--config", help="TOML settings file")]) -> None:
    """Run one validator: the service on host:port, the engine in the background."""
    from oracle.validator.api import create_app
    from oracle.validator.log_setup import configure_logging
    from oracle.validator.service import build_validator
    from oracle.validator.settings import ValidatorSettings
    from oracle.validator.shutdown import serve

    settings = ValidatorSettings.from_file(config)
    configure_logging(settings.log_level, settings.log_format)
    from oracle.validator.store_schema import StoreError

    try:
        validator = build_validator(settings)
    except StoreError as exc:
        # The store refused (another deployment or operator, newer schema, corrupt file):
        # the message says what to do; a traceback would only bury it.
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"validator {validator.engine.operator} listening on http://{settings.host}:{settings.port}"
    )
    # The first SIGTERM drains (no new commits, open ballots revealed), then exits.
    serve(validator, create_app(validator), host=settings.host, port=settings.port)


# ----------------------------------------------------------------------- keys


def validate_config(
    file: Annotated[Path, typer.Argument(help="the validator.toml to check")],
) -> None:
    """Check a validator.toml (and the files it names) without starting anything.

    One line per problem and exit 1, or `ok: FILE` and exit 0.
    """
    from oracle.validator.config_check import check_config

    problems = check_config(file)
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"ok: {file}")


@keys_app.command("new")
def keys_new(
    path: Path, password_env: PasswordEnv = None, password_file: PasswordFile = None
) -> None:
    """Create a new random key, encrypted into PATH; prints its address."""
    from oracle.validator.keys import new_keystore

    typer.echo(new_keystore(path, cli_password(password_env, password_file, path)))


@keys_app.command("import")
def keys_import(
    path: Path,
    private_key_env: Annotated[
        str, typer.Option(help="env var holding the hex private key")
    ] = PRIVATE_KEY_ENV,
    password_env: PasswordEnv = None,
    password_file: PasswordFile = None,
) -> None:
    """Encrypt an existing private key (read from an env var, never from argv) into PATH."""
    from oracle.validator.keys import write_keystore

    key = os.environ.get(private_key_env)
    if not key:
        raise ValueError(f"set the environment variable {private_key_env} to the hex private key")
    typer.echo(write_keystore(path, key, cli_password(password_env, password_file, path)))


@keys_app.command("address")
def keys_address(path: Path) -> None:
    """Print the address of a keystore file (no password needed)."""
    from oracle.validator.keys import keystore_address

    typer.echo(keystore_address(path))


# ---------------------------------------------------------------------- fleet


@fleet_app.command("up")
def fleet_up(
    validators: Annotated[int, typer.Option(min=1, max=19)] = 4,
    rpc_url: str = "http://127.0.0.1:8545",
    deployment: Path = Path("deployments/31337.json"),
    model: Path = Path("models/default"),
    workdir: Path = Path("runs/fleet"),
    stake_eth: float = 1.0,
    base_port: int = 8700,
    relayer: Annotated[bool, typer.Option(help="validator 0 relays the others' votes")] = False,
    sanctions: Path | None = None,
) -> None:
    """Start N validators (Anvil mnemonic accounts 1..N) and stop them cleanly on Ctrl-C."""
    from oracle.validator.fleet import Fleet, FleetSpec

    spec = FleetSpec(
        rpc_url=rpc_url,
        deployment=deployment,
        model_dir=model,
        workdir=workdir,
        validators=validators,
        stake_wei=int(stake_eth * 10**18),
        base_port=base_port,
        relayer_index=0 if relayer else None,
        sanctions_file=sanctions,
    )
    fleet = Fleet(spec)
    stop = {"now": False}

    def on_signal(_sig: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with fleet:
        fleet.start_all()
        for m in fleet.members:
            typer.echo(
                f"validator {m.index} {m.address} http://127.0.0.1:{m.port}  log {m.log_path}"
            )
        typer.echo("Ctrl-C stops the fleet")
        while not stop["now"]:
            for m in fleet.members:
                if m.process is not None and m.process.poll() is not None:
                    typer.echo(
                        f"validator {m.index} exited with {m.process.returncode}; see {m.log_path}"
                    )
                    stop["now"] = True
            time.sleep(0.5)
        typer.echo("stopping the fleet")


# --------------------------------------------------------------- submit/watch


def submit(
    file: Path,
    rpc_url: RpcUrl = DEFAULT_RPC_URL,
    deployment: DeploymentFile = DEFAULT_DEPLOYMENT,
    keystore: Annotated[Path | None, typer.Option(help="requester keystore")] = None,
    password_env: PasswordEnv = None,
    password_file: PasswordFile = None,
    anvil_account: AnvilAccount = None,
) -> None:
    """Submit each record of FILE.jsonl (docs/labels.md) as a proposal; one JSON line each."""
    from oracle.chain.payload import TxRequest, encode_payload
    from oracle.chain.submitter import Submitter

    account = cli_account(keystore, password_env, password_file, anvil_account)
    if not file.is_file():
        raise FileNotFoundError(f"{file} does not exist")
    requests: list[TxRequest] = []
    for n, line in enumerate(file.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            requests.append(TxRequest.from_json(json.loads(line)["payload"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{file}:{n}: {exc}") from None
    client = cli_client(rpc_url, deployment)
    warning = chain_id_warning([r.chain_id for r in requests], client.chain_id)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    payloads = [encode_payload(r) for r in requests]
    for s in Submitter(client, account).submit(payloads):
        typer.echo(json.dumps({"id": s.proposal_id, "tx": s.tx_hash, "block": s.block}))


def chain_id_warning(record_chain_ids: list[int], chain_id: int) -> str | None:
    """A warning when records name another chain: validators judge those `malformed`."""
    other = [c for c in record_chain_ids if c != chain_id]
    if not other:
        return None
    common = max(set(other), key=other.count)
    return (
        f"{len(other)} of {len(record_chain_ids)} records name another chain than the "
        f"oracle's ({chain_id}; most often {common}): validators judge them malformed. "
        f"For test data, `oracle generate-data --chain-id {chain_id}`"
    )


def watch(
    rpc_url: RpcUrl = DEFAULT_RPC_URL,
    deployment: DeploymentFile = DEFAULT_DEPLOYMENT,
    once: Annotated[bool, typer.Option(help="print the table once and exit")] = False,
    last: Annotated[int, typer.Option(help="rows to show")] = 30,
    equivocation: Annotated[
        bool,
        typer.Option(help="collect --peer validators' signed verdicts and report equivocation"),
    ] = False,
    peer: Annotated[
        list[str] | None, typer.Option(help="a validator API base URL (repeat for each)")
    ] = None,
    keystore: Annotated[Path | None, typer.Option(help="reporter keystore")] = None,
    password_env: PasswordEnv = None,
    password_file: PasswordFile = None,
    anvil_account: AnvilAccount = None,
) -> None:
    """Follow proposals to their final verdicts in a live table (Ctrl-C to stop); with
    --equivocation, report peers' provable equivocation instead."""
    if equivocation:
        watch_equivocation(
            cli_client(rpc_url, deployment),
            cli_account(keystore, password_env, password_file, anvil_account),
            peer or [],
            once=once,
        )
        return
    from rich.live import Live

    from oracle.validator.watch import ProposalWatcher

    watcher = ProposalWatcher(cli_client(rpc_url, deployment))
    if once:
        watcher.poll()
        from rich.console import Console

        Console().print(watcher.table(last))
        return
    with Live(watcher.table(last), refresh_per_second=4) as live:
        try:
            while True:
                watcher.poll()
                live.update(watcher.table(last))
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass


def watch_equivocation(
    client: OracleClient, account: LocalAccount, peers: list[str], *, once: bool
) -> None:
    """Every few seconds: collect the peers' signed verdicts of the last rounds, report what
    is provable, release the bounties due; one JSON line per proof sent."""
    from oracle.validator.equivocation import EquivocationWatcher

    if not peers:
        raise ValueError(
            "give at least one --peer URL (a validator's API, e.g. http://127.0.0.1:8001)"
        )
    watcher = EquivocationWatcher(client, client.make_sender(account), peers)
    try:
        while True:
            now = int(client.w3.eth.get_block("latest")["timestamp"])
            for proof in watcher.watch(client.current_round(), now):
                typer.echo(
                    json.dumps(
                        {
                            "validator": proof.validator,
                            "round": proof.round,
                            "proposal": proof.first.verdict.proposal_id,
                            "kind": proof.kind,
                        }
                    )
                )
            if once:
                return
            time.sleep(5.0)
    except KeyboardInterrupt:
        pass
