"""Which held model judges a proposal (no chain): the pinned one, the default for no pin,
or none (abstain)."""

from __future__ import annotations

from oracle.validator.pinned_models import ZERO_MODEL_HASH, abstain_reason, choose_model

A, B = bytes([0xAA]) * 32, bytes([0xBB]) * 32
HELD_A_THEN_B = ["0x" + A.hex(), "0x" + B.hex()]


def test_choose_model__pinned_hash_held__picks_that_model() -> None:
    assert choose_model(B, HELD_A_THEN_B) == 1
    assert choose_model(A, HELD_A_THEN_B) == 0


def test_choose_model__pinned_hash_not_held__abstains() -> None:
    assert choose_model(bytes([0xCC]) * 32, HELD_A_THEN_B) is None
    assert choose_model(B, HELD_A_THEN_B[:1]) is None


def test_choose_model__zero_hash__picks_the_default_first_model() -> None:
    assert choose_model(ZERO_MODEL_HASH, HELD_A_THEN_B) == 0
    assert choose_model(ZERO_MODEL_HASH, list(reversed(HELD_A_THEN_B))) == 0


def test_choose_model__hash_case__does_not_matter() -> None:
    assert choose_model(B, [h.upper().replace("0X", "0x") for h in HELD_A_THEN_B]) == 1


def test_choose_model__nothing_held__abstains_even_unpinned() -> None:
    assert choose_model(ZERO_MODEL_HASH, []) is None


def test_abstain_reason__names_the_missing_model() -> None:
    assert "0x" + "bb" * 32 in abstain_reason(B)
