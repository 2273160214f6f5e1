"""Verdict callbacks (IVerdictCallback) and the GuardedTreasury consumer built on them."""

from __future__ import annotations

import ape
import pytest
from tests.support.constants import FINALIZED, FRAUD, LEGAL, NO_CONSENSUS, PENDING, PROPOSAL_FEE, TX_REQUEST_TYPE
from eth_abi import decode

# GuardedTreasury.RequestState
from tests.support.constants import REQUEST_APPROVED as REQ_APPROVED
from tests.support.constants import REQUEST_EXECUTED as REQ_EXECUTED
from tests.support.constants import REQUEST_PENDING as REQ_PENDING
from tests.support.constants import REQUEST_REJECTED as REQ_REJECTED
from oracle.chain.params import Param

PAYEE = "0x00000000000000000000000000000000000000A1"
AMOUNT = 2 * 10**18

pytestmark = pytest.mark.usefixtures("staked")


@pytest.fixture(scope="module")
def staked(stake_all, treasury):
    return stake_all()


@pytest.fixture
def decide(oracle, validators, voter, rounds, stranger):
    """Factory: every validator votes `verdict` on proposal `pid`'s round; then finalize it."""

    def run(pid: int, verdict: int, **tx_args):
        round_ = rounds.round_of(pid)
        size = len(rounds.ids(round_))
        voter.vote(round_, {v: bytes([verdict] * size) for v in validators})
        rounds.past_reveal(round_)
        return oracle.finalize(pid, sender=stranger, **tx_args)

    return run


@pytest.fixture
def request_transfer(oracle, treasury, owner, rounds):
    """Factory: the owner asks for a transfer in a fresh round; returns the request id."""

    def run(
        to: str = PAYEE, amount: int = AMOUNT, memo: str = "invoice 2291 for design work"
    ) -> int:
        rounds.fresh()
        tx = treasury.requestTransfer(
            to, amount, memo, sender=owner, value=oracle.quoteSubmit(treasury)
        )
        return int(tx.decode_logs(treasury.TransferRequested)[0].requestId)

    return run


def test_request_transfer__submits_the_tx_request_it_built_itself(
    oracle, treasury, owner, rounds, chain
):
    rounds.fresh()
    tx = treasury.requestTransfer(
        PAYEE, AMOUNT, "rent for March", sender=owner, value=oracle.quoteSubmit(treasury)
    )

    requested = tx.decode_logs(treasury.TransferRequested)[0]
    submitted = tx.decode_logs(oracle.ProposalSubmitted)[0]
    assert (requested.to, requested.amount, requested.memo) == (PAYEE, AMOUNT, "rent for March")
    assert submitted.id == requested.requestId
    assert submitted.requester == treasury.address
    chain_id, sender, to, value, data, memo = decode([TX_REQUEST_TYPE], bytes(submitted.payload))[0]
    assert (chain_id, sender.lower(), to.lower(), value, data, memo) == (
        chain.chain_id,
        treasury.address.lower(),
        PAYEE.lower(),
        AMOUNT,
        b"",
        "rent for March",
    )
    assert treasury.requestOf(requested.requestId) == (REQ_PENDING, PAYEE, AMOUNT)
    assert treasury.reserved() == AMOUNT


def test_treasury__legal_verdict__callback_approves_and_owner_executes_once(
    oracle, treasury, owner, request_transfer, decide
):
    rid = request_transfer()
    finalize_tx = decide(rid, LEGAL)
    assert [e.requestId for e in finalize_tx.decode_logs(treasury.TransferApproved)] == [rid]
    assert treasury.requestOf(rid).state == REQ_APPROVED
    payee_before = int(ape.chain.provider.get_balance(PAYEE))

    tx = treasury.execute(rid, sender=owner)

    assert [(e.requestId, e.to, e.amount) for e in tx.decode_logs(treasury.TransferExecuted)] == [
        (rid, PAYEE, AMOUNT)
    ]
    assert int(ape.chain.provider.get_balance(PAYEE)) == payee_before + AMOUNT
    assert treasury.requestOf(rid).state == REQ_EXECUTED
    assert treasury.reserved() == 0
    with ape.reverts(treasury.TreasuryAlreadyExecuted, requestId=rid):
        treasury.execute(rid, sender=owner)


def test_treasury__fraud_verdict__rejects_and_releases_funds(
    treasury, owner, request_transfer, decide
):
    rid = request_transfer()
    finalize_tx = decide(rid, FRAUD)
    assert [
        (e.requestId, e.status, e.verdict)
        for e in finalize_tx.decode_logs(treasury.TransferRejected)
    ] == [(rid, FINALIZED, FRAUD)]
    assert treasury.reserved() == 0
    with ape.reverts(
        treasury.TreasuryTransferNotApproved, requestId=rid, status=FINALIZED, verdict=FRAUD
    ):
        treasury.execute(rid, sender=owner)


def test_treasury__execute_before_verdict__reverts_pending(treasury, owner, request_transfer):
    rid = request_transfer()
    with ape.reverts(
        treasury.TreasuryTransferNotApproved, requestId=rid, status=PENDING, verdict=0
    ):
        treasury.execute(rid, sender=owner)


def test_treasury__no_consensus__rejects_and_owner_recovers_the_fee(
    oracle, treasury, owner, request_transfer, rounds, stranger
):
    rid = request_transfer()
    rounds.past_reveal(rounds.round_of(rid))
    oracle.finalize(rid, sender=stranger)  # rolls
    rounds.past_reveal(rounds.round_of(rid))
    tx = oracle.finalize(rid, sender=stranger)  # no consensus after maxRounds

    assert [(e.status, e.verdict) for e in tx.decode_logs(treasury.TransferRejected)] == [
        (NO_CONSENSUS, 0)
    ]
    before = treasury.balance
    treasury.claimOracleRefund(sender=owner)
    assert treasury.balance == before + PROPOSAL_FEE


def test_treasury__callback_failed_on_rejection__sync_verdict_frees_the_reserve(
    oracle, treasury, owner, request_transfer, decide, stranger
):
    # Too little for the rejection bookkeeping.
    oracle.setParameter(Param.callbackGasLimit, 10_000, sender=owner)
    rid = request_transfer()
    finalize_tx = decide(rid, FRAUD)
    assert [e.id for e in finalize_tx.decode_logs(oracle.CallbackFailed)] == [rid]
    assert treasury.requestOf(rid).state == REQ_PENDING
    assert treasury.reserved() == AMOUNT

    tx = treasury.syncVerdict(rid, sender=stranger)

    assert [(e.requestId, e.verdict) for e in tx.decode_logs(treasury.TransferRejected)] == [
        (rid, FRAUD)
    ]
    assert treasury.requestOf(rid).state == REQ_REJECTED
    assert treasury.reserved() == 0


def test_treasury__sync_verdict_after_callback__changes_nothing(
    treasury, request_transfer, decide, stranger
):
    rid = request_transfer()
    decide(rid, LEGAL)
    tx = treasury.syncVerdict(rid, sender=stranger)
    assert not tx.decode_logs(treasury.TransferApproved)
    assert treasury.requestOf(rid).state == REQ_APPROVED


def test_treasury__sync_verdict_before_decision__reverts_pending(
    treasury, request_transfer, stranger
):
    rid = request_transfer()
    with ape.reverts(treasury.TreasuryTransferNotApproved, requestId=rid, status=PENDING):
        treasury.syncVerdict(rid, sender=stranger)


def test_treasury__sync_verdict_unknown_request__reverts(treasury, stranger):
    with ape.reverts(treasury.TreasuryUnknownRequest, requestId=42):
        treasury.syncVerdict(42, sender=stranger)


def test_treasury__on_verdict_not_from_oracle__reverts(treasury, stranger):
    with ape.reverts(treasury.TreasuryNotOracle, caller=stranger.address):
        treasury.onVerdict(1, FINALIZED, LEGAL, sender=stranger)


def test_treasury__execute_unknown_request__reverts(treasury, owner):
    with ape.reverts(treasury.TreasuryUnknownRequest, requestId=42):
        treasury.execute(42, sender=owner)


def test_treasury__amount_above_unreserved_balance__reverts(
    oracle, treasury, owner, request_transfer
):
    request_transfer(amount=60 * 10**18)
    value = oracle.quoteSubmit(treasury)
    with ape.reverts(treasury.TreasuryInsufficientFunds, amount=60 * 10**18, available=40 * 10**18):
        treasury.requestTransfer(PAYEE, 60 * 10**18, "second", sender=owner, value=value)


def test_treasury__zero_recipient__reverts(treasury, owner):
    with ape.reverts(treasury.TreasuryZeroRecipient):
        treasury.requestTransfer("0x" + "00" * 20, 1, "x", sender=owner, value=PROPOSAL_FEE)


def test_treasury__request_by_non_owner__reverts(treasury, stranger):
    with ape.reverts(treasury.OwnableUnauthorizedAccount, account=stranger.address):
        treasury.requestTransfer(PAYEE, 1, "x", sender=stranger, value=PROPOSAL_FEE)


def test_treasury__recipient_rejects_ether__reverts(
    oracle, project, treasury, owner, request_transfer, decide
):
    rejecter = owner.deploy(project.EtherRejecter, oracle.address)
    rid = request_transfer(to=rejecter.address)
    decide(rid, LEGAL)
    with ape.reverts(treasury.EthTransferFailed, to=rejecter.address, amount=AMOUNT):
        treasury.execute(rid, sender=owner)


def test_treasury__declares_the_callback_interface(treasury):
    assert treasury.supportsInterface(bytes.fromhex("01ffc9a7")) is True  # IERC165
    assert treasury.supportsInterface(bytes.fromhex("ffffffff")) is False


# ------------------------------------------------------------------ the oracle's side


@pytest.fixture
def probe(project, owner, oracle):
    return owner.deploy(project.CallbackProbe, oracle.address)


@pytest.fixture
def probe_proposal(oracle, probe, owner, rounds):
    """A proposal whose requester is the probe (so it opted in to callbacks)."""
    rounds.fresh()
    tx = probe.submit(b"probe", sender=owner, value=oracle.quoteSubmit(probe))
    return int(tx.decode_logs(oracle.ProposalSubmitted)[0].id)


def test_callback__opted_in_requester__receives_id_status_and_verdict(
    oracle, probe, probe_proposal, decide
):
    tx = decide(probe_proposal, FRAUD)
    assert (probe.calls(), probe.lastId(), probe.lastStatus(), probe.lastVerdict()) == (
        1,
        probe_proposal,
        FINALIZED,
        FRAUD,
    )
    assert not tx.decode_logs(oracle.CallbackFailed)


def test_callback__requester_reverts__finalization_stands(
    oracle, owner, probe, probe_proposal, decide
):
    probe.setMode(1, sender=owner)
    tx = decide(probe_proposal, LEGAL)
    assert [(e.id, e.requester) for e in tx.decode_logs(oracle.CallbackFailed)] == [
        (probe_proposal, probe.address)
    ]
    assert oracle.verdictOf(probe_proposal) == (FINALIZED, LEGAL)


def test_callback__requester_burns_all_its_gas__finalization_stands(
    oracle, owner, probe, probe_proposal, decide
):
    probe.setMode(2, sender=owner)
    tx = decide(probe_proposal, LEGAL)
    assert len(tx.decode_logs(oracle.CallbackFailed)) == 1
    assert oracle.isLegal(probe_proposal) is True
    # The cap, not the block, stopped the callee.
    assert tx.gas_used > oracle.parameters().callbackGasLimit


def test_callback__finalizer_sends_too_little_gas__reverts(oracle, probe, probe_proposal, decide):
    with ape.reverts(oracle.OracleInsufficientCallbackGas):
        decide(probe_proposal, LEGAL, gas=140_000)


def test_callback__plain_account_requester__is_never_called(oracle, submit, decide, rounds):
    rounds.fresh()
    pid = submit()
    tx = decide(pid, LEGAL)
    assert not tx.decode_logs(oracle.CallbackFailed)
    assert oracle.isLegal(pid) is True
