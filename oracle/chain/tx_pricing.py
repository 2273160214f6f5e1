"""What the transaction manager offers per gas: deadline pricing, bumps, the fee cap.

An attempt's tip is the node's suggested tip (`eth_maxPriorityFeePerGas`) times an
urgency that rises from 1 to `max_urgency` over the last `urgent_blocks` blocks before
its deadline (chain time): a reveal near its deadline outbids what is in the pool, and
keeps rising block by block while it is not mined. Far from a deadline nothing is paid
above the suggestion: nodes derive the suggestion from the tips recent blocks paid, so on
a chain the validators' own transactions fill, any standing premium would feed back into
the next suggestion and ratchet every fee up to the cap (seen on Anvil: 500 gwei commits
within minutes when the priority multiplied the tip). Paying more is a reaction to not
being mined: a bump after `bump_after_blocks` blocks, or the urgency.
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
# What a stuck transaction's fees are multiplied by per bump, unless configured (both the
# transaction manager and the blocking sender; margin over the pool rule above).
DEFAULT_BUMP_FACTOR = 1.25


class Priority(Enum):
    """How soon a transaction not mined is re-priced (a key's transactions land in nonce
    order whatever their priority: the manager lifts earlier ones to later ones' fees)."""

    ROUTINE = "routine"  # claim: any block will do; bumped at half the cadence
    DUTY = "duty"  # finalize, settle: due now, no stake at risk if late
    DEADLINE = "deadline"  # commit, reveal: stake at risk past the deadline

    def bump_after(self, policy: FeePolicy) -> int:
        """Blocks without inclusion before a bump."""
        blocks = policy.bump_after_blocks
        return 2 * blocks if self is Priority.ROUTINE else blocks


@dataclass(frozen=True)
class FeePolicy:
    max_fee_per_gas_gwei: float = 500.0
    bump_factor: float = DEFAULT_BUMP_FACTOR
    bump_after_blocks: int = 3
    # Blocks before a deadline over which the tip rises to max_urgency x the suggestion.
    urgent_blocks: int = 4
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


def urgency(blocks_left: float | None, policy: FeePolicy) -> float:
    """1 outside the urgent window (or without a deadline), rising linearly to max_urgency."""
    if blocks_left is None or blocks_left >= policy.urgent_blocks:
        return 1.0
    left = max(0.0, blocks_left)
    return 1.0 + (policy.max_urgency - 1.0) * (1.0 - left / policy.urgent_blocks)


def target_fees(
    *,
    base_fee: int,
    suggested_tip: int,
    blocks_left: float | None,
    policy: FeePolicy,
) -> Fees:
    """The fees an attempt should carry now (capped; the cap may leave it below base fee)."""
    tip = max(1, int(suggested_tip * urgency(blocks_left, policy)))
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
