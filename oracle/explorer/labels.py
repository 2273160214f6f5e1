"""Names the explorer shows for on-chain codes (docs/labels.md and docs/protocol.md)."""

from __future__ import annotations

VERDICT_NAMES: tuple[str, ...] = ("legal", "fraud", "illicit", "sanctioned", "malformed")

# `Status { None, Pending, Finalized, NoConsensus }` in IVerdictOracle.
STATUS_NAMES: tuple[str, ...] = ("None", "Pending", "Finalized", "NoConsensus")

# `Slashed(validator, amount, reason)`: 0 non-reveal, 1 incoherent, 2 equivocation.
SLASH_REASONS: tuple[str, ...] = ("non-reveal", "incoherent", "equivocation")


def verdict_name(code: int) -> str:
    """The class name for a verdict byte; out-of-range bytes stay visible as numbers."""
    return VERDICT_NAMES[code] if 0 <= code < len(VERDICT_NAMES) else f"unknown({code})"


def status_name(code: int) -> str:
    return STATUS_NAMES[code] if 0 <= code < len(STATUS_NAMES) else f"unknown({code})"


def slash_reason(code: int) -> str:
    return SLASH_REASONS[code] if 0 <= code < len(SLASH_REASONS) else f"unknown({code})"
