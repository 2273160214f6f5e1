"""The start-up summary: one line with everything two validators must agree on to vote alike.

Chain, oracle, operator, signer (and its balance), the local model's hash against the one
the oracle pins, and the sanctions list's hash. Logged once the model has loaded (its hash
needs the weights), so an operator comparing two hosts compares two lines.
"""

from __future__ import annotations

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

    def summary(self, signer_balance_wei: int | None, local_model_hash: str | None) -> str:
        balance = "unknown" if signer_balance_wei is None else format_eth(signer_balance_wei)
        if local_model_hash is None:
            model = f"model not loaded (pinned {self.pinned_model_hash})"
        elif local_model_hash.lower() == self.pinned_model_hash.lower():
            model = f"model {local_model_hash} (matches the pinned hash)"
        else:
            model = f"model {local_model_hash} DIFFERS from the pinned {self.pinned_model_hash}"
        sample = " (shipped SAMPLE)" if self.sanctions.sample else ""
        return (
            f"start-up: chain {self.chain_id}, oracle {self.oracle}, operator {self.operator}, "
            f"signer {self.signer} balance {balance}, {model}, sanctions list "
            f"{self.sanctions.path}{sample} sha256 {self.sanctions.sha256}"
        )
