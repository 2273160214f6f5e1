"""Sub-commands of `oracle` for the validator area:

oracle validator run --config FILE     one validator service
oracle keys new|import|address         encrypted keystore files
oracle fleet up --validators N         N local validators against one chain
oracle submit FILE.jsonl               submit proposals from a dataset
oracle watch                           follow proposals to their final verdicts
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from pathlib import Path
from typing import Annotated

import typer

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
    app.command("submit")(submit)
    app.command("watch")(watch)


# ------------------------------------------------------------------ validator


@validator_app.command("run")
def run(config: Annotated[Path, typer.Option("--config", help="TOML settings file")]) -> None:
    """Run one validator: the service on host:port, the engine in the background."""
    import uvicorn

    from oracle.validator.api import create_app
    from oracle.validator.service import build_validator
    from oracle.validator.settings import ValidatorSettings

    settings = ValidatorSettings.from_file(config)
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
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
    uvicorn.run(create_app(validator), host=settings.host, port=settings.port, log_level="warning")


# ----------------------------------------------------------------------- keys


def _password(env: str | None, file: Path | None) -> str:
    from oracle.validator.settings import read_password

    return read_password(env or "ORACLE_KEYSTORE_PASSWORD", file, what="keystore")


PasswordEnv = Annotated[
    str | None, typer.Option(help="env var holding the password (default ORACLE_KEYSTORE_PASSWORD)")
]
PasswordFile = Annotated[Path | None, typer.Option(help="file whose first line is the password")]


@keys_app.command("new")
def keys_new(
    path: Path, password_env: PasswordEnv = None, password_file: PasswordFile = None
) -> None:
    """Create a new random key, encrypted into PATH; prints its address."""
    from oracle.validator.keys import new_keystore

    typer.echo(new_keystore(path, _password(password_env, password_file)))


@keys_app.command("import")
def keys_import(
    path: Path,
    private_key_env: Annotated[
        str, typer.Option(help="env var holding the hex private key")
    ] = "ORACLE_PRIVATE_KEY",
    password_env: PasswordEnv = None,
    password_file: PasswordFile = None,
) -> None:
    """Encrypt an existing private key (read from an env var, never from argv) into PATH."""
    from oracle.validator.keys import write_keystore

    key = os.environ.get(private_key_env)
    if not key:
        raise typer.BadParameter(
            f"set the environment variable {private_key_env} to the hex private key"
        )
    typer.echo(write_keystore(path, key, _password(password_env, password_file)))


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


def _client(rpc_url: str, deployment: Path):  # type: ignore[no-untyped-def]
    from oracle.chain.client import OracleClient
    from oracle.chain.deployment import Deployment
    from oracle.chain.rpc import connect

    return OracleClient(connect(rpc_url), Deployment.load(deployment))


def submit(
    file: Path,
    rpc_url: str = "http://127.0.0.1:8545",
    deployment: Path = Path("deployments/31337.json"),
    keystore: Annotated[Path | None, typer.Option(help="requester keystore")] = None,
    password_env: PasswordEnv = None,
    password_file: PasswordFile = None,
    anvil_account: Annotated[
        int | None, typer.Option(help="DEV ONLY: use this Anvil mnemonic account")
    ] = None,
) -> None:
    """Submit each record of FILE.jsonl (docs/labels.md) as a proposal; one JSON line each."""
    from oracle.chain.anvil import ANVIL_MNEMONIC
    from oracle.chain.payload import TxRequest, encode_payload
    from oracle.chain.submitter import Submitter
    from oracle.validator.keys import anvil_key, open_keystore

    if keystore is not None:
        account = open_keystore(keystore, _password(password_env, password_file))
    elif anvil_account is not None:
        account = anvil_key(anvil_account, ANVIL_MNEMONIC)
    else:
        raise typer.BadParameter("give --keystore (or --anvil-account N on a local dev chain)")
    payloads = []
    for n, line in enumerate(file.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            payloads.append(encode_payload(TxRequest.from_json(json.loads(line)["payload"])))
        except (ValueError, KeyError) as exc:
            raise typer.BadParameter(f"{file}:{n}: {exc}") from None
    for s in Submitter(_client(rpc_url, deployment), account).submit(payloads):
        typer.echo(json.dumps({"id": s.proposal_id, "tx": s.tx_hash, "block": s.block}))


def watch(
    rpc_url: str = "http://127.0.0.1:8545",
    deployment: Path = Path("deployments/31337.json"),
    once: Annotated[bool, typer.Option(help="print the table once and exit")] = False,
    last: Annotated[int, typer.Option(help="rows to show")] = 30,
) -> None:
    """Follow proposals to their final verdicts in a live table (Ctrl-C to stop)."""
    from rich.live import Live

    from oracle.validator.watch import ProposalWatcher

    watcher = ProposalWatcher(_client(rpc_url, deployment))
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
