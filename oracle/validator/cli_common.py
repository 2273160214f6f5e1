"""What the validator-area commands share: password options, the key to sign with, the chain.

Each failure is an exception with a one-line message (printed as `error: ...` by
oracle/cli_errors.py), never a prompt or a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from oracle.chain.client import OracleClient

# Environment variables the key commands read (validator settings are ORACLE_<SETTING>).
KEYSTORE_PASSWORD_ENV = "ORACLE_KEYSTORE_PASSWORD"
PRIVATE_KEY_ENV = "ORACLE_PRIVATE_KEY"
DEFAULT_RPC_URL = "http://127.0.0.1:8545"
DEFAULT_DEPLOYMENT = Path("deployments/31337.json")

PasswordEnv = Annotated[
    str | None,
    typer.Option(help=f"env var holding the password (default {KEYSTORE_PASSWORD_ENV})"),
]
PasswordFile = Annotated[Path | None, typer.Option(help="file whose first line is the password")]
Keystore = Annotated[Path | None, typer.Option(help="the key's keystore file")]
AnvilAccount = Annotated[int | None, typer.Option(help="DEV ONLY: use this Anvil mnemonic account")]
RpcUrl = Annotated[str, typer.Option(help="JSON-RPC endpoint of the chain")]
DeploymentFile = Annotated[Path, typer.Option(help="deployment file (`ape run deploy` writes it)")]


class ChainUnreachable(ValueError):
    """--rpc-url did not answer."""


def cli_password(env: str | None, file: Path | None, keystore: Path) -> str:
    from oracle.validator.settings import read_password

    return read_password(
        env or KEYSTORE_PASSWORD_ENV,
        file,
        what=f"keystore {keystore}",
        file_hint="pass --password-file FILE",
    )


def cli_account(
    keystore: Path | None,
    password_env: str | None,
    password_file: Path | None,
    anvil_account: int | None,
) -> LocalAccount:
    """The key a command signs with: a keystore, or (dev chains) an Anvil mnemonic account."""
    from oracle.chain.anvil import ANVIL_MNEMONIC
    from oracle.validator.keys import anvil_key, keystore_address, open_keystore

    if keystore is not None:
        keystore_address(keystore)  # a missing file is named before any password is asked for
        return open_keystore(keystore, cli_password(password_env, password_file, keystore))
    if anvil_account is not None:
        return anvil_key(anvil_account, ANVIL_MNEMONIC)
    raise ValueError("give --keystore FILE (or --anvil-account N on a local dev chain)")


def cli_client(rpc_url: str, deployment: Path) -> OracleClient:
    """A client for the deployment, once rpc_url answers and serves the deployment's chain."""
    from oracle.chain.client import OracleClient
    from oracle.chain.deployment import Deployment
    from oracle.chain.retry import is_transient
    from oracle.chain.rpc import connect

    loaded = Deployment.load(deployment)
    w3 = connect(rpc_url)
    try:
        served = int(w3.eth.chain_id)
    except Exception as exc:
        if not is_transient(exc):
            raise
        raise ChainUnreachable(
            f"cannot reach --rpc-url {rpc_url} ({type(exc).__name__}); "
            "start the node or pass the right --rpc-url"
        ) from None
    if served != loaded.chain_id:
        raise ValueError(
            f"--rpc-url {rpc_url} serves chain {served}, but {deployment} is for chain "
            f"{loaded.chain_id}; pass the deployment's chain"
        )
    return OracleClient(w3, loaded)
