"""GuardedTreasury end to end on the real oracle: the treasury submits its own transfer
request, validators (test accounts) commit and reveal, anyone finalizes, the oracle calls
the treasury back, and only a `legal` verdict lets the ETH leave.
"""

from __future__ import annotations

import ape
import pytest

from tests.support.constants import FINALIZED, FRAUD, ILLICIT, LEGAL, NO_CONSENSUS
from tests.support.constants import REQUEST_APPROVED as APPROVED
from tests.support.constants import REQUEST_CANCELLED as CANCELLED
from tests.support.constants import REQUEST_EXECUTED as EXECUTED
from tests.support.constants import REQUEST_PENDING as PENDING_STATE
from tests.support.constants import REQUEST_REJECTED as REJECTED

RECIPIENT = "0x000000000000000000000000000000000000bEEF"
AMOUNT = 5 * 10**18


@pytest.fixture(scope="module")
def voters(stake_all):
    """The five validators, staked (ape reverts to this state after every test)."""
    return stake_all()


@pytest.fixture
def request_transfer(treasury, oracle, owner, voters, driver):
    """Factory: the treasury asks the oracle about a transfer; returns (request id, round)."""

    def make(memo: str = "invoice 2291 for design work", to: str = RECIPIENT) -> tuple[int, int]:
        tx = treasury.requestTransfer(
            to, AMOUNT, memo, sender=owner, value=oracle.quoteSubmit(treasury)
        )
        (event,) = tx.decode_logs(treasury.TransferRequested)
        return int(event.requestId), driver.round_of(int(event.requestId))

    return make


def judge(driver, round_: int, verdicts: list[int], voters) -> None:
    """Each voter commits and reveals its verdict on the round's only proposal."""
    driver.vote_sealed(
        round_, {v: bytes([verdict]) for v, verdict in zip(voters, verdicts, strict=True)}
    )


def finalize(oracle, driver, request_id: int, round_: int, finalizer) -> object:
    driver.past_reveal(round_)
    return oracle.finalize(request_id, sender=finalizer)


def test_legal_verdict__callback_approves__execute_sends_the_eth(
    treasury, oracle, owner, stranger, voters, driver, request_transfer, chain
):
    request_id, round_ = request_transfer()
    judge(driver, round_, [LEGAL, LEGAL, LEGAL, LEGAL, FRAUD], voters)

    tx = finalize(oracle, driver, request_id, round_, stranger)

    assert len(tx.decode_logs(treasury.TransferApproved)) == 1
    assert tuple(oracle.verdictOf(request_id)) == (FINALIZED, LEGAL)
    assert int(treasury.requestOf(request_id).state) == APPROVED
    treasury_before = treasury.balance
    recipient_before = chain.provider.get_balance(RECIPIENT)

    executed = treasury.execute(request_id, sender=owner)

    assert len(executed.decode_logs(treasury.TransferExecuted)) == 1
    assert chain.provider.get_balance(RECIPIENT) == recipient_before + AMOUNT
    assert treasury.balance == treasury_before - AMOUNT
    assert int(treasury.requestOf(request_id).state) == EXECUTED
    assert treasury.reserved() == 0


def test_legal_verdict__executed_twice__reverts_already_executed(
    treasury, oracle, owner, stranger, voters, driver, request_transfer
):
    request_id, round_ = request_transfer()
    judge(driver, round_, [LEGAL] * 5, voters)
    finalize(oracle, driver, request_id, round_, stranger)
    treasury.execute(request_id, sender=owner)
    balance_after_first = treasury.balance

    with ape.reverts(treasury.TreasuryAlreadyExecuted):
        treasury.execute(request_id, sender=owner)
    assert treasury.balance == balance_after_first


def test_fraud_verdict__execute__reverts_and_funds_stay(
    treasury, oracle, owner, stranger, voters, driver, request_transfer, chain
):
    request_id, round_ = request_transfer(memo="verify your wallet to claim the airdrop")
    judge(driver, round_, [FRAUD, FRAUD, FRAUD, FRAUD, LEGAL], voters)
    tx = finalize(oracle, driver, request_id, round_, stranger)
    assert len(tx.decode_logs(treasury.TransferRejected)) == 1
    treasury_before = treasury.balance
    recipient_before = chain.provider.get_balance(RECIPIENT)

    with ape.reverts(treasury.TreasuryTransferNotApproved):
        treasury.execute(request_id, sender=owner)

    assert tuple(oracle.verdictOf(request_id)) == (FINALIZED, FRAUD)
    assert int(treasury.requestOf(request_id).state) == REJECTED
    assert treasury.balance == treasury_before
    assert chain.provider.get_balance(RECIPIENT) == recipient_before
    assert treasury.reserved() == 0  # the rejected amount is free for other requests


def test_pending_verdict__execute__reverts(treasury, owner, request_transfer):
    request_id, _ = request_transfer()

    with ape.reverts(treasury.TreasuryTransferNotApproved):
        treasury.execute(request_id, sender=owner)
    assert int(treasury.requestOf(request_id).state) == PENDING_STATE


def test_no_consensus__execute_reverts__fee_refunded_to_the_treasury(
    treasury, oracle, owner, stranger, voters, driver, request_transfer
):
    request_id, first_round = request_transfer()
    # Round 1: a split vote (no class reaches the supermajority) rolls the proposal on.
    judge(driver, first_round, [LEGAL, LEGAL, FRAUD, FRAUD, ILLICIT], voters)
    rolled = finalize(oracle, driver, request_id, first_round, stranger)
    (roll,) = rolled.decode_logs(oracle.ProposalRolled)
    assert oracle.parameters().maxRounds == 2
    # Round 2 (the last): split again, so the oracle gives up.
    second_round = int(roll.toRound)
    judge(driver, second_round, [LEGAL, FRAUD, FRAUD, ILLICIT, ILLICIT], voters)
    tx = finalize(oracle, driver, request_id, second_round, stranger)
    assert len(tx.decode_logs(treasury.TransferRejected)) == 1
    assert tuple(oracle.verdictOf(request_id)) == (NO_CONSENSUS, 0)
    treasury_before = treasury.balance

    with ape.reverts(treasury.TreasuryTransferNotApproved):
        treasury.execute(request_id, sender=owner)

    assert treasury.balance == treasury_before
    fee = oracle.proposal(request_id).fee
    assert oracle.claimable(treasury) == fee
    treasury.claimOracleRefund(sender=owner)
    assert treasury.balance == treasury_before + fee


def test_on_verdict__called_by_anyone_but_the_oracle__reverts(treasury, stranger, request_transfer):
    """Otherwise anyone could approve a transfer by calling the callback themselves."""
    request_id, _ = request_transfer()

    with ape.reverts(treasury.TreasuryNotOracle):
        treasury.onVerdict(request_id, FINALIZED, LEGAL, sender=stranger)
    assert int(treasury.requestOf(request_id).state) == PENDING_STATE


# ------------------------------------------------------------------ cancel and expiry


@pytest.fixture
def rejecter(project, owner, oracle):
    """A recipient contract whose receive() always reverts."""
    return owner.deploy(project.EtherRejecter, oracle.address)


@pytest.fixture
def approved_to_rejecter(treasury, oracle, stranger, voters, driver, request_transfer, rejecter):
    """A request to pay `rejecter`, judged legal and approved; returns its id."""
    request_id, round_ = request_transfer(to=rejecter.address)
    judge(driver, round_, [LEGAL] * len(voters), voters)
    finalize(oracle, driver, request_id, round_, stranger)
    assert int(treasury.requestOf(request_id).state) == APPROVED
    return request_id


def test_execute__recipient_rejects_eth__reverts_and_reserve_stays(
    treasury, owner, approved_to_rejecter, rejecter
):
    with ape.reverts(treasury.EthTransferFailed, to=rejecter.address, amount=AMOUNT):
        treasury.execute(approved_to_rejecter, sender=owner)
    assert treasury.reserved() == AMOUNT
    assert int(treasury.requestOf(approved_to_rejecter).state) == APPROVED


def test_cancel__approved_request_to_rejecting_recipient__frees_the_reserve(
    treasury, oracle, owner, approved_to_rejecter, request_transfer
):
    balance = treasury.balance

    tx = treasury.cancel(approved_to_rejecter, sender=owner)

    assert [e.requestId for e in tx.decode_logs(treasury.TransferCancelled)] == [
        approved_to_rejecter
    ]
    assert treasury.reserved() == 0
    assert treasury.balance == balance  # nothing left, it is only free again
    assert int(treasury.requestOf(approved_to_rejecter).state) == CANCELLED
    with ape.reverts(treasury.TreasuryTransferNotApproved):
        treasury.execute(approved_to_rejecter, sender=owner)
    # The freed ETH backs a new request: all of it but what submit costs can be asked for.
    value = oracle.quoteSubmit(treasury)
    treasury.requestTransfer(RECIPIENT, balance - value, "all of it", sender=owner, value=value)


def test_cancel__by_anyone_but_the_owner__reverts(treasury, stranger, approved_to_rejecter):
    with ape.reverts(treasury.OwnableUnauthorizedAccount, account=stranger.address):
        treasury.cancel(approved_to_rejecter, sender=stranger)
    assert treasury.reserved() == AMOUNT


def test_cancel__pending_request__frees_the_reserve_and_a_later_verdict_is_ignored(
    treasury, oracle, owner, stranger, voters, driver, request_transfer
):
    request_id, round_ = request_transfer()
    treasury.cancel(request_id, sender=owner)
    assert treasury.reserved() == 0

    judge(driver, round_, [LEGAL] * len(voters), voters)
    tx = finalize(oracle, driver, request_id, round_, stranger)

    assert tuple(oracle.verdictOf(request_id)) == (FINALIZED, LEGAL)
    assert tx.decode_logs(treasury.TransferApproved) == []
    assert int(treasury.requestOf(request_id).state) == CANCELLED
    assert treasury.reserved() == 0


def test_cancel__executed_request__reverts_not_cancellable(
    treasury, oracle, owner, stranger, voters, driver, request_transfer
):
    request_id, round_ = request_transfer()
    judge(driver, round_, [LEGAL] * len(voters), voters)
    finalize(oracle, driver, request_id, round_, stranger)
    treasury.execute(request_id, sender=owner)

    with ape.reverts(treasury.TreasuryNotCancellable, requestId=request_id, state=EXECUTED):
        treasury.cancel(request_id, sender=owner)


def test_expire__before_the_window_ends__reverts(treasury, stranger, approved_to_rejecter, chain):
    deadline = treasury.expiresAt(approved_to_rejecter)
    # Approved by the finalize transaction, the latest block.
    assert deadline == chain.blocks.head.timestamp + treasury.EXECUTION_WINDOW()

    with ape.reverts(
        treasury.TreasuryApprovalNotExpired, requestId=approved_to_rejecter, expiresAt=deadline
    ):
        treasury.expire(approved_to_rejecter, sender=stranger)
    assert treasury.reserved() == AMOUNT


def test_expire__after_the_window__anyone_frees_the_reserve_and_execute_reverts(
    treasury, owner, stranger, approved_to_rejecter, driver
):
    deadline = int(treasury.expiresAt(approved_to_rejecter))
    driver.advance(deadline)

    with ape.reverts(
        treasury.TreasuryApprovalExpired, requestId=approved_to_rejecter, expiredAt=deadline
    ):
        treasury.execute(approved_to_rejecter, sender=owner)
    tx = treasury.expire(approved_to_rejecter, sender=stranger)

    assert [(e.requestId, e.expiredAt) for e in tx.decode_logs(treasury.TransferExpired)] == [
        (approved_to_rejecter, deadline)
    ]
    assert treasury.reserved() == 0
    assert int(treasury.requestOf(approved_to_rejecter).state) == CANCELLED
