"""Calldata decoding on real ABI encodings of the common selectors."""

import pytest
from eth_abi import encode as abi_encode
from eth_abi.grammar import parse as parse_abi_type

from oracle.model.calldata import CalldataError, decode_calldata, selector_of

A = "0x" + "aa" * 20
B = "0x" + "bb" * 20
C = "0x" + "cc" * 20
MAX = 2**256 - 1


def enc(signature: str, *args: object) -> bytes:
    """Calldata for `signature` called with `args`: the types are read from the signature."""
    parameter_list = signature[signature.index("(") :]
    parameters = parse_abi_type(parameter_list).components if parameter_list != "()" else ()
    types = [parameter.to_type_str() for parameter in parameters]
    return selector_of(signature) + abi_encode(types, args)


# The method name each case expects is its signature's name.
@pytest.mark.parametrize(
    ("signature", "args", "expected"),
    [
        ("transfer(address,uint256)", (A, 5), {"recipient": A, "amount": 5}),
        ("approve(address,uint256)", (A, MAX), {"spender": A, "amount": MAX}),
        (
            "transferFrom(address,address,uint256)",
            (A, B, 7),
            {"owner": A, "recipient": B, "amount": 7},
        ),
        ("increaseAllowance(address,uint256)", (B, 9), {"spender": B}),
        (
            "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
            (A, B, MAX, 1, 27, b"\x01" * 32, b"\x02" * 32),
            {"owner": A, "spender": B, "amount": MAX, "v": 27},
        ),
        ("setApprovalForAll(address,bool)", (C, True), {"operator": C, "approved": True}),
        (
            "safeTransferFrom(address,address,uint256)",
            (A, B, 42),
            {"owner": A, "recipient": B, "token_id": 42},
        ),
        (
            "safeTransferFrom(address,address,uint256,uint256,bytes)",
            (A, B, 3, 10, b"hi"),
            {"token_id": 3, "quantity": 10},
        ),
        ("deposit()", (), {}),
        ("withdraw(uint256)", (10**18,), {"amount": 10**18}),
        (
            "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
            (100, 90, [A, B], C, 1_700_000_000),
            {"amount_in": 100, "path": [A, B], "recipient": C},
        ),
        (
            "addLiquidityETH(address,uint256,uint256,uint256,address,uint256)",
            (A, 1, 0, 0, C, 5),
            {"token": A, "recipient": C},
        ),
        (
            "exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))",
            ((A, B, 3000, C, 1, 2, 3, 0),),
            {"token_in": A, "token_out": B, "recipient": C, "amount_in": 2},
        ),
    ],
)
def test_decode__known_selector__gives_method_and_named_arguments(signature, args, expected):
    call = decode_calldata(enc(signature, *args))
    assert call.method == signature[: signature.index("(")]
    for key, value in expected.items():
        assert call.args[key] == value


def test_decode__empty_calldata__is_a_plain_eth_transfer():
    assert decode_calldata(b"").method == "eth_transfer"


def test_decode__unknown_selector__renders_as_unknown_not_error():
    call = decode_calldata(bytes.fromhex("12345678") + bytes(64))
    assert call.method == "unknown(0x12345678)"
    assert call.addresses == []


def test_decode__multicall__decodes_inner_calls_and_collects_their_addresses():
    inner = [
        enc("approve(address,uint256)", A, 1),
        enc("transfer(address,uint256)", B, 2),
    ]
    call = decode_calldata(enc("multicall(bytes[])", inner))
    assert [c.method for c in call.inner] == ["approve", "transfer"]
    assert call.addresses == [A, B]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            enc("transfer(address,uint256)", A, 5)[:-1],
            "needs 64 argument bytes",
        ),
        (
            enc("transfer(address,uint256)", A, 5) + bytes(32),
            "needs 64 argument bytes",
        ),
        (selector_of("transfer(address,uint256)") + b"\x01" + bytes(63), "not a padded address"),
        (
            selector_of("setApprovalForAll(address,bool)") + bytes(32) + (2).to_bytes(32, "big"),
            "not a bool",
        ),
        (bytes.fromhex("a905"), "shorter than a 4-byte selector"),
        (
            enc("swapExactETHForTokens(uint256,address[],address,uint256)", 1, [A], B, 2)[:-32],
            "do not decode",
        ),
        (
            enc("multicall(bytes[])", [bytes.fromhex("a9059cbb00")]),
            "multicall inner call",
        ),
    ],
    ids=[
        "truncated",
        "extra-word",
        "dirty-address",
        "bad-bool",
        "stub",
        "dynamic-truncated",
        "bad-inner",
    ],
)
def test_decode__known_selector_with_bad_arguments__raises_calldata_error(data, message):
    with pytest.raises(CalldataError, match=message):
        decode_calldata(data)
