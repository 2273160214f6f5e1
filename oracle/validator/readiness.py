"""`/ready`: whether this validator can vote now, with each failing condition named.

The facts are gathered by the API (oracle/validator/api.py) from the engine, the store
and the chain; the judgement is pure (tests/oracle/validator/test_readiness.py). A load
balancer or an operator reads one line per failing condition, not a bare 503.
"""

from __future__ import annotations

from dataclasses import dataclass

from oracle.validator.drain import Mode

# A tick runs every poll interval (judging is on its own thread, judge_worker.py); one that
# waits for a receipt takes longer. Older than this, the engine is stuck or the chain
# unreachable.
MAX_TICK_AGE_S = 60.0
# The latest block seen may be a block interval old, plus a lagging node's few blocks.
# Older than this (by the host clock), the chain has stalled, the RPC view lags far behind,
# or the host clock is far off: phases run on chain time, so voting may be late or stall.
MAX_CHAIN_DRIFT_S = 120.0


@dataclass(frozen=True)
class ReadinessFacts:
    model_loaded: bool
    load_error: str | None  # why the model did not load, when it failed
    pinned_model_held: bool | None  # the oracle's modelHash among the held ones (None: unread)
    signer_registered: bool | None  # the chain binds our signer to our operator (None: unread)
    stake_active: bool | None
    signer_funded: bool | None  # balance >= FUNDED_ROUNDS rounds of gas (None: unread)
    chain_error: str | None  # why the chain could not be read, when it could not
    tick_age_s: float | None  # since the last fully successful tick (None: none yet)
    db_writable: bool
    chain_drift_s: float | None  # host time - latest seen block's time (None: none seen)
    mode: Mode
    # The doppelganger window (doppelganger.py): None when clear or off, else why new
    # commits wait (the seconds left, or the evidence of another process with the key).
    doppelganger: str | None = None


def failing(f: ReadinessFacts) -> list[str]:
    """One line per condition that keeps this validator from voting (empty: ready)."""
    out: list[str] = []
    if not f.model_loaded:
        out.append(
            "model_loaded: "
            + (f"loading failed ({f.load_error}); restart" if f.load_error else "still loading")
        )
    elif f.pinned_model_held is False:
        out.append("pinned_model_held: the oracle's modelHash is not among the models held")
    if f.chain_error is not None:
        out.append(f"chain_reachable: {f.chain_error}")
    if f.signer_registered is False:
        out.append("signer_registered: the chain does not bind this signer to the operator")
    if f.stake_active is False:
        out.append("stake_active: the operator has no active stake")
    if f.signer_funded is False:
        out.append("signer_funded: the signer cannot pay for 10 rounds of votes; send it ETH")
    if f.tick_age_s is None:
        out.append("engine_ticking: no successful tick yet")
    elif f.tick_age_s > MAX_TICK_AGE_S:
        out.append(f"engine_ticking: last successful tick {f.tick_age_s:.0f} s ago")
    if not f.db_writable:
        out.append("db_writable: the store cannot be written")
    if f.chain_drift_s is None:
        out.append("chain_time: no block seen yet")
    elif abs(f.chain_drift_s) > MAX_CHAIN_DRIFT_S:
        out.append(
            f"chain_time: the latest block seen is {f.chain_drift_s:+.0f} s off the host clock "
            f"(bound {MAX_CHAIN_DRIFT_S:.0f} s): a stalled chain, a lagging RPC or a wrong clock"
        )
    if f.doppelganger is not None:
        out.append(f"no_doppelganger: {f.doppelganger}")
    if f.mode is not Mode.RUNNING:
        out.append(f"not_paused: {f.mode.value} (no new commits)")
    return out
