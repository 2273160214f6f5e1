"""Uniswap Universal Router `execute`: the command bytes decoded into steps.

`execute(commands, inputs[, deadline])` runs one step per command byte; the low six
bits name the command, the top bit lets that step revert without failing the whole
transaction. Each step's input is the ABI encoding of the command's parameters. A
known command whose input does not decode is `CalldataError` (malformed); commands
this table does not know render as `ur:command_0x..` without arguments, like an
unknown selector.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_abi.exceptions import DecodingError

from oracle.model.calldata_types import (
    CalldataError,
    DecodedCall,
    InnerDecoder,
    Shaped,
    Signature,
)

COMMAND_MASK = 0x3F
ALLOW_REVERT = 0x80
_PERMIT_DETAILS = "(address,uint160,uint48,uint48)"


@dataclass(frozen=True)
class Command:
    name: str
    types: tuple[str, ...]
    names: tuple[str, ...]


COMMANDS: dict[int, Command] = {
    0x00: Command(
        "v3_swap_exact_in",
        ("address", "uint256", "uint256", "bytes", "bool"),
        ("recipient", "amount_in", "amount_out_min", "path", "payer_is_user"),
    ),
    0x01: Command(
        "v3_swap_exact_out",
        ("address", "uint256", "uint256", "bytes", "bool"),
        ("recipient", "amount_out", "amount_in_max", "path", "payer_is_user"),
    ),
    0x02: Command(
        "permit2_transfer_from",
        ("address", "address", "uint160"),
        ("token", "recipient", "amount"),
    ),
    0x03: Command(
        "permit2_permit_batch",
        (f"({_PERMIT_DETAILS}[],address,uint256)", "bytes"),
        ("permit", "signature"),
    ),
    0x04: Command("sweep", ("address", "address", "uint256"), ("token", "recipient", "amount_min")),
    0x05: Command("transfer", ("address", "address", "uint256"), ("token", "recipient", "amount")),
    0x06: Command("pay_portion", ("address", "address", "uint256"), ("token", "recipient", "bips")),
    0x08: Command(
        "v2_swap_exact_in",
        ("address", "uint256", "uint256", "address[]", "bool"),
        ("recipient", "amount_in", "amount_out_min", "path", "payer_is_user"),
    ),
    0x09: Command(
        "v2_swap_exact_out",
        ("address", "uint256", "uint256", "address[]", "bool"),
        ("recipient", "amount_out", "amount_in_max", "path", "payer_is_user"),
    ),
    0x0A: Command(
        "permit2_permit",
        (f"({_PERMIT_DETAILS},address,uint256)", "bytes"),
        ("permit", "signature"),
    ),
    0x0B: Command("wrap_eth", ("address", "uint256"), ("recipient", "amount_min")),
    0x0C: Command("unwrap_weth", ("address", "uint256"), ("recipient", "amount_min")),
    0x0D: Command(
        "permit2_transfer_from_batch",
        ("(address,address,uint160,address)[]",),
        ("transfers",),
    ),
    0x0E: Command(
        "balance_check_erc20", ("address", "address", "uint256"), ("owner", "token", "min_balance")
    ),
}


def decode_v3_path(path: bytes) -> list[str]:
    """A V3 path `token (fee token)*` -> the token addresses; raises on a bad length."""
    if len(path) < 43 or (len(path) - 20) % 23:
        raise CalldataError(f"Uniswap V3 path of {len(path)} bytes is not token(,fee,token)+")
    return ["0x" + path[i : i + 20].hex() for i in range(0, len(path), 23)]


def decode_step(command_byte: int, data: bytes) -> DecodedCall:
    """One Universal Router step; unknown commands keep only their name."""
    code = command_byte & COMMAND_MASK
    command = COMMANDS.get(code)
    if command is None:
        return DecodedCall(f"ur:command_0x{code:02x}", None)
    try:
        values = list(abi_decode(list(command.types), data))
    except (DecodingError, ValueError, OverflowError) as exc:
        raise CalldataError(
            f"Universal Router {command.name} input does not decode: {exc}"
        ) from None
    if abi_encode(list(command.types), values) != data:
        raise CalldataError(f"Universal Router {command.name} input is not canonically encoded")
    args: dict[str, object] = dict(zip(command.names, (_lower(v) for v in values), strict=True))
    args.pop("payer_is_user", None)
    args.pop("signature", None)
    if "path" in args and isinstance(args["path"], bytes):
        path = decode_v3_path(args["path"])
        args["path"] = path if code == 0x00 else list(reversed(path))
    if "permit" in args:
        args.update(_permit_fields(args.pop("permit"), batch=code == 0x03))
    if "transfers" in args:
        rows = args.pop("transfers")
        assert isinstance(rows, list)
        args["recipients"] = [r[1] for r in rows]
        args["count"] = len(rows)
    if command_byte & ALLOW_REVERT:
        args["may_revert"] = True
    return DecodedCall(f"ur:{command.name}", None, args)


def _permit_fields(permit: object, *, batch: bool) -> dict[str, object]:
    assert isinstance(permit, (list, tuple)) and len(permit) == 3
    details, spender, _deadline = permit
    rows = list(details) if batch else [details]
    return {
        "spender": spender,
        "tokens": [r[0] for r in rows],
        "amount": max((int(r[1]) for r in rows), default=0),
    }


def _lower(value: object) -> object:
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    if isinstance(value, (list, tuple)):
        return [_lower(v) for v in value]
    return value


def _execute(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    commands, inputs = args["commands"], args["inputs"]
    assert isinstance(commands, bytes) and isinstance(inputs, (list, tuple))
    if len(commands) != len(inputs):
        raise CalldataError(
            f"Universal Router execute has {len(commands)} commands but {len(inputs)} inputs"
        )
    steps = tuple(decode_step(c, bytes(i)) for c, i in zip(commands, inputs, strict=True))
    return {"count": len(steps)}, steps


UNIVERSAL_ROUTER_SIGNATURES: list[Signature] = [
    Signature(
        "execute",
        ("bytes", "bytes[]", "uint256"),
        ("commands", "inputs", "deadline"),
        shape=_execute,
        nests=True,
    ),
    Signature("execute", ("bytes", "bytes[]"), ("commands", "inputs"), shape=_execute, nests=True),
]
