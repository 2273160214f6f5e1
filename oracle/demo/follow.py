"""Follow proposals live, through the explorer's indexer, until each has a final verdict.

The demo also acts as a keeper: anyone may `finalize` after a round's reveal
deadline, and a proposal whose round got no quorum (say every validator missed
it) only moves on when someone does. Validators finalize the rounds they voted
in; the keeper covers the rest, so a missed round rolls instead of stalling.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from oracle.explorer import views
from oracle.explorer.indexer import Indexer

FINAL_STATUSES = {"Finalized", "NoConsensus"}
KEEPER_GRACE_S = 3  # let the validators finalize first


class FollowTimeout(RuntimeError):
    """Some proposals had no final verdict in time."""


def follow_until_final(
    indexer: Indexer,
    ids: list[int],
    *,
    timeout_s: float,
    log: Callable[[str], None],
    finalize: Callable[[list[int]], None] | None = None,
    poll_s: float = 0.5,
) -> None:
    """Print a line whenever proposals change phase; return when all are final."""
    start = time.monotonic()
    seen: dict[int, str] = {}
    while True:
        indexer.sync()
        with indexer.lock:
            now = indexer.chain_now()
            summaries = {
                pid: views.proposal_summary(indexer, indexer.proposals[pid], now)
                for pid in ids
                if pid in indexer.proposals
            }
            overdue = [
                pid
                for pid, s in summaries.items()
                if s["phase"] == "finalizable" and _reveal_end(indexer, s) + KEEPER_GRACE_S <= now
            ]
        changed: dict[str, list[int]] = {}
        for pid, summary in summaries.items():
            line = describe(summary)
            if seen.get(pid) != line:
                seen[pid] = line
                changed.setdefault(line, []).append(pid)
        for line, pids in changed.items():
            log(f"[{time.monotonic() - start:5.1f}s] {_ids(pids):<14} {line}")
        if len(summaries) == len(ids) and all(
            s["status"] in FINAL_STATUSES for s in summaries.values()
        ):
            return
        if overdue and finalize is not None:
            elapsed = time.monotonic() - start
            log(f"[{elapsed:5.1f}s] {_ids(overdue):<14} keeper: finalize (nobody did)")
            finalize(overdue)
        if time.monotonic() - start > timeout_s:
            pending = [
                pid for pid in ids if summaries.get(pid, {}).get("status") not in FINAL_STATUSES
            ]
            raise FollowTimeout(
                f"proposals {pending} have no final verdict after {timeout_s:.0f} s; "
                "the validators' logs (paths above) say why"
            )
        time.sleep(poll_s)


def describe(summary: dict[str, Any]) -> str:
    """One short line for a proposal's state."""
    if summary["status"] == "Finalized":
        return f"final: {summary['verdict_name']} (round {summary['round']})"
    if summary["status"] == "NoConsensus":
        return f"final: no consensus after round {summary['round']}"
    phase, number = summary["phase"], summary["round"]
    if phase == "commit":
        return f"round {number} commit phase: {summary['committed']} committed"
    if phase in ("reveal", "finalizable"):
        return f"round {number} {phase}: {summary['revealed']} revealed"
    return f"round {number} {phase}"


def _reveal_end(indexer: Indexer, summary: dict[str, Any]) -> int:
    record = indexer.rounds.get(summary["round"])
    return record.timing[2] if record is not None and record.timing is not None else 0


def _ids(pids: list[int]) -> str:
    pids = sorted(pids)
    if len(pids) > 2 and pids == list(range(pids[0], pids[-1] + 1)):
        return f"#{pids[0]}-#{pids[-1]}"
    return ",".join(f"#{p}" for p in pids)
