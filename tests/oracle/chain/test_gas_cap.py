"""Splitting a batch so that each transaction fits under the per-transaction gas cap."""

from __future__ import annotations

from collections.abc import Sequence

from oracle.chain.gas_cap import BATCH_GAS_BUDGET, TX_GAS_CAP, fitting_prefix

PER_ITEM = 18_300  # about what finalizeMany costs per plain proposal


def _linear(chunk: Sequence[int]) -> int:
    return 21_000 + PER_ITEM * len(chunk)


def test_fitting_prefix__batch_fits__is_sent_whole():
    ids = list(range(64))
    assert list(fitting_prefix(ids, _linear)) == ids


def test_fitting_prefix__full_round_above_the_budget__halves_until_it_fits():
    ids = list(range(1024))  # 1,024 x 18.3k = 18.7M: above 2^24 in one transaction
    assert _linear(ids) > TX_GAS_CAP
    part = fitting_prefix(ids, _linear)
    assert list(part) == ids[: len(part)]
    assert _linear(part) <= BATCH_GAS_BUDGET and _linear(ids[: 2 * len(part)]) > BATCH_GAS_BUDGET


def test_fitting_prefix__one_item_above_the_budget__is_still_sent_alone():
    assert list(fitting_prefix([7, 8], lambda chunk: TX_GAS_CAP * len(chunk))) == [7]


def test_fitting_prefix__every_part_of_a_split_round__fits_and_covers_each_id_once():
    ids, sent = list(range(1000)), []
    while ids:
        part = fitting_prefix(ids, _linear)
        assert _linear(part) <= BATCH_GAS_BUDGET
        sent.extend(part)
        ids = ids[len(part) :]
    assert sent == list(range(1000))


def test_fitting_prefix__estimate_refused_above_the_node_allowance__halves_as_too_big():
    # Seen in bench/e2e.py at 60 proposals/s: a 360-proposal finalizeMany with callbacks
    # needs more than the block gas limit, and the node refuses to estimate it at all.
    def estimate(chunk: Sequence[int]) -> int:
        if len(chunk) > 100:
            raise ValueError(
                {"code": -32003, "message": "Out of gas: gas required exceeds allowance: 30000000"}
            )
        return _linear(chunk)

    part = fitting_prefix(list(range(360)), estimate)
    assert len(part) == 90


def test_fitting_prefix__other_estimate_errors__are_raised():
    def estimate(chunk: Sequence[int]) -> int:
        raise ValueError("execution reverted: OracleNotFinalizable")

    try:
        fitting_prefix(list(range(8)), estimate)
    except ValueError as exc:
        assert "OracleNotFinalizable" in str(exc)
    else:
        raise AssertionError("a revert must reach the caller")
