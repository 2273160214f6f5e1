"""`oracle safe install`: put OracleSafeGuard on an existing Safe."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the `safe` command group to the top-level app."""
    safe_app = typer.Typer(help="Safe multisigs guarded by the oracle (OracleSafeGuard).")
    app.add_typer(safe_app, name="safe")

    @safe_app.command()
    def install(
        safe: Annotated[str, typer.Option("--safe", help="Address of the Safe (1.4.1).")],
        deployment: Annotated[
            Path, typer.Option("--deployment", "-d", help="Deployment file from `ape run deploy`.")
        ] = Path("deployments/31337.json"),
        rpc: Annotated[
            str | None, typer.Option("--rpc", help="JSON-RPC URL (default: the deployment's).")
        ] = None,
        control_delay: Annotated[
            int,
            typer.Option(
                help="Seconds a call to the Safe itself must be announced before (0: none)."
            ),
        ] = 0,
        owner_keystore: Annotated[
            list[Path] | None,
            typer.Option(
                "--owner-keystore",
                help="An owner's keystore (repeat up to the threshold) to sign and execute now; "
                "without one, the Safe transactions are printed for the Safe's own UI.",
            ),
        ] = None,
        password_env: Annotated[
            str, typer.Option(help="Variable holding the keystores' password.")
        ] = "ORACLE_OWNER_PASSWORD",
    ) -> None:
        """Accept the oracle's model, optionally set a control delay, then install the guard."""
        from oracle.chain.deployment import Deployment, DeploymentError
        from oracle.chain.errors import ChainError
        from oracle.chain.rpc import connect
        from oracle.sdk.client import GUARD_NAME
        from oracle.sdk.safe_install import execute_plan, install_plan
        from oracle.sdk.safe_wallet import SafeWallet

        try:
            dep = Deployment.load(deployment)
            guard = dep.address(GUARD_NAME)
            w3 = connect(rpc or dep.rpc_url)
            oracle = w3.eth.contract(
                address=w3.to_checksum_address(dep.oracle_address), abi=dep.abi("VerdictOracle")
            )
            model_hash = bytes(oracle.functions.modelHash().call())
            plan = install_plan(safe, guard, model_hash, control_delay)
        except (DeploymentError, ValueError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        if not owner_keystore:
            typer.echo(
                f"Propose these Safe transactions (operation Call, value 0), in order, on {safe}:"
            )
            for i, call in enumerate(plan, start=1):
                typer.echo(f"{i}. {call.what}\n   to   {call.to}\n   data 0x{call.data.hex()}")
            return
        from oracle.chain.sender import TxSender
        from oracle.validator.keys import open_keystore

        password = os.environ.get(password_env)
        if password is None:
            typer.echo(f"error: set {password_env} to the owner keystores' password", err=True)
            raise typer.Exit(1)
        try:
            owners = [open_keystore(path, password) for path in owner_keystore]
            wallet = SafeWallet(w3, safe, chain_id=int(w3.eth.chain_id))
            sender = TxSender(w3, owners[0], chain_id=wallet.chain_id)
            for call, sent in zip(plan, execute_plan(wallet, plan, owners, sender), strict=True):
                typer.echo(f"{call.what}: tx {sent.tx_hash}")
        except (OSError, ValueError, ChainError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"OracleSafeGuard {guard} installed on Safe {safe}")
