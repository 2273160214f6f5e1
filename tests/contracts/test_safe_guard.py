"""OracleSafeGuard on a real Safe 1.4.1 (2 of 3 owners) and the real oracle.

Each Safe transaction is signed by owner keys (EIP-712 `SafeTx`) and executed with
`execTransaction`; verdicts come from the oracle's own commit-reveal vote, driven by the
staked test validators with time travel (as test_treasury_flow.py does).
"""

from __future__ import annotations

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak

from oracle.chain.params import Param
from oracle.sdk.safe_tx import safe_tx_hash
from tests.support.constants import (
    FINALIZED,
    FRAUD,
    ILLICIT,
    LEGAL,
    MODEL_HASH,
    NO_CONSENSUS,
    PENDING,
)
from tests.support.safe_harness import SafeHarness

CALL, DELEGATE_CALL = 0, 1
# IOracleSafeGuard.JudgementState
J_NONE, J_PENDING, J_APPROVED, J_REFUSED, J_NO_CONSENSUS, J_EXECUTED = range(6)
RECIPIENT = "0x000000000000000000000000000000000000bEEF"
AMOUNT = 3 * 10**18
MEMO = "invoice 2291 for design work"


@pytest.fixture(scope="module")
def voters(stake_all):
    return stake_all()


@pytest.fixture(scope="module")
def owners(accounts):
    return [accounts[i] for i in (10, 11, 12)]


@pytest.fixture(scope="module")
def guard(project, owner, oracle):
    return owner.deploy(project.OracleSafeGuard, oracle.address)


@pytest.fixture(scope="module")
def wallet(project, owner, owners, guard, voters):
    """A funded 2-of-3 Safe that accepts the oracle's model and has the guard installed."""
    harness = SafeHarness(project.dependencies["safe"]["1.4.1"], owner, owners, threshold=2)
    owner.transfer(harness.address, 20 * 10**18)
    harness.execute(guard.address, data=guard.setModelAccepted.encode_input(MODEL_HASH, True))
    harness.execute(harness.address, data=harness.safe.setGuard.encode_input(guard.address))
    return harness


def judge(guard, oracle, wallet, to=RECIPIENT, value=AMOUNT, data=b"", operation=CALL, memo=MEMO):
    """An owner asks the guard to judge; returns the proposal id."""
    tx = guard.judge(
        wallet.address, to, value, data, operation, memo,
        sender=wallet.owners[0], value=oracle.quoteSubmit(guard),
    )  # fmt: skip
    (event,) = tx.decode_logs(guard.JudgementRequested)
    return int(event.proposalId)


def decide(oracle, driver, voters, proposal_id, verdicts, finalizer):
    """The validators vote `verdicts` on the round's only proposal; anyone finalizes."""
    round_ = driver.round_of(proposal_id)
    driver.vote_sealed(round_, {v: bytes([c]) for v, c in zip(voters, verdicts, strict=True)})
    driver.past_reveal(round_)
    return oracle.finalize(proposal_id, sender=finalizer)


def key_of(guard, wallet, to=RECIPIENT, value=AMOUNT, data=b"", operation=CALL):
    return guard.txKey(wallet.address, to, value, data, operation)


def test_install__safe_reports_the_guard(wallet, guard):
    assert wallet.guard().lower() == guard.address.lower()
    assert wallet.safe.getThreshold() == 2


def test_safe_tx_hash__python_typed_data__matches_the_safe(wallet):
    tx = wallet.safe_tx(RECIPIENT, AMOUNT, b"\x12\x34", CALL)
    on_chain = wallet.safe.getTransactionHash(
        tx.to, tx.value, tx.data, tx.operation, 0, 0, 0, tx.gas_token, tx.refund_receiver, tx.nonce
    )
    assert bytes(on_chain) == safe_tx_hash(wallet.address, wallet.safe.provider.chain_id, tx)


def test_judge__builds_the_payload_with_the_safe_as_sender(wallet, guard, oracle, chain):
    proposal_id = judge(guard, oracle, wallet)

    expected = encode(
        ["(uint256,address,address,uint256,bytes,string)"],
        [(chain.chain_id, wallet.address, RECIPIENT, AMOUNT, b"", MEMO)],
    )
    assert bytes(oracle.proposal(proposal_id).payloadHash) == keccak(expected)
    assert oracle.proposal(proposal_id).requester == guard.address
    assert guard.safeOfProposal(proposal_id) == wallet.address
    assert guard.txKeyOfProposal(proposal_id) == key_of(guard, wallet)
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_PENDING


def test_legal_verdict__exec_transaction__sends_the_eth_and_spends_the_verdict(
    wallet, guard, oracle, driver, voters, stranger, chain
):
    proposal_id = judge(guard, oracle, wallet)
    finalized = decide(oracle, driver, voters, proposal_id, [LEGAL] * 4 + [FRAUD], stranger)
    assert len(finalized.decode_logs(guard.JudgementRecorded)) == 1  # the oracle's callback
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_APPROVED
    before = chain.provider.get_balance(RECIPIENT)

    executed = wallet.execute(RECIPIENT, AMOUNT)

    (spent,) = executed.decode_logs(guard.JudgedTransactionExecuted)
    assert int(spent.proposalId) == proposal_id
    assert chain.provider.get_balance(RECIPIENT) == before + AMOUNT
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_EXECUTED


def test_executed_transaction__replayed_with_new_signatures__refused(
    wallet, guard, oracle, driver, voters, stranger, chain
):
    proposal_id = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)
    wallet.execute(RECIPIENT, AMOUNT)
    after_first = chain.provider.get_balance(RECIPIENT)

    with ape.reverts(guard.GuardTransactionNotApproved):
        wallet.execute(RECIPIENT, AMOUNT)
    assert chain.provider.get_balance(RECIPIENT) == after_first


def test_executed_transaction__judged_again__executes_once_more(
    wallet, guard, oracle, driver, voters, stranger, chain
):
    """A recurring payment: each execution needs its own verdict."""
    first = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, first, [LEGAL] * 5, stranger)
    wallet.execute(RECIPIENT, AMOUNT)
    second = judge(guard, oracle, wallet)
    assert second != first
    decide(oracle, driver, voters, second, [LEGAL] * 5, stranger)
    before = chain.provider.get_balance(RECIPIENT)

    wallet.execute(RECIPIENT, AMOUNT)

    assert chain.provider.get_balance(RECIPIENT) == before + AMOUNT


def test_fraud_verdict__exec_transaction__refused_and_final(
    wallet, guard, oracle, driver, voters, stranger, chain
):
    proposal_id = judge(guard, oracle, wallet, memo="verify your wallet to claim the airdrop")
    decide(oracle, driver, voters, proposal_id, [FRAUD] * 4 + [LEGAL], stranger)
    assert tuple(oracle.verdictOf(proposal_id)) == (FINALIZED, FRAUD)
    safe_before = chain.provider.get_balance(wallet.address)
    nonce_before = wallet.nonce()

    with ape.reverts(guard.GuardTransactionNotApproved):
        wallet.execute(RECIPIENT, AMOUNT)
    with ape.reverts(guard.GuardAlreadyJudged):
        judge(guard, oracle, wallet)

    assert chain.provider.get_balance(wallet.address) == safe_before
    assert wallet.nonce() == nonce_before
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_REFUSED


def test_pending_proposal__exec_transaction__refused_naming_the_proposal(wallet, guard, oracle):
    proposal_id = judge(guard, oracle, wallet)
    key = key_of(guard, wallet)

    with ape.reverts(
        guard.GuardTransactionNotApproved,
        txKey=key, proposalId=proposal_id, state=J_PENDING, status=PENDING, verdict=0,
    ):  # fmt: skip
        wallet.execute(RECIPIENT, AMOUNT)


def test_never_judged__exec_transaction__refused_with_proposal_zero(wallet, guard):
    with ape.reverts(guard.GuardTransactionNotApproved, proposalId=0, state=J_NONE):
        wallet.execute(RECIPIENT, AMOUNT)


def test_no_consensus__refused__then_judged_again_and_executed(
    wallet, guard, oracle, driver, voters, stranger, chain
):
    proposal_id = judge(guard, oracle, wallet)
    rolled = decide(
        oracle, driver, voters, proposal_id, [LEGAL, LEGAL, FRAUD, FRAUD, ILLICIT], stranger
    )
    (roll,) = rolled.decode_logs(oracle.ProposalRolled)
    last_round = int(roll.toRound)
    driver.vote_sealed(
        last_round,
        {
            v: bytes([c])
            for v, c in zip(voters, [LEGAL, FRAUD, FRAUD, ILLICIT, ILLICIT], strict=True)
        },
    )
    driver.past_reveal(last_round)
    oracle.finalize(proposal_id, sender=stranger)
    assert tuple(oracle.verdictOf(proposal_id)) == (NO_CONSENSUS, 0)

    with ape.reverts(guard.GuardTransactionNotApproved, state=J_NO_CONSENSUS, status=NO_CONSENSUS):
        wallet.execute(RECIPIENT, AMOUNT)

    # The documented way to ask again: judge the same transaction once more.
    again = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, again, [LEGAL] * 5, stranger)
    before = chain.provider.get_balance(RECIPIENT)
    wallet.execute(RECIPIENT, AMOUNT)
    assert chain.provider.get_balance(RECIPIENT) == before + AMOUNT


def test_legal_verdict__one_data_byte_changed__refused(
    wallet, guard, oracle, driver, voters, stranger
):
    data = bytes.fromhex("a9059cbb") + bytes(31) + b"\x01"
    changed = data[:-1] + b"\x02"
    proposal_id = judge(guard, oracle, wallet, data=data)
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)

    with ape.reverts(guard.GuardTransactionNotApproved, proposalId=0):
        wallet.execute(RECIPIENT, AMOUNT, changed)

    wallet.execute(RECIPIENT, AMOUNT, data)  # the judged bytes still go through
    assert int(guard.judgementOf(key_of(guard, wallet, data=data)).state) == J_EXECUTED


def test_delegate_call__target_not_allowlisted__judge_and_exec_refused(wallet, guard, oracle):
    target = wallet.singleton.address
    with ape.reverts(guard.GuardDelegateCallRefused, safe=wallet.address, target=target):
        judge(guard, oracle, wallet, to=target, value=0, operation=DELEGATE_CALL)
    with ape.reverts(guard.GuardDelegateCallRefused):
        wallet.execute(target, 0, b"", DELEGATE_CALL)


def test_delegate_call__allowlisted_target__still_needs_a_verdict(
    project, wallet, guard, oracle, driver, voters, stranger, owner
):
    multisend = owner.deploy(project.dependencies["safe"]["1.4.1"].MultiSendCallOnly)
    inner = bytes([CALL]) + bytes.fromhex(RECIPIENT[2:]) + AMOUNT.to_bytes(32, "big") + bytes(32)
    data = multisend.multiSend.encode_input(inner)
    wallet.execute(
        guard.address, data=guard.setDelegateCallTarget.encode_input(multisend.address, True)
    )
    with ape.reverts(guard.GuardTransactionNotApproved):
        wallet.execute(multisend.address, 0, data, DELEGATE_CALL)

    proposal_id = judge(
        guard, oracle, wallet, to=multisend.address, value=0, data=data, operation=DELEGATE_CALL
    )
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)
    wallet.execute(multisend.address, 0, data, DELEGATE_CALL)
    assert (
        int(
            guard.judgementOf(
                key_of(guard, wallet, multisend.address, 0, data, DELEGATE_CALL)
            ).state
        )
        == J_EXECUTED
    )


def test_judge__caller_not_owner__reverts(wallet, guard, oracle, stranger):
    with ape.reverts(guard.GuardNotOwnerOrModule, safe=wallet.address, caller=stranger.address):
        guard.judge(
            wallet.address,
            RECIPIENT,
            AMOUNT,
            b"",
            CALL,
            MEMO,
            sender=stranger,
            value=oracle.quoteSubmit(guard),
        )


def test_judge__model_not_accepted__reverts_and_keeps_the_fee(wallet, guard, oracle, chain):
    wallet.execute(guard.address, data=guard.setModelAccepted.encode_input(MODEL_HASH, False))
    count = oracle.proposalCount()

    with ape.reverts(guard.GuardModelNotAccepted, safe=wallet.address, modelHash=MODEL_HASH):
        judge(guard, oracle, wallet)
    assert oracle.proposalCount() == count


def test_model_revoked_after_approval__refused_until_judged_again(
    wallet, guard, oracle, driver, voters, stranger
):
    proposal_id = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)
    wallet.execute(guard.address, data=guard.setModelAccepted.encode_input(MODEL_HASH, False))

    with ape.reverts(guard.GuardTransactionNotApproved, state=J_APPROVED):
        wallet.execute(RECIPIENT, AMOUNT)

    # The voided approval does not block asking again once the Safe accepts a model again.
    wallet.execute(guard.address, data=guard.setModelAccepted.encode_input(MODEL_HASH, True))
    again = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, again, [LEGAL] * 5, stranger)
    wallet.execute(RECIPIENT, AMOUNT)
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_EXECUTED


def test_value_threshold__small_transfer_passes__larger_refused(wallet, guard, chain):
    wallet.execute(guard.address, data=guard.setValueThreshold.encode_input(10**17))
    before = chain.provider.get_balance(RECIPIENT)

    wallet.execute(RECIPIENT, 10**17)
    with ape.reverts(guard.GuardTransactionNotApproved):
        wallet.execute(RECIPIENT, 10**17 + 1)

    assert chain.provider.get_balance(RECIPIENT) == before + 10**17
    assert guard.policyOf(wallet.address).valueThreshold == 10**17


def test_recipient_allowlist__allowlisted_recipient_passes_without_verdict(wallet, guard, chain):
    tx = wallet.execute(guard.address, data=guard.setRecipientAllowed.encode_input(RECIPIENT, True))
    assert len(tx.decode_logs(guard.RecipientAllowlistSet)) == 1
    before = chain.provider.get_balance(RECIPIENT)

    wallet.execute(RECIPIENT, AMOUNT)

    assert chain.provider.get_balance(RECIPIENT) == before + AMOUNT


def test_settings__called_by_anyone__only_change_their_own_namespace(wallet, guard, stranger):
    guard.setValueThreshold(10**30, sender=stranger)
    guard.setRecipientAllowed(RECIPIENT, True, sender=stranger)

    assert guard.policyOf(wallet.address).valueThreshold == 0
    assert not guard.isRecipientAllowed(wallet.address, RECIPIENT)
    with ape.reverts(guard.GuardTransactionNotApproved):
        wallet.execute(RECIPIENT, AMOUNT)


def test_control_calls__no_delay__owners_and_guard_change_without_the_oracle(
    wallet, guard, accounts
):
    """The never-brick path: calls to the Safe itself never need a verdict."""
    newcomer = accounts[13]
    wallet.execute(
        wallet.address, data=wallet.safe.addOwnerWithThreshold.encode_input(newcomer.address, 3)
    )
    assert wallet.safe.isOwner(newcomer.address)
    wallet.threshold = 3

    wallet.execute(wallet.address, data=wallet.safe.setGuard.encode_input("0x" + "00" * 20))

    assert int(wallet.guard(), 16) == 0


def test_control_delay__remove_guard__only_after_scheduling_and_the_delay(
    wallet, guard, chain, stranger
):
    delay = 3_600
    wallet.execute(guard.address, data=guard.setControlDelay.encode_input(delay))
    remove = bytes(wallet.safe.setGuard.encode_input("0x" + "00" * 20))
    key = key_of(guard, wallet, wallet.address, 0, remove, CALL)

    with ape.reverts(guard.GuardControlCallNotScheduled, safe=wallet.address, txKey=key):
        wallet.execute(wallet.address, data=remove)
    with ape.reverts(guard.GuardNotOwnerOrModule):
        guard.scheduleControlCall(wallet.address, wallet.address, remove, sender=stranger)
    scheduled = guard.scheduleControlCall(
        wallet.address, wallet.address, remove, sender=wallet.owners[1]
    )
    (event,) = scheduled.decode_logs(guard.ControlCallScheduled)
    ready_at = int(event.readyAt)
    with ape.reverts(guard.GuardControlCallTooEarly, readyAt=ready_at):
        wallet.execute(wallet.address, data=remove)
    # Another owner announcing it again later cannot push the time back.
    chain.mine(timestamp=ready_at - 10)
    guard.scheduleControlCall(wallet.address, wallet.address, remove, sender=wallet.owners[2])
    assert guard.controlCallReadyAt(key) == ready_at

    chain.mine(timestamp=ready_at)
    removed = wallet.execute(wallet.address, data=remove)

    assert len(removed.decode_logs(guard.ControlCallExecuted)) == 1
    assert int(wallet.guard(), 16) == 0
    wallet.execute(RECIPIENT, AMOUNT)  # no guard: plain multisig again


def test_control_delay__lowering_it__also_waits_for_the_delay(wallet, guard):
    wallet.execute(guard.address, data=guard.setControlDelay.encode_input(3_600))

    with ape.reverts(guard.GuardControlCallNotScheduled):
        wallet.execute(guard.address, data=guard.setControlDelay.encode_input(0))
    assert guard.policyOf(wallet.address).controlDelay == 3_600


def test_control_call__with_value__refused(wallet, guard):
    with ape.reverts(guard.GuardControlCallMalformed):
        wallet.execute(wallet.address, 1)


def test_on_verdict__called_by_anyone_but_the_oracle__reverts(wallet, guard, oracle, stranger):
    proposal_id = judge(guard, oracle, wallet)
    with ape.reverts(guard.GuardNotOracle):
        guard.onVerdict(proposal_id, FINALIZED, LEGAL, sender=stranger)
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_PENDING


def test_callback_out_of_gas__exec_transaction__reads_the_verdict_from_the_oracle(
    owner, wallet, guard, oracle, driver, voters, stranger, chain
):
    """A verdict the guard never heard of (its callback ran out of gas) is read at exec."""
    # The oracle's minimum: too little for the guard.
    oracle.setParameter(Param.callbackGasLimit, 10_000, sender=owner)
    proposal_id = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_PENDING
    before = chain.provider.get_balance(RECIPIENT)

    executed = wallet.execute(RECIPIENT, AMOUNT)

    assert len(executed.decode_logs(guard.JudgementRecorded)) == 1
    assert chain.provider.get_balance(RECIPIENT) == before + AMOUNT
    assert int(guard.judgementOf(key_of(guard, wallet)).state) == J_EXECUTED


def test_sync_verdict__after_a_missed_callback__records_the_refusal(
    owner, wallet, guard, oracle, driver, voters, stranger
):
    oracle.setParameter(Param.callbackGasLimit, 10_000, sender=owner)
    proposal_id = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, proposal_id, [FRAUD] * 5, stranger)

    tx = guard.syncVerdict(key_of(guard, wallet), sender=stranger)

    (event,) = tx.decode_logs(guard.JudgementRecorded)
    assert (int(event.state), int(event.verdict)) == (J_REFUSED, FRAUD)


def test_exec_transaction__approved_transfer__guard_adds_under_20k_gas(
    project, owner, owners, wallet, guard, oracle, driver, voters, stranger
):
    """The guard's cost per execTransaction: the same transfer on an identical Safe without it.

    Both Safes already executed transactions and the recipient already holds ETH, so the
    only difference is the guard's two hooks (checkTransaction on a recorded legal verdict,
    checkAfterExecution) and the Safe's calls to them (a cold account: 2,600 gas)."""
    plain = SafeHarness(project.dependencies["safe"]["1.4.1"], owner, owners, threshold=2)
    owner.transfer(plain.address, 20 * 10**18)
    plain.execute(guard.address, data=guard.setModelAccepted.encode_input(MODEL_HASH, True))
    owner.transfer(RECIPIENT, 1)
    proposal_id = judge(guard, oracle, wallet)
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)

    guarded_gas = wallet.execute(RECIPIENT, AMOUNT).gas_used
    plain_gas = plain.execute(RECIPIENT, AMOUNT).gas_used

    added = guarded_gas - plain_gas
    print(f"\nguard gas per execTransaction: {added} (guarded {guarded_gas}, plain {plain_gas})")
    assert 0 < added < 20_000


def test_check_transaction__recorded_legal_verdict__own_cost_under_10k_gas(
    project, owner, guard, oracle, driver, voters, stranger
):
    """checkTransaction by itself (warm call, the path every judged transfer takes)."""
    probe = owner.deploy(project.GuardGasProbe, guard.address)
    probe.acceptModel(MODEL_HASH, sender=owner)
    tx = guard.judge(
        probe.address, RECIPIENT, AMOUNT, b"", CALL, MEMO, sender=owner,
        value=oracle.quoteSubmit(guard),
    )  # fmt: skip
    proposal_id = int(tx.decode_logs(guard.JudgementRequested)[0].proposalId)
    decide(oracle, driver, voters, proposal_id, [LEGAL] * 5, stranger)

    measured = probe.measure(RECIPIENT, AMOUNT, b"", sender=owner)

    (event,) = measured.decode_logs(probe.CheckTransactionGas)
    own = int(event.gasUsed) - int(event.baseline)
    print(f"\ncheckTransaction gas: {own} own, {int(event.gasUsed)} with the call")
    assert len(measured.decode_logs(guard.JudgedTransactionExecuted)) == 1
    assert 0 < own < 10_000
