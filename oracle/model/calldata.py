"""Decode calldata for the common selectors into a method name and named arguments.

Unknown selectors are not errors (they render as `unknown(0x12345678)`); calldata
for a KNOWN selector that has the wrong length or does not decode canonically is
(`CalldataError`), which the malformed rule turns into a verdict. The token
standards and Uniswap V2 live here; protocol calls (Permit2, routers, Seaport, Safe,
Multicall3, Aave, Lido, ENS, bridges, batch payouts) in `protocol_calls.py`.
"""

from __future__ import annotations

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_abi.exceptions import DecodingError
from eth_utils import keccak

from oracle.model.calldata_types import CalldataError, DecodedCall, InnerDecoder, Signature
from oracle.model.protocol_calls import PROTOCOL_SIGNATURES

__all__ = ["CalldataError", "DecodedCall", "Signature", "decode_calldata", "selector_of"]

# Calls that carry calls (multicall, Safe, Multicall3, Universal Router) may nest this
# deep; a wrapper below that is malformed, which bounds the decoder's work.
MAX_MULTICALL_DEPTH = 2


_V3_SINGLE = "(address,address,uint24,address,uint256,uint256,uint256,uint160)"
_V3_SINGLE_NAMES = (  # SwapRouter (with deadline) ExactInputSingleParams
    "token_in",
    "token_out",
    "fee",
    "recipient",
    "deadline",
    "amount_in",
    "amount_out_minimum",
    "sqrt_price_limit",
)


def _v3_single(
    args: dict[str, object], _decode: InnerDecoder
) -> tuple[dict[str, object], tuple[DecodedCall, ...]]:
    params = args["params"]
    assert isinstance(params, (list, tuple))
    return dict(zip(_V3_SINGLE_NAMES, params, strict=True)), ()


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
    Signature("exactInputSingle", (_V3_SINGLE,), ("params",), shape=_v3_single),
    *PROTOCOL_SIGNATURES,
]


def _selector(sig: Signature) -> bytes:
    return keccak(text=sig.text)[:4]


SIGNATURES: dict[bytes, Signature] = {_selector(s): s for s in _SIGNATURES}
assert len(SIGNATURES) == len(_SIGNATURES), "two signatures share a 4-byte selector"
SELECTORS: dict[str, bytes] = {s.text: sel for sel, s in SIGNATURES.items()}
_STATIC_TYPES = {
    "address",
    "uint256",
    "uint160",
    "uint48",
    "uint32",
    "uint24",
    "uint16",
    "uint8",
    "bool",
    "bytes32",
}


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
    args: dict[str, object] = dict(zip(sig.names, values, strict=True))
    inner: tuple[DecodedCall, ...] = ()
    if sig.nests and depth >= MAX_MULTICALL_DEPTH:
        raise CalldataError(f"{sig.name} nested deeper than {MAX_MULTICALL_DEPTH} levels")
    if sig.shape is not None:
        args, inner = sig.shape(args, lambda data: decode_calldata(data, depth=depth + 1))
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
