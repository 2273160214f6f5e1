"""Decode calldata for the common selectors into a method name and named arguments.

Unknown selectors are not errors (they render as `unknown(0x12345678)`); calldata
for a KNOWN selector that has the wrong length or does not decode canonically is
(`CalldataError`), which the malformed rule turns into a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_abi.exceptions import DecodingError
from eth_utils import keccak

MAX_MULTICALL_DEPTH = 2


class CalldataError(ValueError):
    """Calldata for a known selector does not decode; the message says why."""


@dataclass(frozen=True)
class Signature:
    name: str  # method name shown to the model
    types: tuple[str, ...]
    names: tuple[str, ...]  # argument roles, e.g. spender, amount, recipient
    # The Solidity function name when it differs from the shown name: Permit2's
    # `approve` is shown as `permit2_approve` so the model never confuses it with
    # ERC-20 `approve` (different arguments, different meaning of `to`).
    abi_name: str | None = None

    @property
    def text(self) -> str:
        return f"{self.abi_name or self.name}({','.join(self.types)})"


@dataclass(frozen=True)
class DecodedCall:
    method: str  # "transfer", "eth_transfer", "unknown(0x12345678)", ...
    selector: str | None  # "0xa9059cbb", None for a plain ETH transfer
    args: dict[str, object] = field(default_factory=dict)
    inner: tuple[DecodedCall, ...] = ()  # multicall's decoded calls

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


_V3_SINGLE = "(address,address,uint24,address,uint256,uint256,uint256,uint160)"
_V3_SINGLE_NAMES = (
    "token_in",
    "token_out",
    "fee",
    "recipient",
    "deadline",
    "amount_in",
    "amount_out_minimum",
    "sqrt_price_limit",
)

_SIGNATURES: list[Signature] = [
    Signature("transfer", ("address", "uint256"), ("recipient", "amount")),
    Signature("approve", ("address", "uint256"), ("spender", "amount")),
    Signature("transferFrom", ("address", "address", "uint256"), ("owner", "recipient", "amount")),
    Signature("increaseAllowance", ("address", "uint256"), ("spender", "amount")),
    Signature(
        "permit",
        ("address", "address", "uint256", "uint256", "uint8", "bytes32", "bytes32"),
        ("owner", "spender", "amount", "deadline", "v", "r", "s"),
    ),
    Signature("setApprovalForAll", ("address", "bool"), ("operator", "approved")),
    Signature(
        "safeTransferFrom", ("address", "address", "uint256"), ("owner", "recipient", "token_id")
    ),
    Signature(
        "safeTransferFrom",
        ("address", "address", "uint256", "bytes"),
        ("owner", "recipient", "token_id", "extra"),
    ),
    Signature(
        "safeTransferFrom",
        ("address", "address", "uint256", "uint256", "bytes"),
        ("owner", "recipient", "token_id", "quantity", "extra"),
    ),
    Signature("deposit", (), ()),
    Signature("withdraw", ("uint256",), ("amount",)),
    Signature(
        "swapExactTokensForTokens",
        ("uint256", "uint256", "address[]", "address", "uint256"),
        ("amount_in", "amount_out_min", "path", "recipient", "deadline"),
    ),
    Signature(
        "swapTokensForExactTokens",
        ("uint256", "uint256", "address[]", "address", "uint256"),
        ("amount_out", "amount_in_max", "path", "recipient", "deadline"),
    ),
    Signature(
        "swapExactETHForTokens",
        ("uint256", "address[]", "address", "uint256"),
        ("amount_out_min", "path", "recipient", "deadline"),
    ),
    Signature(
        "swapExactTokensForETH",
        ("uint256", "uint256", "address[]", "address", "uint256"),
        ("amount_in", "amount_out_min", "path", "recipient", "deadline"),
    ),
    Signature(
        "swapETHForExactTokens",
        ("uint256", "address[]", "address", "uint256"),
        ("amount_out", "path", "recipient", "deadline"),
    ),
    Signature(
        "addLiquidity",
        ("address", "address", "uint256", "uint256", "uint256", "uint256", "address", "uint256"),
        ("token_a", "token_b", "amount_a", "amount_b", "min_a", "min_b", "recipient", "deadline"),
    ),
    Signature(
        "addLiquidityETH",
        ("address", "uint256", "uint256", "uint256", "address", "uint256"),
        ("token", "amount_token", "min_token", "min_eth", "recipient", "deadline"),
    ),
    Signature(
        "removeLiquidity",
        ("address", "address", "uint256", "uint256", "uint256", "address", "uint256"),
        ("token_a", "token_b", "liquidity", "min_a", "min_b", "recipient", "deadline"),
    ),
    Signature(
        "removeLiquidityETH",
        ("address", "uint256", "uint256", "uint256", "address", "uint256"),
        ("token", "liquidity", "min_token", "min_eth", "recipient", "deadline"),
    ),
    Signature("exactInputSingle", (_V3_SINGLE,), ("params",)),
    Signature("multicall", ("bytes[]",), ("calls",)),
    Signature("multicall", ("uint256", "bytes[]"), ("deadline", "calls")),
    # Permit2 (0x000000000022D473030F116dDEE9F6B43aC78BA3)
    Signature(
        "permit2_approve",
        ("address", "address", "uint160", "uint48"),
        ("token", "spender", "amount", "expiration"),
        abi_name="approve",
    ),
    Signature("permit2_lockdown", ("(address,address)[]",), ("approvals",), abi_name="lockdown"),
]


def _selector(sig: Signature) -> bytes:
    return keccak(text=sig.text)[:4]


SIGNATURES: dict[bytes, Signature] = {_selector(s): s for s in _SIGNATURES}
SELECTORS: dict[str, bytes] = {s.text: sel for sel, s in SIGNATURES.items()}
_STATIC_TYPES = {"address", "uint256", "uint160", "uint48", "uint24", "uint8", "bool", "bytes32"}


def selector_of(signature_text: str) -> bytes:
    """The 4-byte selector of a known signature such as `transfer(address,uint256)`."""
    return SELECTORS[signature_text]


def decode_calldata(data: bytes, *, depth: int = 0) -> DecodedCall:
    """Decode calldata; raises CalldataError for a known selector that does not decode."""
    if not data:
        return DecodedCall("eth_transfer", None)
    if len(data) < 4:
        raise CalldataError(f"calldata is {len(data)} bytes, shorter than a 4-byte selector")
    selector, body = bytes(data[:4]), bytes(data[4:])
    sig = SIGNATURES.get(selector)
    if sig is None:
        return DecodedCall(f"unknown(0x{selector.hex()})", "0x" + selector.hex())
    if all(t in _STATIC_TYPES for t in sig.types):
        values = _decode_static(sig, body)
    else:
        values = _decode_dynamic(sig, body)
    args = dict(zip(sig.names, values, strict=True))
    if sig.name == "exactInputSingle":
        args = dict(zip(_V3_SINGLE_NAMES, args.pop("params"), strict=True))  # type: ignore[call-overload]
    inner: tuple[DecodedCall, ...] = ()
    if sig.name == "multicall":
        if depth >= MAX_MULTICALL_DEPTH:
            raise CalldataError(f"multicall nested deeper than {MAX_MULTICALL_DEPTH} levels")
        calls = args.pop("calls")
        assert isinstance(calls, (list, tuple))
        try:
            inner = tuple(decode_calldata(c, depth=depth + 1) for c in calls)
        except CalldataError as exc:
            raise CalldataError(f"multicall inner call: {exc}") from None
        args["count"] = len(inner)
    return DecodedCall(sig.name, "0x" + selector.hex(), args, inner)


def _decode_static(sig: Signature, body: bytes) -> list[object]:
    """Fast path for all-static signatures: exact length, word by word, strict ranges."""
    expected = 32 * len(sig.types)
    if len(body) != expected:
        raise CalldataError(f"{sig.text} needs {expected} argument bytes, calldata has {len(body)}")
    values: list[object] = []
    for i, (kind, name) in enumerate(zip(sig.types, sig.names, strict=True)):
        word = body[32 * i : 32 * i + 32]
        if kind == "address":
            if any(word[:12]):
                raise CalldataError(f"{sig.name} argument {name} is not a padded address")
            values.append("0x" + word[12:].hex())
        elif kind == "bool":
            as_int = int.from_bytes(word, "big")
            if as_int > 1:
                raise CalldataError(f"{sig.name} argument {name} is not a bool (0 or 1)")
            values.append(bool(as_int))
        elif kind.startswith("uint") and kind != "uint256":
            as_int = int.from_bytes(word, "big")
            if as_int >> int(kind[4:]):
                raise CalldataError(f"{sig.name} argument {name} does not fit {kind}")
            values.append(as_int)
        elif kind == "bytes32":
            values.append(word)
        else:
            values.append(int.from_bytes(word, "big"))
    return values


def _decode_dynamic(sig: Signature, body: bytes) -> list[object]:
    """eth-abi decode, then require the canonical encoding (re-encoding gives the same bytes)."""
    try:
        values = list(abi_decode(list(sig.types), body))
    except (DecodingError, ValueError, OverflowError) as exc:
        raise CalldataError(f"{sig.text} arguments do not decode: {exc}") from None
    if abi_encode(list(sig.types), values) != body:
        raise CalldataError(f"{sig.text} arguments are not canonically encoded")
    return [_normalise(v) for v in values]


def _normalise(value: object) -> object:
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value
