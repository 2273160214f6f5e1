"""Why a validator was slashed: the `reason` of the `Slashed(validator, amount, reason)` event."""

from __future__ import annotations

from enum import IntEnum


class SlashReason(IntEnum):
    """The codes docs/protocol.md gives; the contracts emit them as uint8."""

    NON_REVEAL = 0
    INCOHERENT = 1
    EQUIVOCATION = 2

    @property
    def label(self) -> str:
        """`non-reveal`, `incoherent`, `equivocation` (what the explorer shows)."""
        return self.name.lower().replace("_", "-")
