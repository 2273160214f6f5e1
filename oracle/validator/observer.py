"""Observer mode: judge every proposal and compare with the chain's outcomes; never vote.

An operator evaluating a model (a new checkpoint, a new sanctions list, a node before it is
staked) runs a validator with `observer = true`: it reads the chain and judges as a voting
validator does, but sends no transaction, needs no key, stake or ETH, and reports how often
its verdicts match the final verdicts the staked validators reached. The comparison is over
the proposals still in its store (the last `retention_rounds` rounds).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oracle.model.labels import ABSTAIN, vote_label

# The operator an observer's store is bound to (store_identity.py) when none is configured:
# an observer holds no key of its own, and its identity must stay the same across restarts.
OBSERVER_OPERATOR = "0x0000000000000000000000000000000000000000"


@dataclass(frozen=True)
class Agreement:
    """How this observer's verdicts compare with the chain's final ones."""

    # (local verdict byte, final verdict, proposals) over finalized proposals it judged.
    pairs: tuple[tuple[int, int, int], ...]

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int, int]]) -> Agreement:
        return cls(tuple(sorted((int(a), int(b), int(n)) for a, b, n in rows)))

    @property
    def abstained(self) -> int:
        return sum(n for local, _final, n in self.pairs if local == ABSTAIN)

    @property
    def compared(self) -> int:
        return sum(n for local, _final, n in self.pairs if local != ABSTAIN)

    @property
    def agreed(self) -> int:
        return sum(n for local, final, n in self.pairs if local == final)

    @property
    def rate(self) -> float | None:
        return None if self.compared == 0 else self.agreed / self.compared

    def as_json(self) -> dict[str, object]:
        disagreements = {
            f"{vote_label(local)}->{vote_label(final)}": n
            for local, final, n in self.pairs
            if local != final and local != ABSTAIN
        }
        return {
            "compared": self.compared,
            "agreed": self.agreed,
            "agreement": None if self.rate is None else round(self.rate, 4),
            "abstained": self.abstained,
            # "ours->chain's": how many, for every pair that differed.
            "disagreements": disagreements,
        }
