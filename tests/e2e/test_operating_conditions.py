"""The soak's deterministic cases (bench/soak.py, issue 12), on the session fleet: an RPC
view 3 blocks behind the head, a host clock 5 s fast, and a SIGTERM inside the reveal
phase before the reveal went out. Each must cost no stake and no round."""

from __future__ import annotations

import signal
import time

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.validator.fleet import Fleet
from tests.support.chain_env import (
    events,
    payloads_of_every_class,
    wait_committed,
    wait_final,
    wait_for,
)
from tests.support.rpc_proxy import RpcProxy
from tests.support.shifted_clock import launcher

LAGGING = 2
SHIFTED = 3
DRAINED_IN_REVEAL = 0


def _submit_round(client: OracleClient, requester, seed: int) -> tuple[list[int], int, int]:  # type: ignore[no-untyped-def]
    from_block = client.w3.eth.block_number
    payloads = [p for _, p in payloads_of_every_class(per_class=1, seed=seed)]
    ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads)]
    return ids, min(client.proposal(pid).round for pid in ids), from_block


def _assert_voted_and_not_slashed(
    client: OracleClient, fleet: Fleet, index: int, ids: list[int], r: int, from_block: int
) -> None:
    m = fleet.members[index]
    outcomes = wait_final(client, ids, 120)
    assert all(s == Status.FINALIZED for s, _ in outcomes.values())
    ballot = wait_for(
        f"validator {index}'s ballot of round {r} to be settled",
        lambda: (b := client.ballot_of(r, m.address)).settled and b,
        90,
    )
    assert ballot.committed and ballot.revealed, f"validator {index} skipped round {r}"
    slashed = [e for e in events(client, "Slashed", from_block) if e.args["validator"] == m.address]
    assert slashed == []


def test_lagging_rpc_view__three_blocks_behind__commits_full_list_reveals_not_slashed(
    client: OracleClient,
    honest_fleet: Fleet,
    proxies: list[RpcProxy],
    requester,  # type: ignore[no-untyped-def]
) -> None:
    proxy = proxies[LAGGING]
    proxy.lag_blocks = 3
    try:
        ids, r, from_block = _submit_round(client, requester, seed=41)
        _assert_voted_and_not_slashed(client, honest_fleet, LAGGING, ids, r, from_block)
        assert proxy.total_requests() > 0
    finally:
        proxy.lag_blocks = 0


def test_host_clock_five_seconds_fast__validator_votes_the_round_not_slashed(
    client: OracleClient,
    honest_fleet: Fleet,
    requester,  # type: ignore[no-untyped-def]
) -> None:
    honest_fleet.kill(SHIFTED)
    honest_fleet.start(SHIFTED, launcher=launcher(+5.0))
    try:
        honest_fleet.wait_ready(indices=[SHIFTED], timeout_s=180)
        ids, r, from_block = _submit_round(client, requester, seed=42)
        _assert_voted_and_not_slashed(client, honest_fleet, SHIFTED, ids, r, from_block)
    finally:
        honest_fleet.kill(SHIFTED)
        honest_fleet.start(SHIFTED)
        honest_fleet.wait_ready(indices=[SHIFTED], timeout_s=180)


def test_sigterm_inside_reveal_phase_before_reveal__reveals_then_exits_not_slashed(
    client: OracleClient,
    honest_fleet: Fleet,
    proxies: list[RpcProxy],
    requester,  # type: ignore[no-untyped-def]
) -> None:
    m = honest_fleet.members[DRAINED_IN_REVEAL]
    proxy = proxies[DRAINED_IN_REVEAL]
    ids, r, from_block = _submit_round(client, requester, seed=43)
    wait_committed(client, r, m.address, f"validator {DRAINED_IN_REVEAL}", 60)
    timing = client.round_timing(r)
    # Its RPC cut from the commit until inside the reveal phase, so the SIGTERM lands in
    # the reveal phase with the reveal not yet sent.
    proxy.down()
    try:
        wait_for(
            f"chain time inside round {r}'s reveal phase",
            lambda: client.w3.eth.get_block("latest")["timestamp"] >= timing.reveal_start + 1,
            timing.reveal_start - time.time() + 60,
        )
        assert not client.ballot_of(r, m.address).revealed
        honest_fleet.send_signal(DRAINED_IN_REVEAL, signal.SIGTERM)
        time.sleep(1.0)
    finally:
        proxy.up()
    assert m.process is not None
    returncode = m.process.wait(timeout=timing.reveal_end - time.time() + 30)
    assert client.ballot_of(r, m.address).revealed, "exited without revealing"
    assert returncode == 0
    honest_fleet.start(DRAINED_IN_REVEAL)  # settles its ballot
    honest_fleet.wait_ready(indices=[DRAINED_IN_REVEAL], timeout_s=180)
    _assert_voted_and_not_slashed(client, honest_fleet, DRAINED_IN_REVEAL, ids, r, from_block)
