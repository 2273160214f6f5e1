"""Commit and reveal: single, relayed and batched forms (IOracleVoting)."""

from __future__ import annotations

import secrets

import ape
import pytest
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from tests.support.constants import FRAUD, ILLICIT, LEGAL, STAKE, verdicts_of
from tests.support.signer_consent import set_signer

# Every test here starts from the same module state: all validators staked once.
pytestmark = pytest.mark.usefixtures("staked")


@pytest.fixture(scope="module")
def staked(stake_all):
    return stake_all()


@pytest.fixture
def one(new_round):
    """A fresh round holding one proposal."""
    return new_round(1)


@pytest.fixture
def two(new_round):
    """A fresh round holding two proposals."""
    return new_round(2)


@pytest.fixture
def one_committed(one, validators, voter, rounds):
    """The round of `one` in its commit phase, with validators[0]'s LEGAL ballot committed."""
    round_, _ = one
    rounds.to_commit(round_)
    voter.commit(round_, validators[0], verdicts_of(LEGAL))
    return round_


def test_commit__by_operator__stores_ballot_and_counts_it_open(oracle, validators, one, rounds):
    round_, _ = one
    rounds.to_commit(round_)
    v = validators[0]
    commitment = keccak(b"c")
    tx = oracle.commit(round_, commitment, sender=v)

    event = tx.decode_logs(oracle.VotesCommitted)[0]
    assert (event.round, event.validator, bytes(event.commitment)) == (
        round_,
        v.address,
        commitment,
    )
    assert bytes(oracle.ballotOf(round_, v).commitment) == commitment
    assert oracle.openBallotsOf(v) == 1


def test_commit__by_signer__is_recorded_for_the_operator(
    oracle, validators, one, rounds, hot_keys, accounts
):
    round_, _ = one
    v = validators[0]
    signer = accounts[10]
    set_signer(oracle, v, signer)
    rounds.to_commit(round_)
    oracle.commit(round_, keccak(b"c"), sender=signer)
    assert bytes(oracle.ballotOf(round_, v).commitment) == keccak(b"c")


def test_commit__replaced_signer__reverts(oracle, validators, one, rounds, accounts):
    round_, _ = one
    v, old, new = validators[0], accounts[10], accounts[11]
    set_signer(oracle, v, old)
    set_signer(oracle, v, new)
    rounds.to_commit(round_)
    with ape.reverts(oracle.OracleNotOperatorOrSigner, caller=old.address):
        oracle.commit(round_, keccak(b"c"), sender=old)


def test_commit__not_a_validator__reverts(oracle, stranger, one, rounds):
    round_, _ = one
    rounds.to_commit(round_)
    with ape.reverts(oracle.OracleNotOperatorOrSigner, caller=stranger.address):
        oracle.commit(round_, keccak(b"c"), sender=stranger)


def test_commit__before_commit_phase__reverts(oracle, validators, one):
    round_, _ = one
    start, end, _ = oracle.roundTiming(round_)
    with ape.reverts(oracle.OracleNotCommitPhase, round=round_, commitStart=start, commitEnd=end):
        oracle.commit(round_, keccak(b"c"), sender=validators[0])


def test_commit__in_reveal_phase__reverts(oracle, validators, one, rounds):
    round_, _ = one
    rounds.to_reveal(round_)
    with ape.reverts(oracle.OracleNotCommitPhase):
        oracle.commit(round_, keccak(b"c"), sender=validators[0])


def test_commit__round_without_proposals__reverts(oracle, validators, rounds):
    round_ = rounds.fresh()
    rounds.to_commit(round_)
    with ape.reverts(oracle.OracleRoundEmpty, round=round_):
        oracle.commit(round_, keccak(b"c"), sender=validators[0])


def test_commit__zero_commitment__reverts(oracle, validators, one, rounds):
    round_, _ = one
    rounds.to_commit(round_)
    with ape.reverts(oracle.OracleZeroCommitment, validator=validators[0].address):
        oracle.commit(round_, b"\0" * 32, sender=validators[0])


def test_commit__second_time__reverts(oracle, validators, one, rounds):
    round_, _ = one
    rounds.to_commit(round_)
    oracle.commit(round_, keccak(b"c"), sender=validators[0])
    with ape.reverts(oracle.OracleAlreadyCommitted, round=round_, validator=validators[0].address):
        oracle.commit(round_, keccak(b"d"), sender=validators[0])


def test_commit_relayed__signed_commits__records_every_ballot(
    oracle, validators, one, rounds, hot_keys, sign_commit, relayer
):
    round_, _ = one
    keys = hot_keys()
    rounds.to_commit(round_)
    entries = []
    for i, (v, key) in enumerate(zip(validators, keys, strict=True)):
        c = keccak(b"c%d" % i)
        entries.append((v.address, c, sign_commit(oracle, round_, c, v.address, key)))

    tx = oracle.commitRelayed(round_, entries, sender=relayer)

    assert [e.validator for e in tx.decode_logs(oracle.VotesCommitted)] == [
        v.address for v in validators
    ]
    for i, v in enumerate(validators):
        assert bytes(oracle.ballotOf(round_, v).commitment) == keccak(b"c%d" % i)


def test_commit_relayed__signature_by_another_key__reverts(
    oracle, validators, one, rounds, hot_keys, sign_commit, relayer
):
    round_, _ = one
    keys = hot_keys()
    rounds.to_commit(round_)
    v, c, wrong = validators[0], keccak(b"c"), Account.create()
    signature = sign_commit(oracle, round_, c, v.address, wrong)
    with ape.reverts(
        oracle.OracleInvalidSignature,
        validator=v.address,
        recovered=wrong.address,
        expectedSigner=keys[0].address,
    ):
        oracle.commitRelayed(round_, [(v.address, c, signature)], sender=relayer)


def test_commit_relayed__unregistered_validator__reverts(
    oracle, one, rounds, sign_commit, relayer, stranger
):
    round_, _ = one
    rounds.to_commit(round_)
    key = Account.create()
    c = keccak(b"c")
    with ape.reverts(oracle.StakingNotValidator, account=stranger.address):
        oracle.commitRelayed(
            round_,
            [(stranger.address, c, sign_commit(oracle, round_, c, stranger.address, key))],
            sender=relayer,
        )


def test_commitment_for__is_keccak_of_the_documented_encoding(oracle, validators, two, chain):
    round_, _ = two
    verdicts, salt = verdicts_of(LEGAL, FRAUD), secrets.token_bytes(32)
    list_hash = bytes(oracle.roundInfo(round_).listHash)
    expected = keccak(
        encode(
            ["uint256", "address", "uint64", "address", "bytes32", "bytes32", "bytes32"],
            [
                chain.chain_id,
                oracle.address,
                round_,
                validators[0].address,
                list_hash,
                keccak(verdicts),
                salt,
            ],
        )
    )
    assert bytes(oracle.commitmentFor(round_, validators[0].address, verdicts, salt)) == expected


def test_reveal__matching_preimage__adds_snapshot_stake_to_tallies(
    oracle, validators, two, voter, rounds
):
    round_, (a, b) = two
    v = validators[0]
    rounds.to_commit(round_)
    voter.commit(round_, v, verdicts_of(LEGAL, ILLICIT))
    rounds.to_reveal(round_)
    tx = voter.reveal(round_, v, verdicts_of(LEGAL, ILLICIT))

    event = tx.decode_logs(oracle.VotesRevealed)[0]
    assert (event.round, event.validator, bytes(event.verdicts), event.stake) == (
        round_,
        v.address,
        verdicts_of(LEGAL, ILLICIT),
        STAKE,
    )
    assert list(oracle.tallyOf(a, round_)) == [STAKE, 0, 0, 0, 0]
    assert list(oracle.tallyOf(b, round_)) == [0, 0, STAKE, 0, 0]
    ballot = oracle.ballotOf(round_, v)
    assert bytes(ballot.verdictsHash) == keccak(verdicts_of(LEGAL, ILLICIT))
    assert (ballot.stake, ballot.revealed, ballot.settled) == (STAKE, True, False)


def test_reveal__by_a_third_party_holding_the_preimage__counts_for_the_validator(
    oracle, validators, one, voter, rounds, relayer
):
    round_, (pid,) = one
    rounds.to_commit(round_)
    voter.commit(round_, validators[0], verdicts_of(FRAUD))
    rounds.to_reveal(round_)
    voter.reveal(round_, validators[0], verdicts_of(FRAUD), sender=relayer)
    assert oracle.tallyOf(pid, round_)[FRAUD] == STAKE


def test_reveal__during_commit_phase__reverts(oracle, validators, one_committed, voter):
    round_ = one_committed
    start, end = oracle.roundTiming(round_)[1:]
    with ape.reverts(oracle.OracleNotRevealPhase, round=round_, revealStart=start, revealEnd=end):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL))


def test_reveal__after_reveal_phase__reverts(oracle, validators, one_committed, voter, rounds):
    round_ = one_committed
    rounds.past_reveal(round_)
    with ape.reverts(oracle.OracleNotRevealPhase):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL))


def test_reveal__without_commitment__reverts(oracle, validators, one, rounds):
    round_, _ = one
    rounds.to_reveal(round_)
    with ape.reverts(oracle.OracleNoCommitment, round=round_, validator=validators[0].address):
        oracle.reveal(
            round_, validators[0].address, verdicts_of(LEGAL), b"\0" * 32, sender=validators[0]
        )


def test_reveal__second_time__reverts(oracle, validators, one, voter, rounds):
    round_, _ = one
    voter.vote(round_, {validators[0]: verdicts_of(LEGAL)})
    with ape.reverts(oracle.OracleAlreadyRevealed, round=round_, validator=validators[0].address):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL))


def test_reveal__wrong_salt__reverts(oracle, validators, one_committed, rounds):
    round_ = one_committed
    rounds.to_reveal(round_)
    with ape.reverts(
        oracle.OracleCommitmentMismatch, round=round_, validator=validators[0].address
    ):
        oracle.reveal(
            round_,
            validators[0].address,
            verdicts_of(LEGAL),
            secrets.token_bytes(32),
            sender=validators[0],
        )


def test_reveal__different_verdicts__reverts(oracle, validators, one_committed, voter, rounds):
    round_ = one_committed
    rounds.to_reveal(round_)
    with ape.reverts(oracle.OracleCommitmentMismatch):
        voter.reveal(round_, validators[0], verdicts_of(FRAUD))


def test_reveal__one_byte_missing__reverts(oracle, validators, two, voter, rounds):
    round_, _ = two
    rounds.to_commit(round_)
    voter.commit(round_, validators[0], verdicts_of(LEGAL))
    rounds.to_reveal(round_)
    with ape.reverts(oracle.OracleVerdictsLengthMismatch, given=1, expected=2):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL))


def test_reveal__class_outside_0_to_4__reverts(oracle, validators, two, voter, rounds):
    round_, _ = two
    rounds.to_commit(round_)
    voter.commit(round_, validators[0], verdicts_of(LEGAL, 5))
    rounds.to_reveal(round_)
    with ape.reverts(oracle.OracleInvalidVerdict, index=1, verdict=5):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL, 5))


def test_reveal_many__batch__tallies_like_single_reveals(
    oracle, validators, stake_all, new_round, voter, rounds, relayer
):
    # Unequal stakes 1..5 x STAKE: everyone holds STAKE already, top up 0..4 x STAKE.
    stake_all([i * STAKE for i in range(1, 5)], who=validators[1:])
    round_, (a, b) = new_round(2)
    votes = [verdicts_of(LEGAL, FRAUD), verdicts_of(LEGAL, LEGAL), verdicts_of(FRAUD, FRAUD)] + [
        verdicts_of(LEGAL, ILLICIT)
    ] * 2
    rounds.to_commit(round_)
    for v, verdicts in zip(validators, votes, strict=True):
        voter.commit(round_, v, verdicts)
    rounds.to_reveal(round_)
    reveals = [
        (v.address, verdicts, voter.salts[(round_, v.address)])
        for v, verdicts in zip(validators, votes, strict=True)
    ]
    tx = oracle.revealMany(round_, reveals, sender=relayer)

    assert len(tx.decode_logs(oracle.VotesRevealed)) == 5
    assert list(oracle.tallyOf(a, round_)) == [(1 + 2 + 4 + 5) * STAKE, 3 * STAKE, 0, 0, 0]
    assert list(oracle.tallyOf(b, round_)) == [2 * STAKE, 4 * STAKE, 9 * STAKE, 0, 0]
