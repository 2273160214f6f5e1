"""The housekeeping gate: no finalize, settle or claim that could delay an owed reveal."""

from __future__ import annotations

from oracle.validator.reveal_guard import housekeeping_allowed


def test_housekeeping__no_ballot_owes_a_reveal__allowed() -> None:
    assert housekeeping_allowed([], chain_now=1000, send_s=30, block_interval_s=2)


def test_housekeeping__owed_reveal_phase_open__held() -> None:
    assert not housekeeping_allowed([990], chain_now=1000, send_s=1, block_interval_s=2)


def test_housekeeping__send_would_end_within_a_block_of_the_reveal_start__held() -> None:
    # 8 s a send behind a lagging node: at 1010 it ends at 1018, one block before 1020.
    assert not housekeeping_allowed([1020], chain_now=1010, send_s=8, block_interval_s=2)


def test_housekeeping__send_ends_more_than_a_block_before_the_reveal_start__allowed() -> None:
    assert housekeeping_allowed([1020], chain_now=1009, send_s=8, block_interval_s=2)


def test_housekeeping__earliest_owed_reveal_decides() -> None:
    assert not housekeeping_allowed([1100, 1009], chain_now=1000, send_s=8, block_interval_s=2)
