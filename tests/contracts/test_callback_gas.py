"""The callback deposit (issue 9, item 8): a requester that is called back prepays the
callback's gas at submit, and whoever finalizes (and so sends that gas) is credited it.

Replays the issue: before, a callback requester made every finalizer pay up to
`callbackGasLimit` gas per proposal uncompensated. Each test checks the books balance to the wei
(docs/protocol.md, "ETH accounting").
"""

from __future__ import annotations

import ape
import pytest
from eth_account import Account

from oracle.chain.params import Param
from tests.support.constants import (
    FINALIZED,
    LEGAL,
    NO_CONSENSUS,
    PENDING,
    PROPOSAL_FEE,
    eth_balance_of,
    verdicts_of,
)
from tests.support.signer_consent import set_signer

# CallbackProbe.Mode
PROBE_RECORD, PROBE_REVERT, PROBE_BURN_GAS = range(3)

pytestmark = pytest.mark.usefixtures("staked")


@pytest.fixture(scope="module")
def staked(stake_all):
    return stake_all()


@pytest.fixture(scope="module")
def probe(project, owner, oracle):
    return owner.deploy(project.CallbackProbe, oracle.address)


@pytest.fixture
def probe_submit(oracle, probe, owner, make_payload):
    """Factory: the probe (a callback requester) submits with the quoted value; the id."""

    def run(memo: str = "invoice", value: int | None = None) -> int:
        value = oracle.quoteSubmit(probe) if value is None else value
        tx = probe.submit(make_payload(memo=memo), sender=owner, value=value)
        return int(tx.decode_logs(oracle.ProposalSubmitted)[0].id)

    return run


@pytest.fixture
def vote_legal(validators, voter, rounds):
    """Every validator votes LEGAL on every proposal of `round_`; then past its reveal."""

    def run(round_: int) -> None:
        size = len(rounds.ids(round_))
        voter.vote(round_, {v: verdicts_of(*[LEGAL] * size) for v in validators})
        rounds.past_reveal(round_)

    return run


def deposit_now(oracle) -> int:
    params = oracle.parameters()
    return int(params.callbackGasLimit) * int(params.callbackGasPrice)


def assert_books_balance(oracle) -> None:
    assert oracle.balance == eth_balance_of(oracle)


# ------------------------------------------------------------------ quote and submit


def test_quote_submit__callback_requester__is_the_fee_plus_gas_limit_times_price(
    oracle, probe, requester
):
    deposit = deposit_now(oracle)
    assert deposit > 0
    assert oracle.quoteSubmit(probe) == PROPOSAL_FEE + deposit
    # An account without code is never called back, so it pays the fee alone.
    assert oracle.quoteSubmit(requester) == PROPOSAL_FEE


def test_submit__callback_requester_sends_the_fee_only__reverts_naming_the_needed_amount(
    oracle, probe, owner, make_payload, rounds
):
    rounds.fresh()
    needed = oracle.quoteSubmit(probe)
    count = oracle.proposalCount()
    with ape.reverts(oracle.OracleFeeTooLow, sent=needed - 1, required=needed):
        probe.submit(make_payload(), sender=owner, value=needed - 1)
    with ape.reverts(oracle.OracleFeeTooLow, sent=PROPOSAL_FEE, required=needed):
        probe.submit(make_payload(), sender=owner, value=PROPOSAL_FEE)
    assert oracle.proposalCount() == count


def test_submit__callback_requester_sends_the_quote__holds_the_deposit_apart_from_the_fee(
    oracle, probe, owner, make_payload, rounds
):
    rounds.fresh()
    fees_before = oracle.undistributedFees()
    extra = 7  # anything above the quote is fee, as for every requester
    tx = probe.submit(make_payload(), sender=owner, value=oracle.quoteSubmit(probe) + extra)

    (submitted,) = tx.decode_logs(oracle.ProposalSubmitted)
    (held,) = tx.decode_logs(oracle.CallbackDepositHeld)
    gas_limit = oracle.parameters().callbackGasLimit
    assert (held.id, held.gas, held.deposit) == (submitted.id, gas_limit, deposit_now(oracle))
    assert submitted.fee == oracle.proposal(submitted.id).fee == PROPOSAL_FEE + extra
    assert oracle.callbackDepositOf(submitted.id) == (gas_limit, deposit_now(oracle))
    assert oracle.undistributedFees() == fees_before + PROPOSAL_FEE + extra + deposit_now(oracle)
    assert_books_balance(oracle)


def test_submit__plain_account__pays_the_fee_only_and_holds_no_deposit(
    oracle, requester, make_payload
):
    tx = oracle.submit(make_payload(), sender=requester, value=PROPOSAL_FEE)
    (submitted,) = tx.decode_logs(oracle.ProposalSubmitted)
    assert not tx.decode_logs(oracle.CallbackDepositHeld)
    assert submitted.fee == PROPOSAL_FEE
    assert oracle.callbackDepositOf(submitted.id) == (0, 0)


# ------------------------------------------------------------------ the finalizer is paid


def test_finalize__callback_burns_all_its_gas__finalizer_is_credited_at_least_that_gas(
    oracle, probe, owner, stranger, probe_submit, vote_legal, rounds
):
    probe.setMode(PROBE_BURN_GAS, sender=owner)
    round_ = rounds.fresh()
    pid = probe_submit()
    vote_legal(round_)
    gas, deposit = oracle.callbackDepositOf(pid)
    owed_before = oracle.claimable(stranger)

    tx = oracle.finalize(pid, sender=stranger)

    # The callee burned its whole cap, and the finalizer is owed that gas at the oracle's price,
    # at least what the transaction paid per gas.
    assert tx.gas_used > gas
    assert deposit >= gas * tx.gas_price
    assert [(e.id, e.payee, e.deposit) for e in tx.decode_logs(oracle.CallbackDepositPaid)] == [
        (pid, stranger.address, deposit)
    ]
    assert oracle.claimable(stranger) == owed_before + deposit
    assert oracle.callbackDepositOf(pid) == (gas, 0)
    assert_books_balance(oracle)
    balance = stranger.balance
    claim = oracle.claim(sender=stranger)
    assert stranger.balance == balance + owed_before + deposit - claim.total_fees_paid


def test_finalize__callback_reverts__finalizer_is_still_credited(
    oracle, probe, owner, stranger, probe_submit, vote_legal, rounds
):
    probe.setMode(PROBE_REVERT, sender=owner)
    round_ = rounds.fresh()
    pid = probe_submit()
    vote_legal(round_)
    _, deposit = oracle.callbackDepositOf(pid)
    owed_before = oracle.claimable(stranger)

    tx = oracle.finalize(pid, sender=stranger)

    assert len(tx.decode_logs(oracle.CallbackFailed)) == 1
    assert oracle.verdictOf(pid) == (FINALIZED, LEGAL)
    assert oracle.claimable(stranger) == owed_before + deposit
    assert_books_balance(oracle)


def test_finalize_many__callback_proposals__pays_each_deposit_once_and_a_replay_pays_nothing(
    oracle, probe, owner, stranger, relayer, probe_submit, vote_legal, rounds
):
    probe.setMode(PROBE_RECORD, sender=owner)
    round_ = rounds.fresh()
    ids = [probe_submit(memo=m) for m in ("a", "b", "c")]
    vote_legal(round_)
    deposits = [oracle.callbackDepositOf(pid)[1] for pid in ids]
    owed_before = oracle.claimable(stranger)

    tx = oracle.finalizeMany(ids, sender=stranger)

    assert [(e.id, e.payee) for e in tx.decode_logs(oracle.CallbackDepositPaid)] == [
        (pid, stranger.address) for pid in ids
    ]
    assert oracle.claimable(stranger) == owed_before + sum(deposits)
    assert probe.calls() == len(ids)
    # Sent again (by anyone): every element is skipped, no callback, nothing paid twice.
    relayer_owed = oracle.claimable(relayer)
    replay = oracle.finalizeMany(ids, sender=relayer)
    assert not replay.decode_logs(oracle.CallbackDepositPaid)
    assert len(replay.decode_logs(oracle.BatchElementSkipped)) == len(ids)
    assert (oracle.claimable(relayer), oracle.claimable(stranger)) == (
        relayer_owed,
        owed_before + sum(deposits),
    )
    with ape.reverts(oracle.OracleProposalNotPending):
        oracle.finalize(ids[0], sender=relayer)
    assert probe.calls() == len(ids)
    assert_books_balance(oracle)


def test_finalize__rolled_then_no_consensus__deposit_held_until_the_final_callback(
    oracle, probe, owner, stranger, relayer, probe_submit, rounds
):
    probe.setMode(PROBE_RECORD, sender=owner)
    round_ = rounds.fresh()
    pid = probe_submit()
    gas, deposit = oracle.callbackDepositOf(pid)
    owed = (oracle.claimable(stranger), oracle.claimable(relayer), oracle.claimable(probe))
    # Nobody votes: the first finalize rolls the proposal (maxRounds = 2): no callback, no pay.
    rounds.past_reveal(round_)
    rolled = oracle.finalize(pid, sender=stranger)
    assert rolled.decode_logs(oracle.ProposalRolled)
    assert not rolled.decode_logs(oracle.CallbackDepositPaid)
    assert oracle.callbackDepositOf(pid) == (gas, deposit)
    assert oracle.claimable(stranger) == owed[0]
    assert probe.calls() == 0

    # The second ends NoConsensus: the callback is made, so this finalizer gets the deposit
    # and the requester its fee back.
    rounds.past_reveal(rounds.round_of(pid))
    final = oracle.finalize(pid, sender=relayer)

    assert oracle.verdictOf(pid)[0] == NO_CONSENSUS
    assert (probe.calls(), probe.lastStatus()) == (1, NO_CONSENSUS)
    assert [(e.payee, e.deposit) for e in final.decode_logs(oracle.CallbackDepositPaid)] == [
        (relayer.address, deposit)
    ]
    assert (oracle.claimable(stranger), oracle.claimable(relayer), oracle.claimable(probe)) == (
        owed[0],
        owed[1] + deposit,
        owed[2] + PROPOSAL_FEE,
    )
    assert oracle.callbackDepositOf(pid) == (gas, 0)
    assert_books_balance(oracle)


def test_finalize__sent_by_a_validators_signer_key__credits_its_operator(
    oracle, probe, owner, accounts, validators, probe_submit, vote_legal, rounds
):
    operator, hot = validators[0], accounts[12]
    set_signer(oracle, operator, Account.from_key(hot.private_key))
    round_ = rounds.fresh()
    pid = probe_submit()
    vote_legal(round_)
    _, deposit = oracle.callbackDepositOf(pid)
    owed = (oracle.claimable(operator), oracle.claimable(hot))

    tx = oracle.finalize(pid, sender=hot)

    # The hot key holds nothing; the operator claims as it claims its rewards.
    assert [e.payee for e in tx.decode_logs(oracle.CallbackDepositPaid)] == [operator.address]
    assert (oracle.claimable(operator), oracle.claimable(hot)) == (owed[0] + deposit, owed[1])
    assert_books_balance(oracle)


def test_finalize__parameters_changed_after_submit__callback_gets_the_gas_it_prepaid(
    oracle, probe, owner, stranger, probe_submit, vote_legal, rounds
):
    probe.setMode(PROBE_BURN_GAS, sender=owner)
    round_ = rounds.fresh()
    pid = probe_submit()
    gas, deposit = oracle.callbackDepositOf(pid)
    # The owner raises the gas and its price after the submit: the proposal keeps both.
    new_gas, new_price = 5 * gas, 3 * (deposit // gas)
    oracle.setParameter(Param.callbackGasLimit, new_gas, sender=owner)
    oracle.setParameter(Param.callbackGasPrice, new_price, sender=owner)
    vote_legal(round_)

    tx = oracle.finalize(pid, sender=stranger)

    assert [e.deposit for e in tx.decode_logs(oracle.CallbackDepositPaid)] == [deposit]
    # The callee burned its prepaid cap, not the new, larger limit; new submits pay the new price.
    assert gas < tx.gas_used < new_gas
    assert oracle.quoteSubmit(probe) == PROPOSAL_FEE + new_gas * new_price


def test_finalize__plain_account_proposal__pays_no_deposit(
    oracle, requester, stranger, make_payload, vote_legal, rounds
):
    round_ = rounds.fresh()
    tx = oracle.submit(make_payload(), sender=requester, value=PROPOSAL_FEE)
    pid = int(tx.decode_logs(oracle.ProposalSubmitted)[0].id)
    vote_legal(round_)
    owed = oracle.claimable(stranger)

    final = oracle.finalize(pid, sender=stranger)

    assert not final.decode_logs(oracle.CallbackDepositPaid)
    assert oracle.claimable(stranger) == owed
    assert oracle.verdictOf(pid)[0] != PENDING


def test_treasury__request_with_the_fee_only__reverts_naming_the_quote(
    oracle, treasury, owner, rounds
):
    rounds.fresh()
    needed = oracle.quoteSubmit(treasury)
    assert needed == PROPOSAL_FEE + deposit_now(oracle)
    with ape.reverts(oracle.OracleFeeTooLow, sent=PROPOSAL_FEE, required=needed):
        treasury.requestTransfer(owner.address, 1, "rent", sender=owner, value=PROPOSAL_FEE)


def test_finalize__callback_at_the_largest_gas_and_price__fits_a_transaction_and_pays_it_whole(
    oracle, probe, owner, stranger, accounts, probe_submit, vote_legal, rounds
):
    # 2,000,000 gas x 10^15 wei: the largest deposit (2,000 ETH) still fits its field.
    oracle.setParameter(Param.callbackGasLimit, 2_000_000, sender=owner)
    oracle.setParameter(Param.callbackGasPrice, 10**15, sender=owner)
    probe.setMode(PROBE_BURN_GAS, sender=owner)
    payer = accounts[13]
    round_ = rounds.fresh()
    value = oracle.quoteSubmit(probe)
    assert value == PROPOSAL_FEE + 2 * 10**21
    tx = probe.submit(b"largest", sender=payer, value=value)
    pid = int(tx.decode_logs(oracle.ProposalSubmitted)[0].id)
    assert oracle.callbackDepositOf(pid) == (2_000_000, 2 * 10**21)
    vote_legal(round_)
    owed = oracle.claimable(stranger)

    final = oracle.finalize(pid, sender=stranger)

    assert 2_000_000 < final.gas_used < 2**24  # EIP-7825's per-transaction cap
    assert oracle.claimable(stranger) == owed + 2 * 10**21
    assert_books_balance(oracle)
