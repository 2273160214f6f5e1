"""Relayed commits and equivocation proofs signed with eth-account (EIP-712).

Every signature here is made in Python from the spec (tests/support/vote_signing.py), never
by asking the contract, so a domain or type-hash mistake in the contract fails
these tests. Replays across rounds, proposals, chains and contracts must fail
with the custom error that names the problem.
"""

from __future__ import annotations

import ape
import pytest
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from tests.support.constants import EQUIVOCATION, FRAUD, LEGAL
from tests.support.vote_signing import (
    Domain,
    commitment,
    list_hash,
    new_salt,
    sign_commit,
    sign_verdict,
)


# Module-scoped: ape snapshots the chain after these run and reverts to it after every
# test, so staking and the proposal are paid for once per module.
@pytest.fixture(scope="module")
def staked(signers, validators):
    return validators


def submit_proposal(oracle, requester, payload: bytes) -> int:
    tx = oracle.submit(payload, sender=requester, value=oracle.proposalFee())
    return int(tx.decode_logs(oracle.ProposalSubmitted)[0].id)


@pytest.fixture(scope="module")
def committing_round(oracle, requester, staked, driver):
    """A round with one proposal, in its commit phase."""
    round_ = driver.round_of(submit_proposal(oracle, requester, b"payload-1"))
    driver.to_commit(round_)
    return round_


def relayed(driver, round_, validator, signer, domain=None, verdicts=b"\x00"):
    ballot = driver.ballot(round_, validator.address, verdicts)
    signature = sign_commit(
        domain or driver.domain, round_, ballot.commitment, validator.address, signer.key
    )
    return ballot, (validator.address, ballot.commitment, signature)


# ------------------------------------------------------------------ domain and commitment


def test_domain_separator__matches_eip712_of_the_spec(oracle, chain):
    type_hash = keccak(
        b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    )
    expected = keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [type_hash, keccak(b"VerdictOracle"), keccak(b"1"), chain.chain_id, oracle.address],
        )
    )
    assert bytes(oracle.DOMAIN_SEPARATOR()) == expected


def test_commitment_for__matches_python_commitment(oracle, driver, committing_round, validators):
    verdicts, salt = b"\x02", new_salt()
    listed = list_hash(driver.ids(committing_round))
    expected = commitment(
        driver.domain, committing_round, validators[0].address, listed, verdicts, salt
    )
    on_chain = oracle.commitmentFor(committing_round, validators[0].address, verdicts, salt)
    assert bytes(on_chain) == expected
    assert bytes(oracle.roundInfo(committing_round).listHash) == listed


# ------------------------------------------------------------------ relayed commits


def test_commit_relayed__signed_by_each_signer__records_every_ballot(
    oracle, driver, committing_round, staked, signers, owner
):
    entries = [
        relayed(driver, committing_round, v, s) for v, s in zip(staked, signers, strict=True)
    ]

    tx = oracle.commitRelayed(committing_round, [e for _, e in entries], sender=owner)

    events = tx.decode_logs(oracle.VotesCommitted)
    assert [e.validator for e in events] == [v.address for v in staked]
    for ballot, _ in entries:
        assert (
            bytes(oracle.ballotOf(committing_round, ballot.validator).commitment)
            == ballot.commitment
        )


def test_commit_relayed__then_reveal__tallies_the_signed_verdicts(
    oracle, driver, committing_round, staked, signers, owner, stake_amount
):
    entries = [
        relayed(driver, committing_round, v, s) for v, s in zip(staked, signers, strict=True)
    ]
    oracle.commitRelayed(committing_round, [e for _, e in entries], sender=owner)
    driver.to_reveal(committing_round)

    oracle.revealMany(
        committing_round, [(b.validator, b.verdicts, b.salt) for b, _ in entries], sender=owner
    )

    (pid,) = driver.ids(committing_round)
    assert list(oracle.tallyOf(pid, committing_round)) == [stake_amount * len(staked), 0, 0, 0, 0]


def test_commit_relayed__signature_by_a_non_signer__reverts(
    oracle, driver, committing_round, staked, signers, owner
):
    stranger = Account.create()
    _, entry = relayed(driver, committing_round, staked[0], stranger)

    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(committing_round, [entry], sender=owner)


def test_commit_relayed__signature_by_operator_instead_of_its_signer__reverts(
    oracle, driver, committing_round, staked, owner
):
    """After `setSigner`, only the hot key speaks for the validator in relayed commits."""
    v = staked[0]
    _, entry = relayed(driver, committing_round, v, Account.from_key(v.private_key))

    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(committing_round, [entry], sender=owner)


def test_commit_relayed__signature_for_another_validator__reverts(
    oracle, driver, committing_round, staked, signers, owner
):
    """Validator A's signer cannot commit in B's name, even with a well-formed signature."""
    ballot = driver.ballot(committing_round, staked[1].address, b"\x00")
    signature = sign_commit(
        driver.domain, committing_round, ballot.commitment, staked[0].address, signers[0].key
    )

    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(
            committing_round, [(staked[1].address, ballot.commitment, signature)], sender=owner
        )


def test_commit_relayed__domain_of_another_chain__reverts(
    oracle, driver, committing_round, staked, signers, owner, chain
):
    other_chain = Domain(chain_id=chain.chain_id + 1, oracle=oracle.address)
    _, entry = relayed(driver, committing_round, staked[0], signers[0], domain=other_chain)

    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(committing_round, [entry], sender=owner)


def test_commit_relayed__domain_of_another_oracle__reverts(
    oracle, driver, committing_round, staked, signers, owner, chain, deploy_oracle
):
    other = deploy_oracle()
    assert other.address != oracle.address
    other_oracle = Domain(chain_id=chain.chain_id, oracle=other.address)
    _, entry = relayed(driver, committing_round, staked[0], signers[0], domain=other_oracle)

    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(committing_round, [entry], sender=owner)


def test_commit_relayed__signature_replayed_in_a_later_round__reverts(
    oracle, driver, committing_round, staked, signers, owner, requester
):
    _, entry = relayed(driver, committing_round, staked[0], signers[0])
    oracle.commitRelayed(committing_round, [entry], sender=owner)
    # A proposal submitted now joins the next round; replay the same signed entry there.
    later_pid = submit_proposal(oracle, requester, b"payload-2")
    later_round = driver.round_of(later_pid)
    assert later_round > committing_round
    driver.to_commit(later_round)

    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(later_round, [entry], sender=owner)


def test_commit_relayed__same_entry_twice__second_is_skipped(
    oracle, driver, committing_round, staked, signers, owner
):
    # A replayed element is skipped, not a revert (issue 9 item 3, tests/contracts/test_batches.py).
    _, entry = relayed(driver, committing_round, staked[0], signers[0])
    oracle.commitRelayed(committing_round, [entry], sender=owner)

    tx = oracle.commitRelayed(committing_round, [entry], sender=owner)
    assert len(tx.decode_logs(oracle.BatchElementSkipped)) == 1
    assert not tx.decode_logs(oracle.VotesCommitted)


def test_commit_relayed__other_commitment_for_a_committed_validator__reverts_already_committed(
    oracle, driver, committing_round, staked, signers, owner
):
    _, entry = relayed(driver, committing_round, staked[0], signers[0])
    oracle.commitRelayed(committing_round, [entry], sender=owner)
    _, other = relayed(driver, committing_round, staked[0], signers[0])

    with ape.reverts(oracle.OracleAlreadyCommitted):
        oracle.commitRelayed(committing_round, [other], sender=owner)


# ------------------------------------------------------------------ commitments bound to context


def test_reveal__commitment_copied_from_another_validator__reverts(
    oracle, driver, committing_round, staked
):
    honest, copier = staked[0], staked[1]
    original = driver.ballot(committing_round, honest.address, b"\x01")
    driver.commit_ballot(original, honest)
    # The copier commits the very same hash, hoping to reveal whatever the honest one reveals.
    oracle.commit(committing_round, original.commitment, sender=copier)
    driver.to_reveal(committing_round)
    driver.reveal_ballot(original, honest)

    with ape.reverts(oracle.OracleCommitmentMismatch):
        oracle.reveal(
            committing_round, copier.address, original.verdicts, original.salt, sender=copier
        )


def test_reveal__commitment_reused_for_another_round_of_proposals__reverts(
    oracle, driver, committing_round, staked, signers, owner, requester
):
    """A commitment binds the round and its proposal list: re-signing it for a new round
    (other proposals) gets it stored, but its preimage no longer opens it."""
    v, s = staked[0], signers[0]
    old = driver.ballot(committing_round, v.address, b"\x00")
    later_pid = submit_proposal(oracle, requester, b"payload-2")
    later_round = driver.round_of(later_pid)
    driver.to_commit(later_round)
    signature = sign_commit(driver.domain, later_round, old.commitment, v.address, s.key)
    oracle.commitRelayed(later_round, [(v.address, old.commitment, signature)], sender=owner)
    driver.to_reveal(later_round)

    with ape.reverts(oracle.OracleCommitmentMismatch):
        oracle.reveal(later_round, v.address, old.verdicts, old.salt, sender=owner)


def test_reveal__commitment_made_for_another_oracle__reverts(
    oracle, driver, committing_round, staked, chain, deploy_oracle
):
    other = deploy_oracle()
    v = staked[0]
    verdicts, salt = b"\x00", new_salt()
    listed = list_hash(driver.ids(committing_round))
    foreign = commitment(
        Domain(chain.chain_id, other.address), committing_round, v.address, listed, verdicts, salt
    )
    oracle.commit(committing_round, foreign, sender=v)
    driver.to_reveal(committing_round)

    with ape.reverts(oracle.OracleCommitmentMismatch):
        oracle.reveal(committing_round, v.address, verdicts, salt, sender=v)


# ------------------------------------------------------------------ equivocation


@pytest.fixture(scope="module")
def proposal_in_round(oracle, committing_round, driver):
    (pid,) = driver.ids(committing_round)
    return pid, committing_round


def signatures_of(driver, key, *verdicts: tuple) -> list[bytes]:
    """`key`'s EIP-712 signature over each verdict, in order."""
    return [sign_verdict(driver.domain, *v, key) for v in verdicts]


def verdict_on(oracle, pid: int, round_: int, cls: int) -> tuple:
    """Verdict(proposalId, round, payloadHash, modelHash, verdict) for a real proposal."""
    p = oracle.proposal(pid)
    return (pid, round_, bytes(p.payloadHash), bytes(p.modelHash), cls)


def test_report_equivocation__two_verdicts_by_one_signer__slashes_and_holds_bounty(
    oracle, driver, proposal_in_round, staked, signers, reporter, stake_amount
):
    pid, round_ = proposal_in_round
    a, b = verdict_on(oracle, pid, round_, LEGAL), verdict_on(oracle, pid, round_, FRAUD)
    sig_a, sig_b = signatures_of(driver, signers[0].key, a, b)
    active_before = oracle.validatorInfo(staked[0]).active

    tx = oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)

    (slashed,) = tx.decode_logs(oracle.Slashed)
    assert slashed.validator == staked[0].address and slashed.reason == EQUIVOCATION
    assert slashed.amount == stake_amount * oracle.parameters().equivocationSlashBps // 10_000
    assert oracle.validatorInfo(staked[0]).active == active_before - slashed.amount
    (reported,) = tx.decode_logs(oracle.EquivocationReported)
    assert reported.bounty == slashed.amount // oracle.EQUIVOCATION_BOUNTY_DIVISOR()
    assert oracle.claimable(reporter) == 0  # held until the validator's ballots settle


def test_report_equivocation__reported_twice__reverts(
    oracle, driver, proposal_in_round, signers, reporter
):
    pid, round_ = proposal_in_round
    a, b = verdict_on(oracle, pid, round_, LEGAL), verdict_on(oracle, pid, round_, FRAUD)
    sig_a, sig_b = signatures_of(driver, signers[0].key, a, b)
    oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)

    with ape.reverts(oracle.OracleEquivocationAlreadyReported):
        oracle.reportEquivocation(b, sig_b, a, sig_a, sender=reporter)


def test_report_equivocation__same_verdict_twice__reverts_not_conflicting(
    oracle, driver, proposal_in_round, signers, reporter
):
    pid, round_ = proposal_in_round
    a = verdict_on(oracle, pid, round_, LEGAL)
    sig_a = sign_verdict(driver.domain, *a, signers[0].key)

    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        oracle.reportEquivocation(a, sig_a, a, sig_a, sender=reporter)


def test_report_equivocation__verdicts_on_different_proposals__reverts_not_conflicting(
    oracle, driver, proposal_in_round, signers, reporter
):
    """Two verdicts on two proposals are honest work, not equivocation."""
    pid, round_ = proposal_in_round
    a = verdict_on(oracle, pid, round_, LEGAL)
    b = (pid + 1, round_, a[2], a[3], FRAUD)
    sig_a, sig_b = signatures_of(driver, signers[0].key, a, b)

    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)


def test_report_equivocation__signature_moved_to_another_proposal__reverts(
    oracle, driver, proposal_in_round, signers, reporter
):
    """A signature over proposal p does not vouch for proposal p+1: it recovers a stranger."""
    pid, round_ = proposal_in_round
    a = verdict_on(oracle, pid, round_, LEGAL)
    moved_a, moved_b = (pid + 1, *a[1:]), (pid + 1, *a[1:4], FRAUD)
    sig_a, sig_b = signatures_of(driver, signers[0].key, a, moved_b)

    with ape.reverts(oracle.OracleEquivocationSignersDiffer):
        oracle.reportEquivocation(moved_a, sig_a, moved_b, sig_b, sender=reporter)


def test_report_equivocation__model_hash_changed_after_signing__recovers_a_stranger(
    oracle, driver, proposal_in_round, signers, reporter
):
    """The model hash is signed: a verdict re-labelled with another model no longer names
    the validator's signer."""
    pid, round_ = proposal_in_round
    a, b = verdict_on(oracle, pid, round_, LEGAL), verdict_on(oracle, pid, round_, FRAUD)
    sig_a, sig_b = signatures_of(driver, signers[0].key, a, b)
    relabelled = (*b[:3], b"\x33" * 32, b[4])

    with ape.reverts(oracle.OracleEquivocationSignersDiffer):
        oracle.reportEquivocation(a, sig_a, relabelled, sig_b, sender=reporter)


def test_report_equivocation__signatures_by_two_signers__reverts(
    oracle, driver, proposal_in_round, signers, reporter
):
    pid, round_ = proposal_in_round
    a, b = verdict_on(oracle, pid, round_, LEGAL), verdict_on(oracle, pid, round_, FRAUD)
    sig_a = sign_verdict(driver.domain, *a, signers[0].key)
    sig_b = sign_verdict(driver.domain, *b, signers[1].key)

    with ape.reverts(oracle.OracleEquivocationSignersDiffer):
        oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)


def test_report_equivocation__key_of_no_validator__reverts_unknown_signer(
    oracle, driver, proposal_in_round, reporter
):
    pid, round_ = proposal_in_round
    stranger = Account.create()
    a, b = verdict_on(oracle, pid, round_, LEGAL), verdict_on(oracle, pid, round_, FRAUD)
    sig_a, sig_b = signatures_of(driver, stranger.key, a, b)

    with ape.reverts(oracle.OracleUnknownSigner):
        oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)


@pytest.mark.parametrize("where", ["another chain", "another oracle"])
def test_report_equivocation__signed_for_another_domain__reverts(
    oracle, driver, proposal_in_round, signers, reporter, chain, deploy_oracle, where
):
    """Verdicts signed for another chain or oracle recover, under this oracle's domain, to two
    unrelated addresses: never to the validator's signer."""
    pid, round_ = proposal_in_round
    if where == "another chain":
        foreign = Domain(chain.chain_id + 1, oracle.address)
    else:
        foreign = Domain(chain.chain_id, deploy_oracle().address)
    a, b = verdict_on(oracle, pid, round_, LEGAL), verdict_on(oracle, pid, round_, FRAUD)
    sig_a = sign_verdict(foreign, *a, signers[0].key)
    sig_b = sign_verdict(foreign, *b, signers[0].key)

    with ape.reverts(oracle.OracleEquivocationSignersDiffer):
        oracle.reportEquivocation(a, sig_a, b, sig_b, sender=reporter)


def test_verdict_typehash__python_digest__recovers_the_signer_in_the_contract(
    oracle, driver, proposal_in_round, staked, signers, reporter
):
    """The reveal-mismatch proof recovers one signature alone: a type-hash or field-order
    mistake would name a stranger (OracleUnknownSigner) instead of slashing."""
    pid, round_ = proposal_in_round
    driver.to_commit(round_)
    ballot = driver.ballot(round_, staked[0].address, bytes([LEGAL]))
    driver.commit_ballot(ballot, staked[0])
    driver.to_reveal(round_)
    driver.reveal_ballot(ballot, staked[0])
    v = verdict_on(oracle, pid, round_, FRAUD)

    tx = oracle.reportRevealMismatch(
        v, sign_verdict(driver.domain, *v, signers[0].key), bytes([LEGAL]), sender=reporter
    )
    assert tx.decode_logs(oracle.Slashed)[0].validator == staked[0].address
