"""Staking, signer keys, unbonding and withdrawal (IValidatorStaking)."""

from __future__ import annotations

import ape
from eth_account import Account

from tests.support.constants import (
    LEGAL,
    MIN_STAKE,
    STAKE,
    UNBONDING_PERIOD,
    eth_balance_of,
    verdicts_of,
)
from tests.support.signer_consent import set_signer


def unstake_all(oracle, staker, sender) -> int:
    """`staker` asks to unstake its whole STAKE; the time it becomes withdrawable."""
    tx = staker.requestUnstake(STAKE, sender=sender)
    return tx.decode_logs(oracle.UnstakeRequested)[0].withdrawableAt


def test_stake__first_stake__registers_validator_as_its_own_signer(oracle, validators):
    v = validators[0]
    tx = oracle.stake(sender=v, value=STAKE)

    assert [(e.validator, e.amount, e.active) for e in tx.decode_logs(oracle.Staked)] == [
        (v.address, STAKE, STAKE)
    ]
    assert [(e.validator, e.signer) for e in tx.decode_logs(oracle.SignerSet)] == [
        (v.address, v.address)
    ]
    active, unbonding, withdrawable_at, signer = oracle.validatorInfo(v)
    assert (active, unbonding, withdrawable_at, signer) == (STAKE, 0, 0, v.address)
    assert oracle.operatorOf(v) == v.address
    assert oracle.totalActive() == STAKE


def test_stake__top_up__adds_to_active_stake(oracle, validators):
    v = validators[0]
    oracle.stake(sender=v, value=STAKE)
    tx = oracle.stake(sender=v, value=1)

    assert tx.decode_logs(oracle.Staked)[0].active == STAKE + 1
    assert oracle.validatorInfo(v).active == STAKE + 1
    assert not tx.decode_logs(oracle.SignerSet)  # registered once


def test_stake__zero_value__reverts(oracle, validators):
    with ape.reverts(oracle.StakingZeroAmount):
        oracle.stake(sender=validators[0], value=0)


def test_stake__below_minimum__reverts(oracle, validators):
    with ape.reverts(oracle.StakingBelowMinimum, amount=MIN_STAKE - 1, minStake=MIN_STAKE):
        oracle.stake(sender=validators[0], value=MIN_STAKE - 1)


def test_stake__address_already_another_operators_signer__reverts(oracle, validators):
    first, second = validators[:2]
    oracle.stake(sender=first, value=STAKE)
    set_signer(oracle, first, second)

    with ape.reverts(oracle.StakingSignerTaken, signer=second.address, operator=first.address):
        oracle.stake(sender=second, value=STAKE)


def test_stake_at__past_timepoint__reads_the_checkpoint_then(oracle, validators, chain):
    v = validators[0]
    oracle.stake(sender=v, value=STAKE)
    first = chain.blocks.head.timestamp
    chain.mine(timestamp=first + 10)
    oracle.stake(sender=v, value=STAKE)
    second = chain.blocks.head.timestamp

    assert oracle.stakeAt(v, first - 1) == 0
    assert oracle.stakeAt(v, first) == STAKE
    assert oracle.stakeAt(v, second) == 2 * STAKE
    assert oracle.totalStakeAt(first) == STAKE
    assert oracle.totalStakeAt(second) == 2 * STAKE


def test_set_signer__new_key__maps_signer_to_operator(oracle, validators):
    v = validators[0]
    key = Account.create()
    oracle.stake(sender=v, value=STAKE)
    tx = set_signer(oracle, v, key)

    assert [(e.validator, e.signer) for e in tx.decode_logs(oracle.SignerSet)] == [
        (v.address, key.address)
    ]
    assert oracle.validatorInfo(v).signer == key.address
    assert oracle.operatorOf(key.address) == v.address


def test_set_signer__back_to_a_previous_own_key__succeeds(oracle, validators):
    v = validators[0]
    key = Account.create()
    oracle.stake(sender=v, value=STAKE)
    set_signer(oracle, v, key)
    oracle.setSigner(v.address, 0, b"", sender=v)  # its own address: no acceptance needed

    assert oracle.validatorInfo(v).signer == v.address
    assert oracle.operatorOf(key.address) == v.address  # a signer stays bound to its operator


def test_set_signer__caller_never_staked__reverts(oracle, stranger):
    with ape.reverts(oracle.StakingNotValidator, account=stranger.address):
        set_signer(oracle, stranger, Account.create())


def test_set_signer__zero_address__reverts(oracle, validators):
    oracle.stake(sender=validators[0], value=STAKE)
    with ape.reverts(oracle.StakingZeroSigner):
        oracle.setSigner("0x" + "00" * 20, 0, b"", sender=validators[0])


def test_set_signer__key_of_another_operator__reverts(oracle, validators):
    first, second = validators[:2]
    oracle.stake(sender=first, value=STAKE)
    oracle.stake(sender=second, value=STAKE)

    with ape.reverts(oracle.StakingSignerTaken, signer=first.address, operator=first.address):
        set_signer(oracle, second, first)


def test_request_unstake__part__moves_it_to_unbonding_and_drops_voting_power(
    oracle, validators, chain
):
    v = validators[0]
    oracle.stake(sender=v, value=STAKE)
    tx = oracle.requestUnstake(STAKE - MIN_STAKE, sender=v)
    now = chain.blocks.head.timestamp

    event = tx.decode_logs(oracle.UnstakeRequested)[0]
    assert (event.validator, event.amount, event.withdrawableAt) == (
        v.address,
        STAKE - MIN_STAKE,
        now + UNBONDING_PERIOD,
    )
    assert oracle.validatorInfo(v)[:3] == (MIN_STAKE, STAKE - MIN_STAKE, now + UNBONDING_PERIOD)
    assert oracle.totalActive() == MIN_STAKE
    assert oracle.totalUnbonding() == STAKE - MIN_STAKE
    assert oracle.stakeAt(v, now) == MIN_STAKE


def test_request_unstake__caller_never_staked__reverts(oracle, stranger):
    with ape.reverts(oracle.StakingNotValidator):
        oracle.requestUnstake(1, sender=stranger)


def test_request_unstake__zero__reverts(oracle, validators):
    oracle.stake(sender=validators[0], value=STAKE)
    with ape.reverts(oracle.StakingZeroAmount):
        oracle.requestUnstake(0, sender=validators[0])


def test_request_unstake__more_than_active__reverts(oracle, validators):
    oracle.stake(sender=validators[0], value=STAKE)
    with ape.reverts(oracle.StakingInsufficientActive, requested=STAKE + 1, active=STAKE):
        oracle.requestUnstake(STAKE + 1, sender=validators[0])


def test_request_unstake__leaving_dust_below_minimum__reverts(oracle, validators):
    oracle.stake(sender=validators[0], value=STAKE)
    with ape.reverts(oracle.StakingBelowMinimum, amount=1, minStake=MIN_STAKE):
        oracle.requestUnstake(STAKE - 1, sender=validators[0])


def test_withdraw__after_unbonding__pays_out_the_unbonded_stake(oracle, validators, advance_to):
    v = validators[0]
    oracle.stake(sender=v, value=STAKE)
    withdrawable_at = unstake_all(oracle, oracle, v)
    advance_to(withdrawable_at)
    before = v.balance

    tx = oracle.withdraw(sender=v)

    assert [(e.validator, e.amount) for e in tx.decode_logs(oracle.Withdrawn)] == [
        (v.address, STAKE)
    ]
    assert v.balance == before + STAKE - tx.total_fees_paid
    assert oracle.validatorInfo(v).unbonding == 0
    assert oracle.totalUnbonding() == 0
    assert oracle.balance == eth_balance_of(oracle)


def test_withdraw__before_unbonding_ends__reverts(oracle, validators):
    v = validators[0]
    oracle.stake(sender=v, value=STAKE)
    oracle.requestUnstake(STAKE, sender=v)
    with ape.reverts(oracle.StakingStillUnbonding):
        oracle.withdraw(sender=v)


def test_withdraw__nothing_unbonding__reverts(oracle, validators):
    oracle.stake(sender=validators[0], value=STAKE)
    with ape.reverts(oracle.StakingNothingToWithdraw, validator=validators[0].address):
        oracle.withdraw(sender=validators[0])


def test_withdraw__committed_ballot_not_settled__reverts_until_settled(
    oracle, validators, open_round, voter, rounds, advance_to
):
    round_, (pid,) = open_round(1)
    v = validators[0]
    voter.vote(round_, {w: verdicts_of(LEGAL) for w in validators})
    withdrawable_at = unstake_all(oracle, oracle, v)
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=v)
    advance_to(withdrawable_at)

    with ape.reverts(oracle.StakingOpenBallots, validator=v.address, openBallots=1):
        oracle.withdraw(sender=v)
    oracle.settle(round_, v.address, verdicts_of(LEGAL), sender=v)
    assert oracle.openBallotsOf(v) == 0
    assert oracle.withdraw(sender=v).decode_logs(oracle.Withdrawn)[0].amount == STAKE


def test_withdraw__receiver_rejects_ether__reverts(oracle, project, owner, advance_to):
    rejecter = owner.deploy(project.EtherRejecter, oracle.address)
    rejecter.stake(sender=owner, value=STAKE)
    withdrawable_at = unstake_all(oracle, rejecter, owner)
    advance_to(withdrawable_at)

    with ape.reverts(oracle.EthTransferFailed, to=rejecter.address, amount=STAKE):
        rejecter.withdraw(sender=owner)
