"""Deadline pricing, replacement fees and the fee cap (no chain: pure arithmetic)."""

from __future__ import annotations

import pytest

from oracle.chain.tx_pricing import GWEI, FeePolicy, Fees, Priority, replacement, target_fees


def _fees(priority: Priority, seconds_left: float | None, **policy: float) -> Fees:
    return target_fees(
        base_fee=GWEI,
        suggested_tip=GWEI,
        priority=priority,
        seconds_left=seconds_left,
        policy=FeePolicy(**policy),  # type: ignore[arg-type]
    )


def test_target_fees__deadline_nearing__tip_rises_to_max_urgency() -> None:
    far, near, due = (_fees(Priority.DEADLINE, s) for s in (60, 15, 0))
    assert far.tip == 4 * GWEI and far.tip < near.tip < due.tip == 16 * GWEI


def test_target_fees__reveal_at_its_deadline__outbids_any_claim() -> None:
    assert _fees(Priority.DEADLINE, 1).tip > _fees(Priority.ROUTINE, None).tip * 4


def test_target_fees__cap_below_the_price__is_held_to_the_cap() -> None:
    assert _fees(Priority.DEADLINE, 0, max_fee_per_gas_gwei=3).max_fee == 3 * GWEI


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
