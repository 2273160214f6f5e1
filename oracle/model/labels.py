"""The verdict classes of docs/labels.md; the on-chain verdict is this uint8."""

from __future__ import annotations

from enum import IntEnum


class Verdict(IntEnum):
    LEGAL = 0
    FRAUD = 1
    ILLICIT = 2
    SANCTIONED = 3
    MALFORMED = 4

    @property
    def label(self) -> str:
        """The dataset name of the class (`legal`, `fraud`, ...)."""
        return self.name.lower()

    @classmethod
    def from_label(cls, name: str) -> Verdict:
        """Parse a dataset label; raises ValueError listing the valid names."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            valid = ", ".join(v.label for v in cls)
            raise ValueError(f"unknown label {name!r}; expected one of {valid}") from None


# The on-chain verdict is one of these; every `0 <= v < NUM_CLASSES` check imports it.
NUM_CLASSES: int = len(Verdict)

# The ballot byte of an abstention (ConsensusMath.ABSTAIN): the validator does not hold the
# model pinned for that proposal. Not a class: it adds no tally weight, earns no reward and
# is never incoherent (docs/protocol.md, "Abstaining").
ABSTAIN: int = 0xFF
ABSTAIN_LABEL = "abstain"


def vote_label(vote: int) -> str:
    """The name of a ballot byte: a class label, or `abstain`."""
    return ABSTAIN_LABEL if vote == ABSTAIN else Verdict(vote).label


# Only these three are decided by the model; rules decide the other two.
MODEL_CLASSES: tuple[Verdict, ...] = (Verdict.LEGAL, Verdict.FRAUD, Verdict.ILLICIT)
ALL_LABELS: tuple[str, ...] = tuple(v.label for v in Verdict)
