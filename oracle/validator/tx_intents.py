"""The names (intents) the validator's transactions carry in the transaction manager.

An intent says what a transaction is for: the manager sends one transaction per intent at a
time (`in_flight`), and after a restart the engine reads an orphaned attempt's intent to know
which duty's result handler takes it (engine.py, on_orphan). Stated once here for both.
"""

from __future__ import annotations

from dataclasses import dataclass

CLAIM = "claim"


def commit_intent(r: int) -> str:
    return f"commit:{r}"


def reveal_intent(r: int) -> str:
    return f"reveal:{r}"


def settle_intent(r: int) -> str:
    return f"settle:{r}"


def finalize_prefix(r: int) -> str:
    """What every finalizeMany part of round r starts with (one intent per part)."""
    return f"finalize:{r}:"


def finalize_intent(r: int, first_id: int) -> str:
    return f"{finalize_prefix(r)}{first_id}"


@dataclass(frozen=True)
class ParsedIntent:
    kind: str  # commit, reveal, settle, finalize, claim, or the manager's own (nonce filler)
    round: int | None  # None: not a round's transaction


def parse_intent(intent: str) -> ParsedIntent:
    kind, _, rest = intent.partition(":")
    head = rest.split(":")[0]
    return ParsedIntent(kind, int(head) if head.isdigit() else None)
