"""The proposal payload: `abi.encode(TxRequest)` and the same record as JSON.

`struct TxRequest { uint256 chainId; address from; address to; uint256 value;
bytes data; string memo; }` is dynamic, so Solidity's `abi.encode(req)` writes it
as one tuple `(uint256,address,address,uint256,bytes,string)` behind a leading
offset word (0x20). The decoder below is hand-written (the validator decodes
every proposal, and eth-abi is ~10x slower) and strict: only the canonical
encoding that `abi.encode` produces is accepted, because the on-chain
`keccak256(payload)` identifies the proposal and two byte strings must never
mean the same request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from Crypto.Hash import keccak
from eth_abi import encode as abi_encode
from eth_utils import to_checksum_address

PAYLOAD_ABI_TYPE = "(uint256,address,address,uint256,bytes,string)"
_WORD = 32
_HEAD_WORDS = 6  # chainId, from, to, value, offset(data), offset(memo)
_UINT256_MAX = 2**256 - 1


class PayloadError(ValueError):
    """The payload bytes or JSON record are not a valid TxRequest; the message says why."""


@dataclass(frozen=True)
class TxRequest:
    """A transaction request to be judged (docs/labels.md); addresses are checksummed."""

    chain_id: int
    sender: str
    to: str
    value: int
    data: bytes
    memo: str

    def to_json(self) -> dict[str, object]:
        """The docs/labels.md record form: `from`, value as a decimal string, data as hex."""
        return {
            "chain_id": self.chain_id,
            "from": self.sender,
            "to": self.to,
            "value": str(self.value),
            "data": "0x" + self.data.hex(),
            "memo": self.memo,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, object]) -> TxRequest:
        """Parse a docs/labels.md payload object; raises PayloadError naming the bad field."""
        if not isinstance(obj, Mapping):
            raise PayloadError(f"payload must be a JSON object, got {type(obj).__name__}")
        missing = [k for k in ("chain_id", "from", "to", "value", "data", "memo") if k not in obj]
        if missing:
            raise PayloadError(f"payload is missing field(s) {', '.join(missing)}")
        return cls(
            chain_id=_parse_uint("chain_id", obj["chain_id"]),
            sender=_parse_address("from", obj["from"]),
            to=_parse_address("to", obj["to"]),
            value=_parse_uint("value", obj["value"]),
            data=_parse_hex("data", obj["data"]),
            memo=_parse_memo(obj["memo"]),
        )


def encode_payload(tx: TxRequest) -> bytes:
    """Exactly Solidity's `abi.encode(req)` for the TxRequest struct."""
    return abi_encode(
        [PAYLOAD_ABI_TYPE],
        [(tx.chain_id, tx.sender, tx.to, tx.value, tx.data, tx.memo)],
    )


def decode_payload(payload: bytes) -> TxRequest:
    """Decode canonical `abi.encode(TxRequest)` bytes; raises PayloadError otherwise."""
    buf = bytes(payload)
    min_size = _WORD + _HEAD_WORDS * _WORD + 2 * _WORD
    if len(buf) < min_size:
        raise PayloadError(
            f"payload is {len(buf)} bytes; an encoded TxRequest has at least {min_size}"
        )
    if len(buf) % _WORD:
        raise PayloadError(f"payload length {len(buf)} is not a multiple of 32 bytes")
    if _word(buf, 0) != _WORD:
        raise PayloadError(
            "payload does not start with the tuple offset 0x20 (abi.encode(TxRequest))"
        )
    base = _WORD
    chain_id = _word(buf, base)
    sender = _address(buf, base + _WORD, "from")
    to = _address(buf, base + 2 * _WORD, "to")
    value = _word(buf, base + 3 * _WORD)
    data_offset = _word(buf, base + 4 * _WORD)
    if data_offset != _HEAD_WORDS * _WORD:
        raise PayloadError(f"data offset is {data_offset}, expected {_HEAD_WORDS * _WORD}")
    data, data_end = _dynamic(buf, base + data_offset, "data")
    memo_offset = _word(buf, base + 5 * _WORD)
    if memo_offset != data_end - base:
        raise PayloadError(f"memo offset is {memo_offset}, expected {data_end - base}")
    memo_bytes, memo_end = _dynamic(buf, data_end, "memo")
    if memo_end != len(buf):
        raise PayloadError(f"payload has {len(buf) - memo_end} trailing bytes after the memo")
    try:
        memo = memo_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"memo is not valid UTF-8 (byte {exc.start})") from None
    return TxRequest(chain_id, sender, to, value, data, memo)


def _word(buf: bytes, pos: int) -> int:
    return int.from_bytes(buf[pos : pos + _WORD], "big")


def _address(buf: bytes, pos: int, field: str) -> str:
    if any(buf[pos : pos + 12]):
        raise PayloadError(f"{field} address word has non-zero high bytes")
    return _checksum(buf[pos + 12 : pos + _WORD])


def _dynamic(buf: bytes, pos: int, field: str) -> tuple[bytes, int]:
    """Read a length-prefixed bytes/string at `pos`; returns it and the end of its padding."""
    if pos + _WORD > len(buf):
        raise PayloadError(f"{field} length word lies beyond the payload end")
    length = _word(buf, pos)
    start = pos + _WORD
    padded = (length + _WORD - 1) // _WORD * _WORD
    if start + padded > len(buf):
        raise PayloadError(f"{field} claims {length} bytes but the payload ends first")
    if any(buf[start + length : start + padded]):
        raise PayloadError(f"{field} has non-zero padding bytes")
    return buf[start : start + length], start + padded


@lru_cache(maxsize=1 << 16)
def _checksum(raw: bytes) -> str:
    """EIP-55 checksum straight from pycryptodome's keccak (5x faster than eth-utils' checks).

    Counterparties repeat across proposals, so the result is cached too.
    """
    low = raw.hex()
    digest = keccak.new(digest_bits=256, data=low.encode()).hexdigest()
    return "0x" + "".join(
        c.upper() if int(d, 16) >= 8 else c for c, d in zip(low, digest[:40], strict=True)
    )


def _parse_uint(field: str, raw: object) -> int:
    if isinstance(raw, bool):
        raise PayloadError(f"{field} must be a non-negative integer, got a boolean")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        raise PayloadError(
            f"{field} must be a decimal integer (string in wei for value), got {raw!r}"
        )
    if not 0 <= value <= _UINT256_MAX:
        raise PayloadError(f"{field} {value} does not fit in uint256")
    return value


def _parse_address(field: str, raw: object) -> str:
    if not isinstance(raw, str):
        raise PayloadError(f"{field} must be a 0x-prefixed 20-byte hex address, got {raw!r}")
    text = raw.strip()
    body = text[2:] if text[:2].lower() == "0x" else ""
    if len(body) != 40 or not _is_hex(body):
        raise PayloadError(f"{field} must be a 0x-prefixed 20-byte hex address, got {raw!r}")
    return to_checksum_address("0x" + body)


def _parse_hex(field: str, raw: object) -> bytes:
    if not isinstance(raw, str) or raw[:2].lower() != "0x":
        raise PayloadError(f'{field} must be 0x-prefixed hex ("0x" for none), got {raw!r}')
    body = raw[2:]
    if len(body) % 2 or not _is_hex(body):
        raise PayloadError(f"{field} is not an even-length hex string: {raw[:20]!r}...")
    return bytes.fromhex(body)


def _parse_memo(raw: object) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise PayloadError(f"memo must be a string, got {type(raw).__name__}")
    return raw


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)
