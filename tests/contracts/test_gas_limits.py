"""Every transaction a validator must send fits under 2^24 gas at the maximum parameters.

EIP-7825 caps a transaction at 2^24 gas. One round at the largest size the contract allows
(maxProposalsPerRound = 1024, MAX_PROPOSALS_PER_ROUND) with many validators, where the first
revealer votes so that every word of every proposal's tally is written: before issue 9 item 6
that first reveal filled 1,024 x 3 zero tally words and cost ~26M gas, so nobody could reveal.
Now each proposal's join pays those fills, and the first reveal costs about what later ones do.

`finalizeMany` is the one call whose size the sender picks: a full round of 1,024 finalizations
does not fit one transaction (~18k gas each), so it is measured the way it must be sent, in
chunks of FINALIZE_CHUNK.
"""

from __future__ import annotations

import secrets

import pytest
from eth_account import Account
from eth_utils import keccak

from tests.support.constants import STAKE
from tests.support.signer_consent import set_signer
from tests.support.vote_signing import sign_commit
from tests.support.voting import Rounds

TX_GAS_CAP = 2**24  # EIP-7825
MAX_PROPOSALS = 1024  # ParameterState.MAX_PROPOSALS_PER_ROUND
MAX_PAYLOAD = 65_536  # ParameterState.MAX_PAYLOAD_SIZE
VALIDATORS = 12
FINALIZE_CHUNK = 512
CLASSES = 5


def enter(rounds, round_: int, phase: int) -> None:
    """Travel a second into `round_`'s phase (0 commit, 1 reveal, 2 after reveal): Anvil, unlike
    the in-process EVM, may mine the next block in the same second as the last."""
    rounds.advance(rounds.timing(round_)[phase] + 1)


def worst_verdicts(offset: int) -> bytes:
    """Every class in turn, so a reveal touches all three words of the tallies."""
    return bytes((i + offset) % CLASSES for i in range(MAX_PROPOSALS))


@pytest.fixture(scope="module")
def full_round(deploy_oracle, accounts, requester, chain):
    """A max-size round, committed by 12 validators (one alone, the rest relayed)."""
    # Phases of a day: 1,024 submissions on the in-process EVM take minutes of chain time.
    oracle = deploy_oracle(
        maxProposalsPerRound=MAX_PROPOSALS,
        maxPayloadSize=MAX_PAYLOAD,
        roundDuration=86_400,
        revealDuration=43_200,
        unbondingPeriod=3 * 86_400,
    )
    rounds = Rounds.on(oracle, chain)
    operators = list(accounts)[2 : 2 + VALIDATORS]
    signers = [Account.create() for _ in operators]
    for v, s in zip(operators, signers, strict=True):
        oracle.stake(sender=v, value=STAKE)
        set_signer(oracle, v, s)
    round_ = rounds.fresh()
    rounds.advance(rounds.timing(round_ - 1)[0] + 10)  # well inside: every submission joins round_
    gas = {}
    fee = oracle.proposalFee()
    gas["submit (max payload)"] = oracle.submit(
        b"\x01" * MAX_PAYLOAD, sender=requester, value=fee
    ).gas_used
    for i in range(MAX_PROPOSALS - 1):
        oracle.submit(b"p%d" % i, sender=requester, value=fee)
    ids = rounds.ids(round_)
    assert len(ids) == MAX_PROPOSALS
    # All but the last agree (consensus, rewards); the last dissents everywhere (slashed).
    ballots = [
        rounds.ballot(round_, v.address, worst_verdicts(int(i == VALIDATORS - 1)))
        for i, v in enumerate(operators)
    ]
    enter(rounds, round_, 0)
    gas["commit"] = rounds.commit_ballot(ballots[0], operators[0]).gas_used
    relayed = [
        (
            b.validator,
            b.commitment,
            sign_commit(rounds.domain, round_, b.commitment, b.validator, s.key),
        )
        for b, s in zip(ballots[1:], signers[1:], strict=True)
    ]
    gas[f"commitRelayed ({VALIDATORS - 1} validators)"] = oracle.commitRelayed(
        round_, relayed, sender=requester
    ).gas_used
    return oracle, rounds, round_, ids, operators, ballots, gas


def test_gas__every_validator_transaction_at_max_round__fits_under_2_pow_24(full_round, requester):
    oracle, rounds, round_, ids, operators, ballots, gas = full_round
    enter(rounds, round_, 1)
    first, second, rest = ballots[0], ballots[1], ballots[2:]
    gas["first reveal"] = rounds.reveal_ballot(first, operators[0]).gas_used
    gas["later reveal"] = rounds.reveal_ballot(second, operators[1]).gas_used
    gas[f"revealMany ({len(rest)} validators)"] = oracle.revealMany(
        round_, [(b.validator, b.verdicts, b.salt) for b in rest], sender=requester
    ).gas_used
    enter(rounds, round_, 2)
    for start in range(0, len(ids), FINALIZE_CHUNK):
        chunk = ids[start : start + FINALIZE_CHUNK]
        gas[f"finalizeMany ({len(chunk)} proposals) #{start}"] = oracle.finalizeMany(
            chunk, sender=requester
        ).gas_used
    gas["settle"] = oracle.settle(
        round_, first.validator, first.verdicts, sender=operators[0]
    ).gas_used
    # settleMany is no validator's duty (each settles its own ballot); at 1,024 proposals a
    # settler batches about ten ballots per transaction (~1.5M gas each), here in two parts.
    rest = ballots[1:]
    for i, part in enumerate((rest[: len(rest) // 2], rest[len(rest) // 2 :]), 1):
        gas[f"settleMany part {i} ({len(part)} validators)"] = oracle.settleMany(
            round_, [b.validator for b in part], [b.verdicts for b in part], sender=requester
        ).gas_used
    gas["claim"] = oracle.claim(sender=operators[1]).gas_used

    print("\n".join(f"{name}: {int(used):,}" for name, used in gas.items()))
    over = {name: int(used) for name, used in gas.items() if int(used) >= TX_GAS_CAP}
    assert not over, f"over 2^24 gas: {over}"
    # The first revealer pays about what a later one does (was ~3x before the tally sentinel).
    assert int(gas["first reveal"]) < 1.25 * int(gas["later reveal"])


def test_gas__first_reveal_of_rolled_proposals__fits_under_2_pow_24(full_round, requester):
    # Nobody reveals: every proposal rolls into a new round, and that round's first reveal
    # must be as cheap as a fresh one (the roll paid the tally fills).
    oracle, rounds, round_, ids, operators, _, _ = full_round
    enter(rounds, round_, 2)
    rolled = {}
    for start in range(0, len(ids), FINALIZE_CHUNK // 4):
        chunk = ids[start : start + FINALIZE_CHUNK // 4]
        rolled[start] = int(oracle.finalizeMany(chunk, sender=requester).gas_used)
    next_round = int(oracle.proposal(ids[0]).round)
    assert rounds.ids(next_round) == ids
    enter(rounds, next_round, 0)
    b = rounds.ballot(next_round, operators[0].address, worst_verdicts(0), secrets.token_bytes(32))
    rounds.commit_ballot(b, operators[0])
    enter(rounds, next_round, 1)
    first = int(rounds.reveal_ballot(b, operators[0]).gas_used)

    print(f"\nfinalizeMany of {FINALIZE_CHUNK // 4} rolling proposals: {max(rolled.values()):,}")
    print(f"first reveal after a roll: {first:,}")
    assert max(rolled.values()) < TX_GAS_CAP
    assert first < TX_GAS_CAP


def test_gas__round_payload_hashes_at_max_round__an_eth_call_under_2_pow_24(full_round):
    # A view, but a validator's payload check calls it every round: it must fit any node's
    # eth_call gas allowance at the largest round.
    oracle, _rounds, round_, ids, *_ = full_round
    got_ids, hashes = oracle.roundPayloadHashes(round_)
    assert list(got_ids) == list(ids) and len(hashes) == MAX_PROPOSALS
    assert bytes(hashes[0]) == keccak(b"\x01" * MAX_PAYLOAD)  # the first, max-size payload
    used = oracle.roundPayloadHashes.estimate_gas_cost(round_)
    print(f"roundPayloadHashes ({MAX_PROPOSALS} proposals): {used:,} gas")
    assert used < TX_GAS_CAP
