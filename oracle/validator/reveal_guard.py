"""Whether a housekeeping transaction (finalize, settle, claim) may go out now: a pure decision.

Every send waits for its receipt, which behind an RPC node a few blocks behind the head
takes those blocks more (the soak measured ~8 s a send with a 3-block lag on 2 s blocks).
Three such sends in one tick outlasted a 20 s phase and a reveal landed after its
deadline: a non-reveal slash for an honest validator (bench/soak.py, issue 12). A reveal
costs stake when late; a finalize, a settle or a claim only waits. So housekeeping goes
out only while it can finish, one block to spare, before the earliest reveal phase an
open ballot still owes a reveal in (unit-tested in tests/oracle/validator/test_reveal_guard.py).
"""

from __future__ import annotations

from collections.abc import Iterable


def housekeeping_allowed(
    owed_reveal_starts: Iterable[int], chain_now: float, send_s: float, block_interval_s: float
) -> bool:
    """False while a reveal is owed (its phase open) or would open before a send of
    `send_s` seconds started at chain time `chain_now` is mined, with one block to spare."""
    starts = list(owed_reveal_starts)
    if not starts:
        return True
    return chain_now + send_s + block_interval_s < min(starts)
