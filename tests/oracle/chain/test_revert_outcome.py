"""Contract refusals decoded once into what they mean for the duty (no chain here)."""

from __future__ import annotations

import pytest

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.errors import TxReverted
from oracle.chain.revert_outcome import Outcome, classify
from oracle.chain.round_clock import RoundTiming

T = RoundTiming(commit_start=100, reveal_start=110, reveal_end=120)


def refused(error: str | None, tx_hash: str | None = None) -> TxReverted:
    return TxReverted(f"reverted: {error}", error=error, tx_hash=tx_hash)


def at(ts: int) -> SeenBlock:
    return SeenBlock(number=ts, timestamp=ts)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [(99, Outcome.TOO_EARLY), (105, Outcome.RETRY), (110, Outcome.TOO_LATE)],
)
def test_classify__not_commit_phase__is_early_or_late_by_the_seen_block(
    seen: int, expected: Outcome
) -> None:
    # The same error before and after the phase: only chain time tells which.
    assert classify("commit", refused("OracleNotCommitPhase"), seen=at(seen), timing=T) is expected


@pytest.mark.parametrize(
    ("seen", "expected"),
    [(109, Outcome.TOO_EARLY), (115, Outcome.RETRY), (120, Outcome.TOO_LATE)],
)
def test_classify__not_reveal_phase__is_early_or_late_by_the_seen_block(
    seen: int, expected: Outcome
) -> None:
    assert classify("reveal", refused("OracleNotRevealPhase"), seen=at(seen), timing=T) is expected


@pytest.mark.parametrize(
    ("duty", "error", "expected"),
    [
        ("commit", "OracleAlreadyCommitted", Outcome.DONE),
        ("reveal", "OracleAlreadyRevealed", Outcome.DONE),
        ("reveal", "OracleNoStakeAtSnapshot", Outcome.FATAL),
        ("reveal", "OracleVerdictsLengthMismatch", Outcome.FATAL),
        ("commit", "OracleNotOperatorOrSigner", Outcome.FATAL),
        ("finalize", "OracleProposalNotPending", Outcome.DONE),
        ("finalize", "OracleTooEarlyToFinalize", Outcome.TOO_EARLY),
        ("settle", "OracleAlreadySettled", Outcome.DONE),
        ("settle", "OracleRoundNotSettleable", Outcome.TOO_EARLY),
        ("settle", "OracleAlreadyRevealed", Outcome.FATAL),  # another duty's error: not done
    ],
)
def test_classify__named_error__maps_to_its_outcome(
    duty: str, error: str, expected: Outcome
) -> None:
    assert classify(duty, refused(error), seen=at(105), timing=T) is expected  # type: ignore[arg-type]


def test_classify__mined_and_reverted_without_data__finalize_done_others_retry() -> None:
    mined = refused(None, tx_hash="0x" + "ab" * 32)
    assert classify("finalize", mined, seen=at(130)) is Outcome.DONE
    assert classify("settle", mined, seen=at(130)) is Outcome.RETRY
    assert classify("reveal", refused(None), seen=at(115), timing=T) is Outcome.RETRY
