"""Ether amounts as operators write and read them: `1.5` (ETH), `1.5eth`, `20gwei`, `7wei`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

WEI_PER_UNIT = {"eth": 10**18, "ether": 10**18, "gwei": 10**9, "wei": 1}


def parse_amount(text: str) -> int:
    """Wei from `AMOUNT[unit]`; a bare number is ETH. Refuses negatives and fractions of wei."""
    raw = text.strip().lower().replace("_", "")
    unit = next((u for u in sorted(WEI_PER_UNIT, key=len, reverse=True) if raw.endswith(u)), "eth")
    number = raw.removesuffix(unit).strip() if raw.endswith(unit) else raw
    try:
        value = Decimal(number) * WEI_PER_UNIT[unit]
    except InvalidOperation:
        raise ValueError(
            f"amount {text!r} is not a number: write ETH (1.5), "
            "or with a unit (1.5eth, 20gwei, 7wei)"
        ) from None
    if value < 0 or value != value.to_integral_value():
        raise ValueError(f"amount {text!r} must be a whole, non-negative number of wei")
    return int(value)


def format_eth(wei: int) -> str:
    """`1.25 ETH`, exact (no float rounding), trailing zeros dropped."""
    text = f"{Decimal(wei) / 10**18:.18f}".rstrip("0").rstrip(".")
    return f"{text} ETH"
