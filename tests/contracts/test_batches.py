"""Batches survive a front-run element (issue 9, item 3).

Every element of `commitRelayed`, `revealMany`, `finalizeMany` and `settleMany` can be
sent on its own by anyone: relayed signatures and reveal preimages are public once
broadcast. An attacker who sends one element ahead of a batch must not make the whole
batch revert. An element already done with the same content is skipped with a
`BatchElementSkipped(kind, round, subject)` event; an element that contradicts what is on
chain (another commitment, another preimage, other verdicts) still reverts the batch.
"""

from __future__ import annotations

import ape
import pytest
from eth_account import Account

from tests.support.constants import FRAUD, LEGAL, STAKE, verdicts_of
from tests.support.vote_signing import sign_commit

# IOracleVoting.BatchKind
COMMIT, REVEAL, FINALIZE, SETTLE = range(4)


@pytest.fixture(scope="module")
def staked(signers, validators):
    return validators


@pytest.fixture(scope="module")
def two_proposals(staked, new_round):
    """A fresh round with two proposals; the chain sits before its commit phase."""
    return new_round(2)


ALL_LEGAL = verdicts_of(LEGAL, LEGAL)


def sealed(driver, round_, validators, verdicts=ALL_LEGAL):
    return [driver.ballot(round_, v.address, verdicts) for v in validators]


def relayed(driver, ballots, signers):
    return [
        (
            b.validator,
            b.commitment,
            sign_commit(driver.domain, b.round, b.commitment, b.validator, s.key),
        )
        for b, s in zip(ballots, signers, strict=True)
    ]


def skipped(tx, oracle):
    return [
        (int(e.kind), int(e.round), int(e.subject))
        for e in tx.decode_logs(oracle.BatchElementSkipped)
    ]


def as_subject(address: str) -> int:
    return int(address, 16)


def committed_round(oracle, driver, two_proposals, validators, signers, relayer):
    round_, ids = two_proposals
    driver.to_commit(round_)
    ballots = sealed(driver, round_, validators)
    oracle.commitRelayed(round_, relayed(driver, ballots, signers), sender=relayer)
    return round_, ids, ballots


def reveal_phase_round(oracle, driver, two_proposals, validators, signers, relayer):
    """A committed round with the chain moved into its reveal phase."""
    round_, ids, ballots = committed_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    driver.to_reveal(round_)
    return round_, ids, ballots


def first_ballot_revealed(oracle, driver, two_proposals, validators, signers, relayer):
    """A round in its reveal phase whose first ballot the relayer has revealed alone."""
    round_, _, ballots = reveal_phase_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    b = ballots[0]
    oracle.reveal(round_, b.validator, b.verdicts, b.salt, sender=relayer)
    return round_, ballots


def revealed_round(oracle, driver, two_proposals, validators, signers, relayer):
    round_, ids, ballots = reveal_phase_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    oracle.revealMany(round_, [(b.validator, b.verdicts, b.salt) for b in ballots], sender=relayer)
    driver.past_reveal(round_)
    return round_, ids, ballots


# ------------------------------------------------------------------ commitRelayed


def test_commit_relayed__one_element_front_run__batch_commits_the_rest_and_skips_it(
    oracle, driver, two_proposals, validators, signers, relayer, stranger
):
    round_, _ = two_proposals
    driver.to_commit(round_)
    batch = relayed(driver, sealed(driver, round_, validators), signers)
    oracle.commitRelayed(round_, [batch[2]], sender=stranger)  # the attacker copies one element

    tx = oracle.commitRelayed(round_, batch, sender=relayer)

    assert skipped(tx, oracle) == [(COMMIT, round_, as_subject(validators[2].address))]
    assert len(tx.decode_logs(oracle.VotesCommitted)) == len(validators) - 1
    assert all(
        oracle.ballotOf(round_, v.address).commitment == b[1]
        for v, b in zip(validators, batch, strict=True)
    )
    assert int(oracle.openBallotsOf(validators[2].address)) == 1  # counted once, not twice


def test_commit_relayed__other_commitment_already_on_chain__reverts(
    oracle, driver, two_proposals, validators, signers, relayer
):
    round_, _ = two_proposals
    driver.to_commit(round_)
    first = sealed(driver, round_, validators[:1])
    oracle.commit(round_, first[0].commitment, sender=validators[0])
    batch = relayed(
        driver, sealed(driver, round_, validators), signers
    )  # a new salt: another commitment

    with ape.reverts(oracle.OracleAlreadyCommitted, round=round_, validator=validators[0].address):
        oracle.commitRelayed(round_, batch, sender=relayer)


def test_commit_relayed__already_committed_element_with_forged_signature__still_skipped(
    oracle, driver, two_proposals, validators, signers, relayer, stranger
):
    # A skipped element changes nothing, so its signature does not matter; a forged one
    # for a commitment not on chain still reverts.
    round_, _ = two_proposals
    driver.to_commit(round_)
    ballots = sealed(driver, round_, validators[:2])
    oracle.commitRelayed(round_, relayed(driver, ballots[:1], signers[:1]), sender=relayer)
    forger = Account.create()
    batch = relayed(driver, ballots, [forger, signers[1]])

    tx = oracle.commitRelayed(round_, batch, sender=stranger)

    assert skipped(tx, oracle) == [(COMMIT, round_, as_subject(validators[0].address))]
    fresh = sealed(driver, round_, validators[2:3])
    with ape.reverts(oracle.OracleInvalidSignature):
        oracle.commitRelayed(round_, relayed(driver, fresh, [forger]), sender=stranger)


# ------------------------------------------------------------------ revealMany


def test_reveal_many__one_element_front_run__batch_reveals_the_rest_and_skips_it(
    oracle, driver, two_proposals, validators, signers, relayer, stranger
):
    round_, ids, ballots = reveal_phase_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    b = ballots[1]
    oracle.reveal(
        round_, b.validator, b.verdicts, b.salt, sender=stranger
    )  # the preimage is public

    tx = oracle.revealMany(
        round_, [(x.validator, x.verdicts, x.salt) for x in ballots], sender=relayer
    )

    assert skipped(tx, oracle) == [(REVEAL, round_, as_subject(b.validator))]
    assert len(tx.decode_logs(oracle.VotesRevealed)) == len(validators) - 1
    # Each validator's stake counted once.
    assert [int(x) for x in oracle.tallyOf(ids[0], round_)] == [len(validators) * STAKE, 0, 0, 0, 0]


def test_reveal_many__revealed_element_with_other_verdicts__reverts(
    oracle, driver, two_proposals, validators, signers, relayer
):
    round_, ballots = first_ballot_revealed(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    b = ballots[0]
    forged = (b.validator, verdicts_of(FRAUD, FRAUD), b.salt)

    with ape.reverts(oracle.OracleAlreadyRevealed, round=round_, validator=b.validator):
        oracle.revealMany(
            round_,
            [forged] + [(x.validator, x.verdicts, x.salt) for x in ballots[1:]],
            sender=relayer,
        )


def test_reveal_many__wrong_preimage_of_an_unrevealed_ballot__reverts(
    oracle, driver, two_proposals, validators, signers, relayer
):
    round_, _, ballots = reveal_phase_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    b = ballots[0]

    with ape.reverts(oracle.OracleCommitmentMismatch, round=round_, validator=b.validator):
        oracle.revealMany(
            round_, [(b.validator, verdicts_of(FRAUD, LEGAL), b.salt)], sender=relayer
        )


def test_reveal__already_revealed__still_reverts_when_sent_alone(
    oracle, driver, two_proposals, validators, signers, relayer
):
    round_, ballots = first_ballot_revealed(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    b = ballots[0]

    with ape.reverts(oracle.OracleAlreadyRevealed, round=round_, validator=b.validator):
        oracle.reveal(round_, b.validator, b.verdicts, b.salt, sender=relayer)


# ------------------------------------------------------------------ finalizeMany


def test_finalize_many__one_proposal_front_run__batch_finalizes_the_rest_and_skips_it(
    oracle, driver, two_proposals, validators, signers, relayer, stranger
):
    round_, ids, _ = revealed_round(oracle, driver, two_proposals, validators, signers, relayer)
    oracle.finalize(ids[1], sender=stranger)

    tx = oracle.finalizeMany(ids, sender=relayer)

    assert skipped(tx, oracle) == [(FINALIZE, round_, ids[1])]
    assert [int(e.id) for e in tx.decode_logs(oracle.ProposalFinalized)] == [ids[0]]


def test_finalize_many__front_run_proposal_rolled__batch_skips_it(
    oracle, driver, two_proposals, validators, relayer, stranger
):
    # Nobody voted: finalizing rolls the proposal into a later round, whose reveal phase
    # has not begun; sending the same batch again must not revert on it.
    round_, ids = two_proposals
    driver.past_reveal(round_)
    oracle.finalize(ids[0], sender=stranger)
    next_round = int(oracle.proposal(ids[0]).round)
    assert next_round > round_

    tx = oracle.finalizeMany(ids, sender=relayer)

    assert skipped(tx, oracle) == [(FINALIZE, next_round, ids[0])]
    assert [int(e.id) for e in tx.decode_logs(oracle.ProposalRolled)] == [ids[1]]


def test_finalize_many__unknown_or_too_early_proposal__still_reverts(
    oracle, driver, two_proposals, relayer
):
    round_, ids = two_proposals
    with ape.reverts(oracle.OracleTooEarlyToFinalize):
        oracle.finalizeMany(ids, sender=relayer)
    driver.past_reveal(round_)
    with ape.reverts(oracle.OracleUnknownProposal, id=ids[-1] + 1):
        oracle.finalizeMany([ids[0], ids[-1] + 1], sender=relayer)


# ------------------------------------------------------------------ settleMany


def test_settle_many__one_ballot_front_run__batch_settles_the_rest_and_skips_it(
    oracle, driver, two_proposals, validators, signers, relayer, stranger
):
    round_, ids, ballots = revealed_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    oracle.finalizeMany(ids, sender=relayer)
    oracle.settle(round_, ballots[3].validator, ballots[3].verdicts, sender=stranger)
    reward_before = int(oracle.claimable(ballots[3].validator))

    tx = oracle.settleMany(
        round_, [b.validator for b in ballots], [b.verdicts for b in ballots], sender=relayer
    )

    assert skipped(tx, oracle) == [(SETTLE, round_, as_subject(ballots[3].validator))]
    assert len(tx.decode_logs(oracle.BallotSettled)) == len(validators) - 1
    assert int(oracle.claimable(ballots[3].validator)) == reward_before  # paid once
    assert all(int(oracle.openBallotsOf(v.address)) == 0 for v in validators)


def test_settle_many__settled_ballot_with_other_verdicts__reverts(
    oracle, driver, two_proposals, validators, signers, relayer
):
    round_, ids, ballots = revealed_round(
        oracle, driver, two_proposals, validators, signers, relayer
    )
    oracle.finalizeMany(ids, sender=relayer)
    oracle.settle(round_, ballots[0].validator, ballots[0].verdicts, sender=relayer)

    with ape.reverts(oracle.OracleAlreadySettled, round=round_, validator=ballots[0].validator):
        oracle.settleMany(
            round_, [ballots[0].validator], [verdicts_of(FRAUD, FRAUD)], sender=relayer
        )
