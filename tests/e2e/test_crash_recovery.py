"""Scenarios 3 and 4: a validator killed (kill -9) after it committed restarts and reveals in
time; with its database deleted it re-derives the salt from its key and still reveals."""

from __future__ import annotations

from chain_env import events, payloads_of_every_class, wait_final, wait_for

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.validator.fleet import Fleet

VICTIM = 3


def _kill_after_commit_and_restart(
    client: OracleClient,
    fleet: Fleet,
    requester,
    *,
    delete_db: bool,  # type: ignore[no-untyped-def]
) -> tuple[list[int], int, int]:
    victim = fleet.members[VICTIM]
    from_block = client.w3.eth.block_number
    payloads = [p for _, p in payloads_of_every_class(per_class=1, seed=21 + int(delete_db))]
    ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads)]
    r = min(client.proposal(pid).round for pid in ids)
    wait_for(
        f"validator {VICTIM} to commit round {r}",
        lambda: client.ballot_of(r, victim.address).committed,
        30,
        0.05,
    )
    assert not client.ballot_of(r, victim.address).revealed
    fleet.kill(VICTIM)  # SIGKILL: no shutdown code runs
    if delete_db:
        for suffix in ("", "-wal", "-shm"):
            victim.db_path.with_name(victim.db_path.name + suffix).unlink(missing_ok=True)
    fleet.start(VICTIM)
    return ids, r, from_block


def _assert_revealed_and_not_slashed(
    client: OracleClient, fleet: Fleet, ids: list[int], r: int, from_block: int
) -> None:
    victim = fleet.members[VICTIM]
    outcomes = wait_final(client, ids, 90)
    assert all(s == Status.FINALIZED for s, _ in outcomes.values())
    ballot = wait_for(
        f"round {r} ballot settled",
        lambda: (b := client.ballot_of(r, victim.address)).settled and b,
        60,
    )
    assert ballot.revealed, f"validator {VICTIM} did not reveal round {r}"
    settled = [
        e
        for e in events(client, "BallotSettled", from_block)
        if e.args["validator"] == victim.address and e.args["round"] == r
    ]
    assert settled and settled[0].args["slashed"] == 0 and settled[0].args["reward"] > 0
    slashes = [
        e for e in events(client, "Slashed", from_block) if e.args["validator"] == victim.address
    ]
    assert slashes == []


def test_kill9_after_commit__restarted_validator_reveals_and_is_not_slashed(
    client: OracleClient,
    fleet: Fleet,
    requester,  # type: ignore[no-untyped-def]
) -> None:
    ids, r, from_block = _kill_after_commit_and_restart(client, fleet, requester, delete_db=False)
    fleet.wait_ready(indices=[VICTIM], timeout_s=120)
    _assert_revealed_and_not_slashed(client, fleet, ids, r, from_block)


def test_lost_database_after_commit__salt_is_rederived_and_the_validator_reveals(
    client: OracleClient,
    fleet: Fleet,
    requester,  # type: ignore[no-untyped-def]
) -> None:
    ids, r, from_block = _kill_after_commit_and_restart(client, fleet, requester, delete_db=True)
    fleet.wait_ready(indices=[VICTIM], timeout_s=120)
    _assert_revealed_and_not_slashed(client, fleet, ids, r, from_block)
    assert "rebuilt from the signer key" in fleet.members[VICTIM].log_path.read_text()
