"""Run the `oracle` command line in-process against a test chain and its deployment."""

from __future__ import annotations

from collections.abc import Mapping

from click.testing import Result
from typer.testing import CliRunner

from oracle.chain.client import OracleClient
from oracle.cli import app


def invoke_oracle(client: OracleClient, *args: str, env: Mapping[str, str] | None = None) -> Result:
    """`oracle ARGS --rpc-url … --deployment …`, pointed at `client`'s node and deployment."""
    return CliRunner().invoke(
        app,
        [
            *args,
            "--rpc-url",
            str(client.w3.provider.endpoint_uri),  # type: ignore[attr-defined]
            "--deployment",
            str(client.deployment.path),
        ],
        env=env,
    )
