"""Abstaining (docs/protocol.md): a revealed ballot byte ABSTAIN (0xFF) on a proposal whose
pinned model the validator does not hold. It weighs nothing in the tally, so it counts neither
for quorum nor against the leader; it earns no reward and is never incoherent. Non-reveal rules
are unchanged. A proposal keeps the model it was submitted under when it rolls."""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak

from oracle.model.labels import ABSTAIN, NUM_CLASSES
from tests.support.constants import (
    FINALIZED,
    FRAUD,
    INCOHERENT,
    LEGAL,
    MODEL_HASH,
    NON_REVEAL,
    PENDING,
    PROPOSAL_FEE,
    STAKE,
    eth_balance_of,
    verdicts_of,
)

pytestmark = pytest.mark.usefixtures("staked")


@pytest.fixture(scope="module")
def staked(stake_all):
    """Five validators of STAKE each: quorum 2.5 STAKE, supermajority 66.67% of revealed."""
    return stake_all()


def voted_round(new_round, voter, rounds, votes, n, reveal=None):
    """A fresh round of `n` proposals that `votes` committed and (those in `reveal`) revealed;
    the chain is past the round's reveal end."""
    round_, ids = new_round(n)
    voter.vote(round_, votes, reveal=reveal)
    rounds.past_reveal(round_)
    return round_, ids


def test_reveal__abstain_byte__adds_no_tally_weight(oracle, validators, new_round, voter, rounds):
    votes = {validators[0]: verdicts_of(ABSTAIN, LEGAL)} | {
        v: verdicts_of(LEGAL, LEGAL) for v in validators[1:]
    }
    round_, ids = new_round(2)
    voter.vote(round_, votes)

    assert list(oracle.tallyOf(ids[0], round_)) == [4 * STAKE, 0, 0, 0, 0]
    assert list(oracle.tallyOf(ids[1], round_)) == [5 * STAKE, 0, 0, 0, 0]
    # Still a revealed ballot, at its full stake: abstaining is a vote, not a non-reveal.
    ballot = oracle.ballotOf(round_, validators[0])
    assert ballot.revealed and ballot.stake == STAKE


@pytest.mark.parametrize("byte", [NUM_CLASSES, ABSTAIN - 1])
def test_reveal__byte_neither_class_nor_abstain__reverts_invalid_verdict(
    oracle, validators, new_round, voter, rounds, byte
):
    round_, _ = new_round(2)
    rounds.to_commit(round_)
    voter.commit(round_, validators[0], verdicts_of(LEGAL, byte))
    rounds.to_reveal(round_)

    with ape.reverts(oracle.OracleInvalidVerdict, index=1, verdict=byte):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL, byte))


def test_finalize__abstentions__do_not_count_for_quorum(
    oracle, validators, new_round, voter, rounds
):
    # Two of five stakes judge, three abstain: 40% revealed, below the 50% quorum.
    votes = {v: verdicts_of(ABSTAIN) for v in validators[:3]} | {
        v: verdicts_of(LEGAL) for v in validators[3:]
    }
    round_, (pid,) = voted_round(new_round, voter, rounds, votes, 1)

    tx = oracle.finalize(pid, sender=validators[0])

    assert [(e.id, e.fromRound) for e in tx.decode_logs(oracle.ProposalRolled)] == [(pid, round_)]
    assert int(oracle.proposal(pid).status) == PENDING


def test_finalize__abstentions__do_not_count_against_the_leader(
    oracle, validators, new_round, voter, rounds
):
    # 3 legal of 4 judging stakes is 75%; had the abstention counted in the supermajority's
    # denominator it would be 3 of 5 = 60%, short of 66.67%.
    votes = {
        validators[0]: verdicts_of(ABSTAIN),
        validators[1]: verdicts_of(FRAUD),
        **{v: verdicts_of(LEGAL) for v in validators[2:]},
    }
    _, (pid,) = voted_round(new_round, voter, rounds, votes, 1)

    oracle.finalize(pid, sender=validators[0])

    assert tuple(oracle.verdictOf(pid)) == (FINALIZED, LEGAL)
    assert oracle.proposal(pid).winningStake == 3 * STAKE


def test_settle__abstained_proposal__no_reward_and_no_incoherence_slash(
    oracle, validators, new_round, voter, rounds, relayer
):
    # Validator 0 abstains on proposal 1 and agrees on proposal 2; validator 1 votes against
    # consensus on proposal 1 (the incoherent control).
    votes = {
        validators[0]: verdicts_of(ABSTAIN, LEGAL),
        validators[1]: verdicts_of(FRAUD, LEGAL),
        **{v: verdicts_of(LEGAL, LEGAL) for v in validators[2:]},
    }
    round_, ids = voted_round(new_round, voter, rounds, votes, 2)
    oracle.finalizeMany(ids, sender=relayer)

    tx = oracle.settleMany(
        round_, [v.address for v in validators], [votes[v] for v in validators], sender=relayer
    )

    settled = {e.validator: (e.reward, e.slashed) for e in tx.decode_logs(oracle.BallotSettled)}
    p1_share, p2_share = PROPOSAL_FEE * STAKE // (3 * STAKE), PROPOSAL_FEE * STAKE // (5 * STAKE)
    assert settled[validators[0].address] == (p2_share, 0)
    # Incoherent on one of the round's two decided proposals: half the incoherence rate.
    assert settled[validators[1].address] == (p2_share, STAKE * 500 // 10_000 // 2)
    assert settled[validators[2].address] == (p1_share + p2_share, 0)
    assert [(e.validator, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [
        (validators[1].address, INCOHERENT)
    ]
    assert oracle.openBallotsOf(validators[0]) == 0  # settled: its stake can leave
    assert oracle.balance == eth_balance_of(oracle)


def test_settle__abstention_committed_but_not_revealed__non_reveal_slash_unchanged(
    oracle, validators, new_round, voter, rounds, relayer
):
    votes = {validators[0]: verdicts_of(ABSTAIN)} | {v: verdicts_of(LEGAL) for v in validators[1:]}
    round_, (pid,) = voted_round(new_round, voter, rounds, votes, 1, reveal=validators[1:])
    oracle.finalize(pid, sender=relayer)

    tx = oracle.settle(round_, validators[0].address, b"", sender=relayer)

    (slash,) = tx.decode_logs(oracle.Slashed)
    assert (slash.validator, slash.reason) == (validators[0].address, NON_REVEAL)
    assert slash.amount == STAKE * int(oracle.parameters().nonRevealSlashBps) // 10_000


def test_roll__model_hash_changed_meanwhile__proposal_keeps_its_pin(
    oracle, owner, validators, new_round, voter, rounds, submit
):
    # Nobody holds the pinned model: everyone abstains, the proposal finds no quorum and rolls.
    round_, (pid,) = voted_round(
        new_round, voter, rounds, {v: verdicts_of(ABSTAIN) for v in validators}, 1
    )
    upgraded = keccak(b"upgraded-model")
    oracle.setModelHash(upgraded, sender=owner)

    oracle.finalize(pid, sender=owner)

    rolled = oracle.proposal(pid)
    assert int(rolled.round) > round_ and int(rolled.attempts) == 2
    assert bytes(rolled.modelHash) == MODEL_HASH
    assert bytes(oracle.proposal(submit()).modelHash) == upgraded
