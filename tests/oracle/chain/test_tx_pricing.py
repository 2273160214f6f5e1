"""Deadline pricing, replacement fees and the fee cap (no chain: pure arithmetic)."""

from __future__ import annotations

import pytest

from oracle.chain.tx_pricing import GWEI, FeePolicy, Fees, Priority, replacement, target_fees


def _fees(blocks_left: float | None, **policy: float) -> Fees:
    return target_fees(
        base_fee=GWEI,
        suggested_tip=GWEI,
        blocks_left=blocks_left,
        policy=FeePolicy(**policy),  # type: ignore[arg-type]
    )


def test_target_fees__deadline_nearing__tip_rises_to_max_urgency() -> None:
    far, near, due = (_fees(b) for b in (10, 2, 0))
    assert far.tip == GWEI and far.tip < near.tip < due.tip == 4 * GWEI


def test_target_fees__far_from_any_deadline__pays_the_suggestion_not_a_premium() -> None:
    """A standing premium would come back as the next suggestion (nodes derive it from the
    tips paid) and ratchet fees up to the cap on a chain the validators fill."""
    assert _fees(None) == _fees(100) == Fees(max_fee=3 * GWEI, tip=GWEI)


def test_target_fees__cap_below_the_price__is_held_to_the_cap() -> None:
    assert _fees(0, max_fee_per_gas_gwei=3).max_fee == 3 * GWEI


def test_priority__routine__waits_twice_as_long_before_a_bump() -> None:
    policy = FeePolicy(bump_after_blocks=3)
    assert Priority.ROUTINE.bump_after(policy) == 6 and Priority.DEADLINE.bump_after(policy) == 3


def test_replacement__raises_both_fees_by_the_bump_factor_at_least() -> None:
    old = Fees(max_fee=4 * GWEI, tip=GWEI)
    new = replacement(old, old, FeePolicy(bump_factor=1.25))
    assert new is not None and new.max_fee > 5 * GWEI - 1 and new.tip > 1.25 * GWEI - 1


def test_replacement__past_the_cap__is_refused() -> None:
    old = Fees(max_fee=9 * GWEI, tip=GWEI)
    assert replacement(old, old, FeePolicy(max_fee_per_gas_gwei=10, bump_factor=1.25)) is None


def test_fee_policy__bump_below_what_nodes_accept__is_refused() -> None:
    with pytest.raises(ValueError, match=r"below 1\.1"):
        FeePolicy(bump_factor=1.05)
