"""Universal Router `execute`: command bytes decoded into steps, real ABI encodings."""

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak

from oracle.chain.payload import TxRequest
from oracle.model.calldata import CalldataError, decode_calldata
from oracle.model.render import render_transaction

A = "0x" + "aa" * 20
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
ROUTER = "0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad"
MSG_SENDER = "0x" + "00" * 19 + "01"
EXECUTE = keccak(text="execute(bytes,bytes[],uint256)")[:4]


def execute(commands: bytes, inputs: list[bytes]) -> bytes:
    return EXECUTE + abi_encode(["bytes", "bytes[]", "uint256"], [commands, inputs, 1_900_000_000])


def v3_path(a: str, fee: int, b: str) -> bytes:
    return bytes.fromhex(a[2:]) + fee.to_bytes(3, "big") + bytes.fromhex(b[2:])


def test_execute__wrap_swap_sweep__decodes_every_step():
    inputs = [
        abi_encode(["address", "uint256"], ["0x" + "00" * 19 + "02", 10**18]),
        abi_encode(
            ["address", "uint256", "uint256", "bytes", "bool"],
            [MSG_SENDER, 10**18, 3_000 * 10**6, v3_path(WETH, 500, USDC), False],
        ),
        abi_encode(["address", "address", "uint256"], [USDC, A, 0]),
    ]
    call = decode_calldata(execute(bytes([0x0B, 0x00, 0x04]), inputs))
    assert call.method == "execute" and call.args == {"count": 3}
    assert [s.method for s in call.inner] == ["ur:wrap_eth", "ur:v3_swap_exact_in", "ur:sweep"]
    assert call.inner[1].args["path"] == [WETH, USDC]
    assert call.inner[1].args["amount_in"] == 10**18
    assert A in call.addresses


def test_execute__permit2_permit_then_v2_swap__shows_the_spender_and_tokens():
    permit = abi_encode(
        ["((address,uint160,uint48,uint48),address,uint256)", "bytes"],
        [((USDC, 2**160 - 1, 1, 0), ROUTER, 1), b"\x01" * 65],
    )
    swap = abi_encode(
        ["address", "uint256", "uint256", "address[]", "bool"],
        [MSG_SENDER, 5 * 10**6, 1, [USDC, WETH], True],
    )
    data = execute(bytes([0x0A, 0x08]), [permit, swap])
    call = decode_calldata(data)
    assert call.inner[0].method == "ur:permit2_permit"
    assert call.inner[0].args == {"spender": ROUTER, "tokens": [USDC], "amount": 2**160 - 1}
    tx = TxRequest(1, A, ROUTER, 0, data, "swap usdc to eth")
    text = render_transaction(tx, call)
    assert text.startswith(
        "execute | memo: swap usdc to eth | contract: known:Uniswap Universal Router"
    )
    assert "ur:permit2_permit(spender: known:Uniswap Universal Router, tokens: known:USDC" in text
    assert "ur:v2_swap_exact_in(" in text and "path: known:USDC > known:WETH" in text


def test_execute__allow_revert_flag__is_kept_and_unknown_command_is_named():
    call = decode_calldata(
        execute(bytes([0x80 | 0x0C, 0x21]), [abi_encode(["address", "uint256"], [A, 0]), b""])
    )
    assert call.inner[0].method == "ur:unwrap_weth" and call.inner[0].args["may_revert"] is True
    assert call.inner[1].method == "ur:command_0x21"


def test_execute__commands_and_inputs_of_different_lengths__is_calldata_error():
    with pytest.raises(CalldataError, match="2 commands but 1 inputs"):
        decode_calldata(execute(bytes([0x0B, 0x0C]), [abi_encode(["address", "uint256"], [A, 0])]))


def test_execute__known_command_with_undecodable_input__is_calldata_error():
    with pytest.raises(CalldataError, match="Universal Router sweep"):
        decode_calldata(execute(bytes([0x04]), [b"\x01" * 10]))
