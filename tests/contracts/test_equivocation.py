"""Equivocation: provable double votes are slashed once per round, for a small, delayed bounty.

Each attack of issue 9 (item 2) is replayed first and must now fail for the attacker: a
validator reporting itself from a second address to leave with half its stake, a thief with
a rotated-out key, a report on a proposal that never existed, and repeated reports in one
round. Then the two proofs (two signed verdicts; a signed verdict against the revealed vote)
and the bounty's life cycle. Signatures are made in Python from the spec (tests/support).
"""

from __future__ import annotations

import ape
import pytest
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from tests.support.constants import (
    EQUIVOCATION,
    FRAUD,
    ILLICIT,
    LEGAL,
    STAKE,
    UNBONDING_PERIOD,
    eth_balance_of,
)
from tests.support.signer_consent import set_signer

SLASH = STAKE * 5_000 // 10_000  # equivocationSlashBps of the test config, of a full stake
BOUNTY_DIVISOR = 64
ZERO = b"\x00" * 32

pytestmark = pytest.mark.usefixtures("keys")


@pytest.fixture(scope="module")
def keys(signers):
    """Every validator staked, with its own hot signer key."""
    return signers


@pytest.fixture(scope="module")
def voting_round(keys, new_round):
    """A fresh round with two real proposals, before its commit phase: `(round, ids)`."""
    return new_round(2)


def verdict(oracle, proposal_id: int, round_: int, cls: int) -> tuple:
    """The `Verdict` a validator signs for a real proposal: its own payload and model hash."""
    p = oracle.proposal(proposal_id)
    return (proposal_id, round_, bytes(p.payloadHash), bytes(p.modelHash), cls)


def signed(oracle, sign_verdict, key, v: tuple) -> tuple[tuple, bytes]:
    return v, sign_verdict(oracle, *v, key)


def double_vote(oracle, sign_verdict, key, proposal_id, round_):
    """Two signed verdicts of `key` that differ on one proposal and round."""
    a = signed(oracle, sign_verdict, key, verdict(oracle, proposal_id, round_, LEGAL))
    b = signed(oracle, sign_verdict, key, verdict(oracle, proposal_id, round_, FRAUD))
    return (*a, *b)


def commit_and_reveal(rounds, voter, round_, validators, verdicts: bytes):
    """Every validator commits and reveals `verdicts`; ends in the reveal phase."""
    voter.vote(round_, {v: verdicts for v in validators})


# ------------------------------------------------------------------ the attacks, replayed


def test_self_report__from_second_address__recovers_a_64th_only_after_its_ballot_settles(
    oracle, validators, keys, sign_verdict, voting_round, rounds, voter, accounts
):
    """Issue 9, item 2: a validator facing a slash reported itself from a second address and
    left with half its stake at once. Now the bounty is 1/64 of the slash, held while the
    validator has open ballots, and what is left of its stake stays locked by them."""
    offender, accomplice = validators[0], accounts[9]
    round_, (pid, _) = voting_round
    rounds.to_commit(round_)
    voter.commit(round_, offender, bytes([LEGAL, LEGAL]))

    oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=accomplice
    )

    assert oracle.claimable(accomplice) == 0
    with ape.reverts(oracle.OracleBountyLocked, validator=offender.address, openBallots=1):
        oracle.releaseEquivocationBounty(offender.address, round_, sender=accomplice)
    rounds.to_reveal(round_)
    voter.reveal(round_, offender, bytes([LEGAL, LEGAL]))
    rounds.past_reveal(round_)
    oracle.finalizeMany(rounds.ids(round_), sender=accomplice)
    oracle.settle(round_, offender.address, bytes([LEGAL, LEGAL]), sender=accomplice)
    oracle.releaseEquivocationBounty(offender.address, round_, sender=accomplice)

    assert oracle.claimable(accomplice) == SLASH // BOUNTY_DIVISOR
    # All the pair can ever take out: the unslashed stake and a 64th of the slash.
    recoverable = oracle.validatorInfo(offender).active + oracle.claimable(accomplice)
    assert recoverable == STAKE - SLASH + SLASH // BOUNTY_DIVISOR
    assert oracle.balance == eth_balance_of(oracle)


def test_rotated_key__after_grace__no_longer_counts(
    oracle, validators, keys, sign_verdict, voting_round, rounds, reporter
):
    """A leaked hot key, rotated out, was worth half the stake to a thief forever. Now it
    answers only for rounds that began before the rotation, and only for unbondingPeriod."""
    round_, (pid, _) = voting_round
    rounds.advance(int(oracle.roundTiming(round_)[0]) + 1)
    tx = set_signer(oracle, validators[0], Account.create())
    retired_at = chain_time(tx)
    proof = double_vote(oracle, sign_verdict, keys[0], pid, round_)

    rounds.advance(retired_at + UNBONDING_PERIOD)
    with ape.reverts(
        oracle.OracleSignerRetired,
        signer=keys[0].address,
        countsUntil=retired_at + UNBONDING_PERIOD,
    ):
        oracle.reportEquivocation(*proof, sender=reporter)
    assert oracle.validatorInfo(validators[0]).active == STAKE


def test_rotated_key__round_begun_after_rotation__does_not_count(
    oracle, validators, keys, sign_verdict, new_round, reporter
):
    tx = set_signer(oracle, validators[0], Account.create())
    round_, (pid,) = new_round(1)  # a round whose commit phase begins after the rotation
    with ape.reverts(oracle.OracleSignerRetired, signer=keys[0].address):
        oracle.reportEquivocation(
            *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
        )
    assert chain_time(tx) < int(oracle.roundTiming(round_)[0])


def test_rotated_key__round_before_rotation_within_grace__still_slashes(
    oracle, validators, keys, sign_verdict, voting_round, rounds, reporter
):
    """What a signer signed while it was current stays provable for the grace period."""
    round_, (pid, _) = voting_round
    rounds.advance(int(oracle.roundTiming(round_)[0]) + 1)
    set_signer(oracle, validators[0], Account.create())
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    assert [(e.validator, e.amount) for e in tx.decode_logs(oracle.Slashed)] == [
        (validators[0].address, SLASH)
    ]


def test_rotated_key__bound_again__counts_as_current(
    oracle, validators, keys, sign_verdict, voting_round, rounds, reporter
):
    round_, (pid, _) = voting_round
    set_signer(oracle, validators[0], Account.create())
    set_signer(oracle, validators[0], keys[0])
    rounds.advance(int(oracle.roundTiming(round_)[0]) + UNBONDING_PERIOD)
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    assert tx.decode_logs(oracle.Slashed)[0].validator == validators[0].address


def test_report__proposal_that_never_existed__reverts_and_slashes_nothing(
    oracle, validators, keys, sign_verdict, voting_round, reporter
):
    """Any (proposalId, round) used to be accepted: a thief needed no real vote at all."""
    round_, _ = voting_round
    fake = int(oracle.proposalCount()) + 1
    a = signed(oracle, sign_verdict, keys[0], (fake, round_, ZERO, ZERO, LEGAL))
    b = signed(oracle, sign_verdict, keys[0], (fake, round_, ZERO, ZERO, FRAUD))
    with ape.reverts(oracle.OracleEquivocationWrongPayload, proposalId=fake):
        oracle.reportEquivocation(*a, *b, sender=reporter)
    assert oracle.validatorInfo(validators[0]).active == STAKE


def test_report__real_proposal_in_another_round__reverts_not_in_round(
    oracle, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    with ape.reverts(oracle.OracleEquivocationNotInRound, proposalId=pid, round=round_ + 5):
        oracle.reportEquivocation(
            *double_vote(oracle, sign_verdict, keys[0], pid, round_ + 5), sender=reporter
        )


def test_report__signed_payload_hash_not_the_proposals__reverts(
    oracle, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    a = signed(oracle, sign_verdict, keys[0], verdict(oracle, pid, round_, LEGAL))
    forged = (pid, round_, b"\x11" * 32, ZERO, FRAUD)
    b = signed(oracle, sign_verdict, keys[0], forged)
    with ape.reverts(
        oracle.OracleEquivocationWrongPayload, proposalId=pid, payloadHash=b"\x11" * 32
    ):
        oracle.reportEquivocation(*a, *b, sender=reporter)


def test_report__second_proof_in_same_round__reverts_and_slashes_once(
    oracle, validators, keys, sign_verdict, voting_round, reporter
):
    """Each report used to slash again: one key drained a validator in a few transactions.
    Now a validator is slashed for equivocation at most once per round, whatever the proof."""
    round_, (first, second) = voting_round
    oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], first, round_), sender=reporter
    )
    for pid in (first, second):
        with ape.reverts(
            oracle.OracleEquivocationAlreadyReported, validator=validators[0].address, round=round_
        ):
            oracle.reportEquivocation(
                *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
            )
    assert oracle.validatorInfo(validators[0]).active == STAKE - SLASH


def test_report__proposal_in_a_later_slot_of_the_round_list__is_found(
    oracle, validators, keys, sign_verdict, new_round, reporter
):
    """Round lists pack four ids a slot: the sixth proposal sits in the second slot."""
    round_, ids = new_round(6)
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], ids[5], round_), sender=reporter
    )
    assert tx.decode_logs(oracle.EquivocationReported)[0].proposalId == ids[5]


def test_report__same_validator_another_round__slashes_again(
    oracle, validators, keys, sign_verdict, voting_round, new_round, reporter
):
    round_, (pid, _) = voting_round
    oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    later, (other,) = new_round(1)
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], other, later), sender=reporter
    )
    assert tx.decode_logs(oracle.Slashed)[0].amount == (STAKE - SLASH) // 2


# ------------------------------------------------------------------ two signed verdicts


def test_report_equivocation__conflicting_verdicts__slashes_and_holds_a_64th_for_the_reporter(
    oracle, validators, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    reserve_before = int(oracle.slashedReserve())
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )

    bounty = SLASH // BOUNTY_DIVISOR
    (event,) = tx.decode_logs(oracle.EquivocationReported)
    assert (event.validator, event.reporter, event.proposalId, event.round, event.bounty) == (
        validators[0].address,
        reporter.address,
        pid,
        round_,
        bounty,
    )
    assert [(e.validator, e.amount, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [
        (validators[0].address, SLASH, EQUIVOCATION)
    ]
    assert oracle.validatorInfo(validators[0]).active == STAKE - SLASH
    assert oracle.slashedReserve() == reserve_before + SLASH - bounty
    assert oracle.claimable(reporter) == 0
    assert tuple(oracle.equivocationReport(validators[0].address, round_))[:2] == (
        reporter.address,
        bounty,
    )
    assert oracle.EQUIVOCATION_BOUNTY_DIVISOR() == BOUNTY_DIVISOR
    assert oracle.balance == eth_balance_of(oracle)


def test_report_equivocation__validator_unbonding__slashes_bonded_stake(
    oracle, validators, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    oracle.requestUnstake(STAKE, sender=validators[0])  # all of it: active is 0 now
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    assert tx.decode_logs(oracle.Slashed)[0].amount == SLASH
    assert oracle.validatorInfo(validators[0]).unbonding == STAKE - SLASH


def test_report_equivocation__verdicts_differ_only_in_model_hash__reverts_not_conflicting(
    oracle, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    v = verdict(oracle, pid, round_, LEGAL)
    a = signed(oracle, sign_verdict, keys[0], v)
    b = signed(oracle, sign_verdict, keys[0], (*v[:3], b"\x22" * 32, LEGAL))
    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        oracle.reportEquivocation(*a, *b, sender=reporter)


def test_report_equivocation__two_different_signers__reverts(
    oracle, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    a = signed(oracle, sign_verdict, keys[0], verdict(oracle, pid, round_, LEGAL))
    b = signed(oracle, sign_verdict, keys[1], verdict(oracle, pid, round_, FRAUD))
    with ape.reverts(
        oracle.OracleEquivocationSignersDiffer, signerA=keys[0].address, signerB=keys[1].address
    ):
        oracle.reportEquivocation(*a, *b, sender=reporter)


def test_report_equivocation__key_of_no_validator__reverts(
    oracle, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    outsider = Account.create()
    with ape.reverts(oracle.OracleUnknownSigner, signer=outsider.address):
        oracle.reportEquivocation(
            *double_vote(oracle, sign_verdict, outsider, pid, round_), sender=reporter
        )


def test_report_equivocation__garbage_signatures__reverts_unknown_signer(
    oracle, voting_round, reporter
):
    round_, (pid, _) = voting_round
    v = verdict(oracle, pid, round_, LEGAL)
    with ape.reverts(oracle.OracleUnknownSigner):
        oracle.reportEquivocation(v, b"\x01" * 65, (*v[:4], FRAUD), b"\x01" * 65, sender=reporter)


def test_report_equivocation__rolled_proposal__provable_in_the_round_it_left(
    oracle, keys, sign_verdict, voting_round, rounds, reporter
):
    """A proposal that found no consensus moves on; its old round's votes stay provable."""
    round_, (pid, _) = voting_round
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=reporter)  # nobody voted: it rolls to a later round
    assert rounds.round_of(pid) != round_
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    assert tx.decode_logs(oracle.EquivocationReported)[0].round == round_


# ------------------------------------------------------------------ signed verdict vs reveal


REVEALED = bytes([LEGAL, FRAUD])


@pytest.fixture
def signed_after_reveal(oracle, validators, keys, sign_verdict, voting_round, rounds, voter):
    """validators[0] revealed REVEALED; signs class `cls` on the second proposal: (v, sig)."""
    round_, (_, second) = voting_round
    commit_and_reveal(rounds, voter, round_, validators[:1], REVEALED)
    return lambda cls: signed(oracle, sign_verdict, keys[0], verdict(oracle, second, round_, cls))


def test_report_reveal_mismatch__signed_verdict_differs_from_reveal__slashes(
    oracle, validators, voting_round, signed_after_reveal, reporter
):
    _, (_, second) = voting_round
    v, sig = signed_after_reveal(ILLICIT)

    tx = oracle.reportRevealMismatch(v, sig, REVEALED, sender=reporter)

    assert [(e.validator, e.amount, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [
        (validators[0].address, SLASH, EQUIVOCATION)
    ]
    assert tx.decode_logs(oracle.EquivocationReported)[0].proposalId == second


def test_report_reveal_mismatch__signed_verdict_equals_reveal__reverts_not_conflicting(
    oracle, signed_after_reveal, reporter
):
    v, sig = signed_after_reveal(FRAUD)
    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        oracle.reportRevealMismatch(v, sig, REVEALED, sender=reporter)


def test_report_reveal_mismatch__bytes_not_the_revealed_ones__reverts(
    oracle, validators, keys, sign_verdict, voting_round, rounds, voter, reporter
):
    round_, (first, _) = voting_round
    commit_and_reveal(rounds, voter, round_, validators[:1], bytes([LEGAL, LEGAL]))
    v, sig = signed(oracle, sign_verdict, keys[0], verdict(oracle, first, round_, LEGAL))
    with ape.reverts(oracle.OracleVerdictsMismatch, round=round_, validator=validators[0].address):
        oracle.reportRevealMismatch(v, sig, bytes([FRAUD, LEGAL]), sender=reporter)


def test_report_reveal_mismatch__ballot_never_revealed__reverts(
    oracle, validators, keys, sign_verdict, voting_round, reporter
):
    round_, (first, _) = voting_round
    v, sig = signed(oracle, sign_verdict, keys[0], verdict(oracle, first, round_, LEGAL))
    with ape.reverts(oracle.OracleVerdictsMismatch):
        oracle.reportRevealMismatch(v, sig, b"", sender=reporter)


# ------------------------------------------------------------------ the bounty


def test_release_bounty__no_open_ballots__credits_reporter_who_claims(
    oracle, validators, keys, sign_verdict, voting_round, reporter, stranger
):
    round_, (pid, _) = voting_round
    oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    tx = oracle.releaseEquivocationBounty(validators[0].address, round_, sender=stranger)

    bounty = SLASH // BOUNTY_DIVISOR
    assert [
        (e.validator, e.round, e.reporter, e.amount)
        for e in tx.decode_logs(oracle.EquivocationBountyReleased)
    ] == [(validators[0].address, round_, reporter.address, bounty)]
    assert oracle.claimable(reporter) == bounty
    before = reporter.balance
    receipt = oracle.claim(sender=reporter)
    assert reporter.balance == before + bounty - receipt.total_fees_paid
    assert oracle.balance == eth_balance_of(oracle)


def test_release_bounty__twice__reverts_nothing_pending(
    oracle, validators, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    oracle.releaseEquivocationBounty(validators[0].address, round_, sender=reporter)
    with ape.reverts(oracle.OracleNoPendingBounty, validator=validators[0].address, round=round_):
        oracle.releaseEquivocationBounty(validators[0].address, round_, sender=reporter)


def test_release_bounty__ballots_still_open_after_deadline__credits_reporter(
    oracle, validators, keys, sign_verdict, voting_round, rounds, voter, reporter
):
    """An offender cannot hold the bounty back forever by keeping a ballot open."""
    round_, (pid, _) = voting_round
    rounds.to_commit(round_)
    voter.commit(round_, validators[0], bytes([LEGAL, LEGAL]))
    tx = oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    releasable_at = tx.decode_logs(oracle.EquivocationReported)[0].releasableAt
    assert releasable_at == chain_time(tx) + UNBONDING_PERIOD

    rounds.advance(releasable_at)
    oracle.releaseEquivocationBounty(validators[0].address, round_, sender=reporter)
    assert oracle.claimable(reporter) == SLASH // BOUNTY_DIVISOR


def test_sweep_slashed__bounty_held__cannot_take_it(
    oracle, owner, validators, keys, sign_verdict, voting_round, reporter
):
    round_, (pid, _) = voting_round
    oracle.reportEquivocation(
        *double_vote(oracle, sign_verdict, keys[0], pid, round_), sender=reporter
    )
    reserve = int(oracle.slashedReserve())
    with ape.reverts(oracle.GovernanceInsufficientReserve):
        oracle.sweepSlashed(owner.address, reserve + 1, sender=owner)
    oracle.sweepSlashed(owner.address, reserve, sender=owner)
    oracle.releaseEquivocationBounty(validators[0].address, round_, sender=reporter)
    assert oracle.claimable(reporter) == SLASH // BOUNTY_DIVISOR
    assert oracle.balance == eth_balance_of(oracle)


def test_fallback__eth_with_a_report_selector__reverts_and_keeps_balance(
    oracle, validators, stranger, chain
):
    selector = keccak(text="releaseEquivocationBounty(address,uint64)")[:4]
    data = selector + encode(["address", "uint64"], [validators[0].address, 1])
    before = chain.provider.get_balance(oracle.address)
    with ape.reverts():
        stranger.transfer(oracle.address, 1, data=data)
    assert chain.provider.get_balance(oracle.address) == before


def chain_time(tx) -> int:
    return int(tx.timestamp)


def test_equivocation_module_abi__functions__are_the_five_the_core_routes(project):
    """The core's fallback names five selectors; a module function outside them would reach
    the read-only view extension instead and revert (eip712Domain is the core's own)."""
    module = {
        i.name for i in project.VerdictOracleEquivocation.contract_type.abi if i.type == "function"
    }
    core = {i.name for i in project.VerdictOracle.contract_type.abi if i.type == "function"}
    assert module - core == {
        "reportEquivocation",
        "reportRevealMismatch",
        "releaseEquivocationBounty",
        "equivocationReport",
        "EQUIVOCATION_BOUNTY_DIVISOR",
    }
    assert module & core == {"eip712Domain"}
