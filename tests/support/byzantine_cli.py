"""Run the oracle CLI as a Byzantine validator: every verdict its judge reaches is shifted.

    python -m tests.support.byzantine_cli 1 validator run --config validator.toml

The judge's verdicts become (verdict + SHIFT) % NUM_CLASSES (an abstention stays one), so
the validator stores, commits, reveals and signs wrong classes, as a faulty or malicious
node would: for the e2e tests (test_byzantine.py) and the chaos bench. Test-only: no
setting of the validator makes it vote so.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace

from oracle.model.labels import ABSTAIN, NUM_CLASSES
from oracle.validator.judge import Judge, JudgeItem, Judgement


def shift_verdicts(shift: int) -> None:
    """Make every `Judge` of this process answer (verdict + shift) % NUM_CLASSES."""
    honest = Judge.judge

    def judge(self: Judge, items: Sequence[JudgeItem]) -> list[Judgement]:
        return [
            j if j.verdict == ABSTAIN else replace(j, verdict=(j.verdict + shift) % NUM_CLASSES)
            for j in honest(self, items)
        ]

    Judge.judge = judge  # type: ignore[method-assign]


def launcher(shift: int = 1) -> tuple[str, ...]:
    """The `Fleet.start` launcher that runs a member Byzantine."""
    return ("-m", "tests.support.byzantine_cli", str(shift))


if __name__ == "__main__":
    shift_verdicts(int(sys.argv.pop(1)))
    from oracle.cli import app

    app(prog_name="oracle")
