"""Operator commands: stake, unstake, withdraw, set-signer, claim, status.

oracle stake AMOUNT           add to the operator's active stake (AMOUNT: 1.5, 1.5eth, 20gwei)
oracle unstake AMOUNT         start unbonding AMOUNT (voting power drops at once)
oracle withdraw               pay out the unbonded stake once unbonding is over
oracle accept-signer OPERATOR sign, with the hot key, its consent to serve OPERATOR
oracle set-signer ADDRESS     name the hot key that votes for this operator (with its consent)
oracle claim                  pay out the operator's rewards
oracle status                 stake, unbonding, signer and its balance, open ballots, rewards

Each signs with --keystore (the operator's cold key; for accept-signer the hot key's) or, on
a dev chain, --anvil-account N;
a refusal by the contract is one line saying what it means and what to do.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from oracle.validator.cli_common import (
    DEFAULT_DEPLOYMENT,
    DEFAULT_RPC_URL,
    AnvilAccount,
    DeploymentFile,
    Keystore,
    PasswordEnv,
    PasswordFile,
    RpcUrl,
    cli_account,
    cli_client,
)

if TYPE_CHECKING:
    from oracle.chain.client import OracleClient
    from oracle.chain.sender import SentTx, TxSender


def register(app: typer.Typer) -> None:
    for name, fn in (
        ("stake", stake),
        ("unstake", unstake),
        ("withdraw", withdraw),
        ("accept-signer", accept_signer),
        ("set-signer", set_signer),
        ("claim", claim),
        ("status", status),
    ):
        app.command(name)(fn)


Amount = Annotated[str, typer.Argument(help="ETH (1.5), or with a unit: 1.5eth, 20gwei, 7wei")]
ServedOperator = Annotated[str, typer.Argument(help="the operator's address the key will serve")]
ValidFor = Annotated[int, typer.Option(help="seconds of chain time the acceptance stays valid")]
HotKey = Annotated[str, typer.Argument(help="the hot key's address")]
AcceptanceDeadline = Annotated[
    int, typer.Option(help="the acceptance's deadline (`oracle accept-signer` prints it)")
]
Acceptance = Annotated[
    str, typer.Option(help="the hot key's signed acceptance, 0x hex (`oracle accept-signer`)")
]


def _key_options(
    rpc_url: RpcUrl = DEFAULT_RPC_URL,
    deployment: DeploymentFile = DEFAULT_DEPLOYMENT,
    keystore: Keystore = None,
    password_env: PasswordEnv = None,
    password_file: PasswordFile = None,
    anvil_account: AnvilAccount = None,
) -> None:
    """The options every signing operator command takes (the template `_signs` adds)."""


OperatorAction = Callable[..., None]


def _signs(action: Callable[..., None]) -> OperatorAction:
    """Make `action(client, sender, **own)` a typer command with the shared key options.

    Typer reads a command's options from its signature, so the wrapper's signature is the
    action's own parameters followed by `_key_options`'; the wrapper builds the client and
    the sender from the latter. One list of options instead of one per command.
    """
    # The first two parameters (client, sender) are the wrapper's to give; their annotations
    # name types imported for type checking only, so only the others are evaluated.
    own = [
        p.replace(annotation=eval(p.annotation, action.__globals__))
        for p in list(inspect.signature(action).parameters.values())[2:]
    ]
    shared = list(inspect.signature(_key_options, eval_str=True).parameters.values())
    shared_names = [p.name for p in shared]

    @functools.wraps(action)
    def command(**options: Any) -> None:
        key = {name: options.pop(name) for name in shared_names}
        account = cli_account(
            key["keystore"], key["password_env"], key["password_file"], key["anvil_account"]
        )
        client = cli_client(key["rpc_url"], key["deployment"])
        action(client, client.make_sender(account), **options)

    del command.__wrapped__  # typer must see the signature below, not the action's
    command.__annotations__ = {}
    command.__signature__ = inspect.Signature(own + shared)  # type: ignore[attr-defined]
    return command


def _checksummed(address: str) -> str:
    """`address` checksummed; a ValueError saying what an address looks like otherwise."""
    from web3 import Web3

    if not Web3.is_address(address):
        raise ValueError(f"{address!r} is not an address (0x followed by 40 hex digits)")
    return Web3.to_checksum_address(address)


def _transact(client: OracleClient, what: str, call: Callable[[], SentTx]) -> SentTx:
    from oracle.chain.errors import TxReverted
    from oracle.validator.operator import explain_revert

    try:
        return call()
    except TxReverted as exc:
        raise ValueError(explain_revert(client, exc, what)) from None


@_signs
def stake(client: OracleClient, sender: TxSender, amount: Amount) -> None:
    """Add AMOUNT to the operator's active stake (the first stake registers the operator)."""
    from oracle.chain.units import format_eth, parse_amount

    wei = parse_amount(amount)
    sent = _transact(client, "stake", lambda: client.stake(sender, wei))
    active = client.validator_info(sender.address).active
    typer.echo(f"staked {format_eth(wei)}; active stake {format_eth(active)} (tx {sent.tx_hash})")


@_signs
def unstake(client: OracleClient, sender: TxSender, amount: Amount) -> None:
    """Move AMOUNT of active stake to unbonding; `oracle withdraw` pays it out afterwards."""
    from oracle.chain.units import format_eth, parse_amount

    wei = parse_amount(amount)
    sent = _transact(client, "unstake", lambda: client.request_unstake(sender, wei))
    info = client.validator_info(sender.address)
    typer.echo(
        f"unbonding {format_eth(info.unbonding)}, withdrawable at chain time "
        f"{info.withdrawable_at}; active stake {format_eth(info.active)} (tx {sent.tx_hash})"
    )


@_signs
def withdraw(client: OracleClient, sender: TxSender) -> None:
    """Pay out the unbonded stake (after the unbonding period, with every ballot settled)."""
    from oracle.chain.units import format_eth

    amount = client.validator_info(sender.address).unbonding
    sent = _transact(client, "withdraw", lambda: client.withdraw(sender))
    typer.echo(f"withdrew {format_eth(amount)} to {sender.address} (tx {sent.tx_hash})")


@_signs
def accept_signer(
    client: OracleClient, sender: TxSender, operator: ServedOperator, valid_for: ValidFor = 3600
) -> None:
    """Sign, with the hot key (--keystore), its consent to serve OPERATOR; prints set-signer's
    command. A key serves one operator for ever, so the contract binds none without this."""
    checksummed = _checksummed(operator)
    if valid_for <= 0:
        raise ValueError(f"--valid-for {valid_for} must be a positive number of seconds")
    # Signed here, sent by nobody: the key's own account, not a transaction.
    deadline, acceptance = client.accept_signer(sender.account, checksummed, valid_for)
    typer.echo(
        f"oracle set-signer {sender.address} --deadline {deadline} "
        f"--acceptance 0x{acceptance.hex()}"
    )


@_signs
def set_signer(
    client: OracleClient,
    sender: TxSender,
    address: HotKey,
    deadline: AcceptanceDeadline = 0,
    acceptance: Acceptance = "",
) -> None:
    """Name ADDRESS as the key that signs and sends this operator's votes.

    ADDRESS must consent: run `oracle accept-signer OPERATOR` with its key and pass the
    --deadline and --acceptance it prints (not needed for the operator's own address)."""
    signer = _checksummed(address)
    try:
        signature = bytes.fromhex(acceptance.removeprefix("0x"))
    except ValueError:
        raise ValueError(
            f"--acceptance {acceptance!r} is not hex (0x followed by hex digits)"
        ) from None
    if signer != sender.address and not signature:
        raise ValueError(
            f"{signer} must accept first: run `oracle accept-signer {sender.address}` with its "
            "key, then pass the --deadline and --acceptance it prints"
        )
    sent = _transact(
        client, "set-signer", lambda: client.set_signer(sender, signer, deadline, signature)
    )
    typer.echo(f"signer of {sender.address} is now {signer} (tx {sent.tx_hash})")


@_signs
def claim(client: OracleClient, sender: TxSender) -> None:
    """Pay out the operator's rewards."""
    from oracle.chain.units import format_eth

    amount = client.claimable(sender.address)
    sent = _transact(client, "claim", lambda: client.claim(sender))
    typer.echo(f"claimed {format_eth(amount)} to {sender.address} (tx {sent.tx_hash})")


def status(
    operator: Annotated[
        str | None, typer.Option(help="the operator's address (default: the key's address)")
    ] = None,
    rpc_url: RpcUrl = DEFAULT_RPC_URL,
    deployment: DeploymentFile = DEFAULT_DEPLOYMENT,
    keystore: Keystore = None,
    anvil_account: AnvilAccount = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Show the operator's stake, unbonding, signer and its balance, open ballots, rewards."""
    from oracle.validator.operator import read_status

    if operator is None:
        if keystore is not None:
            from oracle.validator.keys import keystore_address

            operator = keystore_address(keystore)  # no password needed to read it
        elif anvil_account is not None:
            operator = cli_account(None, None, None, anvil_account).address
        else:
            raise ValueError("give --operator ADDRESS, --keystore FILE or --anvil-account N")
    state = read_status(cli_client(rpc_url, deployment), _checksummed(operator))
    if as_json:
        typer.echo(json.dumps(state.as_json()))
    else:
        typer.echo("\n".join(state.lines()))
