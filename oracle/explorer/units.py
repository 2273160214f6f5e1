"""Wei to a short ETH string for display (exact wei travels alongside in the JSON)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

DISPLAY_DECIMALS = 6


def eth(wei: int) -> str:
    """`1500000000000000000` -> `1.5`; at most six decimals, `~0` for dust that rounds away."""
    value = (Decimal(wei) / Decimal(10**18)).quantize(
        Decimal(1).scaleb(-DISPLAY_DECIMALS), rounding=ROUND_HALF_EVEN
    )
    if value == 0 and wei != 0:
        return "~0"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
