"""Names the explorer shows for on-chain codes (docs/labels.md and docs/protocol.md)."""

from __future__ import annotations

from oracle.chain.client import Status
from oracle.chain.slashing import SlashReason
from oracle.model.labels import ABSTAIN, ABSTAIN_LABEL, ALL_LABELS

VERDICT_NAMES: tuple[str, ...] = ALL_LABELS

# `Status { None, Pending, Finalized, NoConsensus }` in IVerdictOracle.
STATUS_NAMES: tuple[str, ...] = tuple(
    "None" if s.name == "NONE" else "".join(w.capitalize() for w in s.name.split("_"))
    for s in Status
)

SLASH_REASONS: tuple[str, ...] = tuple(r.label for r in SlashReason)


def verdict_name(code: int) -> str:
    """The class name for a verdict byte (`abstain` for ABSTAIN); other out-of-range bytes
    stay visible as numbers."""
    if code == ABSTAIN:
        return ABSTAIN_LABEL
    return VERDICT_NAMES[code] if 0 <= code < len(VERDICT_NAMES) else f"unknown({code})"


def status_name(code: int) -> str:
    return STATUS_NAMES[code] if 0 <= code < len(STATUS_NAMES) else f"unknown({code})"


def slash_reason(code: int) -> str:
    return SLASH_REASONS[code] if 0 <= code < len(SLASH_REASONS) else f"unknown({code})"
