"""Governance: owner-only parameters with ranges, model hash, slashed reserve, ownership."""

from __future__ import annotations

import ape
import pytest
from oracle.chain.params import SPECS
from tests.support.constants import MODEL_HASH, ORACLE_CONFIG, STAKE
from eth_account import Account
from eth_utils import keccak

# setter, getter, values at the edges of the range, values just outside it: all derived
# from oracle.chain.params.SPECS, so these tests also hold the Python ranges to the contract's.
PARAMETERS = [
    (
        spec.setter,
        spec.name,
        [spec.minimum, spec.maximum],
        ([spec.minimum - 1] if spec.minimum > 0 else []) + [spec.maximum + 1],
    )
    for spec in SPECS.values()
    if spec.setter is not None
]
ACCEPTED = [(setter, getter, good) for setter, getter, goods, _ in PARAMETERS for good in goods]

# The allowed range each parameter's GovernanceInvalidParameter reports (IOracleGovernance NatSpec).
BOUNDS = {
    "proposalFee": (0, 2**96 - 1),
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
}


def name_of(getter: str) -> bytes:
    return getter.encode().ljust(32, b"\0")


@pytest.mark.parametrize(
    ("setter", "getter", "value"), ACCEPTED, ids=[f"{a[1]}={a[2]}" for a in ACCEPTED]
)
def test_setter__owner_in_range__changes_value_and_emits(oracle, owner, setter, getter, value):
    old = getattr(oracle, getter)()
    tx = getattr(oracle, setter)(value, sender=owner)
    assert getattr(oracle, getter)() == value
    assert [
        (bytes(e.name), e.oldValue, e.newValue) for e in tx.decode_logs(oracle.ParameterChanged)
    ] == [(name_of(getter), old, value)]


@pytest.mark.parametrize(
    ("setter", "getter", "bad"),
    [(p[0], p[1], bad) for p in PARAMETERS for bad in p[3]],
    ids=[f"{p[1]}={bad}" for p in PARAMETERS for bad in p[3]],
)
def test_setter__value_out_of_range__reverts_with_allowed_range(oracle, owner, setter, getter, bad):
    low, high = BOUNDS[getter]
    with ape.reverts(
        oracle.GovernanceInvalidParameter, name=name_of(getter), value=bad, min=low, max=high
    ):
        getattr(oracle, setter)(bad, sender=owner)


def test_setter__not_owner__reverts(oracle, stranger):
    with ape.reverts(oracle.OwnableUnauthorizedAccount, account=stranger.address):
        oracle.setQuorumBps(6_000, sender=stranger)


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
    oracle.setQuorumBps(6_000, sender=stranger)
    assert oracle.quorumBps() == 6_000


def test_constructor__initial_values__are_announced_and_readable(deploy_oracle, chain):
    fresh = deploy_oracle()
    for key in (
        "proposalFee",
        "maxPayloadSize",
        "maxProposalsPerRound",
        "quorumBps",
        "supermajorityBps",
    ):
        assert getattr(fresh, key)() == ORACLE_CONFIG[key]
    assert fresh.roundDuration() == ORACLE_CONFIG["roundDuration"]
    assert fresh.unbondingPeriod() == ORACLE_CONFIG["unbondingPeriod"]
    assert fresh.genesis() == chain.blocks.head.timestamp
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


def test_constructor__unbonding_not_above_round_plus_reveal__reports_lowest_allowed(
    deploy_oracle, project
):
    d, r = ORACLE_CONFIG["roundDuration"], ORACLE_CONFIG["revealDuration"]
    with ape.reverts(
        project.VerdictOracle.GovernanceInvalidParameter,
        name=name_of("unbondingPeriod"),
        value=d + r,
        min=d + r + 1,
        max=2**32 - 1,
    ):
        deploy_oracle(unbondingPeriod=d + r)


@pytest.fixture
def slashed(oracle, validators, sign_verdict, stake_all, reporter, new_round):
    """A validator slashed for equivocation; returns the reserve it left."""
    stake_all(who=validators[:1])
    key = Account.create()
    oracle.setSigner(key.address, sender=validators[0])
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
    with ape.reverts(oracle.OracleTransferFailed, to=rejecter.address, amount=slashed):
        oracle.sweepSlashed(rejecter.address, slashed, sender=owner)


def test_constructor__zero_owner__reverts(project, owner):
    zero = "0x" + "00" * 20
    with ape.reverts(project.VerdictOracle.OwnableInvalidOwner, owner=zero):
        owner.deploy(project.VerdictOracle, ORACLE_CONFIG, zero)


def test_treasury_constructor__zero_owner__reverts(project, owner, oracle):
    zero = "0x" + "00" * 20
    with ape.reverts(project.GuardedTreasury.OwnableInvalidOwner, owner=zero):
        owner.deploy(project.GuardedTreasury, oracle.address, zero)
