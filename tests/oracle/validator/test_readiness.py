"""`/ready`'s judgement: every failing condition named, ready only when none fails."""

from __future__ import annotations

import dataclasses

import pytest

from oracle.validator.drain import Mode
from oracle.validator.readiness import (
    MAX_CHAIN_DRIFT_S,
    MAX_TICK_AGE_S,
    ReadinessFacts,
    failing,
)

READY = ReadinessFacts(
    model_loaded=True,
    load_error=None,
    pinned_model_held=True,
    signer_registered=True,
    stake_active=True,
    signer_funded=True,
    chain_error=None,
    tick_age_s=0.5,
    db_writable=True,
    chain_drift_s=1.0,
    mode=Mode.RUNNING,
)


def test_failing__every_condition_holds__is_empty() -> None:
    assert failing(READY) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"model_loaded": False}, "model_loaded: still loading"),
        ({"model_loaded": False, "load_error": "OSError: no such file"}, "OSError: no such file"),
        ({"pinned_model_held": False}, "pinned_model_held"),
        ({"signer_registered": False}, "signer_registered"),
        ({"stake_active": False}, "stake_active"),
        ({"signer_funded": False}, "signer_funded"),
        ({"chain_error": "ConnectionError reading the chain"}, "chain_reachable: Connection"),
        ({"tick_age_s": None}, "engine_ticking: no successful tick yet"),
        ({"tick_age_s": MAX_TICK_AGE_S + 1}, "engine_ticking: last successful tick"),
        ({"db_writable": False}, "db_writable"),
        ({"chain_drift_s": None}, "chain_time: no block seen yet"),
        ({"chain_drift_s": MAX_CHAIN_DRIFT_S + 5}, "s off the host clock"),
        ({"chain_drift_s": -MAX_CHAIN_DRIFT_S - 5}, "s off the host clock"),
        ({"mode": Mode.PAUSED}, "not_paused: paused"),
        ({"mode": Mode.STOPPING}, "not_paused: stopping"),
        ({"doppelganger": "watching signer 0xab's nonce, 9 s left"}, "no_doppelganger: watching"),
    ],
)
def test_failing__one_condition_fails__names_it_alone(change: dict, named: str) -> None:  # type: ignore[type-arg]
    failed = failing(dataclasses.replace(READY, **change))
    assert len(failed) == 1 and named in failed[0], failed


def test_failing__several_fail__names_each() -> None:
    facts = dataclasses.replace(READY, signer_funded=False, mode=Mode.PAUSED, db_writable=False)
    assert [f.split(":")[0] for f in failing(facts)] == [
        "signer_funded",
        "db_writable",
        "not_paused",
    ]
