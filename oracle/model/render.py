"""The canonical text the model reads for a decoded transaction.

Method and memo come first, so truncation at the model's max length only ever
cuts trailing argument fields, never the memo (unless the memo alone is longer
than the budget). Amounts are in human units, unlimited approvals say so, and
counterparties are `known:<name>` or a short `unknown 0x12ab..cd34` form: a full
40-hex address costs ~45 tokens and carries no meaning for the model.
"""

from __future__ import annotations

from decimal import Decimal

from oracle.chain.payload import TxRequest
from oracle.model.address_book import AddressBook, default_address_book
from oracle.model.calldata import DecodedCall
from oracle.model.normalize import normalize_memo

UNLIMITED_THRESHOLD = 2**255  # type(uint256).max and the other "infinite" sentinels
_TOKEN_AMOUNT_METHODS = {
    "transfer",
    "approve",
    "transferFrom",
    "increaseAllowance",
    "permit",
    "withdraw",
}
_SHOWN_ARGS = (
    "owner",
    "recipient",
    "spender",
    "operator",
    "approved",
    "amount",
    "token_id",
    "quantity",
    "amount_in",
    "amount_out",
    "path",
    "token_in",
    "token_out",
    "token",
    "token_a",
    "token_b",
    "liquidity",
    "count",
)
_ADDRESS_ARGS = {
    "owner",
    "recipient",
    "spender",
    "operator",
    "token",
    "token_a",
    "token_b",
    "token_in",
    "token_out",
}


def render_transaction(tx: TxRequest, call: DecodedCall, *, book: AddressBook | None = None) -> str:
    """Render one decoded transaction as the model's input text."""
    book = book or default_address_book()
    memo = normalize_memo(tx.memo) or "(none)"
    parts = [call.method, f"memo: {memo}"]
    role = "to" if call.selector is None else "contract"
    parts.append(f"{role}: {counterparty(tx.to, book)}")
    parts.append(f"value: {human_amount(tx.value, 18)} ETH")
    token = book.get(tx.to)
    decimals = token.decimals if token and token.kind == "token" else None
    symbol = (token.symbol or token.name) if token and token.kind == "token" else "tokens"
    for name in _SHOWN_ARGS:
        if name not in call.args:
            continue
        value = call.args[name]
        if name in _ADDRESS_ARGS and isinstance(value, str):
            parts.append(f"{name}: {counterparty(value, book)}")
        elif name == "path" and isinstance(value, list):
            parts.append("path: " + " > ".join(counterparty(a, book) for a in value))
        elif name in ("amount", "amount_in", "amount_out") and isinstance(value, int):
            if call.method in _TOKEN_AMOUNT_METHODS:
                parts.append(f"{name}: {token_amount(value, decimals, symbol)}")
            else:
                parts.append(f"{name}: {token_amount(value, None, 'tokens')}")
        else:
            parts.append(f"{name}: {str(value).lower()}")
    if call.inner:
        parts.append("calls: " + ", ".join(c.method for c in call.inner))
    return " | ".join(parts)


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
