"""Governance: owner-only parameters with ranges, model hash, slashed reserve, ownership."""

from __future__ import annotations

import ape
import pytest
from eth_account import Account
from eth_utils import keccak

from oracle.chain.params import SPECS, Param
from tests.support.constants import (
    FINALIZED,
    FRAUD,
    LEGAL,
    MODEL_HASH,
    ORACLE_CONFIG,
    STAKE,
    verdicts_of,
)
from tests.support.signer_consent import set_signer

# parameter, values at the edges of the range, values just outside it: all derived from
# oracle.chain.params.SPECS, so these tests also hold the Python ranges to the contract's.
PARAMETERS = [
    (
        spec.name,
        [spec.minimum, spec.maximum],
        ([spec.minimum - 1] if spec.minimum > 0 else []) + [spec.maximum + 1],
    )
    for spec in SPECS.values()
    if spec.param is not None
]
ACCEPTED = [(name, good) for name, goods, _ in PARAMETERS for good in goods]

# The allowed range each parameter's GovernanceInvalidParameter reports (IOracleGovernance NatSpec).
BOUNDS = {
    "proposalFee": (1, 2**96 - 1),
    "maxPayloadSize": (1, 65_536),
    "maxProposalsPerRound": (1, 1_024),
    "quorumBps": (1, 10_000),
    "supermajorityBps": (5_001, 10_000),
    "maxRounds": (1, 255),
    "minStake": (1, 2**96 - 1),
    "nonRevealSlashBps": (0, 10_000),
    "incoherentSlashBps": (0, 10_000),
    "equivocationSlashBps": (0, 10_000),
    "callbackGasLimit": (10_000, 2_000_000),
    "callbackGasPrice": (1, 10**15),
}


def name_of(getter: str) -> bytes:
    return getter.encode().ljust(32, b"\0")


def parameters_of(oracle) -> dict[str, int]:
    """`parameters()` as a dict, `version` included."""
    struct = oracle.parameters()
    return {name: int(getattr(struct, name)) for name in [*Param.__members__, "version"]}


@pytest.mark.parametrize(("name", "value"), ACCEPTED, ids=[f"{a[0]}={a[1]}" for a in ACCEPTED])
def test_set_parameter__owner_in_range__changes_only_that_value_and_emits(
    oracle, owner, name, value
):
    before = parameters_of(oracle)
    tx = oracle.setParameter(Param[name], value, sender=owner)
    # Only this field moved (a wrong place in the contract's table would move another one),
    # and the set got a new version.
    assert parameters_of(oracle) == {**before, name: value, "version": before["version"] + 1}
    assert [
        (bytes(e.name), e.oldValue, e.newValue) for e in tx.decode_logs(oracle.ParameterChanged)
    ] == [(name_of(name), before[name], value)]


def test_set_parameter__every_parameter_at_its_maximum__reads_back_whole(oracle, owner):
    # Every field at once at its widest value: the table's bit places may not overlap.
    for spec in SPECS.values():
        if spec.param is not None:
            oracle.setParameter(spec.param, spec.maximum, sender=owner)
    expected = {name: SPECS[name].maximum for name in Param.__members__}
    assert parameters_of(oracle) == {**expected, "version": len(Param)}


@pytest.mark.parametrize(
    ("name", "bad"),
    [(p[0], bad) for p in PARAMETERS for bad in p[2]],
    ids=[f"{p[0]}={bad}" for p in PARAMETERS for bad in p[2]],
)
def test_set_parameter__value_out_of_range__reverts_with_allowed_range(oracle, owner, name, bad):
    low, high = BOUNDS[name]
    with ape.reverts(
        oracle.GovernanceInvalidParameter, name=name_of(name), value=bad, min=low, max=high
    ):
        oracle.setParameter(Param[name], bad, sender=owner)


@pytest.mark.parametrize("index", [len(Param), 255])
def test_set_parameter__no_such_parameter__reverts_naming_the_number(oracle, owner, index):
    with ape.reverts(oracle.GovernanceUnknownParameter, index=index):
        oracle.setParameter(index, 1, sender=owner)


def test_set_parameter__not_owner__reverts(oracle, stranger):
    with ape.reverts(oracle.OwnableUnauthorizedAccount, account=stranger.address):
        oracle.setParameter(Param.quorumBps, 6_000, sender=stranger)


def test_set_model_hash__owner__pins_new_hash_and_emits(oracle, owner):
    new_hash = keccak(b"model-v2")
    tx = oracle.setModelHash(new_hash, sender=owner)
    assert bytes(oracle.modelHash()) == new_hash
    assert [
        (bytes(e.oldHash), bytes(e.newHash)) for e in tx.decode_logs(oracle.ModelHashChanged)
    ] == [(MODEL_HASH, new_hash)]


def test_set_model_hash__not_owner__reverts(oracle, stranger):
    with ape.reverts(oracle.OwnableUnauthorizedAccount):
        oracle.setModelHash(keccak(b"x"), sender=stranger)


def test_transfer_ownership__two_steps__new_owner_accepts(oracle, owner, stranger):
    oracle.transferOwnership(stranger.address, sender=owner)
    assert oracle.owner() == owner.address  # nothing changes until accepted
    oracle.acceptOwnership(sender=stranger)
    assert oracle.owner() == stranger.address
    oracle.setParameter(Param.quorumBps, 6_000, sender=stranger)
    assert oracle.parameters().quorumBps == 6_000


def test_constructor__initial_values__are_announced_and_readable(deploy_oracle, chain):
    fresh = deploy_oracle()
    assert parameters_of(fresh) == {
        **{name: ORACLE_CONFIG[name] for name in Param.__members__},
        "version": 0,
    }
    assert fresh.proposalFee() == ORACLE_CONFIG["proposalFee"]
    assert fresh.maxPayloadSize() == ORACLE_CONFIG["maxPayloadSize"]
    genesis, round_duration, reveal_duration, unbonding, _ = fresh.timing()
    assert genesis == chain.blocks.head.timestamp
    assert round_duration == ORACLE_CONFIG["roundDuration"]
    assert reveal_duration == ORACLE_CONFIG["revealDuration"]
    assert unbonding == ORACLE_CONFIG["unbondingPeriod"]
    assert bytes(fresh.modelHash()) == MODEL_HASH


@pytest.mark.parametrize(
    ("overrides", "name"),
    [
        ({"roundDuration": 0}, "roundDuration"),
        ({"revealDuration": 0}, "revealDuration"),
        ({"revealDuration": ORACLE_CONFIG["roundDuration"] + 1}, "revealDuration"),
        (
            {"unbondingPeriod": ORACLE_CONFIG["roundDuration"] + ORACLE_CONFIG["revealDuration"]},
            "unbondingPeriod",
        ),
        ({"supermajorityBps": 5_000}, "supermajorityBps"),
    ],
    ids=[
        "zero round",
        "zero reveal",
        "reveal longer than round",
        "unbonding too short",
        "simple majority",
    ],
)
def test_constructor__invalid_config__reverts(deploy_oracle, project, overrides, name):
    # A failed deployment's error belongs to the contract container, not to a deployed instance.
    with ape.reverts(project.VerdictOracle.GovernanceInvalidParameter, name=name_of(name)):
        deploy_oracle(**overrides)


def test_constructor__unbonding_not_above_two_rounds_plus_reveal__reports_lowest_allowed(
    deploy_oracle, project
):
    d, r = ORACLE_CONFIG["roundDuration"], ORACLE_CONFIG["revealDuration"]
    with ape.reverts(
        project.VerdictOracle.GovernanceInvalidParameter,
        name=name_of("unbondingPeriod"),
        value=2 * d + r,
        min=2 * d + r + 1,
        max=2**32 - 1,
    ):
        deploy_oracle(unbondingPeriod=2 * d + r)


@pytest.fixture
def slashed(oracle, validators, sign_verdict, stake_all, reporter, new_round):
    """A validator slashed for equivocation; returns the reserve it left."""
    stake_all(who=validators[:1])
    key = Account.create()
    set_signer(oracle, validators[0], key)
    round_, (pid,) = new_round(1)
    p = oracle.proposal(pid)
    a = (pid, round_, bytes(p.payloadHash), bytes(p.modelHash), 0)
    b = (*a[:4], 1)
    oracle.reportEquivocation(
        a, sign_verdict(oracle, *a, key), b, sign_verdict(oracle, *b, key), sender=reporter
    )
    return int(oracle.slashedReserve())


def test_sweep_slashed__owner__sends_reserve_and_emits(oracle, owner, stranger, slashed):
    before = stranger.balance
    tx = oracle.sweepSlashed(stranger.address, slashed, sender=owner)
    assert slashed == STAKE // 2 - STAKE // 2 // 64  # a 64th of the 50% slash is held as bounty
    assert stranger.balance == before + slashed
    assert oracle.slashedReserve() == 0
    assert [(e.to, e.amount) for e in tx.decode_logs(oracle.SlashedReserveSwept)] == [
        (stranger.address, slashed)
    ]


def test_sweep_slashed__more_than_reserve__reverts(oracle, owner, stranger, slashed):
    with ape.reverts(
        oracle.GovernanceInsufficientReserve, requested=slashed + 1, available=slashed
    ):
        oracle.sweepSlashed(stranger.address, slashed + 1, sender=owner)


def test_sweep_slashed__not_owner__reverts(oracle, stranger, slashed):
    with ape.reverts(oracle.OwnableUnauthorizedAccount):
        oracle.sweepSlashed(stranger.address, 1, sender=stranger)


def test_sweep_slashed__receiver_rejects_ether__reverts(oracle, project, owner, slashed):
    rejecter = owner.deploy(project.EtherRejecter, oracle.address)
    with ape.reverts(oracle.EthTransferFailed, to=rejecter.address, amount=slashed):
        oracle.sweepSlashed(rejecter.address, slashed, sender=owner)


def test_constructor__zero_owner__reverts(project, owner):
    zero = "0x" + "00" * 20
    with ape.reverts(project.VerdictOracle.OwnableInvalidOwner, owner=zero):
        owner.deploy(project.VerdictOracle, ORACLE_CONFIG, zero)


def test_treasury_constructor__zero_owner__reverts(project, owner, oracle):
    zero = "0x" + "00" * 20
    with ape.reverts(project.GuardedTreasury.OwnableInvalidOwner, owner=zero):
        owner.deploy(project.GuardedTreasury, oracle.address, zero)


# ------------------------------------------------------------------ parameters of a round (issue 9, item 7)


def _settle_all(oracle, round_, votes, relayer):
    """Settle every ballot of `round_`; the wei slashed per validator address."""
    slashed = {}
    for validator, verdicts in votes.items():
        tx = oracle.settle(round_, validator.address, verdicts, sender=relayer)
        slashed[validator.address] = sum(e.slashed for e in tx.decode_logs(oracle.BallotSettled))
    return slashed


def test_set_parameter__owner_raises_quorum_and_supermajority_after_reveal__outcome_stands(
    oracle, owner, validators, open_round, voter, rounds, relayer
):
    # 4 of 5 equal stakes reveal `legal`: 80% of the stake, all of the revealed stake.
    round_, (pid,) = open_round(1)
    votes = {v: verdicts_of(LEGAL) for v in validators[:4]}
    voter.vote(round_, votes)
    # The attack: after the reveals, demand every validator's stake and 90% of it.
    oracle.setParameter(Param.quorumBps, 10_000, sender=owner)
    oracle.setParameter(Param.supermajorityBps, 9_000, sender=owner)
    rounds.past_reveal(round_)
    oracle.finalize(pid, sender=relayer)

    assert tuple(oracle.verdictOf(pid)) == (FINALIZED, LEGAL)  # not rolled to a fresh vote
    assert oracle.roundParameters(round_).quorumBps == ORACLE_CONFIG["quorumBps"]
    assert oracle.roundParameters(round_).version == 0


def test_set_parameter__owner_raises_slash_rates_on_open_ballots__settles_at_the_old_rates(
    oracle, owner, validators, open_round, voter, rounds, relayer, chain
):
    # Two proposals; validators 0-2 vote legal, 3 votes fraud (incoherent), 4 never reveals.
    round_, ids = open_round(2)
    votes = {v: verdicts_of(LEGAL, LEGAL) for v in validators[:3]}
    votes[validators[3]] = verdicts_of(FRAUD, FRAUD)
    voter.rounds.to_commit(round_)
    for v, verdicts in votes.items():
        voter.commit(round_, v, verdicts)
    voter.commit(round_, validators[4], verdicts_of(LEGAL, LEGAL))
    rounds.to_reveal(round_)
    for v, verdicts in votes.items():
        voter.reveal(round_, v, verdicts)
    rounds.past_reveal(round_)
    oracle.finalizeMany(ids, sender=relayer)
    ballots = {**votes, validators[4]: b""}

    # The same settlement with and without the owner's raise.
    snapshot = chain.snapshot()
    fair = _settle_all(oracle, round_, ballots, relayer)
    chain.restore(snapshot)
    for param in (Param.nonRevealSlashBps, Param.incoherentSlashBps):
        oracle.setParameter(param, 10_000, sender=owner)
    after_raise = _settle_all(oracle, round_, ballots, relayer)

    assert fair[validators[3].address] > 0 and fair[validators[4].address] > 0
    assert after_raise == fair
    assert oracle.slashedReserve() == sum(fair.values())  # nothing more for the owner to sweep


def test_set_parameter__change__applies_to_the_next_round_opened(
    oracle, owner, validators, open_round, submit, voter, rounds, relayer
):
    round_, (first,) = open_round(1)
    oracle.setParameter(Param.quorumBps, 10_000, sender=owner)
    later = submit()  # joins the same, already opened round: its parameters stay fixed
    assert rounds.round_of(later) == round_
    assert oracle.roundParameters(round_).quorumBps == ORACLE_CONFIG["quorumBps"]

    fresh = rounds.fresh()
    opened = submit()
    assert rounds.round_of(opened) == fresh
    assert oracle.roundParameters(fresh).quorumBps == 10_000
    assert oracle.roundParameters(fresh).version == 1
    # 4 of 5 reveal: enough under the old quorum, not under the new one.
    votes = {v: verdicts_of(LEGAL) for v in validators[:4]}
    voter.vote(fresh, votes)
    rounds.past_reveal(fresh)
    tx = oracle.finalize(opened, sender=relayer)
    assert [e.id for e in tx.decode_logs(oracle.ProposalRolled)] == [opened]


def test_round_parameters__round_nobody_joined__are_those_in_force_now(oracle, owner, rounds):
    oracle.setParameter(Param.maxRounds, 7, sender=owner)
    assert oracle.roundParameters(rounds.fresh() + 5).maxRounds == 7
