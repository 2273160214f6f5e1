"""The view extension: IOracleViews answered at the oracle's address, read-only, off the core."""

from __future__ import annotations

import re
from pathlib import Path

import ape
from conftest import ROUND_DURATION, STAKE
from eth_utils import keccak

from oracle.explorer.labels import SLASH_REASONS

EIP170_LIMIT = 24_576
STAKING_INTERFACE = Path(__file__).parents[2] / "contracts" / "interfaces" / "IValidatorStaking.sol"


def runtime_size(container) -> int:
    return len(bytes(container.contract_type.get_runtime_bytecode()))


def test_oracle_bytecode__compiled__fits_eip170(project):
    assert runtime_size(project.VerdictOracle) <= EIP170_LIMIT
    assert runtime_size(project.VerdictOracleViews) <= EIP170_LIMIT


def test_view_extension_abi__every_function__is_view_or_pure(project):
    functions = [i for i in project.VerdictOracleViews.contract_type.abi if i.type == "function"]
    assert functions
    assert {f.stateMutability for f in functions} <= {"view", "pure"}


def test_view_extension_abi__no_selector__shadows_the_core(project):
    core = {i.selector for i in project.VerdictOracle.contract_type.abi if i.type == "function"}
    extension = project.VerdictOracleViews.contract_type.abi
    views = {i.selector for i in extension if i.type == "function"}
    # The fallback only sees selectors the core lacks; a shared one would never reach the extension.
    assert core & views == set()


def test_views__called_at_oracle__read_the_oracle_state(oracle, validators):
    oracle.stake(sender=validators[0], value=STAKE)
    assert oracle.totalActive() == STAKE
    assert oracle.validatorInfo(validators[0].address).active == STAKE
    assert oracle.operatorOf(validators[0].address) == validators[0].address
    assert oracle.timing()[1] == ROUND_DURATION


def test_views__called_at_extension_directly__see_its_own_empty_storage(
    project, oracle, validators
):
    oracle.stake(sender=validators[0], value=STAKE)
    extension = project.VerdictOracleViews.at(oracle.viewExtension())
    assert extension.totalActive() == 0
    assert tuple(extension.timing()) == tuple(oracle.timing())  # immutables, not storage
    assert extension.parameters().minStake == 0  # storage: the extension's own, empty


def test_view__sent_as_transaction__changes_nothing(oracle, validators, stranger):
    oracle.stake(sender=validators[0], value=STAKE)
    before = oracle.totalActive()
    receipt = oracle.totalActive.transact(sender=stranger)
    assert not receipt.failed
    assert oracle.totalActive() == before


def test_fallback__unknown_selector__reverts(oracle, stranger):
    with ape.reverts():
        stranger.transfer(oracle.address, 0, data=b"\xde\xad\xbe\xef")


def test_fallback__eth_with_view_selector__reverts_and_keeps_balance(oracle, stranger, chain):
    selector = keccak(text="totalActive()")[:4]
    before = chain.provider.get_balance(oracle.address)
    with ape.reverts():
        stranger.transfer(oracle.address, 1, data=selector)
    assert chain.provider.get_balance(oracle.address) == before


def test_slash_reasons__solidity_enum__match_explorer_labels():
    source = STAKING_INTERFACE.read_text()
    body = re.search(r"enum SlashReason \{([^}]*)\}", source)
    assert body is not None
    members = [m.strip() for m in body.group(1).split(",") if m.strip()]
    as_labels = [re.sub(r"(?<!^)([A-Z])", r"-\1", m).lower() for m in members]
    assert tuple(as_labels) == SLASH_REASONS
