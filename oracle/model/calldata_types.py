"""The shapes every calldata decoder shares: a signature, a decoded call, the error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_abi.exceptions import DecodingError


class CalldataError(ValueError):
    """Calldata for a known selector does not decode; the message says why."""


@dataclass(frozen=True)
class DecodedCall:
    method: str  # "transfer", "eth_transfer", "unknown(0x12345678)", "ur:v3_swap_exact_in", ...
    selector: str | None  # "0xa9059cbb", None for a plain ETH transfer or a router step
    args: dict[str, object] = field(default_factory=dict)
    inner: tuple[DecodedCall, ...] = ()  # decoded inner calls or steps (multicall, Safe, ...)

    @property
    def addresses(self) -> list[str]:
        """Every address argument (lower-case hex), nested values and inner calls included."""
        found: list[str] = []
        for value in self.args.values():
            found.extend(_addresses_in(value))
        for call in self.inner:
            found.extend(call.addresses)
        return found


def _addresses_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.lower()] if value.startswith("0x") and len(value) == 42 else []
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _addresses_in(v)]
    return []


# Decodes one inner call one nesting level deeper (the caller enforces the depth limit).
InnerDecoder = Callable[[bytes], DecodedCall]
# Turns the positional ABI values of a call into named arguments and inner calls.
Shaped = tuple[dict[str, object], tuple[DecodedCall, ...]]
Shaper = Callable[[dict[str, object], InnerDecoder], Shaped]


@dataclass(frozen=True)
class Signature:
    name: str  # method name shown to the model
    types: tuple[str, ...]
    names: tuple[str, ...]  # argument roles, e.g. spender, amount, recipient
    # The Solidity function name when it differs from the shown name: Permit2's
    # `approve` is shown as `permit2_approve` so the model never confuses it with
    # ERC-20 `approve` (other arguments, other meaning of `to`).
    abi_name: str | None = None
    # Flattens tuple arguments and decodes nested calls; None keeps the named values.
    shape: Shaper | None = None
    nests: bool = False  # carries inner calls: counts against the nesting limit

    @property
    def text(self) -> str:
        return f"{self.abi_name or self.name}({','.join(self.types)})"


def parameters(declaration: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ABI types and the argument names of a Solidity-style parameter list.

    `"address recipient, (uint256,bool)[] rows"` is `(("address", "(uint256,bool)[]"),
    ("recipient", "rows"))`: each name stands next to its type, so the two cannot drift
    apart. Tuple types are written without spaces; "" is no parameters."""
    parts: list[str] = []
    depth = start = 0
    for i, char in enumerate(declaration):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(declaration[start:i])
            start = i + 1
    parts.append(declaration[start:])
    types: list[str] = []
    names: list[str] = []
    for part in parts if declaration.strip() else []:
        type_, _, name = part.strip().rpartition(" ")
        if not type_ or " " in type_ or not name:
            raise ValueError(
                f"parameter {part.strip()!r} of {declaration!r} is not '<type> <name>'"
            )
        types.append(type_)
        names.append(name)
    return tuple(types), tuple(names)


def signature(
    name: str,
    declaration: str = "",
    *,
    abi_name: str | None = None,
    shape: Shaper | None = None,
    nests: bool = False,
) -> Signature:
    """A `Signature` from its parameter list, e.g. `signature("transfer", "address recipient,
    uint256 amount")` (see `parameters`)."""
    types, names = parameters(declaration)
    return Signature(name, types, names, abi_name, shape, nests)


def decode_canonical(types: Sequence[str], body: bytes, what: str) -> list[object]:
    """eth-abi decode of `body`, required to be the canonical encoding (re-encoding gives the
    same bytes), with hex strings lower-cased; `what` names the arguments in errors."""
    try:
        values = list(abi_decode(list(types), body))
    except (DecodingError, ValueError, OverflowError) as exc:
        raise CalldataError(f"{what} do not decode: {exc}") from None
    if abi_encode(list(types), values) != body:
        raise CalldataError(f"{what} are not canonically encoded")
    return [_lower_hex(v) for v in values]


def _lower_hex(value: object) -> object:
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    if isinstance(value, (list, tuple)):
        return [_lower_hex(v) for v in value]
    return value
