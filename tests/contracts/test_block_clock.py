"""The block clock (`clockMode` 1, ERC-6372 `mode=blocknumber`): every time the oracle keeps
is a block number, so a chain halt delays a phase instead of skipping it.

The failure it removes (the operating-conditions soak): under timestamps, a 12 s halt inside
a reveal phase made the first block after it land past the phase's end, and validators whose
node showed blocks a few seconds late never got their reveal in; each was slashed for not
revealing. The two halt tests replay that on both clocks.
"""

from __future__ import annotations

import ape
import pytest

from oracle.chain.clock_mode import ClockMode
from tests.support.constants import LEGAL, STAKE, verdicts_of
from tests.support.voting import Rounds, Voter, block_advancer

# Phases of a few blocks, as a chain with 2 s blocks would use.
BLOCK_TIMING = {"roundDuration": 6, "revealDuration": 6, "unbondingPeriod": 40}
HALT_S = 10_000  # a halt far longer than any phase in seconds


@pytest.fixture
def block_oracle(deploy_oracle):
    return deploy_oracle(clockMode=ClockMode.BLOCKNUMBER, **BLOCK_TIMING)


@pytest.fixture
def block_rounds(block_oracle, chain):
    return Rounds(block_oracle, block_advancer(chain), chain.chain_id)


def _committed_round(oracle, rounds, validator, requester, make_payload) -> tuple[int, Voter]:
    """Stake `validator`, fill a fresh round with one proposal and commit to it; returns the
    round and the voter (holding the salt), the chain still in the commit phase."""
    oracle.stake(sender=validator, value=STAKE)
    round_ = rounds.fresh()
    oracle.submit(make_payload(memo="halt test"), sender=requester, value=oracle.proposalFee())
    voter = Voter(oracle, rounds)
    rounds.to_commit(round_)
    voter.commit(round_, validator, verdicts_of(LEGAL))
    return round_, voter


def test_block_clock__deployed__reports_erc6372_block_numbers(block_oracle, chain):
    assert block_oracle.CLOCK_MODE() == "mode=blocknumber&from=default"
    assert block_oracle.clock() in (chain.blocks.height, chain.blocks.height + 1)
    genesis, round_duration, _, _, clock_mode = block_oracle.timing()
    assert clock_mode == ClockMode.BLOCKNUMBER
    assert genesis <= chain.blocks.height
    # Phases are block ranges: round r's commit phase starts r round-durations of blocks in.
    assert block_oracle.roundTiming(3)[0] == genesis + 3 * round_duration


def test_timestamp_clock__deployed__reports_erc6372_timestamps(oracle, chain):
    assert oracle.CLOCK_MODE() == "mode=timestamp"
    assert oracle.timing()[4] == ClockMode.TIMESTAMP
    assert oracle.clock() >= chain.blocks.head.timestamp


def test_reveal__timestamp_clock_halt_longer_than_the_phase__skips_the_reveal(
    deploy_oracle, chain, validators, requester, make_payload
):
    oracle = deploy_oracle()
    rounds = Rounds.on(oracle, chain)
    round_, voter = _committed_round(oracle, rounds, validators[0], requester, make_payload)
    rounds.to_reveal(round_)
    chain.mine(timestamp=chain.pending_timestamp + HALT_S)  # the first block after a halt
    with ape.reverts(oracle.OracleNotRevealPhase):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL))


def test_reveal__block_clock_halt_longer_than_the_phase__still_in_the_reveal_phase(
    block_oracle, block_rounds, chain, validators, requester, make_payload
):
    round_, voter = _committed_round(
        block_oracle, block_rounds, validators[0], requester, make_payload
    )
    block_rounds.to_reveal(round_)
    chain.mine(timestamp=chain.pending_timestamp + HALT_S)
    tx = voter.reveal(round_, validators[0], verdicts_of(LEGAL))
    assert tx.decode_logs(block_oracle.VotesRevealed)
    assert block_oracle.ballotOf(round_, validators[0].address).revealed


def test_reveal__block_clock_after_the_reveal_blocks__reverts(
    block_oracle, block_rounds, validators, requester, make_payload
):
    round_, voter = _committed_round(
        block_oracle, block_rounds, validators[0], requester, make_payload
    )
    block_rounds.past_reveal(round_)
    with ape.reverts(block_oracle.OracleNotRevealPhase):
        voter.reveal(round_, validators[0], verdicts_of(LEGAL))


def test_withdraw__block_clock__unbonds_for_blocks_whatever_the_time(
    block_oracle, chain, validators
):
    validator = validators[0]
    block_oracle.stake(sender=validator, value=STAKE)
    tx = block_oracle.requestUnstake(STAKE, sender=validator)
    (event,) = tx.decode_logs(block_oracle.UnstakeRequested)
    assert event.withdrawableAt == tx.block_number + BLOCK_TIMING["unbondingPeriod"]
    chain.mine(timestamp=chain.pending_timestamp + HALT_S)  # time alone unbonds nothing
    with ape.reverts(block_oracle.StakingStillUnbonding):
        block_oracle.withdraw(sender=validator)
    block_advancer(chain)(event.withdrawableAt)
    tx = block_oracle.withdraw(sender=validator)
    assert tx.decode_logs(block_oracle.Withdrawn)[0].amount == STAKE


def test_deploy__unknown_clock_mode__reverts_naming_the_range(deploy_oracle, project):
    with ape.reverts(project.VerdictOracle.GovernanceInvalidParameter, value=2, min=0, max=1):
        deploy_oracle(clockMode=2)
