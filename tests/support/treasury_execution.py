"""Executing judged GuardedTreasury transfers: exactly the legal ones pay out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from oracle.chain.client import Status
from oracle.model.labels import Verdict

AMOUNT = 10**17  # what each test request asks the treasury to send


def execute_judged_transfers(
    w3: Any,
    sender: Any,
    treasury: Any,
    ids: Sequence[int],
    recipients: Sequence[str],
    outcomes: dict[int, tuple[Status, int]],
    expected: Sequence[Any],
) -> list[int]:
    """Try `execute` on every request; assert each final verdict is the pipeline's and that a
    transfer pays out exactly when it was judged legal. Returns the executed ids."""
    executed = []
    for pid, to, want in zip(ids, recipients, expected, strict=True):
        assert outcomes[pid] == (Status.FINALIZED, int(want.verdict)), f"request {pid}"
        legal = outcomes[pid][1] == int(Verdict.LEGAL)
        try:
            sender.send_call(treasury.functions.execute(pid))
            executed.append(pid)
            assert w3.eth.get_balance(to) == AMOUNT
        except Exception as exc:
            assert "TreasuryTransferNotApproved" in str(exc), exc
            assert w3.eth.get_balance(to) == 0
        assert (pid in executed) == legal, (
            f"request {pid}: legal={legal}, executed={pid in executed}"
        )
    assert executed, "no transfer was judged legal: the memos include legal ones"
    assert len(executed) < len(ids), "every transfer was judged legal: fraud was not caught"
    return executed
