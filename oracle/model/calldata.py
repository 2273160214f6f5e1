"""Decode calldata for the common selectors into a method name and named arguments.

Unknown selectors are not errors (they render as `unknown(0x12345678)`); calldata
for a KNOWN selector that has the wrong length or does not decode canonically is
(`CalldataError`), which the malformed rule turns into a verdict. The token
standards and Uniswap V2 live here; protocol calls (Permit2, routers, Seaport, Safe,
Multicall3, Aave, Lido, ENS, bridges, batch payouts) in `protocol_calls.py`.
"""

from __future__ import annotations

from eth_utils import keccak

from oracle.model.calldata_types import (
    CalldataError,
    DecodedCall,
    InnerDecoder,
    Signature,
    decode_canonical,
    signature,
)
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
    signature("transfer", "address recipient, uint256 amount"),
    signature("approve", "address spender, uint256 amount"),
    signature("transferFrom", "address owner, address recipient, uint256 amount"),
    signature("increaseAllowance", "address spender, uint256 amount"),
    signature(
        "permit",
        "address owner, address spender, uint256 amount, uint256 deadline, uint8 v, bytes32 r, "
        "bytes32 s",
    ),
    signature("setApprovalForAll", "address operator, bool approved"),
    signature("safeTransferFrom", "address owner, address recipient, uint256 token_id"),
    signature(
        "safeTransferFrom", "address owner, address recipient, uint256 token_id, bytes extra"
    ),
    signature(
        "safeTransferFrom",
        "address owner, address recipient, uint256 token_id, uint256 quantity, bytes extra",
    ),
    signature("deposit"),
    signature("withdraw", "uint256 amount"),
    signature(
        "swapExactTokensForTokens",
        "uint256 amount_in, uint256 amount_out_min, address[] path, address recipient, "
        "uint256 deadline",
    ),
    signature(
        "swapTokensForExactTokens",
        "uint256 amount_out, uint256 amount_in_max, address[] path, address recipient, "
        "uint256 deadline",
    ),
    signature(
        "swapExactETHForTokens",
        "uint256 amount_out_min, address[] path, address recipient, uint256 deadline",
    ),
    signature(
        "swapExactTokensForETH",
        "uint256 amount_in, uint256 amount_out_min, address[] path, address recipient, "
        "uint256 deadline",
    ),
    signature(
        "swapETHForExactTokens",
        "uint256 amount_out, address[] path, address recipient, uint256 deadline",
    ),
    signature(
        "addLiquidity",
        "address token_a, address token_b, uint256 amount_a, uint256 amount_b, uint256 min_a, "
        "uint256 min_b, address recipient, uint256 deadline",
    ),
    signature(
        "addLiquidityETH",
        "address token, uint256 amount_token, uint256 min_token, uint256 min_eth, "
        "address recipient, uint256 deadline",
    ),
    signature(
        "removeLiquidity",
        "address token_a, address token_b, uint256 liquidity, uint256 min_a, uint256 min_b, "
        "address recipient, uint256 deadline",
    ),
    signature(
        "removeLiquidityETH",
        "address token, uint256 liquidity, uint256 min_token, uint256 min_eth, address recipient, "
        "uint256 deadline",
    ),
    signature("exactInputSingle", f"{_V3_SINGLE} params", shape=_v3_single),
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
    return decode_canonical(sig.types, body, f"{sig.text} arguments")
