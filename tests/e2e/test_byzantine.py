"""Scenario 2: one of four equal-stake validators always votes a wrong class.
Every outcome is unchanged and that validator is slashed (incoherent votes)."""

from __future__ import annotations

from oracle.chain.client import OracleClient, Status
from oracle.chain.slashing import SlashReason
from oracle.chain.submitter import Submitter
from oracle.validator.fleet import Fleet
from tests.support.chain_env import events, payloads_of_every_class, wait_final, wait_for
from tests.support.fleet_control import BYZANTINE, set_byzantine

INCOHERENT = SlashReason.INCOHERENT


def test_byzantine_validator__outcomes_unchanged_and_it_is_slashed(
    client: OracleClient,
    fleet: Fleet,
    pipeline,
    requester,  # type: ignore[no-untyped-def]
) -> None:
    byz = fleet.members[BYZANTINE]
    # Member BYZANTINE is the one the session's fleet fixture starts Byzantine
    # (tests/support/fleet_control.py): this module depends on that member, no other.
    set_byzantine(fleet, BYZANTINE, True)  # started so by the fleet fixture: no restart
    stakes = {m.index: client.validator_info(m.address).active for m in fleet.members}
    assert len(set(stakes.values())) == 1, f"validators must have equal stake: {stakes}"
    try:
        from_block = client.w3.eth.block_number
        payloads = [p for _, p in payloads_of_every_class(per_class=2, seed=11)]
        ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads)]
        expected = pipeline.judge_payloads(payloads)
        outcomes = wait_final(client, ids, 60)
        for pid, want in zip(ids, expected, strict=True):
            assert outcomes[pid] == (Status.FINALIZED, int(want.verdict)), f"proposal {pid}"

        rounds = {client.proposal(pid).round for pid in ids}
        for r in rounds:
            wait_for(
                f"byzantine ballot of round {r} to be settled",
                lambda r=r: client.ballot_of(r, byz.address).settled,
                30,
            )
        revealed = [
            e
            for e in events(client, "VotesRevealed", from_block)
            if e.args["validator"] == byz.address
        ]
        assert revealed, "the byzantine validator never revealed"
        for e in revealed:
            ids_r = client.round_proposals(e.args["round"])
            for pos, pid in enumerate(ids_r):
                if pid in outcomes:
                    assert e.args["verdicts"][pos] != outcomes[pid][1], (
                        "byzantine vote matched consensus"
                    )
        slashed = [
            e for e in events(client, "Slashed", from_block) if e.args["validator"] == byz.address
        ]
        assert slashed and all(e.args["reason"] == INCOHERENT for e in slashed)
        assert client.validator_info(byz.address).active < stakes[BYZANTINE]
        honest_slashes = [
            e
            for e in events(client, "Slashed", from_block)
            if e.args["validator"] != byz.address
            and e.args["validator"] != fleet.members[2].address
        ]
        assert honest_slashes == []
    finally:
        set_byzantine(fleet, BYZANTINE, False)
