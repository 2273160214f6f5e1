"""The start-up summary: one line with everything two validators must agree on to vote alike.

Chain, oracle, operator, signer (and its balance), the local model's hash against the one
the oracle pins, and the sanctions list's hash. Logged once the model has loaded (its hash
needs the weights), so an operator comparing two hosts compares two lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oracle.chain.units import format_eth
from oracle.model.rules import SanctionsListFile


@dataclass(frozen=True)
class StartupFacts:
    chain_id: int
    oracle: str
    operator: str
    signer: str
    pinned_model_hash: str  # "0x" + 64 hex, the oracle's modelHash
    sanctions: SanctionsListFile

    def summary(
        self, signer_balance_wei: int | None, local_model_hash: str | Sequence[str] | None
    ) -> str:
        """`local_model_hash`: the held model's hash, or every held one (default first)."""
        balance = "unknown" if signer_balance_wei is None else format_eth(signer_balance_wei)
        held = [local_model_hash] if isinstance(local_model_hash, str) else local_model_hash
        pinned = self.pinned_model_hash.lower()
        if not held:
            model = f"model not loaded (pinned {self.pinned_model_hash})"
        elif len(held) == 1 and held[0].lower() == pinned:
            model = f"model {held[0]} (matches the pinned hash)"
        elif len(held) == 1:
            model = f"model {held[0]} DIFFERS from the pinned {self.pinned_model_hash}"
        else:
            state = "holds" if pinned in (h.lower() for h in held) else "LACKS"
            model = f"models {', '.join(held)} ({state} the pinned {self.pinned_model_hash})"
        sample = " (shipped SAMPLE)" if self.sanctions.sample else ""
        return (
            f"start-up: chain {self.chain_id}, oracle {self.oracle}, operator {self.operator}, "
            f"signer {self.signer} balance {balance}, {model}, sanctions list "
            f"{self.sanctions.path}{sample} sha256 {self.sanctions.sha256}"
        )
