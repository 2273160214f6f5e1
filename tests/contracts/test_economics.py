"""The protocol's economics (issue 9, items 1, 5 and 8): the stake that votes is the stake at
risk, penalties are bounded per round, and what no ballot can claim any more is swept.

Each scenario replays what an attacker (or plain bad luck) did on the contracts before the
fix, on the in-process EVM with the project's fixtures, and checks that it now fails for the
attacker and costs the honest nothing. docs/security.md ("Protocol security v2") lists them.
"""

from __future__ import annotations

import ape
import pytest

from tests.support.constants import (
    FINALIZED,
    FRAUD,
    INCOHERENT,
    LEGAL,
    NON_REVEAL,
    ORACLE_CONFIG,
    STAKE,
    eth_balance_of,
    verdicts_of,
)
from tests.support.voting import Rounds

ETHER = 10**18
BPS = 10_000
SETTLEMENT_WINDOW = 7 * 24 * 3600
RECIPIENT_AMOUNT = 50 * ETHER


def assert_books_balance(oracle) -> None:
    assert oracle.balance == eth_balance_of(oracle)


def submit_many(oracle, requester, make_payload, n: int) -> list[int]:
    ids = []
    for i in range(n):
        tx = oracle.submit(
            make_payload(memo=f"filler {i}"), sender=requester, value=oracle.proposalFee()
        )
        ids.append(int(tx.decode_logs(oracle.ProposalSubmitted)[0].id))
    return ids


# ------------------------------------------------------------------ item 1: withdrawn stake


@pytest.fixture(scope="module")
def spill_oracle(deploy_oracle):
    """One proposal per round: a handful of submissions push the join cursor rounds ahead."""
    return deploy_oracle(maxProposalsPerRound=1)


@pytest.fixture(scope="module")
def spill_treasury(project, owner, spill_oracle):
    contract = owner.deploy(project.GuardedTreasury, spill_oracle.address, owner.address)
    owner.transfer(contract.address, 100 * ETHER)
    return contract


def test_withdrawn_stake__votes_after_the_join_cursor_spilled__cannot_leave_before_the_vote(
    spill_oracle, spill_treasury, owner, requester, validators, chain, make_payload
):
    """Before: 100 ETH joined a snapshot, left through requestUnstake + withdraw while the
    round waited behind full rounds, then out-voted 40 ETH of honest stake with nothing left
    to slash, and the treasury paid the attacker. Now the unbonding deadline runs to the end
    of the reveal phase of the furthest round joined, so the stake is still bonded (and
    slashable) when its vote counts."""
    oracle, treasury = spill_oracle, spill_treasury
    rounds = Rounds.on(oracle, chain)
    attacker, honest = validators[0], validators[1:3]
    oracle.stake(sender=attacker, value=100 * ETHER)
    for v in honest:
        oracle.stake(sender=v, value=20 * ETHER)
    rounds.fresh()
    # Four filler proposals, then the treasury's request: five rounds, all snapshotted now.
    submit_many(oracle, requester, make_payload, 4)
    tx = treasury.requestTransfer(
        attacker.address,
        RECIPIENT_AMOUNT,
        "attacker's invoice",
        sender=owner,
        value=oracle.quoteSubmit(treasury),
    )
    request_id = int(tx.decode_logs(treasury.TransferRequested)[0].requestId)
    round_ = rounds.round_of(request_id)
    _, _, reveal_end = rounds.timing(round_)
    assert rounds.timing(round_)[0] > chain.pending_timestamp + oracle.timing()[3]

    unstake = oracle.requestUnstake(100 * ETHER, sender=attacker)

    withdrawable_at = int(unstake.decode_logs(oracle.UnstakeRequested)[0].withdrawableAt)
    assert withdrawable_at >= reveal_end
    rounds.advance(rounds.timing(round_)[0])  # the attack's moment: the round's commit phase
    with ape.reverts(oracle.StakingStillUnbonding):
        oracle.withdraw(sender=attacker)

    # The attacker votes anyway: its 100 ETH are still bonded, so they are at risk in this
    # vote and stay locked until the ballot is settled.
    rounds.vote_sealed(
        round_, {attacker: bytes([LEGAL]), honest[0]: bytes([FRAUD]), honest[1]: bytes([FRAUD])}
    )
    (_, _, stake, revealed, _) = oracle.ballotOf(round_, attacker.address)
    assert revealed and stake == 100 * ETHER <= oracle.validatorInfo(attacker.address)[1]
    rounds.past_reveal(round_)
    with ape.reverts(oracle.StakingOpenBallots):
        oracle.withdraw(sender=attacker)
    assert_books_balance(oracle)


def test_reveal__stake_slashed_after_the_snapshot__weighs_what_is_still_bonded(
    deploy_oracle, requester, validators, chain, make_payload
):
    """Two rounds snapshot the same 100 ETH; a 50% slash settled in the first (non-reveal)
    leaves 50 ETH, and the vote in the second weighs 50, not the snapshot's 100."""
    oracle = deploy_oracle(maxProposalsPerRound=1, nonRevealSlashBps=5_000)
    rounds = Rounds.on(oracle, chain)
    v, other = validators[0], validators[1]
    oracle.stake(sender=v, value=100 * ETHER)
    oracle.stake(sender=other, value=100 * ETHER)
    rounds.fresh()
    first, second = submit_many(oracle, requester, make_payload, 2)
    r1, r2 = rounds.round_of(first), rounds.round_of(second)
    assert r2 == r1 + 1
    rounds.to_commit(r1)
    b1 = rounds.ballot(r1, v.address, bytes([LEGAL]))
    rounds.commit_ballot(b1, v)
    o1 = rounds.ballot(r1, other.address, bytes([LEGAL]))
    rounds.commit_ballot(o1, other)
    rounds.to_reveal(r1)  # = r2's commit phase
    rounds.reveal_ballot(o1, other)
    b2 = rounds.ballot(r2, v.address, bytes([LEGAL]))
    rounds.commit_ballot(b2, v)
    rounds.past_reveal(r1)
    oracle.finalize(first, sender=requester)
    settled = oracle.settle(r1, v.address, b"", sender=requester)  # v never revealed in r1
    assert int(settled.decode_logs(oracle.BallotSettled)[0].slashed) == 50 * ETHER

    rounds.to_reveal(r2)
    receipt = rounds.reveal_ballot(b2, v)

    assert int(receipt.decode_logs(oracle.VotesRevealed)[0].stake) == 50 * ETHER
    assert list(oracle.tallyOf(second, r2))[LEGAL] == 50 * ETHER
    assert_books_balance(oracle)


def test_constructor__unbonding_not_above_two_rounds_plus_reveal__reverts(deploy_oracle, project):
    """Without load a snapshot is taken up to 2D + R before its round's reveal phase ends (it
    is taken in the commit phase of the round before), so D + R + 1 let stake leave early."""
    d, r = ORACLE_CONFIG["roundDuration"], ORACLE_CONFIG["revealDuration"]
    with ape.reverts(project.VerdictOracle.GovernanceInvalidParameter, min=2 * d + r + 1):
        deploy_oracle(unbondingPeriod=2 * d + r)
    assert deploy_oracle(unbondingPeriod=2 * d + r + 1).timing()[3] == 2 * d + r + 1


def test_request_unstake__no_load__deadline_is_the_unbonding_period(
    oracle, validators, chain, rounds, submit
):
    """The extension only binds when the join cursor runs ahead: without load the stated
    unbonding period is the real one."""
    oracle.stake(sender=validators[0], value=10 * ETHER)
    round_ = rounds.fresh()
    submit()
    tx = oracle.requestUnstake(10 * ETHER, sender=validators[0])
    withdrawable_at = int(tx.decode_logs(oracle.UnstakeRequested)[0].withdrawableAt)
    assert withdrawable_at == tx.timestamp + oracle.timing()[3]
    assert withdrawable_at > rounds.timing(round_)[2]


# ------------------------------------------------------------------ item 5: bounded penalties


def settle_event(oracle, tx):
    (settled,) = tx.decode_logs(oracle.BallotSettled)
    return settled


def test_settle__missed_reveal_in_a_full_default_round__costs_non_reveal_bps_once(
    oracle, stake_all, new_round, voter, rounds, validators, stranger
):
    """Before: 1% per proposal, 64% of the stake for one missed reveal in a full default
    round of 64 proposals. Now: nonRevealSlashBps of the stake once per round."""
    stake_all()
    size = int(oracle.parameters().maxProposalsPerRound)
    round_, ids = new_round(size)
    assert len(rounds.ids(round_)) == size
    honest = bytes([LEGAL] * size)
    voter.vote(round_, {v: honest for v in validators}, reveal=validators[1:])
    rounds.past_reveal(round_)
    oracle.finalizeMany(ids, sender=stranger)

    tx = oracle.settle(round_, validators[0].address, b"", sender=stranger)

    expected = STAKE * int(oracle.parameters().nonRevealSlashBps) // BPS
    assert settle_event(oracle, tx).slashed == expected
    assert [(e.amount, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [
        (expected, NON_REVEAL)
    ]
    assert oracle.validatorInfo(validators[0]).active == STAKE - expected
    assert_books_balance(oracle)


def test_settle__incoherent_on_one_of_four_decided__slashes_a_quarter_of_the_rate(
    oracle, stake_all, new_round, voter, rounds, validators, stranger
):
    stake_all()
    round_, ids = new_round(4)
    dissent = verdicts_of(FRAUD, LEGAL, LEGAL, LEGAL)
    votes = {v: verdicts_of(LEGAL, LEGAL, LEGAL, LEGAL) for v in validators[1:]}
    voter.vote(round_, {validators[0]: dissent, **votes})
    rounds.past_reveal(round_)
    oracle.finalizeMany(ids, sender=stranger)
    assert all(oracle.verdictOf(i) == (FINALIZED, LEGAL) for i in ids)

    tx = oracle.settle(round_, validators[0].address, dissent, sender=stranger)

    rate = int(oracle.parameters().incoherentSlashBps)
    assert settle_event(oracle, tx).slashed == STAKE * rate * 1 // (BPS * 4)
    (slash,) = tx.decode_logs(oracle.Slashed)
    assert slash.reason == INCOHERENT
    assert_books_balance(oracle)


def test_settle__incoherent_share__counts_only_proposals_the_round_decided(
    oracle, stake_all, new_round, voter, rounds, validators, stranger
):
    """The second proposal splits 3-2 (no supermajority) and rolls: neither its reward nor
    its slash is in this round, so one incoherent vote of one decided is the full rate."""
    stake_all()
    round_, (decided, split) = new_round(2)
    votes = {
        validators[0]: verdicts_of(FRAUD, LEGAL),
        validators[1]: verdicts_of(LEGAL, LEGAL),
        validators[2]: verdicts_of(LEGAL, LEGAL),
        validators[3]: verdicts_of(LEGAL, FRAUD),
        validators[4]: verdicts_of(LEGAL, FRAUD),
    }
    voter.vote(round_, votes)
    rounds.past_reveal(round_)
    oracle.finalizeMany([decided, split], sender=stranger)
    assert oracle.verdictOf(decided) == (FINALIZED, LEGAL)
    assert rounds.round_of(split) != round_  # rolled on

    tx = oracle.settle(round_, validators[0].address, votes[validators[0]], sender=stranger)

    assert settle_event(oracle, tx).slashed == STAKE * int(oracle.parameters().incoherentSlashBps) // BPS


# ------------------------------------------------------------------ item 8: unclaimable fees


@pytest.fixture
def settled_but_one(oracle, stake_all, new_round, voter, rounds, validators, stranger):
    """Three equal winners share one fee (1 wei of rounding dust); the third never settles.
    Returns (round, the unsettled winner, what the two settled were paid)."""
    stake_all(who=validators[:3])
    round_, (pid,) = new_round(1)
    voter.vote(round_, {v: bytes([LEGAL]) for v in validators[:3]})
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=stranger)
    tx = oracle.settleMany(
        round_, [v.address for v in validators[:2]], [bytes([LEGAL])] * 2, sender=stranger
    )
    paid = sum(e.reward for e in tx.decode_logs(oracle.BallotSettled))
    return round_, validators[2], paid


def test_sweep_round_fees__within_the_settlement_window__reverts(
    oracle, settled_but_one, rounds, stranger
):
    round_, _, _ = settled_but_one
    opens_at = rounds.timing(round_)[2] + SETTLEMENT_WINDOW
    with ape.reverts(oracle.OracleRoundNotSweepable, round=round_, opensAt=opens_at):
        oracle.sweepRoundFees(round_, sender=stranger)


def test_sweep_round_fees__after_the_window__moves_dust_and_unsettled_rewards_to_the_reserve(
    oracle, settled_but_one, rounds, stranger
):
    round_, _, paid = settled_but_one
    fee = int(oracle.proposalFee())
    assert paid == 2 * (fee // 3)
    rounds.advance(rounds.timing(round_)[2] + SETTLEMENT_WINDOW)
    reserve, fees = oracle.slashedReserve(), oracle.undistributedFees()

    tx = oracle.sweepRoundFees(round_, sender=stranger)

    (swept,) = tx.decode_logs(oracle.RoundFeesSwept)
    assert (swept.round, swept.amount) == (round_, fee - paid)  # a third's share and the dust
    assert oracle.slashedReserve() == reserve + fee - paid
    assert oracle.undistributedFees() == fees - (fee - paid)
    assert_books_balance(oracle)
    with ape.reverts(oracle.OracleRoundNotSweepable):
        oracle.sweepRoundFees(round_, sender=stranger)


def test_settle__after_the_sweep__pays_no_reward_but_releases_the_exit_lock(
    oracle, settled_but_one, rounds, stranger
):
    round_, late, _ = settled_but_one
    oracle.requestUnstake(STAKE, sender=late)
    rounds.advance(rounds.timing(round_)[2] + SETTLEMENT_WINDOW)
    oracle.sweepRoundFees(round_, sender=stranger)
    with ape.reverts(oracle.StakingOpenBallots):
        oracle.withdraw(sender=late)

    tx = oracle.settle(round_, late.address, bytes([LEGAL]), sender=stranger)

    assert (settle_event(oracle, tx).reward, settle_event(oracle, tx).slashed) == (0, 0)
    assert oracle.claimable(late) == 0
    oracle.withdraw(sender=late)
    assert oracle.validatorInfo(late).unbonding == 0
    assert_books_balance(oracle)


def test_sweep_round_fees__round_not_final__reverts(
    oracle, stake_all, new_round, voter, rounds, validators, stranger
):
    stake_all()
    round_, _ = new_round(1)
    rounds.advance(rounds.timing(round_)[2] + SETTLEMENT_WINDOW)
    with ape.reverts(oracle.OracleRoundNotSettleable):
        oracle.sweepRoundFees(round_, sender=stranger)
