"""One transaction the manager is responsible for, from its first signature to its outcome.

An attempt is one intent (e.g. `settle:41`) at one nonce; each re-pricing signs it again
at the same nonce, so it holds every hash it was sent under: any of them may be the one
mined. It is written to the attempt store *before* its bytes go to the node, so a
validator killed at any point knows, after a restart, which hashes at which nonces are
in flight and does not send the intent again blindly.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Protocol

from oracle.chain.tx_pricing import Fees, Priority


class AttemptState(Enum):
    PENDING = "pending"  # sent, not mined yet
    MINED = "mined"  # one of its hashes mined, status 1
    REVERTED = "reverted"  # one of its hashes mined, status 0 (`error` names the revert)
    REPLACED = "replaced"  # its nonce was used by a transaction not among its hashes
    DROPPED = "dropped"  # given up (deadline passed, or the node refuses it); nonce freed

    @property
    def final(self) -> bool:
        return self is not AttemptState.PENDING


# A 0-value transfer to the sender itself: what fills a nonce gap or cancels an attempt.
FILLER_INTENT = "nonce-filler"


@dataclass(frozen=True)
class Attempt:
    sender: str  # the checksummed address that signs it
    intent: str  # what it is for; one live attempt per (sender, intent)
    nonce: int
    to: str
    data: bytes
    value: int
    gas: int
    priority: Priority
    deadline: int | None  # chain time (block timestamp) it must land by, if any
    fees: Fees
    hashes: tuple[str, ...]  # every hash it was sent under, oldest first
    sent_block: int  # the block seen when it was last (re-)priced
    state: AttemptState = AttemptState.PENDING
    first_block: int | None = None  # the block seen when it was first sent (None: as sent_block)
    mined_hash: str | None = None
    block_number: int | None = None
    error: str | None = None  # the decoded revert (REVERTED) or why it was given up
    revert_data: bytes = field(default=b"", repr=False)

    def pending_blocks(self, head: int) -> int:
        """Blocks since it was first sent: how long it has waited to be mined (0 when sent
        before the manager had seen a block)."""
        since = self.sent_block if self.first_block is None else self.first_block
        return max(0, head - since) if since >= 0 else 0

    @property
    def tx_hash(self) -> str:
        """The hash that mined, else the latest one sent."""
        return self.mined_hash or self.hashes[-1]

    def resigned(self, fees: Fees, tx_hash: str, block: int) -> Attempt:
        hashes = self.hashes if tx_hash in self.hashes else (*self.hashes, tx_hash)
        return replace(self, fees=fees, hashes=hashes, sent_block=block)

    def finished(
        self,
        state: AttemptState,
        *,
        mined_hash: str | None = None,
        block_number: int | None = None,
        error: str | None = None,
        revert_data: bytes = b"",
    ) -> Attempt:
        return replace(
            self,
            state=state,
            mined_hash=mined_hash,
            block_number=block_number,
            error=error,
            revert_data=revert_data,
        )


class AttemptStore(Protocol):
    """Where attempts survive a restart (the validator's SQLite store implements it)."""

    def save_attempt(self, attempt: Attempt) -> None:
        """Insert or replace the attempt of (sender, nonce, intent), durably."""

    def live_attempts(self, sender: str) -> list[Attempt]:
        """The sender's PENDING attempts, by nonce."""


class MemoryAttemptStore:
    """Attempts in memory: for tools and tests that need no restart."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, int, str], Attempt] = {}

    def save_attempt(self, attempt: Attempt) -> None:
        self._rows[(attempt.sender, attempt.nonce, attempt.intent)] = attempt

    def live_attempts(self, sender: str) -> list[Attempt]:
        live = [a for a in self._rows.values() if a.sender == sender and not a.state.final]
        return sorted(live, key=lambda a: a.nonce)
