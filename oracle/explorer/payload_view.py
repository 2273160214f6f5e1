"""Turn proposal payload bytes into something a person can read.

Uses the validators' own decoders (`oracle.chain.payload`, `oracle.model.calldata`)
so the page shows exactly what they judged. A payload that does not decode is
shown as such, with the reason: the validators voted `malformed` on it.
"""

from __future__ import annotations

from typing import Any

from oracle.chain.payload import PayloadError, decode_payload
from oracle.explorer.units import eth
from oracle.model.calldata import CalldataError, decode_calldata


def describe_payload(payload: bytes) -> dict[str, Any]:
    """A JSON-ready description: decoded fields, or `decoded: false` with the reason."""
    try:
        tx = decode_payload(payload)
    except PayloadError as exc:
        return {"decoded": False, "error": str(exc), "raw": "0x" + payload.hex()}
    return {
        "decoded": True,
        "chain_id": tx.chain_id,
        "from": tx.sender,
        "to": tx.to,
        "value_wei": str(tx.value),
        "value_eth": eth(tx.value),
        "data": "0x" + tx.data.hex(),
        "call": describe_call(tx.data),
        "memo": tx.memo,
    }


def describe_call(data: bytes) -> dict[str, Any]:
    """Method name and arguments (as strings), or the reason the calldata is malformed."""
    try:
        call = decode_calldata(data)
    except CalldataError as exc:
        return {"method": "(malformed calldata)", "args": {}, "error": str(exc)}
    args = {name: _text(value) for name, value in call.args.items()}
    return {"method": call.method, "args": args, "inner": [c.method for c in call.inner]}


def memo_excerpt(payload: bytes, limit: int = 48) -> str:
    """The memo cut to `limit` characters, for tables."""
    try:
        memo = decode_payload(payload).memo
    except PayloadError:
        return "(undecodable payload)"
    return memo if len(memo) <= limit else memo[: limit - 1] + "…"


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)
