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

from oracle.model.calldata_types import (
    CalldataError,
    DecodedCall,
    InnerDecoder,
    Shaped,
    Signature,
    decode_canonical,
    parameters,
    signature,
)

COMMAND_MASK = 0x3F
ALLOW_REVERT = 0x80
_PERMIT_DETAILS = "(address,uint160,uint48,uint48)"


@dataclass(frozen=True)
class Command:
    name: str
    types: tuple[str, ...]
    names: tuple[str, ...]


def _command(name: str, declaration: str) -> Command:
    return Command(name, *parameters(declaration))


COMMANDS: dict[int, Command] = {
    0x00: _command(
        "v3_swap_exact_in",
        "address recipient, uint256 amount_in, uint256 amount_out_min, bytes path, "
        "bool payer_is_user",
    ),
    0x01: _command(
        "v3_swap_exact_out",
        "address recipient, uint256 amount_out, uint256 amount_in_max, bytes path, "
        "bool payer_is_user",
    ),
    0x02: _command("permit2_transfer_from", "address token, address recipient, uint160 amount"),
    0x03: _command(
        "permit2_permit_batch", f"({_PERMIT_DETAILS}[],address,uint256) permit, bytes signature"
    ),
    0x04: _command("sweep", "address token, address recipient, uint256 amount_min"),
    0x05: _command("transfer", "address token, address recipient, uint256 amount"),
    0x06: _command("pay_portion", "address token, address recipient, uint256 bips"),
    0x08: _command(
        "v2_swap_exact_in",
        "address recipient, uint256 amount_in, uint256 amount_out_min, address[] path, "
        "bool payer_is_user",
    ),
    0x09: _command(
        "v2_swap_exact_out",
        "address recipient, uint256 amount_out, uint256 amount_in_max, address[] path, "
        "bool payer_is_user",
    ),
    0x0A: _command(
        "permit2_permit", f"({_PERMIT_DETAILS},address,uint256) permit, bytes signature"
    ),
    0x0B: _command("wrap_eth", "address recipient, uint256 amount_min"),
    0x0C: _command("unwrap_weth", "address recipient, uint256 amount_min"),
    0x0D: _command("permit2_transfer_from_batch", "(address,address,uint160,address)[] transfers"),
    0x0E: _command("balance_check_erc20", "address owner, address token, uint256 min_balance"),
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
    values = decode_canonical(command.types, data, f"Universal Router {command.name} arguments")
    args: dict[str, object] = dict(zip(command.names, values, strict=True))
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
    signature(
        "execute", "bytes commands, bytes[] inputs, uint256 deadline", shape=_execute, nests=True
    ),
    signature("execute", "bytes commands, bytes[] inputs", shape=_execute, nests=True),
]
