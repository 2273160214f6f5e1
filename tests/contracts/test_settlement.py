"""Settlement: pro-rata rewards, slashing of non-revealers and incoherent voters, claims."""

from __future__ import annotations

import ape
import pytest
from tests.support.constants import FRAUD, INCOHERENT, LEGAL, NON_REVEAL, PROPOSAL_FEE, STAKE, eth_balance_of, verdicts_of
from tests.support.voting import Rounds, Voter

# Stakes 1, 1, 2, 2, 4 x STAKE (10 x STAKE in all): quorum 5, supermajority 6.667.
STAKES = [STAKE, STAKE, 2 * STAKE, 2 * STAKE, 4 * STAKE]
pytestmark = pytest.mark.usefixtures("staked")


@pytest.fixture(scope="module")
def staked(stake_all):
    return stake_all(STAKES)


def decided_round(oracle, new_round, voter, rounds, votes, n, reveal=None):
    """A round of `n` proposals voted by `votes`, finalized; the chain is past its reveal end."""
    round_, ids = new_round(n)
    voter.vote(round_, votes, reveal=reveal)
    rounds.past_reveal(round_)
    oracle.finalizeMany(ids, sender=next(iter(votes)))
    return round_, ids


def test_settle_many__coherent_and_incoherent__pays_pro_rata_and_slashes(
    oracle, validators, new_round, voter, rounds, relayer
):
    votes = {validators[0]: verdicts_of(FRAUD, FRAUD)} | {
        v: verdicts_of(LEGAL, FRAUD) for v in validators[1:]
    }
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 2)
    winning = [9 * STAKE, 10 * STAKE]  # proposal 1: all but validator 0 said legal; 2: all fraud

    tx = oracle.settleMany(
        round_, [v.address for v in validators], [votes[v] for v in validators], sender=relayer
    )

    expected_rewards = [
        (0 if i == 0 else PROPOSAL_FEE * stake // winning[0]) + PROPOSAL_FEE * stake // winning[1]
        for i, stake in enumerate(STAKES)
    ]
    settled = tx.decode_logs(oracle.BallotSettled)
    assert [(e.validator, e.reward) for e in settled] == [
        (v.address, r) for v, r in zip(validators, expected_rewards, strict=True)
    ]
    # incoherentSlashBps times the share of decided proposals voted against: 1 of 2.
    incoherent_slash = STAKE * 500 * 1 // (10_000 * 2)
    assert [e.slashed for e in settled] == [incoherent_slash, 0, 0, 0, 0]
    assert [(e.validator, e.amount, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [
        (validators[0].address, incoherent_slash, INCOHERENT)
    ]
    for v, reward in zip(validators, expected_rewards, strict=True):
        assert oracle.claimable(v) == reward
    assert oracle.validatorInfo(validators[0]).active == STAKE - incoherent_slash
    assert oracle.slashedReserve() == incoherent_slash
    assert oracle.undistributedFees() == 2 * PROPOSAL_FEE - sum(expected_rewards)  # rounding dust
    assert oracle.balance == eth_balance_of(oracle)
    assert all(oracle.ballotOf(round_, v).settled for v in validators)


def test_settle__committed_but_not_revealed__slashes_once_per_round(
    oracle, validators, new_round, voter, rounds, stranger
):
    votes = {v: verdicts_of(LEGAL, LEGAL) for v in validators}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 2, reveal=validators[1:])

    tx = oracle.settle(round_, validators[0].address, b"", sender=stranger)

    slash = STAKE * 100 // 10_000  # nonRevealSlashBps once, however many proposals the round has
    assert [(e.reward, e.slashed) for e in tx.decode_logs(oracle.BallotSettled)] == [(0, slash)]
    assert [(e.amount, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [(slash, NON_REVEAL)]
    assert oracle.openBallotsOf(validators[0]) == 0


def test_settle__rolled_proposal__neither_pays_nor_slashes_revealers(
    oracle, validators, new_round, voter, rounds, stranger
):
    # Only 2 of 10 stake units reveal: no quorum, the proposal rolls.
    votes = {v: verdicts_of(LEGAL) for v in validators[:3]}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 1, reveal=validators[:2])

    revealed = oracle.settle(round_, validators[0].address, verdicts_of(LEGAL), sender=stranger)
    silent = oracle.settle(round_, validators[2].address, b"", sender=stranger)

    assert [(e.reward, e.slashed) for e in revealed.decode_logs(oracle.BallotSettled)] == [(0, 0)]
    # Not revealing is punished even when the proposal rolls: the vote was withheld.
    assert [e.slashed for e in silent.decode_logs(oracle.BallotSettled)] == [
        2 * STAKE * 100 // 10_000
    ]


def test_settle__not_revealed_but_verdicts_passed__reverts(
    oracle, validators, new_round, voter, rounds, stranger
):
    votes = {v: verdicts_of(LEGAL) for v in validators}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 1, reveal=validators[1:])
    with ape.reverts(oracle.OracleVerdictsMismatch, round=round_, validator=validators[0].address):
        oracle.settle(round_, validators[0].address, verdicts_of(LEGAL), sender=stranger)


def test_settle__revealed_but_other_verdicts_passed__reverts(
    oracle, validators, new_round, voter, rounds, stranger
):
    votes = {v: verdicts_of(LEGAL) for v in validators}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 1)
    with ape.reverts(oracle.OracleVerdictsMismatch):
        oracle.settle(round_, validators[0].address, verdicts_of(FRAUD), sender=stranger)


def test_settle__during_reveal_phase__reverts(oracle, validators, new_round, voter, stranger):
    round_, _ = new_round(1)
    voter.vote(round_, {v: verdicts_of(LEGAL) for v in validators})
    reveal_end = oracle.roundTiming(round_).revealEnd
    with ape.reverts(
        oracle.OracleRoundNotSettleable, round=round_, pending=1, revealEnd=reveal_end
    ):
        oracle.settle(round_, validators[0].address, verdicts_of(LEGAL), sender=stranger)


def test_settle__proposal_not_finalized__reverts(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, _ = new_round(1)
    voter.vote(round_, {v: verdicts_of(LEGAL) for v in validators})
    rounds.past_reveal(round_)
    with ape.reverts(oracle.OracleRoundNotSettleable):
        oracle.settle(round_, validators[0].address, verdicts_of(LEGAL), sender=stranger)


def test_settle__second_time__reverts(oracle, validators, new_round, voter, rounds, stranger):
    votes = {v: verdicts_of(LEGAL) for v in validators}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 1)
    oracle.settle(round_, validators[0].address, verdicts_of(LEGAL), sender=stranger)
    with ape.reverts(oracle.OracleAlreadySettled, round=round_, validator=validators[0].address):
        oracle.settle(round_, validators[0].address, verdicts_of(LEGAL), sender=stranger)


def test_settle__validator_without_ballot__reverts(
    oracle, validators, new_round, voter, rounds, stranger
):
    votes = {v: verdicts_of(LEGAL) for v in validators[1:]}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 1)
    with ape.reverts(oracle.OracleNoCommitment, round=round_, validator=validators[0].address):
        oracle.settle(round_, validators[0].address, b"", sender=stranger)


def test_settle_many__arrays_of_different_length__reverts(oracle, validators, stranger):
    with ape.reverts(oracle.OracleArrayLengthMismatch, first=2, second=1):
        oracle.settleMany(1, [validators[0].address, validators[1].address], [b""], sender=stranger)


def test_settle__slash_rate_times_proposals_over_100_percent__takes_at_most_the_stake(
    deploy_oracle, validators, advance_to, requester, stranger
):
    harsh = deploy_oracle(incoherentSlashBps=10_000)
    for v in validators:
        harsh.stake(sender=v, value=STAKE)
    rounds = Rounds(harsh, advance_to)
    voter = Voter(harsh, rounds)
    round_ = rounds.fresh()
    ids = [
        int(
            harsh.submit(b"p%d" % i, sender=requester, value=PROPOSAL_FEE)
            .decode_logs(harsh.ProposalSubmitted)[0]
            .id
        )
        for i in range(2)
    ]
    votes = {validators[0]: verdicts_of(FRAUD, FRAUD)} | {
        v: verdicts_of(LEGAL, LEGAL) for v in validators[1:]
    }
    voter.vote(round_, votes)
    rounds.past_reveal(round_)
    harsh.finalizeMany(ids, sender=stranger)

    tx = harsh.settle(round_, validators[0].address, votes[validators[0]], sender=stranger)

    assert tx.decode_logs(harsh.BallotSettled)[0].slashed == STAKE
    assert harsh.validatorInfo(validators[0]).active == 0
    assert harsh.balance == eth_balance_of(harsh)


def test_claim__after_settlement__pays_and_zeroes_claimable(
    oracle, validators, new_round, voter, rounds, stranger
):
    votes = {v: verdicts_of(LEGAL) for v in validators}
    round_, _ = decided_round(oracle, new_round, voter, rounds, votes, 1)
    v = validators[4]
    oracle.settle(round_, v.address, verdicts_of(LEGAL), sender=stranger)
    owed = oracle.claimable(v)
    before = v.balance

    tx = oracle.claim(sender=v)

    assert owed == PROPOSAL_FEE * 4 // 10
    assert [(e.account, e.amount) for e in tx.decode_logs(oracle.Claimed)] == [(v.address, owed)]
    assert v.balance == before + owed - tx.total_fees_paid
    assert oracle.claimable(v) == 0
    assert oracle.totalClaimable() == 0
    assert oracle.balance == eth_balance_of(oracle)


def test_claim__nothing_owed__reverts(oracle, stranger):
    with ape.reverts(oracle.OracleNothingToClaim, account=stranger.address):
        oracle.claim(sender=stranger)


def test_claim__receiver_rejects_ether__reverts(oracle, project, owner, rounds, stranger):
    rejecter = owner.deploy(project.EtherRejecter, oracle.address)
    round_ = rounds.fresh()
    rejecter.submit(b"x", sender=owner, value=PROPOSAL_FEE)
    pid = int(oracle.proposalCount())
    rounds.past_reveal(round_)
    next_round = oracle.finalize(pid, sender=stranger).decode_logs(oracle.ProposalRolled)[0].toRound
    rounds.past_reveal(next_round)
    oracle.finalize(pid, sender=stranger)  # NoConsensus: the fee is owed back to the rejecter

    with ape.reverts(oracle.EthTransferFailed, to=rejecter.address, amount=PROPOSAL_FEE):
        rejecter.claim(sender=owner)


def test_settle_many__reveal_after_early_finalization__shares_never_exceed_the_fee(
    oracle, validators, new_round, voter, rounds, stranger
):
    round_, (pid,) = new_round(1)
    votes = {v: verdicts_of(LEGAL) for v in validators}
    # Validators 1..4 hold 9 of 10 stake units: decided, so finalized inside the reveal phase.
    voter.vote(round_, votes, reveal=validators[1:])
    oracle.finalize(pid, sender=stranger)
    voter.reveal(round_, validators[0], votes[validators[0]])  # a late but valid reveal
    rounds.past_reveal(round_)

    tx = oracle.settleMany(
        round_, [v.address for v in validators], [votes[v] for v in validators], sender=stranger
    )

    rewards = [e.reward for e in tx.decode_logs(oracle.BallotSettled)]
    assert rewards == [PROPOSAL_FEE * s // (10 * STAKE) for s in STAKES]
    assert sum(rewards) <= PROPOSAL_FEE
    assert oracle.balance == eth_balance_of(oracle)
