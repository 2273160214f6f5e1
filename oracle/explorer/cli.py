"""`oracle explorer`: serve the consensus explorer page for one deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_PORT = 8600


def register(app: typer.Typer) -> None:
    """Add the `explorer` command to the top-level app."""

    @app.command()
    def explorer(
        deployment: Annotated[
            Path | None,
            typer.Option(
                "--deployment",
                "-d",
                help="Deployment file from `ape run deploy` (default: the one in deployments/).",
            ),
        ] = None,
        rpc: Annotated[
            str | None,
            typer.Option("--rpc", help="JSON-RPC URL (default: rpc_url in the deployment file)."),
        ] = None,
        host: Annotated[
            str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless behind a proxy.")
        ] = "127.0.0.1",
        port: Annotated[
            int, typer.Option(help="Port of the page and its JSON API.")
        ] = DEFAULT_PORT,
        poll: Annotated[float, typer.Option(help="Seconds between looks for new blocks.")] = 1.0,
    ) -> None:
        """Serve a read-only page that shows proposals, votes and validators live from the chain."""
        from oracle.explorer.server import ExplorerError, serve

        try:
            serve(deployment_path=deployment, rpc_url=rpc, host=host, port=port, poll_interval=poll)
        except ExplorerError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
