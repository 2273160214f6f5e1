"""Where an equivocation bounty stands, by the contract's rule for releasing it.

`releaseEquivocationBounty` pays out once the offender has no open ballots (they can no
longer be slashed further, so a self-reporter gains nothing by reporting early) or once
`releasableAt` (the report plus `unbondingPeriod`) has passed, whichever comes first.
"""

from __future__ import annotations

from typing import Literal

from oracle.explorer.records import EquivocationBounty

BountyState = Literal["none", "held", "releasable", "released"]


def bounty_state(bounty: EquivocationBounty, open_ballots: int, now: int) -> BountyState:
    """`none`: the slash took nothing, so nothing is owed; `held`: locked by open ballots
    until `releasable_at`; `releasable`: anyone may release it now; `released`: credited."""
    if bounty.released_tx is not None:
        return "released"
    if bounty.amount == 0:
        return "none"
    if open_ballots == 0 or now >= bounty.releasable_at:
        return "releasable"
    return "held"


def is_unreleased(bounty: EquivocationBounty) -> bool:
    """Still owed: the indexer keeps the offender's open-ballot count fresh for these."""
    return bounty.released_tx is None and bounty.amount > 0
