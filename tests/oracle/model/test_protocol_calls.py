"""Protocol calls wallets and dApps send, decoded from real ABI encodings (eth-abi)."""

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak

from oracle.chain.payload import TxRequest
from oracle.model.calldata import CalldataError, decode_calldata
from oracle.model.render import render_transaction

A = "0x" + "aa" * 20
B = "0x" + "bb" * 20
C = "0x" + "cc" * 20
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
BAYC = "0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d"
U160_MAX = 2**160 - 1
SIG65 = b"\x01" * 65
ETH = "0x" + "00" * 20  # Seaport's native-currency token


def enc(signature: str, args: list[object]) -> bytes:
    """Selector from the full Solidity signature, arguments encoded by eth-abi."""
    types = _split_types(signature[signature.index("(") + 1 : -1])
    return keccak(text=signature)[:4] + abi_encode(types, args)


def _split_types(inner: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(inner[start:i])
            start = i + 1
    if inner:
        out.append(inner[start:])
    return out


def render(data: bytes, to: str = A, memo: str = "") -> str:
    tx = TxRequest(1, "0x" + "11" * 20, to, 0, data, memo)
    return render_transaction(tx, decode_calldata(data))


# ---- Permit2 -------------------------------------------------------------------------
def test_decode__permit2_permit__flattens_the_permit_single():
    data = enc(
        "permit(address,((address,uint160,uint48,uint48),address,uint256),bytes)",
        [A, ((USDC, U160_MAX, 1_900_000_000, 0), B, 1_900_000_000), SIG65],
    )
    call = decode_calldata(data)
    assert call.method == "permit2_permit"
    assert call.args == {
        "owner": A,
        "token": USDC,
        "spender": B,
        "amount": U160_MAX,
        "expiration": 1_900_000_000,
    }
    assert "spender: unknown 0xbbbb..bbbb" in render(data) and "amount: unlimited" in render(data)


def test_decode__permit2_permit_batch__lists_tokens_and_the_largest_amount():
    data = enc(
        "permit(address,((address,uint160,uint48,uint48)[],address,uint256),bytes)",
        [A, ([(USDC, 5, 1, 0), (WETH, 7, 1, 0)], B, 1), SIG65],
    )
    call = decode_calldata(data)
    assert call.method == "permit2_permit_batch"
    assert call.args["tokens"] == [USDC, WETH] and call.args["amount"] == 7
    assert call.args["count"] == 2


def test_decode__permit2_approve__is_not_erc20_approve():
    data = enc("approve(address,address,uint160,uint48)", [USDC, B, 10**6, 0])
    call = decode_calldata(data)
    assert call.method == "permit2_approve"
    assert call.args == {"token": USDC, "spender": B, "amount": 10**6, "expiration": 0}
    assert "amount: 1 USDC" in render(data)  # units of the token argument, not of `to`


def test_decode__permit2_transfer_from__single_and_batch():
    single = decode_calldata(enc("transferFrom(address,address,uint160,address)", [A, B, 9, USDC]))
    assert single.method == "permit2_transfer_from"
    assert single.args == {"owner": A, "recipient": B, "amount": 9, "token": USDC}
    batch = decode_calldata(
        enc(
            "transferFrom((address,address,uint160,address)[])",
            [[(A, B, 1, USDC), (A, C, 2, WETH)]],
        )
    )
    assert batch.method == "permit2_transfer_from_batch"
    assert batch.args["recipients"] == [B, C] and batch.args["count"] == 2


def test_decode__uint160_argument_too_wide__is_calldata_error():
    data = bytearray(enc("approve(address,address,uint160,uint48)", [USDC, B, 1, 0]))
    data[4 + 64] = 1  # a bit above 160 in the amount word
    with pytest.raises(CalldataError, match="does not fit uint160"):
        decode_calldata(bytes(data))


# ---- Uniswap V3 routers ----------------------------------------------------------------
def _v3_path(*hops: object) -> bytes:
    out = b""
    for hop in hops:
        out += bytes.fromhex(hop[2:]) if isinstance(hop, str) else int(hop).to_bytes(3, "big")
    return out


def test_decode__v3_router_multicall__decodes_exact_input_and_unwrap():
    swap = enc(
        "exactInput((bytes,address,uint256,uint256))",
        [(_v3_path(USDC, 500, WETH), "0x" + "00" * 19 + "02", 10**8, 1)],
    )
    unwrap = enc("unwrapWETH9(uint256,address)", [1, A])
    call = decode_calldata(enc("multicall(uint256,bytes[])", [1_900_000_000, [swap, unwrap]]))
    assert [c.method for c in call.inner] == ["exactInput", "unwrapWETH9"]
    assert call.inner[0].args["path"] == [USDC, WETH]
    assert call.inner[0].args["amount_in"] == 10**8
    text = render(call and enc("multicall(uint256,bytes[])", [1, [swap, unwrap]]))
    assert "calls: exactInput(" in text and "path: known:USDC > known:WETH" in text


def test_decode__v3_exact_output__path_is_shown_input_first():
    data = enc(
        "exactOutput((bytes,address,uint256,uint256,uint256))",
        [(_v3_path(WETH, 3000, USDC), A, 1, 10**18, 10**9)],
    )
    call = decode_calldata(data)
    assert call.args["path"] == [USDC, WETH] and call.args["amount_out"] == 10**18


def test_decode__v3_path_of_bad_length__is_calldata_error():
    data = enc("exactInput((bytes,address,uint256,uint256))", [(b"\x01" * 30, A, 1, 1)])
    with pytest.raises(CalldataError, match="V3 path"):
        decode_calldata(data)


# ---- Seaport -----------------------------------------------------------------------------
_BASIC = (
    "(address,uint256,uint256,address,address,address,uint256,uint256,uint8,uint256,uint256,"
    "bytes32,uint256,bytes32,bytes32,uint256,(uint256,address)[],bytes)"
)


def _basic_order(price: int, fee: int) -> tuple[object, ...]:
    z32 = b"\x00" * 32
    return (
        "0x" + "00" * 20, 0, price, A, "0x" + "00" * 20, BAYC, 1234, 1, 0, 1, 2,
        z32, 7, z32, z32, 1, [(fee, C)], SIG65,
    )  # fmt: skip


def test_decode__seaport_fulfill_basic_order__shows_nft_price_and_payees():
    for name in ("fulfillBasicOrder", "fulfillBasicOrder_efficient_6GL6yc"):
        data = enc(f"{name}({_BASIC})", [_basic_order(95 * 10**16, 5 * 10**16)])
        call = decode_calldata(data)
        assert call.method == "fulfillBasicOrder"
        assert call.args["nft"] == BAYC and call.args["token_id"] == 1234
        assert call.args["price"] == 10**18 and call.args["payees"] == [A, C]
        assert "price: 1 ETH" in render(data) and "nft: known:BAYC" in render(data)


def test_decode__seaport_fulfill_order__sums_payment_consideration():
    params = (
        A,
        "0x" + "00" * 20,
        [(2, BAYC, 42, 1, 1)],  # offer: one ERC-721
        [(0, ETH, 0, 9 * 10**17, 9 * 10**17, A), (0, ETH, 0, 10**17, 10**17, C)],
        0, 1, 2, b"\x00" * 32, 5, b"\x00" * 32, 2,
    )  # fmt: skip
    sig = (
        "fulfillOrder(((address,address,(uint8,address,uint256,uint256,uint256)[],"
        "(uint8,address,uint256,uint256,uint256,address)[],uint8,uint256,uint256,bytes32,"
        "uint256,bytes32,uint256),bytes),bytes32)"
    )
    call = decode_calldata(enc(sig, [(params, SIG65), b"\x00" * 32]))
    assert call.method == "fulfillOrder"
    assert call.args["nft"] == [BAYC] and call.args["price"] == 10**18
    assert call.args["payees"] == [A, C]


# ---- Safe ----------------------------------------------------------------------------------
def _exec(inner: bytes, target: str, operation: int = 0) -> bytes:
    return enc(
        "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
        [target, 0, inner, operation, 0, 0, 0, "0x" + "00" * 20, "0x" + "00" * 20, SIG65],
    )


def test_decode__safe_exec_transaction__decodes_the_inner_call_with_its_target():
    inner = enc("transfer(address,uint256)", [B, 2_500_000_000])
    call = decode_calldata(_exec(inner, USDC))
    assert call.method == "execTransaction" and call.args["operation"] == "call"
    assert call.inner[0].method == "transfer" and call.inner[0].args["target"] == USDC
    assert B in call.addresses
    text = render(_exec(inner, USDC))
    assert (
        "calls: transfer(target: known:USDC, recipient: unknown 0xbbbb..bbbb, amount: 2500 USDC)"
        in text
    )


def test_decode__safe_with_bad_inner_call__is_calldata_error():
    bad = enc("transfer(address,uint256)", [B, 1])[:-1]
    with pytest.raises(CalldataError, match="execTransaction inner call"):
        decode_calldata(_exec(bad, USDC))


def test_decode__safe_operation_other_than_call_or_delegatecall__is_calldata_error():
    with pytest.raises(CalldataError, match="operation 2"):
        decode_calldata(_exec(b"", USDC, operation=2))


# ---- Multicall3 ------------------------------------------------------------------------------
def test_decode__multicall3_aggregate3value__decodes_each_target_call_and_sums_value():
    calls = [
        (USDC, False, 0, enc("approve(address,uint256)", [B, 5])),
        (C, True, 10**18, b""),
    ]
    call = decode_calldata(enc("aggregate3Value((address,bool,uint256,bytes)[])", [calls]))
    assert [c.method for c in call.inner] == ["approve", "eth_transfer"]
    assert call.inner[0].args["target"] == USDC and call.args["value_wei"] == 10**18
    assert set(call.addresses) == {USDC, B, C}


def test_decode__multicall3_aggregate__decodes_inner_calls():
    call = decode_calldata(
        enc("aggregate((address,bytes)[])", [[(USDC, enc("transfer(address,uint256)", [B, 1]))]])
    )
    assert call.method == "aggregate" and call.inner[0].method == "transfer"


# ---- Aave v3 -----------------------------------------------------------------------------------
def test_decode__aave_supply_and_borrow__amounts_in_the_asset_units():
    supply = enc("supply(address,uint256,address,uint16)", [USDC, 10**9, A, 0])
    assert decode_calldata(supply).args == {
        "asset": USDC,
        "amount": 10**9,
        "on_behalf_of": A,
        "referral": 0,
    }
    assert "amount: 1000 USDC" in render(supply)
    borrow = decode_calldata(
        enc("borrow(address,uint256,uint256,uint16,address)", [WETH, 1, 2, 0, A])
    )
    assert borrow.method == "borrow" and borrow.args["rate_mode"] == 2


def test_decode__aave_withdraw__is_not_weth_withdraw():
    call = decode_calldata(enc("withdraw(address,uint256,address)", [USDC, 2**256 - 1, A]))
    assert call.args == {"asset": USDC, "amount": 2**256 - 1, "recipient": A}


# ---- Lido --------------------------------------------------------------------------------------
def test_decode__lido_submit_and_withdrawal_requests():
    assert decode_calldata(enc("submit(address)", [A])).args == {"referral": A}
    call = decode_calldata(enc("requestWithdrawals(uint256[],address)", [[10**18, 2 * 10**18], A]))
    assert call.method == "requestWithdrawals"
    assert call.args == {"owner": A, "amount": 3 * 10**18, "count": 2}
    claim = decode_calldata(enc("claimWithdrawals(uint256[],uint256[])", [[1, 2], [5, 5]]))
    assert claim.args == {"count": 2}


# ---- ENS ---------------------------------------------------------------------------------------
def test_decode__ens_register__shows_the_name_and_duration():
    data = enc(
        "register(string,address,uint256,bytes32,address,bytes[],bool,uint16)",
        ["vitalik", A, 365 * 86400, b"\x07" * 32, B, [], True, 0],
    )
    call = decode_calldata(data)
    assert call.args == {
        "ens_name": "vitalik.eth",
        "owner": A,
        "duration_days": 365,
        "resolver": B,
    }
    assert "ens_name: vitalik.eth" in render(data)


def test_decode__ens_set_addr_and_reverse_name():
    assert decode_calldata(enc("setAddr(bytes32,address)", [b"\x01" * 32, B])).args == {
        "address_record": B
    }
    assert decode_calldata(enc("setName(string)", ["me.eth"])).args == {"ens_name": "me.eth"}


# ---- canonical L2 bridges ----
def test_decode__op_stack_bridge_deposits():
    eth = decode_calldata(enc("depositETHTo(address,uint32,bytes)", [A, 200_000, b""]))
    assert eth.method == "depositETHTo" and eth.args == {"recipient": A}
    erc20 = decode_calldata(
        enc("depositERC20To(address,address,address,uint256,uint32,bytes)", [USDC, C, A, 5, 1, b""])
    )
    assert erc20.args == {"token": USDC, "l2_token": C, "recipient": A, "amount": 5}


def test_decode__arbitrum_gateway_outbound_transfer():
    call = decode_calldata(
        enc(
            "outboundTransfer(address,address,uint256,uint256,uint256,bytes)",
            [USDC, A, 10**6, 1, 1, b""],
        )
    )
    assert call.args == {"token": USDC, "recipient": A, "amount": 10**6}


def test_decode__polygon_deposit_for__reads_the_amount_from_deposit_data():
    call = decode_calldata(
        enc("depositFor(address,address,bytes)", [A, USDC, abi_encode(["uint256"], [7 * 10**6])])
    )
    assert call.args == {"recipient": A, "token": USDC, "amount": 7 * 10**6}


# ---- Disperse-style batch payouts ----
def test_decode__disperse_token__counts_recipients_and_totals_the_amounts():
    recipients = [f"0x{i:040x}" for i in range(1, 31)]
    data = enc(
        "disperseToken(address,address[],uint256[])", [USDC, recipients, [9_900 * 10**6] * 30]
    )
    call = decode_calldata(data)
    assert call.args["count"] == 30 and call.args["amount"] == 30 * 9_900 * 10**6
    text = render(data)
    assert "recipients: 30 addresses" in text and "amount: 297000 USDC" in text


def test_decode__disperse_ether__total_in_eth():
    call = decode_calldata(enc("disperseEther(address[],uint256[])", [[A, B], [10**18, 10**18]]))
    assert call.args["value_wei"] == 2 * 10**18


def test_decode__disperse_with_mismatched_lengths__is_calldata_error():
    with pytest.raises(CalldataError, match="2 recipients but 1 amounts"):
        decode_calldata(enc("disperseEther(address[],uint256[])", [[A, B], [1]]))
