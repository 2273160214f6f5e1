"""Proposal submission, round membership and the dApp views (IVerdictOracle)."""

from __future__ import annotations

import ape
from tests.support.constants import MODEL_HASH, NONE, PENDING, PROPOSAL_FEE, STAKE, TX_REQUEST_TYPE
from eth_abi import decode, encode
from eth_utils import keccak


def test_submit__valid_payload__stores_proposal_and_emits_payload(
    oracle, requester, make_payload, rounds, chain
):
    round_ = rounds.fresh()
    payload = make_payload(memo="rent for March")
    tx = oracle.submit(payload, sender=requester, value=PROPOSAL_FEE)

    event = tx.decode_logs(oracle.ProposalSubmitted)[0]
    assert (event.id, event.requester, event.round, event.fee) == (
        1,
        requester.address,
        round_,
        PROPOSAL_FEE,
    )
    assert bytes(event.payloadHash) == keccak(payload)
    assert bytes(event.modelHash) == MODEL_HASH
    assert bytes(event.payload) == payload
    assert decode([TX_REQUEST_TYPE], bytes(event.payload))[0][-1] == "rent for March"

    p = oracle.proposal(1)
    assert (p.requester, p.round, p.attempts, p.fee, p.status, p.verdict) == (
        requester.address,
        round_,
        1,
        PROPOSAL_FEE,
        PENDING,
        0,
    )
    assert bytes(p.payloadHash) == keccak(payload)
    assert p.createdAt == chain.blocks.head.timestamp
    assert oracle.verdictOf(1) == (PENDING, 0)
    assert oracle.proposalCount() == 1
    assert oracle.undistributedFees() == PROPOSAL_FEE


def test_submit__first_proposal_of_round__sets_snapshot_and_list_hash(
    oracle, submit, rounds, chain
):
    round_ = rounds.fresh()
    first = submit()
    snapshot = chain.blocks.head.timestamp - 1
    # One second later, whatever the wall clock did meanwhile (a loaded machine can take
    # longer than the rest of the round between two transactions): the same round.
    chain.pending_timestamp = chain.blocks.head.timestamp + 1
    second = submit()

    size, pending, snap, list_hash = oracle.roundInfo(round_)
    expected = keccak(encode(["bytes32", "uint256"], [b"\0" * 32, first]))
    expected = keccak(encode(["bytes32", "uint256"], [expected, second]))
    assert (size, pending, snap) == (2, 2, snapshot)
    assert bytes(list_hash) == expected
    assert list(oracle.roundProposals(round_)) == [first, second]


def test_round_payload_hashes__the_round_list_in_order_with_each_payload_hash(
    oracle, submit, rounds, chain, make_payload
):
    round_ = rounds.fresh()
    payloads = [make_payload(memo="first"), make_payload(memo="second")]
    ids = []
    for payload in payloads:
        ids.append(submit(payload))
        chain.pending_timestamp = chain.blocks.head.timestamp + 1  # the same round

    got_ids, hashes = oracle.roundPayloadHashes(round_)

    assert list(got_ids) == list(oracle.roundProposals(round_)) == ids
    assert [bytes(h) for h in hashes] == [keccak(p) for p in payloads]
    assert oracle.roundPayloadHashes(round_ + 1000) == ([], [])  # no list yet: empty


def test_submit__ids__start_at_one_and_increase(oracle, submit):
    assert [submit(), submit(), submit()] == [1, 2, 3]


def test_submit__more_than_the_fee__keeps_it_all_as_fee(oracle, requester, make_payload):
    tx = oracle.submit(make_payload(), sender=requester, value=3 * PROPOSAL_FEE)
    assert tx.decode_logs(oracle.ProposalSubmitted)[0].fee == 3 * PROPOSAL_FEE
    assert oracle.proposal(1).fee == 3 * PROPOSAL_FEE


def test_submit__fee_below_minimum__reverts(oracle, requester, make_payload):
    with ape.reverts(oracle.OracleFeeTooLow, sent=PROPOSAL_FEE - 1, required=PROPOSAL_FEE):
        oracle.submit(make_payload(), sender=requester, value=PROPOSAL_FEE - 1)


def test_submit__payload_over_size_limit__reverts(oracle, requester):
    with ape.reverts(oracle.OraclePayloadTooLarge, size=4_097, maxSize=4_096):
        oracle.submit(b"\x01" * 4_097, sender=requester, value=PROPOSAL_FEE)


def test_submit__round_full__spills_to_the_next_round(deploy_oracle, requester, advance_to):
    small = deploy_oracle(maxProposalsPerRound=2)
    current = int(small.currentRound())
    advance_to(int(small.roundTiming(current + 1)[0]))
    rounds_joined = [
        int(
            small.submit(b"x", sender=requester, value=PROPOSAL_FEE)
            .decode_logs(small.ProposalSubmitted)[0]
            .round
        )
        for _ in range(5)
    ]
    first = current + 2
    assert rounds_joined == [first, first, first + 1, first + 1, first + 2]


def test_submit__stake_added_in_the_same_block_or_later__is_not_in_the_snapshot(
    oracle, validators, submit, rounds
):
    oracle.stake(sender=validators[0], value=STAKE)
    round_ = rounds.fresh()
    submit()
    oracle.stake(sender=validators[1], value=STAKE)

    snapshot = oracle.roundInfo(round_).snapshot
    assert oracle.stakeAt(validators[0], snapshot) == STAKE
    assert oracle.stakeAt(validators[1], snapshot) == 0
    assert oracle.totalStakeAt(snapshot) == STAKE


def test_submit__after_model_change__pins_the_new_model_only_for_new_proposals(
    oracle, owner, submit
):
    first = submit()
    new_hash = keccak(b"model-v2")
    oracle.setModelHash(new_hash, sender=owner)
    second = submit()
    assert bytes(oracle.proposal(first).modelHash) == MODEL_HASH
    assert bytes(oracle.proposal(second).modelHash) == new_hash


def test_proposal__unknown_id__reverts(oracle):
    with ape.reverts(oracle.OracleUnknownProposal, id=7):
        oracle.proposal(7)


def test_verdict_of__unknown_id__is_none_and_not_legal(oracle):
    assert oracle.verdictOf(7) == (NONE, 0)
    assert oracle.isLegal(7) is False


def test_current_round__follows_round_duration_from_genesis(oracle, chain):
    genesis, duration, reveal, _, _ = (int(x) for x in oracle.timing())
    chain.mine(timestamp=genesis + 5 * duration)  # views run on the head block

    assert oracle.currentRound() == 5
    assert tuple(oracle.roundTiming(5)) == (
        genesis + 5 * duration,
        genesis + 6 * duration,
        genesis + 6 * duration + reveal,
    )
