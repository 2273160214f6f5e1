"""Scenario 5: a validator's RPC endpoint is unreachable from just after its commit until
into the reveal phase; it backs off, recovers, and reveals (nothing revealable is missed)."""

from __future__ import annotations

import time

import httpx

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.validator.fleet import Fleet
from tests.support.chain_env import payloads_of_every_class, wait_committed, wait_final, wait_for

CUT_OFF = 2


def test_rpc_outage__validator_backs_off_recovers_and_reveals(
    client: OracleClient,
    honest_fleet: Fleet,
    proxies,
    requester,  # type: ignore[no-untyped-def]
) -> None:
    member = honest_fleet.members[CUT_OFF]
    proxy = proxies[CUT_OFF]
    payloads = [p for _, p in payloads_of_every_class(per_class=1, seed=31)]
    ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads)]
    r = min(client.proposal(pid).round for pid in ids)
    wait_committed(client, r, member.address, f"validator {CUT_OFF}", 30)
    timing = client.round_timing(r)
    proxy.down()
    try:
        # Down until 1 s into the reveal phase: the validator must catch up and reveal in time.
        time.sleep(max(0.0, timing.reveal_start + 1 - time.time()))
    finally:
        proxy.up()
    assert proxy.refused > 0, "the validator never noticed the outage"
    # The others finalize without it (3 of 4 is a supermajority); it must still reveal in time.
    wait_for(
        f"validator {CUT_OFF} to reveal round {r} before {timing.reveal_end}",
        lambda: client.ballot_of(r, member.address).revealed or time.time() > timing.reveal_end + 2,
        60,
    )
    assert client.ballot_of(r, member.address).revealed, "the revealable ballot was missed"
    outcomes = wait_final(client, ids, 90)
    assert all(s == Status.FINALIZED for s, _ in outcomes.values())
    metrics = httpx.get(f"{member.url}/metrics", timeout=5).text
    errors = next(
        line for line in metrics.splitlines() if line.startswith("oracle_rpc_errors_total")
    )
    assert float(errors.split()[1]) > 0
    misses = next(
        line for line in metrics.splitlines() if line.startswith("oracle_reveal_misses_total")
    )
    assert float(misses.split()[1]) == 0
