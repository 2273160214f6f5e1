"""The per-transaction gas cap, and splitting a batch call so that each part fits under it.

EIP-7825 (live on Ethereum since Fusaka) caps one transaction at 2^24 gas; a node
refuses a transaction whose gas limit is above it. Batch calls a validator sends
(`finalizeMany` over a full round with callbacks, for instance) can need more, so the
sender splits them: `fitting_prefix` halves the batch until an estimate fits the
budget, and the caller sends the rest in later transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

TX_GAS_CAP = 2**24
# Gas every limit gets beyond the estimate x margin. Stake checkpoints are keyed by block
# timestamp (OpenZeppelin Checkpoints): an estimate run in the second of the last checkpoint
# updates it in place, while the block it lands in, a second or more later, pushes a new slot
# for the operator's and for the total stake. Measured on Anvil: requestUnstake right after a
# stake estimated 97,568 gas and used 143,027 mined 5 s later (out of gas at 1.2 x + 10,000).
TIMESTAMP_HEADROOM_GAS = 50_000
# What a batch may be estimated at: the sender adds a margin to every estimate
# (SenderConfig.gas_margin, 1.2 by default), and the state may move between the
# estimate and the block, so stay well below the cap.
BATCH_GAS_BUDGET = TX_GAS_CAP * 3 // 4

T = TypeVar("T")


def fitting_prefix(
    items: Sequence[T], gas_of: Callable[[Sequence[T]], int], budget: int = BATCH_GAS_BUDGET
) -> Sequence[T]:
    """The first items, as many as fit: the whole batch, or halved until `gas_of` fits `budget`.

    At least one item is returned even if it alone is estimated above the budget: the
    transaction then fails on its own, visibly, instead of the batch never being sent.
    `gas_of` may raise (a revert): the caller handles it as it would for the whole batch.
    A node that refuses the estimate because the call needs more than it allows (the block
    gas limit) is answering "too big": that batch is halved too.
    """
    prefix = items
    while len(prefix) > 1 and _estimate(gas_of, prefix) > budget:
        prefix = prefix[: len(prefix) // 2]
    return prefix


# How nodes word "this call needs more gas than one transaction may have" (geth, Anvil).
_ABOVE_ALLOWANCE = ("gas required exceeds allowance", "exceeds block gas limit")


def _estimate(gas_of: Callable[[Sequence[T]], int], chunk: Sequence[T]) -> int:
    try:
        return gas_of(chunk)
    except Exception as exc:
        if any(text in str(exc).lower() for text in _ABOVE_ALLOWANCE):
            return TX_GAS_CAP + 1  # above any budget
        raise
