"""Signatures of the protocol calls wallets and dApps send, with their argument shapers.

Each shaper turns the positional ABI values into the named arguments the renderer
shows (flattening structs, summing batch amounts) and decodes nested calls (Safe,
Multicall3). Inconsistent batches (recipients and amounts of different lengths) are
`CalldataError`, which the malformed rule turns into a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from oracle.model.calldata_types import (
    CalldataError,
    DecodedCall,
    InnerDecoder,
    Shaped,
    Shaper,
    Signature,
    parameters,
    signature,
)
from oracle.model.universal_router import UNIVERSAL_ROUTER_SIGNATURES, decode_v3_path

_PERMIT_DETAILS = "(address,uint160,uint48,uint48)"  # token, amount, expiration, nonce
_SEAPORT_OFFER = "(uint8,address,uint256,uint256,uint256)"
_SEAPORT_CONSIDERATION = "(uint8,address,uint256,uint256,uint256,address)"
_SEAPORT_PARAMETERS = (
    f"(address,address,{_SEAPORT_OFFER}[],{_SEAPORT_CONSIDERATION}[],uint8,uint256,uint256,"
    "bytes32,uint256,bytes32,uint256)"
)
_SEAPORT_BASIC = (
    "(address,uint256,uint256,address,address,address,uint256,uint256,uint8,uint256,uint256,"
    "bytes32,uint256,bytes32,bytes32,uint256,(uint256,address)[],bytes)"
)
_NATIVE_OR_ERC20 = (0, 1)  # Seaport item types that are payment, not NFTs


def _keep(*names: str) -> Shaper:
    """A shaper that keeps only the named arguments (drops signatures, gas fields)."""

    def shape(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
        return {k: v for k, v in args.items() if k in names}, ()

    return shape


def _permit2_single(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    details, spender, _deadline = _tuple(args["permit"], 3)
    token, amount, expiration, _nonce = _tuple(details, 4)
    return {
        "owner": args["owner"],
        "token": token,
        "spender": spender,
        "amount": amount,
        "expiration": expiration,
    }, ()


def _permit2_batch(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    details, spender, _deadline = _tuple(args["permit"], 3)
    rows = [_tuple(d, 4) for d in _list(details)]
    return {
        "owner": args["owner"],
        "spender": spender,
        "tokens": [r[0] for r in rows],
        "amount": max((int(r[1]) for r in rows), default=0),  # type: ignore[call-overload]
        "count": len(rows),
    }, ()


def _permit2_transfer_batch(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    rows = [_tuple(r, 4) for r in _list(args["transfers"])]
    return {
        "owners": sorted({str(r[0]) for r in rows}),
        "recipients": [r[1] for r in rows],
        "tokens": sorted({str(r[3]) for r in rows}),
        "count": len(rows),
    }, ()


def _v3_path_in(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    fields = _tuple(args["params"], None)
    path = decode_v3_path(fields[0])  # type: ignore[arg-type]
    amount = fields[3] if len(fields) == 5 else fields[2]  # SwapRouter has a deadline
    return {"path": path, "recipient": fields[1], "amount_in": amount}, ()


def _v3_path_out(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    fields = _tuple(args["params"], None)
    path = list(reversed(decode_v3_path(fields[0])))  # type: ignore[arg-type]
    amount = fields[3] if len(fields) == 5 else fields[2]
    return {"path": path, "recipient": fields[1], "amount_out": amount}, ()


def _v3_single_out(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    fields = _tuple(args["params"], None)
    amount = fields[5] if len(fields) == 8 else fields[4]
    return {
        "token_in": fields[0],
        "token_out": fields[1],
        "recipient": fields[3],
        "amount_out": amount,
    }, ()


def _v3_single_in_02(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    token_in, token_out, _fee, recipient, amount_in, _min, _limit = _tuple(args["params"], 7)
    return {
        "token_in": token_in,
        "token_out": token_out,
        "recipient": recipient,
        "amount_in": amount_in,
    }, ()


def _nested(args: dict[str, object], decode: InnerDecoder) -> Shaped:
    """Router multicall: a list of calls to the same contract."""
    calls = _list(args.pop("calls"))
    inner = _decode_each(decode, calls, "multicall")
    return {**args, "count": len(inner)}, inner


def _safe_exec(args: dict[str, object], decode: InnerDecoder) -> Shaped:
    target, operation = args["target"], args["operation"]
    if operation not in (0, 1):
        raise CalldataError(f"execTransaction operation {operation} is neither 0 (call) nor 1")
    inner = _with_target(_decode_inner(decode, args["data"], "execTransaction"), target)
    return {
        "target": target,
        "value_wei": args["value_wei"],
        "operation": "delegatecall" if operation == 1 else "call",
    }, (inner,)


def _multicall3(args: dict[str, object], decode: InnerDecoder) -> Shaped:
    rows = [_tuple(r, None) for r in _list(args["calls"])]
    inner = tuple(
        _with_target(_decode_inner(decode, row[-1], "Multicall3"), row[0]) for row in rows
    )
    value = sum(int(row[2]) for row in rows if len(row) == 4)  # type: ignore[call-overload]
    shaped: dict[str, object] = {"count": len(inner)}
    if value:
        shaped["value_wei"] = value
    return shaped, inner


def _seaport_basic(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    p = _tuple(args["parameters"], 18)
    extra = [_tuple(r, 2) for r in _list(p[16])]
    price = int(p[2]) + sum(int(r[0]) for r in extra)  # type: ignore[call-overload]
    return {
        "offerer": p[3],
        "payment_token": p[0],
        "price": price,
        "nft": p[5],
        "token_id": p[6],
        "payees": [p[3], *(r[1] for r in extra)],
    }, ()


def _seaport_order(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    order = _tuple(args["order"], None)
    params = _tuple(order[0], 11)
    offer = [_tuple(i, 5) for i in _list(params[2])]
    consideration = [_tuple(i, 6) for i in _list(params[3])]
    shaped: dict[str, object] = {
        "offerer": params[0],
        "nft": sorted({str(i[1]) for i in offer if i[0] not in _NATIVE_OR_ERC20}),
        "price": sum(int(i[3]) for i in consideration if i[0] in _NATIVE_OR_ERC20),  # type: ignore[call-overload]
        "payees": sorted({str(i[5]) for i in consideration}),
        "count": len(offer),
    }
    if "recipient" in args:
        shaped["recipient"] = args["recipient"]
    return shaped, ()


def _lido_requests(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    amounts = [int(a) for a in _list(args["amounts"])]  # type: ignore[call-overload]
    return {"owner": args["owner"], "amount": sum(amounts), "count": len(amounts)}, ()


def _lido_claims(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    shaped: dict[str, object] = {"count": len(_list(args["request_ids"]))}
    if "recipient" in args:
        shaped["recipient"] = args["recipient"]
    return shaped, ()


def _ens_register(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    return {
        "ens_name": f"{args['label']}.eth",
        "owner": args["owner"],
        "duration_days": int(args["duration"]) // 86400,  # type: ignore[call-overload]
        "resolver": args["resolver"],
    }, ()


def _ens_renew(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    return {
        "ens_name": f"{args['label']}.eth",
        "duration_days": int(args["duration"]) // 86400,  # type: ignore[call-overload]
    }, ()


def _polygon_deposit(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    data = args["deposit_data"]
    assert isinstance(data, bytes)
    shaped: dict[str, object] = {"recipient": args["recipient"], "token": args["token"]}
    if len(data) == 32:  # ERC-20 predicate: abi.encode(amount)
        shaped["amount"] = int.from_bytes(data, "big")
    return shaped, ()


def _disperse(args: dict[str, object], _decode: InnerDecoder) -> Shaped:
    recipients, values = _list(args["recipients"]), _list(args["values"])
    if len(recipients) != len(values):
        raise CalldataError(
            f"batch payout has {len(recipients)} recipients but {len(values)} amounts"
        )
    total = sum(int(v) for v in values)  # type: ignore[call-overload]
    shaped: dict[str, object] = {"recipients": list(recipients), "count": len(recipients)}
    if "token" in args:
        shaped["token"] = args["token"]
        shaped["amount"] = total
    else:
        shaped["value_wei"] = total
    return shaped, ()


# ---- helpers ---------------------------------------------------------------------------
def _bridge_deposit(name: str, moved: str, l2_execution: str) -> Signature:
    """A canonical bridge's deposit: its `moved` parameters (what goes to whom: shown), then
    the `l2_execution` ones that only pay for and tune the L2 side (gas, extra data: dropped)."""
    _types, shown = parameters(moved)
    return signature(name, ", ".join(p for p in (moved, l2_execution) if p), shape=_keep(*shown))


def _op_stack_deposit(name: str, moved: str) -> Signature:
    """OP Stack (Optimism, Base) L1StandardBridge: every deposit ends in the L2 gas fields."""
    return _bridge_deposit(name, moved, "uint32 min_gas_limit, bytes extra_data")


def _arbitrum_deposit(name: str, moved: str) -> Signature:
    """Arbitrum's L1 gateway router: every transfer ends in the retryable ticket's fields."""
    return _bridge_deposit(name, moved, "uint256 max_gas, uint256 gas_price_bid, bytes extra_data")


def _tuple(value: object, size: int | None) -> tuple[object, ...]:
    if not isinstance(value, (list, tuple)) or (size is not None and len(value) != size):
        raise CalldataError(f"expected a struct of {size} fields, got {type(value).__name__}")
    return tuple(value)


def _list(value: object) -> list[object]:
    if not isinstance(value, (list, tuple)):
        raise CalldataError(f"expected an array, got {type(value).__name__}")
    return list(value)


def _decode_inner(decode: InnerDecoder, data: object, where: str) -> DecodedCall:
    if not isinstance(data, bytes):
        raise CalldataError(f"{where} inner call is not bytes")
    try:
        return decode(data)
    except CalldataError as exc:
        raise CalldataError(f"{where} inner call: {exc}") from None


def _decode_each(
    decode: InnerDecoder, calls: Sequence[object], where: str
) -> tuple[DecodedCall, ...]:
    return tuple(_decode_inner(decode, c, where) for c in calls)


def _with_target(call: DecodedCall, target: object) -> DecodedCall:
    return DecodedCall(call.method, call.selector, {"target": target, **call.args}, call.inner)


_V3_IN = "(bytes,address,uint256,uint256,uint256)"
_V3_IN_02 = "(bytes,address,uint256,uint256)"

PROTOCOL_SIGNATURES: list[Signature] = [
    # ---- Permit2 ----
    signature(
        "permit2_approve",
        "address token, address spender, uint160 amount, uint48 expiration",
        abi_name="approve",
    ),
    signature("permit2_lockdown", "(address,address)[] approvals", abi_name="lockdown"),
    signature(
        "permit2_permit",
        f"address owner, ({_PERMIT_DETAILS},address,uint256) permit, bytes signature",
        abi_name="permit",
        shape=_permit2_single,
    ),
    signature(
        "permit2_permit_batch",
        f"address owner, ({_PERMIT_DETAILS}[],address,uint256) permit, bytes signature",
        abi_name="permit",
        shape=_permit2_batch,
    ),
    signature(
        "permit2_transfer_from",
        "address owner, address recipient, uint160 amount, address token",
        abi_name="transferFrom",
    ),
    signature(
        "permit2_transfer_from_batch",
        "(address,address,uint160,address)[] transfers",
        abi_name="transferFrom",
        shape=_permit2_transfer_batch,
    ),
    # ---- Uniswap V3 SwapRouter and SwapRouter02 ----
    signature("exactInput", f"{_V3_IN} params", shape=_v3_path_in),
    signature("exactInput", f"{_V3_IN_02} params", shape=_v3_path_in),
    signature("exactOutput", f"{_V3_IN} params", shape=_v3_path_out),
    signature("exactOutput", f"{_V3_IN_02} params", shape=_v3_path_out),
    signature(
        "exactInputSingle",
        "(address,address,uint24,address,uint256,uint256,uint160) params",
        shape=_v3_single_in_02,
    ),
    signature(
        "exactOutputSingle",
        "(address,address,uint24,address,uint256,uint256,uint256,uint160) params",
        shape=_v3_single_out,
    ),
    signature(
        "exactOutputSingle",
        "(address,address,uint24,address,uint256,uint256,uint160) params",
        shape=_v3_single_out,
    ),
    signature("unwrapWETH9", "uint256 amount_min, address recipient"),
    signature("unwrapWETH9", "uint256 amount_min"),
    signature("refundETH"),
    signature("sweepToken", "address token, uint256 amount_min, address recipient"),
    signature("multicall", "bytes[] calls", shape=_nested, nests=True),
    signature("multicall", "uint256 deadline, bytes[] calls", shape=_nested, nests=True),
    signature("multicall", "bytes32 previous_blockhash, bytes[] calls", shape=_nested, nests=True),
    # ---- Universal Router ----
    *UNIVERSAL_ROUTER_SIGNATURES,
    # ---- Seaport 1.5 / 1.6 ----
    signature("fulfillBasicOrder", f"{_SEAPORT_BASIC} parameters", shape=_seaport_basic),
    signature(
        "fulfillBasicOrder",
        f"{_SEAPORT_BASIC} parameters",
        abi_name="fulfillBasicOrder_efficient_6GL6yc",
        shape=_seaport_basic,
    ),
    signature(
        "fulfillOrder",
        f"({_SEAPORT_PARAMETERS},bytes) order, bytes32 conduit_key",
        shape=_seaport_order,
    ),
    signature(
        "fulfillAdvancedOrder",
        f"({_SEAPORT_PARAMETERS},uint120,uint120,bytes,bytes) order, "
        "(uint256,uint8,uint256,uint256,bytes32[])[] criteria, bytes32 conduit_key, "
        "address recipient",
        shape=_seaport_order,
    ),
    # ---- Safe ----
    signature(
        "execTransaction",
        "address target, uint256 value_wei, bytes data, uint8 operation, uint256 safe_tx_gas, "
        "uint256 base_gas, uint256 gas_price, address gas_token, address refund_receiver, "
        "bytes signatures",
        shape=_safe_exec,
        nests=True,
    ),
    # ---- Multicall3 ----
    signature("aggregate", "(address,bytes)[] calls", shape=_multicall3, nests=True),
    signature("aggregate3", "(address,bool,bytes)[] calls", shape=_multicall3, nests=True),
    signature(
        "aggregate3Value", "(address,bool,uint256,bytes)[] calls", shape=_multicall3, nests=True
    ),
    signature(
        "tryAggregate",
        "bool require_success, (address,bytes)[] calls",
        shape=_multicall3,
        nests=True,
    ),
    # ---- Aave v3 Pool ----
    signature("supply", "address asset, uint256 amount, address on_behalf_of, uint16 referral"),
    signature("withdraw", "address asset, uint256 amount, address recipient"),
    signature(
        "borrow",
        "address asset, uint256 amount, uint256 rate_mode, uint16 referral, address on_behalf_of",
    ),
    signature("repay", "address asset, uint256 amount, uint256 rate_mode, address on_behalf_of"),
    signature("repayWithATokens", "address asset, uint256 amount, uint256 rate_mode"),
    signature("setUserUseReserveAsCollateral", "address asset, bool use_as_collateral"),
    signature(
        "liquidationCall",
        "address asset, address debt_asset, address borrower, uint256 amount, bool receive_a_token",
    ),
    # ---- Lido ----
    signature("submit", "address referral"),
    signature("requestWithdrawals", "uint256[] amounts, address owner", shape=_lido_requests),
    signature("requestWithdrawalsWstETH", "uint256[] amounts, address owner", shape=_lido_requests),
    signature(
        "requestWithdrawalsWithPermit",
        "uint256[] amounts, address owner, (uint256,uint256,uint8,bytes32,bytes32) permit",
        shape=_lido_requests,
    ),
    signature("claimWithdrawals", "uint256[] request_ids, uint256[] hints", shape=_lido_claims),
    signature(
        "claimWithdrawalsTo",
        "uint256[] request_ids, uint256[] hints, address recipient",
        shape=_lido_claims,
    ),
    signature("claimWithdrawal", "uint256 request_id"),
    signature("wrap", "uint256 amount"),
    signature("unwrap", "uint256 amount"),
    # ---- ENS ----
    signature(
        "register",
        "string label, address owner, uint256 duration, bytes32 secret, address resolver, "
        "bytes[] data, bool reverse, uint16 fuses",
        shape=_ens_register,
    ),
    signature("renew", "string label, uint256 duration", shape=_ens_renew),
    signature("commit", "bytes32 commitment", shape=_keep()),
    signature("setAddr", "bytes32 node, address address_record", shape=_keep("address_record")),
    signature("setName", "string ens_name"),
    # ---- canonical L2 bridges: OP Stack (Optimism, Base) L1StandardBridge ----
    _op_stack_deposit("depositETH", ""),
    _op_stack_deposit("depositETHTo", "address recipient"),
    _op_stack_deposit("bridgeETH", ""),
    _op_stack_deposit("bridgeETHTo", "address recipient"),
    _op_stack_deposit("depositERC20", "address token, address l2_token, uint256 amount"),
    _op_stack_deposit(
        "depositERC20To", "address token, address l2_token, address recipient, uint256 amount"
    ),
    # ---- Arbitrum: Inbox and L1 gateway router ----
    signature("depositEth"),
    _arbitrum_deposit("outboundTransfer", "address token, address recipient, uint256 amount"),
    _arbitrum_deposit(
        "outboundTransferCustomRefund",
        "address token, address refund_to, address recipient, uint256 amount",
    ),
    # ---- Polygon PoS RootChainManager ----
    signature("depositEtherFor", "address recipient"),
    signature(
        "depositFor", "address recipient, address token, bytes deposit_data", shape=_polygon_deposit
    ),
    # ---- Disperse-style batch payouts ----
    signature("disperseEther", "address[] recipients, uint256[] values", shape=_disperse),
    signature(
        "disperseToken", "address token, address[] recipients, uint256[] values", shape=_disperse
    ),
    signature(
        "disperseTokenSimple",
        "address token, address[] recipients, uint256[] values",
        shape=_disperse,
    ),
]
