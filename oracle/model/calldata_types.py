"""The shapes every calldata decoder shares: a signature, a decoded call, the error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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
