"""Scenarios 3 and 4, on one round: validator 3 is killed (kill -9) after it committed and
restarted with its database; validator 0 is killed after it committed and restarted with its
database deleted. Both reveal in time (the first from its store, the second by re-deriving
the salt from its key and re-judging the round) and neither is slashed. Validator 1 gets a
SIGTERM right after it committed: it drains (reveals, then exits by itself) and is not
slashed either."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.validator.fleet import Fleet
from tests.support.chain_env import events, payloads_of_every_class, wait_final, wait_for
from tests.support.fleet_control import make_all_honest

CRASHED = 3  # kill -9, database kept
LOST_DB = 0  # kill -9, database deleted
DRAINED = 1  # SIGTERM: drains, exits, then restarted


@dataclass
class CrashedRound:
    ids: list[int]
    round: int
    from_block: int


@pytest.fixture(scope="module")
def crashed_round(client: OracleClient, fleet: Fleet, requester) -> Iterator[CrashedRound]:  # type: ignore[no-untyped-def]
    # Needs every member honest; which one another module made Byzantine is not its concern.
    make_all_honest(fleet)
    from_block = client.w3.eth.block_number
    payloads = [p for _, p in payloads_of_every_class(per_class=1, seed=21)]
    ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads)]
    r = min(client.proposal(pid).round for pid in ids)
    for i in (LOST_DB, CRASHED, DRAINED):
        m = fleet.members[i]
        wait_for(
            f"validator {i} to commit round {r}",
            lambda m=m: client.ballot_of(r, m.address).committed,
            60,
            0.05,
        )
        assert not client.ballot_of(r, m.address).revealed
        if i == DRAINED:
            fleet.send_signal(i, signal.SIGTERM)  # as systemd stops it: drain, then exit
        else:
            fleet.kill(i)  # SIGKILL: no shutdown code runs
    lost = fleet.members[LOST_DB]
    for suffix in ("", "-wal", "-shm"):
        lost.db_path.with_name(lost.db_path.name + suffix).unlink(missing_ok=True)
    fleet.start(LOST_DB)
    fleet.start(CRASHED)
    yield CrashedRound(ids, r, from_block)
    drained = fleet.members[DRAINED].process
    if drained is None or drained.poll() is not None:
        fleet.start(DRAINED)  # its test restarts it; this covers a test that failed first
    fleet.wait_ready(indices=[LOST_DB, CRASHED, DRAINED], timeout_s=180)


def _assert_revealed_and_not_slashed(
    client: OracleClient, fleet: Fleet, index: int, c: CrashedRound
) -> None:
    victim = fleet.members[index]
    outcomes = wait_final(client, c.ids, 120)
    assert all(s == Status.FINALIZED for s, _ in outcomes.values())
    ballot = wait_for(
        f"validator {index}'s ballot of round {c.round} to be settled",
        lambda: (b := client.ballot_of(c.round, victim.address)).settled and b,
        90,
    )
    assert ballot.revealed, f"validator {index} did not reveal round {c.round}"
    settled = [
        e
        for e in events(client, "BallotSettled", c.from_block)
        if e.args["validator"] == victim.address and e.args["round"] == c.round
    ]
    assert settled and settled[0].args["slashed"] == 0 and settled[0].args["reward"] > 0
    assert [
        e for e in events(client, "Slashed", c.from_block) if e.args["validator"] == victim.address
    ] == []


def test_kill9_after_commit__restarted_validator_reveals_and_is_not_slashed(
    client: OracleClient, fleet: Fleet, crashed_round: CrashedRound
) -> None:
    _assert_revealed_and_not_slashed(client, fleet, CRASHED, crashed_round)


def test_lost_database_after_commit__salt_is_rederived_and_the_validator_reveals(
    client: OracleClient, fleet: Fleet, crashed_round: CrashedRound
) -> None:
    _assert_revealed_and_not_slashed(client, fleet, LOST_DB, crashed_round)
    # The fresh database holds the round's ballot again, with the salt derived from the key
    # (rebuilt in the reveal phase, or re-built in the commit phase if it was still open).
    from oracle.chain.anvil import ANVIL_MNEMONIC
    from oracle.chain.commitment import derive_salt
    from oracle.validator.keys import anvil_key
    from oracle.validator.store import Store

    key = anvil_key(fleet.spec.first_account + LOST_DB, ANVIL_MNEMONIC)
    ballot = Store(fleet.members[LOST_DB].db_path).ballot(crashed_round.round)
    assert ballot is not None and ballot.state in ("revealed", "settled")
    assert ballot.salt == derive_salt(
        key, chain_id=client.chain_id, oracle=client.address, round_=crashed_round.round
    )


def test_sigterm_after_commit__validator_reveals_then_exits_and_is_not_slashed(
    client: OracleClient, fleet: Fleet, crashed_round: CrashedRound
) -> None:
    # Last in the module: its restart must not compete with the others' model loading.
    m = fleet.members[DRAINED]
    assert m.process is not None
    # It exits by itself once drained: by the round's reveal end at the latest.
    chain_now = int(client.w3.eth.get_block("latest")["timestamp"])
    left = client.round_timing(crashed_round.round).reveal_end - chain_now
    returncode = m.process.wait(timeout=max(left, 0) + 30)
    assert client.ballot_of(crashed_round.round, m.address).revealed  # before it exited
    assert returncode == 0
    log = m.log_path.read_text()
    assert "SIGTERM: draining: no new commits; 1 open ballot(s)" in log
    assert "drained; exiting" in log
    fleet.start(DRAINED)  # settles its ballot
    _assert_revealed_and_not_slashed(client, fleet, DRAINED, crashed_round)
