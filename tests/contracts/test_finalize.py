"""Finalization: quorum, supermajority, early finality, rolling and NoConsensus."""

from __future__ import annotations

import ape
import pytest
from tests.support.constants import FINALIZED, FRAUD, ILLICIT, LEGAL, NO_CONSENSUS, PENDING, PROPOSAL_FEE, STAKE, verdicts_of

# Five validators with STAKE each (50 ETH): quorum 50% = 3 reveals, supermajority 66.67%.
pytestmark = pytest.mark.usefixtures("staked")


@pytest.fixture(scope="module")
def staked(stake_all):
    return stake_all()


def test_finalize__supermajority_after_reveal_end__finalizes_with_verdict(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, (pid,) = new_round(1)
    votes = {v: verdicts_of(LEGAL) for v in validators[:4]} | {validators[4]: verdicts_of(FRAUD)}
    voter.vote(round_, votes)
    rounds.past_reveal(round_)

    tx = oracle.finalize(pid, sender=stranger)

    assert [
        (e.id, e.status, e.verdict, e.round) for e in tx.decode_logs(oracle.ProposalFinalized)
    ] == [(pid, FINALIZED, LEGAL, round_)]
    assert oracle.verdictOf(pid) == (FINALIZED, LEGAL)
    assert oracle.isLegal(pid) is True
    assert oracle.proposal(pid).winningStake == 4 * STAKE
    assert oracle.roundInfo(round_).pending == 0


def test_finalize__fraud_consensus__is_not_legal(oracle, validators, new_round, voter, rounds):
    round_, (pid,) = new_round(1)
    voter.vote(round_, {v: verdicts_of(FRAUD) for v in validators})
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=validators[0])
    assert oracle.verdictOf(pid) == (FINALIZED, FRAUD)
    assert oracle.isLegal(pid) is False


def test_finalize__outcome_already_certain__finalizes_during_reveal_phase(
    oracle, validators, new_round, voter, stranger
):
    round_, (pid,) = new_round(1)
    # 4 of 5 reveal the same class: 80% of all snapshot stake, more than 66.67%.
    voter.vote(round_, {v: verdicts_of(ILLICIT) for v in validators[:4]})
    tx = oracle.finalize(pid, sender=stranger)
    assert tx.timestamp < oracle.roundTiming(round_).revealEnd
    assert oracle.verdictOf(pid) == (FINALIZED, ILLICIT)


def test_finalize__outcome_still_open_in_reveal_phase__reverts(
    oracle, validators, new_round, voter, stranger
):
    round_, (pid,) = new_round(1)
    # 3 of 5: quorum met, but 60% of snapshot stake could still lose its supermajority.
    voter.vote(round_, {v: verdicts_of(LEGAL) for v in validators[:3]})
    reveal_end = oracle.roundTiming(round_).revealEnd
    with ape.reverts(oracle.OracleTooEarlyToFinalize, id=pid, revealEnd=reveal_end):
        oracle.finalize(pid, sender=stranger)


def test_finalize__during_commit_phase__reverts(oracle, new_round, rounds, stranger):
    round_, (pid,) = new_round(1)
    rounds.to_commit(round_)
    with ape.reverts(oracle.OracleTooEarlyToFinalize):
        oracle.finalize(pid, sender=stranger)


def test_finalize__quorum_missed__rolls_proposal_to_a_later_round(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, (pid,) = new_round(1)
    voter.vote(round_, {v: verdicts_of(LEGAL) for v in validators[:2]})  # 40% < 50% quorum
    rounds.past_reveal(round_)

    tx = oracle.finalize(pid, sender=stranger)

    rolled = tx.decode_logs(oracle.ProposalRolled)[0]
    assert (rolled.id, rolled.fromRound) == (pid, round_)
    to_round = rolled.toRound
    assert to_round == oracle.currentRound() + 1
    assert not tx.decode_logs(oracle.ProposalFinalized)
    p = oracle.proposal(pid)
    assert (p.status, p.round, p.attempts) == (PENDING, to_round, 2)
    assert oracle.roundInfo(round_).pending == 0
    assert list(oracle.roundProposals(to_round)) == [pid]
    assert oracle.roundInfo(to_round).pending == 1


def test_finalize__split_vote_without_supermajority__rolls(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, (pid,) = new_round(1)
    votes = {v: verdicts_of(LEGAL) for v in validators[:3]} | {
        v: verdicts_of(FRAUD) for v in validators[3:]
    }
    voter.vote(round_, votes)  # 60% < 66.67%
    rounds.past_reveal(round_)
    tx = oracle.finalize(pid, sender=stranger)
    assert len(tx.decode_logs(oracle.ProposalRolled)) == 1


def test_finalize__no_consensus_in_last_allowed_round__ends_no_consensus_and_refunds(
    oracle, new_round, rounds, requester, stranger
):
    round_, (pid,) = new_round(1)
    rounds.past_reveal(round_)
    next_round = oracle.finalize(pid, sender=stranger).decode_logs(oracle.ProposalRolled)[0].toRound
    rounds.past_reveal(next_round)

    tx = oracle.finalize(pid, sender=stranger)  # maxRounds = 2 attempts used up

    assert [
        (e.id, e.status, e.verdict, e.round) for e in tx.decode_logs(oracle.ProposalFinalized)
    ] == [(pid, NO_CONSENSUS, 0, next_round)]
    assert oracle.verdictOf(pid) == (NO_CONSENSUS, 0)
    assert oracle.claimable(requester) == PROPOSAL_FEE
    assert oracle.undistributedFees() == 0
    assert oracle.totalClaimable() == PROPOSAL_FEE


def test_finalize__rolled_proposal__is_decided_by_the_new_rounds_votes(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, (pid,) = new_round(1)
    rounds.past_reveal(round_)
    next_round = oracle.finalize(pid, sender=stranger).decode_logs(oracle.ProposalRolled)[0].toRound
    voter.vote(next_round, {v: verdicts_of(FRAUD) for v in validators})
    rounds.past_reveal(next_round)
    oracle.finalize(pid, sender=stranger)
    assert oracle.verdictOf(pid) == (FINALIZED, FRAUD)
    assert list(oracle.tallyOf(pid, next_round)) == [0, 5 * STAKE, 0, 0, 0]


def test_finalize__no_stake_at_snapshot__never_finalizes_as_legal(
    deploy_oracle, requester, stranger, advance_to
):
    empty = deploy_oracle()
    pid = 1
    empty.submit(b"x", sender=requester, value=PROPOSAL_FEE)
    round_ = empty.proposal(pid).round
    advance_to(empty.roundTiming(round_).revealEnd)
    tx = empty.finalize(pid, sender=stranger)
    assert len(tx.decode_logs(empty.ProposalRolled)) == 1
    assert empty.isLegal(pid) is False


def test_finalize__already_final__reverts(oracle, validators, new_round, voter, rounds, stranger):
    round_, (pid,) = new_round(1)
    voter.vote(round_, {v: verdicts_of(LEGAL) for v in validators})
    oracle.finalize(pid, sender=stranger)
    with ape.reverts(oracle.OracleProposalNotPending, id=pid, status=FINALIZED):
        oracle.finalize(pid, sender=stranger)


def test_finalize__unknown_id__reverts(oracle, stranger):
    with ape.reverts(oracle.OracleUnknownProposal, id=99):
        oracle.finalize(99, sender=stranger)


def test_finalize_many__whole_round__decides_each_proposal(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, ids = new_round(3)
    voter.vote(round_, {v: verdicts_of(LEGAL, FRAUD, ILLICIT) for v in validators})
    rounds.past_reveal(round_)
    tx = oracle.finalizeMany(ids, sender=stranger)
    assert [(e.id, e.verdict) for e in tx.decode_logs(oracle.ProposalFinalized)] == list(
        zip(ids, [LEGAL, FRAUD, ILLICIT], strict=True)
    )
    assert oracle.roundInfo(round_).pending == 0
