"""Attacks on the oracle: each must fail with the expected error and leave every wei in place.

Hostile contracts live in contracts/testing/ (AttackerReentrant, CallbackProbe). After each
attack the ETH accounting invariant of docs/protocol.md is checked against the oracle's real
balance, and the attacker's own balances are checked to the wei. docs/security.md lists the
defence each attack exercises.
"""

from __future__ import annotations

import ape
import pytest
from ape.api import ReceiptAPI
from eth_account import Account
from eth_utils import keccak

from oracle.chain.params import Param
from tests.support.constants import (
    FINALIZED,
    LEGAL,
    NO_CONSENSUS,
    NON_REVEAL,
    PENDING,
    PROPOSAL_FEE,
    STAKE,
    eth_balance_of,
    verdicts_of,
)
from tests.support.signer_consent import set_signer

REENTRANT_CALL = keccak(text="ReentrancyGuardReentrantCall()")[:4]
# AttackerReentrant.Mode
IDLE, REENTER_FINALIZE, REENTER_CLAIM, REENTER_WITHDRAW, RETURN_BOMB = range(5)
# CallbackProbe.Mode
PROBE_BURN_GAS = 2
MAX_UINT256 = 2**256 - 1

pytestmark = pytest.mark.usefixtures("treasury", "staked")


@pytest.fixture(scope="module")
def staked(stake_all):
    return stake_all()


@pytest.fixture(scope="module")
def attacker(project, owner, oracle):
    return owner.deploy(project.AttackerReentrant, oracle.address)


def assert_books_balance(oracle) -> None:
    """address(oracle).balance == active + unbonding + claimable + fees + slashed reserve."""
    assert oracle.balance == eth_balance_of(oracle)


def assert_paid_exactly_once(oracle, attacker, amount: int, oracle_balance_before: int) -> None:
    """The reentrant receiver got `amount` once: its one re-entry hit the guard, books balance."""
    assert attacker.received() == amount
    assert attacker.attempts() == 1 and attacker.successes() == 0
    assert bytes(attacker.lastError()) == REENTRANT_CALL
    assert oracle.balance == oracle_balance_before - amount
    assert_books_balance(oracle)


def submitted_ids(oracle, tx) -> list[int]:
    return [int(e.id) for e in tx.decode_logs(oracle.ProposalSubmitted)]


def everyone_votes(voter, validators, round_: int, verdicts: bytes) -> None:
    """Three of five equal stakes vote alike: quorum (50%) and supermajority met, fewer txs."""
    voter.vote(round_, {v: verdicts for v in validators[:3]})


@pytest.fixture
def finalized_under_attack(
    oracle, attacker, owner, stranger, validators, voter, rounds, make_payload
):
    """Finalizes one LEGAL proposal submitted by `attacker` in `mode`; returns (id, tx)."""

    def finalize(mode: int) -> tuple[int, ReceiptAPI]:
        round_ = rounds.fresh()
        (pid,) = submitted_ids(
            oracle,
            attacker.submit(make_payload(), sender=owner, value=oracle.quoteSubmit(attacker)),
        )
        attacker.setMode(mode, 0, sender=owner)
        everyone_votes(voter, validators, round_, verdicts_of(LEGAL))
        rounds.past_reveal(round_)
        return pid, oracle.finalize(pid, sender=stranger)

    return finalize


# ------------------------------------------------------------------ reentrancy


def test_callback__reenters_finalize__is_refused_and_proposal_finalizes_once(
    oracle, attacker, owner, stranger, validators, voter, rounds, make_payload
):
    round_ = rounds.fresh()
    first, second = (
        submitted_ids(
            oracle,
            attacker.submit(make_payload(memo=m), sender=owner, value=oracle.quoteSubmit(attacker)),
        )[0]
        for m in ("a", "b")
    )
    attacker.setMode(REENTER_FINALIZE, second, sender=owner)
    everyone_votes(voter, validators, round_, verdicts_of(LEGAL, LEGAL))
    rounds.past_reveal(round_)

    tx = oracle.finalize(first, sender=stranger)

    assert attacker.attempts() == 1 and attacker.successes() == 0
    assert bytes(attacker.lastError()) == REENTRANT_CALL
    assert not tx.decode_logs(oracle.CallbackFailed)  # the callee caught its own failure
    assert oracle.verdictOf(first) == (FINALIZED, LEGAL)
    assert oracle.verdictOf(second)[0] == PENDING
    assert_books_balance(oracle)


def test_callback__reenters_claim__is_refused(oracle, attacker, finalized_under_attack):
    finalized_under_attack(REENTER_CLAIM)

    assert attacker.successes() == 0
    assert bytes(attacker.lastError()) == REENTRANT_CALL
    assert attacker.received() == 0
    assert_books_balance(oracle)


def test_claim__receiver_reenters_claim__pays_exactly_once(
    oracle, attacker, owner, stranger, rounds, make_payload
):
    round_ = rounds.fresh()
    (pid,) = submitted_ids(
        oracle, attacker.submit(make_payload(), sender=owner, value=oracle.quoteSubmit(attacker))
    )
    # Nobody votes: the proposal rolls once (maxRounds = 2), then ends NoConsensus and the
    # fee is credited back to the attacker, who now has something to claim.
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=stranger)
    rounds.past_reveal(rounds.round_of(pid))
    oracle.finalize(pid, sender=stranger)
    assert oracle.verdictOf(pid)[0] == NO_CONSENSUS
    assert oracle.claimable(attacker) == PROPOSAL_FEE
    attacker.setMode(REENTER_CLAIM, 0, sender=owner)
    oracle_balance = oracle.balance

    attacker.claim(sender=owner)

    assert_paid_exactly_once(oracle, attacker, PROPOSAL_FEE, oracle_balance)
    assert oracle.claimable(attacker) == 0


def test_withdraw__receiver_reenters_withdraw__pays_exactly_once(
    oracle, attacker, owner, advance_to
):
    attacker.stake(sender=owner, value=STAKE)
    tx = attacker.requestUnstake(STAKE, sender=owner)
    advance_to(tx.decode_logs(oracle.UnstakeRequested)[0].withdrawableAt)
    attacker.setMode(REENTER_WITHDRAW, 0, sender=owner)
    oracle_balance = oracle.balance

    attacker.withdraw(sender=owner)

    assert_paid_exactly_once(oracle, attacker, STAKE, oracle_balance)
    assert oracle.validatorInfo(attacker).unbonding == 0


# ------------------------------------------------------------------ callback gas griefing


@pytest.fixture
def probe_round(project, owner, oracle, validators, voter, rounds, make_payload):
    """A CallbackProbe that burns all the gas it gets, with a proposal past its reveal phase."""
    probe = owner.deploy(project.CallbackProbe, oracle.address)
    probe.setMode(PROBE_BURN_GAS, sender=owner)
    round_ = rounds.fresh()
    (pid,) = submitted_ids(
        oracle, probe.submit(make_payload(), sender=owner, value=oracle.quoteSubmit(probe))
    )
    everyone_votes(voter, validators, round_, verdicts_of(LEGAL))
    rounds.past_reveal(round_)
    return probe, pid


def test_callback__burns_all_its_gas__starving_finalizer_reverts_full_one_finalizes(
    oracle, stranger, probe_round
):
    probe, pid = probe_round
    # Enough gas to reach the callback, not enough to give it callbackGasLimit: refused, so a
    # finalizer cannot make the callback fail on purpose.
    with ape.reverts(oracle.OracleInsufficientCallbackGas):
        oracle.finalize(pid, sender=stranger, gas=150_000)
    assert oracle.verdictOf(pid)[0] == PENDING

    tx = oracle.finalize(pid, sender=stranger)

    assert [int(e.id) for e in tx.decode_logs(oracle.CallbackFailed)] == [pid]
    assert oracle.verdictOf(pid) == (FINALIZED, LEGAL)
    assert probe.calls() == 0  # its writes were rolled back with its out-of-gas
    assert_books_balance(oracle)


def test_callback__return_data_bomb__finalization_succeeds(oracle, finalized_under_attack):
    pid, tx = finalized_under_attack(RETURN_BOMB)

    assert not tx.decode_logs(oracle.CallbackFailed)
    assert oracle.verdictOf(pid) == (FINALIZED, LEGAL)


# ------------------------------------------------------------------ commit-reveal games


def test_reveal__front_run_by_a_stranger__counts_for_the_validator_and_pays_the_stranger_nothing(
    oracle, validators, stranger, new_round, voter, rounds
):
    round_, (pid,) = new_round(1)
    victim = validators[0]
    rounds.to_commit(round_)
    for v in validators:
        voter.commit(round_, v, verdicts_of(LEGAL))
    rounds.to_reveal(round_)

    # The stranger copies the victim's reveal from the mempool and gets it mined first.
    voter.reveal(round_, victim, verdicts_of(LEGAL), sender=stranger)
    with ape.reverts(oracle.OracleAlreadyRevealed, validator=victim.address):
        voter.reveal(round_, victim, verdicts_of(LEGAL))
    for v in validators[1:]:
        voter.reveal(round_, v, verdicts_of(LEGAL))
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=stranger)
    tx = oracle.settle(round_, victim.address, verdicts_of(LEGAL), sender=stranger)

    ballot = oracle.ballotOf(round_, victim)
    assert ballot.revealed and ballot.stake == STAKE
    assert tx.decode_logs(oracle.BallotSettled)[0].reward > 0
    assert oracle.claimable(victim) > 0
    assert oracle.claimable(stranger) == 0
    assert_books_balance(oracle)


def test_commitment__copied_by_another_validator__cannot_be_revealed_and_the_copier_is_slashed(
    oracle, validators, stranger, new_round, voter, rounds
):
    round_, (pid,) = new_round(1)
    victim, copier, *honest = validators
    rounds.to_commit(round_)
    tx = voter.commit(round_, victim, verdicts_of(LEGAL))
    copied = bytes(tx.decode_logs(oracle.VotesCommitted)[0].commitment)
    oracle.commit(round_, copied, sender=copier)
    for v in honest:
        voter.commit(round_, v, verdicts_of(LEGAL))
    rounds.to_reveal(round_)
    for v in [victim, *honest]:
        voter.reveal(round_, v, verdicts_of(LEGAL))

    # The victim's salt is public now; it does not open the copier's commitment.
    salt = voter.salts[(round_, victim.address)]
    with ape.reverts(oracle.OracleCommitmentMismatch, validator=copier.address):
        oracle.reveal(round_, copier.address, verdicts_of(LEGAL), salt, sender=copier)

    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=stranger)
    settled = oracle.settle(round_, copier.address, b"", sender=stranger)
    slash = settled.decode_logs(oracle.Slashed)[0]
    assert (slash.validator, slash.reason) == (copier.address, NON_REVEAL)
    assert slash.amount > 0
    assert oracle.validatorInfo(copier).active == STAKE - slash.amount
    assert_books_balance(oracle)


@pytest.mark.parametrize("replay", ["other_chain", "other_oracle", "other_round"])
def test_commit_relayed__signature_replayed_elsewhere__reverts_invalid_signature(
    replay, oracle, deploy_oracle, validators, relayer, new_round, rounds, sign_commit, chain
):
    round_, _ = new_round(1)
    v = validators[0]
    key = Account.create()
    set_signer(oracle, v, key)
    commitment = keccak(b"my ballot")
    signed_round, domain_oracle, chain_id = round_, oracle, chain.chain_id
    if replay == "other_chain":
        chain_id += 1
    elif replay == "other_oracle":
        domain_oracle = deploy_oracle()
    else:
        signed_round = round_ - 1
    signature = _sign_commit_on(sign_commit, domain_oracle, chain_id, chain, signed_round, v, key)
    rounds.to_commit(round_)

    with ape.reverts(oracle.OracleInvalidSignature, validator=v.address):
        oracle.commitRelayed(round_, [(v.address, commitment, signature)], sender=relayer)
    assert bytes(oracle.ballotOf(round_, v).commitment) == b"\x00" * 32


def _sign_commit_on(sign_commit, domain_oracle, chain_id, chain, round_, validator, key) -> bytes:
    """sign_commit uses the chain's id; a replay from another chain needs a forged id."""
    if chain_id == chain.chain_id:
        return sign_commit(domain_oracle, round_, keccak(b"my ballot"), validator.address, key)
    from tests.support.vote_signing import Domain
    from tests.support.vote_signing import sign_commit as sign_with_domain

    domain = Domain(chain_id=chain_id, oracle=domain_oracle.address)
    return sign_with_domain(domain, round_, keccak(b"my ballot"), validator.address, key.key)


def test_report_equivocation__signatures_made_for_another_oracle__reverts_and_slashes_nothing(
    oracle, deploy_oracle, validators, reporter, sign_verdict
):
    v = validators[0]
    key = Account.create()
    set_signer(oracle, v, key)
    elsewhere = deploy_oracle()
    a = (1, 1, b"\x01" * 32, b"\x02" * 32, LEGAL)
    b = (1, 1, b"\x01" * 32, b"\x02" * 32, LEGAL + 1)
    sig_a = sign_verdict(elsewhere, *a, key)
    sig_b = sign_verdict(elsewhere, *b, key)

    # Under this oracle's domain the two signatures recover two unrelated addresses.
    with ape.reverts(oracle.OracleEquivocationSignersDiffer):
        oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)
    assert oracle.validatorInfo(v).active == STAKE
    assert oracle.claimable(reporter) == 0


# ------------------------------------------------------------------ stake timing


def test_reveal__stake_added_after_the_snapshot__reverts_no_stake_at_snapshot(
    oracle, accounts, new_round, voter, rounds
):
    round_, _ = new_round(1)
    flash = accounts[12]
    oracle.stake(sender=flash, value=STAKE)  # after the round's snapshot
    rounds.to_commit(round_)
    voter.commit(round_, flash, verdicts_of(LEGAL))
    rounds.to_reveal(round_)
    snapshot = oracle.roundInfo(round_).snapshot

    with ape.reverts(oracle.OracleNoStakeAtSnapshot, validator=flash.address, snapshot=snapshot):
        voter.reveal(round_, flash, verdicts_of(LEGAL))
    assert list(oracle.tallyOf(oracle.roundProposals(round_)[0], round_)) == [0] * 5


def test_vote__after_withdrawing_all_stake__reverts_no_stake_at_snapshot(
    oracle, validators, new_round, voter, rounds, advance_to
):
    leaver = validators[0]
    tx = oracle.requestUnstake(STAKE, sender=leaver)
    advance_to(tx.decode_logs(oracle.UnstakeRequested)[0].withdrawableAt)
    oracle.withdraw(sender=leaver)
    round_, (pid,) = new_round(1)
    rounds.to_commit(round_)
    voter.commit(round_, leaver, verdicts_of(LEGAL))  # a registered operator may still commit
    rounds.to_reveal(round_)

    with ape.reverts(oracle.OracleNoStakeAtSnapshot, validator=leaver.address):
        voter.reveal(round_, leaver, verdicts_of(LEGAL))
    assert list(oracle.tallyOf(pid, round_)) == [0] * 5
    assert_books_balance(oracle)


# ------------------------------------------------------------------ spam and access control


def test_submit__dust_fee__reverts_fee_too_low(oracle, stranger, make_payload):
    with ape.reverts(oracle.OracleFeeTooLow, sent=PROPOSAL_FEE - 1, required=PROPOSAL_FEE):
        oracle.submit(make_payload(), sender=stranger, value=PROPOSAL_FEE - 1)
    with ape.reverts(oracle.OracleFeeTooLow, sent=0):
        oracle.submit(b"", sender=stranger)


def test_submit__spam_of_paid_proposals__never_overfills_a_round(
    deploy_oracle, stranger, make_payload
):
    small = deploy_oracle(maxProposalsPerRound=2)
    rounds_used = [
        int(
            small.submit(make_payload(memo=str(i)), sender=stranger, value=PROPOSAL_FEE)
            .decode_logs(small.ProposalSubmitted)[0]
            .round
        )
        for i in range(7)
    ]

    assert all(small.roundInfo(r).size <= 2 for r in set(rounds_used))
    assert len(set(rounds_used)) == 4
    assert small.undistributedFees() == 7 * PROPOSAL_FEE == small.balance


def test_submit__payload_over_the_size_limit__reverts(oracle, stranger):
    limit = int(oracle.maxPayloadSize())
    with ape.reverts(oracle.OraclePayloadTooLarge, size=limit + 1, maxSize=limit):
        oracle.submit(b"\x00" * (limit + 1), sender=stranger, value=PROPOSAL_FEE)


# An in-range value per parameter, in Param order (any would do: the caller is refused).
SAFE_VALUES = (1, 100, 2, 6_000, 9_000, 3, 1, 0, 0, 0, 50_000, 1)
# Every owner-only function, each parameter through setParameter(param, value).
GOVERNANCE_CALLS = [
    *[("setParameter", (param, value)) for param, value in zip(Param, SAFE_VALUES, strict=True)],
    ("setModelHash", (keccak(b"evil model"),)),
    ("sweepSlashed", ("0x000000000000000000000000000000000000dEaD", 0)),
    ("transferOwnership", ("0x000000000000000000000000000000000000dEaD",)),
    ("renounceOwnership", ()),
    ("acceptOwnership", ()),
]


def test_owner_only__each_called_by_a_stranger__reverts_unauthorized(oracle, owner, stranger):
    fee = oracle.proposalFee()
    for name, args in GOVERNANCE_CALLS:
        with ape.reverts(oracle.OwnableUnauthorizedAccount, account=stranger.address):
            getattr(oracle, name)(*args, sender=stranger)
    assert oracle.owner() == owner.address
    assert oracle.pendingOwner() == "0x0000000000000000000000000000000000000000"
    assert oracle.proposalFee() == fee


def test_treasury__stranger_fakes_the_oracle_callback__reverts_and_pays_nothing(
    treasury, oracle, owner, stranger
):
    tx = treasury.requestTransfer(
        stranger.address, 10**18, "invoice", sender=owner, value=oracle.quoteSubmit(treasury)
    )
    request_id = tx.decode_logs(oracle.ProposalSubmitted)[0].id
    with ape.reverts(treasury.TreasuryNotOracle, caller=stranger.address):
        treasury.onVerdict(request_id, FINALIZED, LEGAL, sender=stranger)
    for call, args in [("execute", (request_id,)), ("requestTransfer", (stranger.address, 1, "x"))]:
        with ape.reverts(treasury.OwnableUnauthorizedAccount, account=stranger.address):
            getattr(treasury, call)(*args, sender=stranger)
    balance = treasury.balance
    with ape.reverts(treasury.TreasuryTransferNotApproved):
        treasury.execute(request_id, sender=owner)
    assert treasury.balance == balance


# ------------------------------------------------------------------ overflow-sized inputs


def test_governance__each_parameter_given_max_uint256__reverts_invalid_parameter(oracle, owner):
    for param in Param:
        with ape.reverts(oracle.GovernanceInvalidParameter, value=MAX_UINT256):
            oracle.setParameter(param, MAX_UINT256, sender=owner)


def test_huge_arguments__each_reverts_with_a_named_error(
    oracle, validators, stranger, new_round, voter, rounds
):
    round_, _ = new_round(1)
    v = validators[0]
    rounds.to_commit(round_)
    voter.commit(round_, v, verdicts_of(LEGAL))
    with ape.reverts(oracle.StakingInsufficientActive, requested=MAX_UINT256):
        oracle.requestUnstake(MAX_UINT256, sender=v)
    with ape.reverts(oracle.OracleUnknownProposal, id=MAX_UINT256):
        oracle.finalize(MAX_UINT256, sender=stranger)
    with ape.reverts(oracle.OracleArrayLengthMismatch):
        oracle.settleMany(round_, [v.address], [], sender=stranger)
    far = 2**64 - 1  # roundTiming wraps for such a round, but it is never in its commit phase
    with ape.reverts(oracle.OracleNotCommitPhase, round=far):
        oracle.commit(far, keccak(b"x"), sender=v)
    rounds.to_reveal(round_)
    salt = voter.salts[(round_, v.address)]
    with ape.reverts(oracle.OracleVerdictsLengthMismatch, given=50_000, expected=1):
        oracle.reveal(round_, v.address, b"\x00" * 50_000, salt, sender=stranger)
    assert_books_balance(oracle)
