"""Intents: what each duty's transaction is called, and read back after a restart."""

from __future__ import annotations

from oracle.chain.tx_attempts import FILLER_INTENT
from oracle.validator.tx_intents import (
    CLAIM,
    ParsedIntent,
    commit_intent,
    finalize_intent,
    finalize_prefix,
    parse_intent,
    reveal_intent,
    settle_intent,
)


def test_parse_intent__each_duty_intent__reads_back_its_kind_and_round() -> None:
    assert parse_intent(commit_intent(7)) == ParsedIntent("commit", 7)
    assert parse_intent(reveal_intent(7)) == ParsedIntent("reveal", 7)
    assert parse_intent(settle_intent(7)) == ParsedIntent("settle", 7)
    assert parse_intent(finalize_intent(7, 41)) == ParsedIntent("finalize", 7)
    assert finalize_intent(7, 41).startswith(finalize_prefix(7))
    assert not finalize_intent(17, 41).startswith(finalize_prefix(1))


def test_parse_intent__claim_or_nonce_filler__no_round_or_not_a_duty() -> None:
    assert parse_intent(CLAIM) == ParsedIntent("claim", None)
    assert parse_intent(f"{FILLER_INTENT}:12").kind == FILLER_INTENT
