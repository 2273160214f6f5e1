"""What the transaction manager offers per gas: priority, deadline pricing, bumps, the fee cap.

An attempt's tip is the node's suggested tip times its priority's weight, times an
urgency that rises from 1 to `max_urgency` over the last `urgent_window_s` seconds of
chain time before its deadline: a reveal near its deadline outbids a pending claim.
`maxFeePerGas` is 2 x the next block's base fee + the tip (room for two full blocks of
base-fee growth), never above the operator's cap (`max_fee_per_gas_gwei`): a bump that
would pass it is not made (the caller logs one line and counts it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

GWEI = 10**9
# A replacement must raise both fees by at least 10% (geth's and Anvil's pool rule).
MIN_REPLACEMENT_BUMP = 1.1


class Priority(Enum):
    """How much a transaction may pay to land now; the weight multiplies the tip."""

    ROUTINE = 1  # claim, prune: any block will do
    DUTY = 2  # finalize, settle: due now, no stake at risk if late
    DEADLINE = 4  # commit, reveal: stake at risk past the deadline

    @property
    def weight(self) -> int:
        return int(self.value)


@dataclass(frozen=True)
class FeePolicy:
    max_fee_per_gas_gwei: float = 500.0
    bump_factor: float = 1.25
    bump_after_blocks: int = 3
    # Chain-time seconds before a deadline over which the tip rises to max_urgency x.
    urgent_window_s: float = 30.0
    max_urgency: float = 4.0

    def __post_init__(self) -> None:
        if self.bump_factor < MIN_REPLACEMENT_BUMP:
            raise ValueError(
                f"fee bump factor {self.bump_factor} is below {MIN_REPLACEMENT_BUMP}: "
                "nodes refuse a replacement that raises fees by less than 10%"
            )
        if self.max_fee_per_gas_gwei <= 0 or self.bump_after_blocks < 1:
            raise ValueError("max_fee_per_gas_gwei must be > 0 and bump_after_blocks >= 1")

    @property
    def cap_wei(self) -> int:
        return int(self.max_fee_per_gas_gwei * GWEI)


@dataclass(frozen=True)
class Fees:
    max_fee: int
    tip: int

    def as_tx(self) -> dict[str, int]:
        return {"maxFeePerGas": self.max_fee, "maxPriorityFeePerGas": self.tip}

    def covers(self, other: Fees) -> bool:
        """Whether these fees are at least `other`'s on both fields."""
        return self.max_fee >= other.max_fee and self.tip >= other.tip


def urgency(seconds_left: float | None, policy: FeePolicy) -> float:
    """1 outside the urgent window (or without a deadline), rising linearly to max_urgency."""
    if seconds_left is None or seconds_left >= policy.urgent_window_s:
        return 1.0
    left = max(0.0, seconds_left)
    return 1.0 + (policy.max_urgency - 1.0) * (1.0 - left / policy.urgent_window_s)


def target_fees(
    *,
    base_fee: int,
    suggested_tip: int,
    priority: Priority,
    seconds_left: float | None,
    policy: FeePolicy,
) -> Fees:
    """The fees an attempt should carry now (capped; the cap may leave it below base fee)."""
    tip = max(1, int(suggested_tip * priority.weight * urgency(seconds_left, policy)))
    cap = policy.cap_wei
    tip = min(tip, cap)
    return Fees(max_fee=min(2 * base_fee + tip, cap), tip=tip)


def replacement(old: Fees, wanted: Fees, policy: FeePolicy) -> Fees | None:
    """The fees to replace `old` with: at least `wanted`, and at least old x bump_factor on
    both fields (else the node refuses it). None when that passes the cap."""
    f = policy.bump_factor
    fees = Fees(
        max_fee=max(wanted.max_fee, int(old.max_fee * f) + 1),
        tip=max(wanted.tip, int(old.tip * f) + 1),
    )
    if fees.max_fee > policy.cap_wei:
        return None
    return Fees(max_fee=fees.max_fee, tip=min(fees.tip, fees.max_fee))
