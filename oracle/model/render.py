"""The canonical text the model reads for a decoded transaction.

Method and memo come first, so truncation at the model's max length only ever
cuts trailing argument fields, never the memo (unless the memo alone is longer
than the budget). Amounts are in human units of the token they move (the call's
`token`/`asset` argument, else the contract called), unlimited approvals say so,
and counterparties are `known:<name>` or a short `unknown 0x12ab..cd34` form: a
full 40-hex address costs ~45 tokens and carries no meaning for the model. Inner
calls (multicall, Safe, Multicall3) and Universal Router steps follow as
`calls: method(arg: value, ...); ...`.
"""

from __future__ import annotations

from decimal import Decimal

from oracle.chain.payload import TxRequest
from oracle.model.address_book import AddressBook, KnownContract, default_address_book
from oracle.model.calldata import DecodedCall
from oracle.model.normalize import normalize_memo

# type(uint256).max, Permit2's type(uint160).max and the other "infinite" sentinels:
# no real balance comes near 2^159 base units.
UNLIMITED_THRESHOLD = 2**159
MAX_INNER_SHOWN = 4  # inner calls rendered in full; the rest are counted
MAX_LIST_SHOWN = 3  # address lists longer than this render as a count
_TOKEN_AMOUNT_ARGS = ("amount", "amount_in", "amount_out", "amount_min")
_SHOWN_ARGS = (
    "target",
    "operation",
    "owner",
    "offerer",
    "recipient",
    "recipients",
    "spender",
    "operator",
    "approved",
    "asset",
    "token",
    "tokens",
    "amount",
    "amount_min",
    "value_wei",
    "price",
    "payment_token",
    "nft",
    "token_id",
    "quantity",
    "amount_in",
    "amount_out",
    "path",
    "token_in",
    "token_out",
    "token_a",
    "token_b",
    "l2_token",
    "liquidity",
    "on_behalf_of",
    "borrower",
    "debt_asset",
    "refund_to",
    "payees",
    "ens_name",
    "duration_days",
    "address_record",
    "resolver",
    "use_as_collateral",
    "may_revert",
    "count",
)
_ADDRESS_ARGS = {
    "target",
    "owner",
    "offerer",
    "recipient",
    "spender",
    "operator",
    "asset",
    "token",
    "token_a",
    "token_b",
    "token_in",
    "token_out",
    "l2_token",
    "on_behalf_of",
    "borrower",
    "debt_asset",
    "refund_to",
    "address_record",
    "resolver",
    "payment_token",
    "nft",
}
_ADDRESS_LIST_ARGS = {"recipients", "tokens", "payees", "nft"}
_ZERO_ADDRESS = "0x" + "00" * 20


def render_transaction(tx: TxRequest, call: DecodedCall, *, book: AddressBook | None = None) -> str:
    """Render one decoded transaction as the model's input text."""
    book = book or default_address_book()
    memo = normalize_memo(tx.memo) or "(none)"
    parts = [call.method, f"memo: {memo}"]
    role = "to" if call.selector is None else "contract"
    parts.append(f"{role}: {counterparty(tx.to, book)}")
    parts.append(f"value: {human_amount(tx.value, 18)} ETH")
    parts.extend(render_args(call, tx.to, book))
    if call.inner:
        parts.append("calls: " + render_inner(call.inner, tx.to, book))
    return " | ".join(parts)


def render_inner(calls: tuple[DecodedCall, ...], contract: str, book: AddressBook) -> str:
    """Inner calls as `method(arg: value, ...)`, the first few in full, the rest counted."""
    shown = []
    for call in calls[:MAX_INNER_SHOWN]:
        target = call.args.get("target")
        args = render_args(call, target if isinstance(target, str) else contract, book)
        text = f"{call.method}({', '.join(args)})"
        if call.inner:
            text += " [" + render_inner(call.inner, contract, book) + "]"
        shown.append(text)
    if len(calls) > MAX_INNER_SHOWN:
        shown.append(f"+{len(calls) - MAX_INNER_SHOWN} more")
    return "; ".join(shown)


def render_args(call: DecodedCall, contract: str, book: AddressBook) -> list[str]:
    """`name: value` for every shown argument of one call, in the fixed order above."""
    token = _amount_token(call, contract, book)
    decimals = token.decimals if token is not None else None
    symbol = (token.symbol or token.name) if token is not None else "tokens"
    parts = []
    for name in _SHOWN_ARGS:
        if name not in call.args:
            continue
        value = call.args[name]
        if name in _ADDRESS_ARGS and isinstance(value, str):
            parts.append(f"{name}: {counterparty(value, book)}")
        elif name == "path" and isinstance(value, list):
            parts.append("path: " + " > ".join(counterparty(a, book) for a in value))
        elif name in _ADDRESS_LIST_ARGS and isinstance(value, list):
            if len(value) > MAX_LIST_SHOWN:
                parts.append(f"{name}: {len(value)} addresses")
            else:
                parts.append(f"{name}: " + ", ".join(counterparty(a, book) for a in value))
        elif name in _TOKEN_AMOUNT_ARGS and isinstance(value, int):
            parts.append(f"{name}: {token_amount(value, decimals, symbol)}")
        elif name == "value_wei" and isinstance(value, int):
            parts.append(f"value: {human_amount(value, 18)} ETH")
        elif name == "price" and isinstance(value, int):
            parts.append(f"price: {_price(call, value, book)}")
        else:
            parts.append(f"{name}: {str(value).lower()}")
    return parts


def _amount_token(call: DecodedCall, contract: str, book: AddressBook) -> KnownContract | None:
    """The known token whose units the call's amounts are in, if any."""
    for name in ("token", "asset"):
        value = call.args.get(name)
        if isinstance(value, str):
            known = book.get(value)
            return known if known is not None and known.kind == "token" else None
    known = book.get(contract)
    return known if known is not None and known.kind == "token" else None


def _price(call: DecodedCall, raw: int, book: AddressBook) -> str:
    payment = call.args.get("payment_token")
    if not isinstance(payment, str) or payment.lower() == _ZERO_ADDRESS:
        return f"{human_amount(raw, 18)} ETH"
    known = book.get(payment)
    if known is not None and known.kind == "token":
        return token_amount(raw, known.decimals, known.symbol or known.name)
    return token_amount(raw, None, "tokens")


def counterparty(address: str, book: AddressBook) -> str:
    known = book.get(address)
    if known is not None:
        return f"known:{known.name}"
    low = address.lower()
    return f"unknown {low[:6]}..{low[-4:]}"


def token_amount(raw: int, decimals: int | None, symbol: str) -> str:
    if raw >= UNLIMITED_THRESHOLD:
        return "unlimited"
    if raw == 0:
        return f"0 {symbol} (zero-value)"
    # Unknown tokens: assume 18 decimals, the overwhelmingly common choice.
    return f"{human_amount(raw, 18 if decimals is None else decimals)} {symbol}"


def human_amount(raw: int, decimals: int) -> str:
    """`1500000000000000000, 18` -> `1.5`; at most 6 significant decimals, no exponent."""
    if raw == 0:
        return "0"
    value = Decimal(raw) / (Decimal(10) ** decimals)
    text = f"{value:.2f}" if value >= 1 else f"{value:.8f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text if text not in ("", "0") else "<0.00000001"
