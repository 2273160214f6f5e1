"""A validator engine that must not commit a round: what it logs while refusing it."""

from __future__ import annotations

import pytest

from oracle.chain.client import OracleClient
from oracle.validator.engine import Engine


def refused_commit_messages(
    client: OracleClient,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    round_: int,
    *,
    level: int,
    containing: str,
) -> list[str]:
    """Ask `engine` twice to commit `round_` at the latest block, assert it sealed and sent
    nothing, and return its log lines at `level` or above that contain `containing` (twice:
    so that a test can check the refusal is said once, not on every tick)."""
    with caplog.at_level(level, logger="oracle.validator"):
        engine.commit_due(round_, engine.observe_head())
        engine.commit_due(round_, engine.observe_head())
    assert engine.store.ballot(round_) is None
    assert not client.ballot_of(round_, engine.operator).committed
    return [m for m in caplog.messages if containing in m]
