"""The payload codec: abi.encode(TxRequest) exactly as Solidity writes it, strict decoding."""

import pytest
from eth_abi import encode as abi_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle.chain.payload import (
    PAYLOAD_ABI_TYPE,
    PayloadError,
    TxRequest,
    decode_payload,
    encode_payload,
)

SENDER = "0x1111111111111111111111111111111111111111"
TO = "0x2222222222222222222222222222222222222222"

# Solidity `abi.encode(req)` for TxRequest{chainId: 1, from: 0x11..11, to: 0x22..22,
# value: 1000, data: hex"d0e30db0", memo: "hi"}, written out word by word from the
# ABI spec: a dynamic struct is a tuple behind a leading offset word; inside it the
# dynamic fields are offsets relative to the tuple start (6 head words = 0xc0 for
# data; 0xc0 + length word + one padded data word = 0x100 for memo).
SOLIDITY_ENCODING = "".join(
    [
        "0000000000000000000000000000000000000000000000000000000000000020",  # tuple offset
        "0000000000000000000000000000000000000000000000000000000000000001",  # chainId
        "0000000000000000000000001111111111111111111111111111111111111111",  # from
        "0000000000000000000000002222222222222222222222222222222222222222",  # to
        "00000000000000000000000000000000000000000000000000000000000003e8",  # value 1000
        "00000000000000000000000000000000000000000000000000000000000000c0",  # offset(data)
        "0000000000000000000000000000000000000000000000000000000000000100",  # offset(memo)
        "0000000000000000000000000000000000000000000000000000000000000004",  # len(data)
        "d0e30db000000000000000000000000000000000000000000000000000000000",  # data
        "0000000000000000000000000000000000000000000000000000000000000002",  # len(memo)
        "6869000000000000000000000000000000000000000000000000000000000000",  # "hi"
    ]
)
EXAMPLE = TxRequest(1, SENDER, TO, 1000, bytes.fromhex("d0e30db0"), "hi")


def test_encode__known_request__matches_solidity_abi_encode_word_for_word():
    assert encode_payload(EXAMPLE).hex() == SOLIDITY_ENCODING


def test_decode__solidity_encoding__gives_the_request():
    assert decode_payload(bytes.fromhex(SOLIDITY_ENCODING)) == EXAMPLE


addresses = st.binary(min_size=20, max_size=20).map(lambda b: "0x" + b.hex())


@settings(max_examples=150, deadline=None)
@given(
    chain_id=st.integers(0, 2**256 - 1),
    sender=addresses,
    to=addresses,
    value=st.integers(0, 2**256 - 1),
    data=st.binary(max_size=300),
    memo=st.text(max_size=120),
)
def test_roundtrip__any_request__decodes_to_itself_and_matches_eth_abi(
    chain_id, sender, to, value, data, memo
):
    tx = TxRequest.from_json(
        {
            "chain_id": chain_id,
            "from": sender,
            "to": to,
            "value": str(value),
            "data": "0x" + data.hex(),
            "memo": memo,
        }
    )
    payload = encode_payload(tx)
    assert payload == abi_encode([PAYLOAD_ABI_TYPE], [(chain_id, sender, to, value, data, memo)])
    assert decode_payload(payload) == tx
    assert TxRequest.from_json(tx.to_json()) == tx


def test_to_json__uses_labels_md_field_forms():
    obj = EXAMPLE.to_json()
    assert obj == {
        "chain_id": 1,
        "from": SENDER,
        "to": TO,
        "value": "1000",
        "data": "0xd0e30db0",
        "memo": "hi",
    }


def _words(payload: bytes) -> list[bytearray]:
    return [bytearray(payload[i : i + 32]) for i in range(0, len(payload), 32)]


def _join(words: list[bytearray]) -> bytes:
    return b"".join(bytes(w) for w in words)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda w: w[:5], "at least"),
        (lambda w: [*w, bytearray(32)], "trailing"),
        (lambda w: [bytearray((0x40).to_bytes(32, "big")), *w[1:]], "tuple offset"),
        (lambda w: [*w[:2], bytearray(b"\x01" + bytes(w[2][1:])), *w[3:]], "from address"),
        (lambda w: [*w[:5], bytearray((0xE0).to_bytes(32, "big")), *w[6:]], "data offset"),
        (lambda w: [*w[:6], bytearray((0x120).to_bytes(32, "big")), *w[7:]], "memo offset"),
        (lambda w: [*w[:8], bytearray(bytes(w[8][:31]) + b"\x01"), *w[9:]], "padding"),
        (lambda w: [*w[:7], bytearray((4000).to_bytes(32, "big")), *w[8:]], "ends first"),
    ],
    ids=[
        "short",
        "trailing-bytes",
        "bad-tuple-offset",
        "dirty-address",
        "bad-data-offset",
        "bad-memo-offset",
        "dirty-padding",
        "length-overflow",
    ],
)
def test_decode__non_canonical_or_broken_payload__raises_payload_error_saying_why(mutate, message):
    bad = _join(mutate(_words(bytes.fromhex(SOLIDITY_ENCODING))))
    with pytest.raises(PayloadError, match=message):
        decode_payload(bad)


def test_decode__memo_not_utf8__raises_payload_error():
    payload = abi_encode(
        ["(uint256,address,address,uint256,bytes,bytes)"], [(1, SENDER, TO, 0, b"", b"\xff\xfe")]
    )
    with pytest.raises(PayloadError, match="UTF-8"):
        decode_payload(payload)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("from", "0x1234", "from must be"),
        ("to", 42, "to must be"),
        ("value", "-1", "value must be"),
        ("value", "1e18", "value must be"),
        ("data", "a9059cbb", "data must be 0x-prefixed"),
        ("data", "0xabc", "even-length"),
        ("chain_id", True, "boolean"),
        ("memo", 7, "memo must be a string"),
    ],
)
def test_from_json__bad_field__raises_payload_error_naming_it(field, value, message):
    obj = EXAMPLE.to_json()
    obj[field] = value
    with pytest.raises(PayloadError, match=message):
        TxRequest.from_json(obj)


def test_from_json__missing_fields__lists_them():
    with pytest.raises(PayloadError, match="memo"):
        TxRequest.from_json({"chain_id": 1, "from": SENDER, "to": TO, "value": "0", "data": "0x"})
