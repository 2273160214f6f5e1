"""Equivocation: two signed verdicts by one signer on one proposal and round."""

from __future__ import annotations

import ape
import pytest
from tests.support.constants import EQUIVOCATION, FRAUD, LEGAL, STAKE, eth_balance_of
from eth_account import Account
from tests.support.signer_consent import set_signer

pytestmark = pytest.mark.usefixtures("keys")


@pytest.fixture(scope="module")
def keys(stake_all, hot_keys):
    """Every validator staked, with its own hot signer key."""
    stake_all()
    return hot_keys()


def report(oracle, sign_verdict, key_a, a, key_b, b, sender):
    return oracle.reportEquivocation(
        a, sign_verdict(oracle, *a, key_a), b, sign_verdict(oracle, *b, key_b), sender=sender
    )


def test_report_equivocation__conflicting_verdicts__slashes_and_pays_half_to_reporter(
    oracle, validators, keys, sign_verdict, reporter
):
    tx = report(oracle, sign_verdict, keys[0], (7, 3, LEGAL), keys[0], (7, 3, FRAUD), reporter)

    slash = STAKE * 5_000 // 10_000
    assert [
        (e.validator, e.reporter, e.proposalId, e.round)
        for e in tx.decode_logs(oracle.EquivocationReported)
    ] == [(validators[0].address, reporter.address, 7, 3)]
    assert [(e.validator, e.amount, e.reason) for e in tx.decode_logs(oracle.Slashed)] == [
        (validators[0].address, slash, EQUIVOCATION)
    ]
    assert oracle.validatorInfo(validators[0]).active == STAKE - slash
    assert oracle.claimable(reporter) == slash // 2
    assert oracle.slashedReserve() == slash - slash // 2
    assert oracle.balance == eth_balance_of(oracle)


def test_report_equivocation__validator_unbonding__slashes_bonded_stake(
    oracle, validators, keys, sign_verdict, reporter
):
    oracle.requestUnstake(STAKE, sender=validators[0])  # all of it: active is 0 now
    tx = report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[0], (1, 1, FRAUD), reporter)
    assert tx.decode_logs(oracle.Slashed)[0].amount == STAKE // 2
    assert oracle.validatorInfo(validators[0]).unbonding == STAKE // 2
    assert oracle.totalUnbonding() == STAKE // 2


def test_report_equivocation__signer_since_replaced__still_slashes_its_operator(
    oracle, validators, keys, sign_verdict, reporter
):
    set_signer(oracle, validators[0], Account.create())
    tx = report(oracle, sign_verdict, keys[0], (2, 1, LEGAL), keys[0], (2, 1, FRAUD), reporter)
    assert tx.decode_logs(oracle.Slashed)[0].validator == validators[0].address


def test_report_equivocation__same_verdict__reverts(oracle, keys, sign_verdict, reporter):
    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[0], (1, 1, LEGAL), reporter)


def test_report_equivocation__different_proposals__reverts(oracle, keys, sign_verdict, reporter):
    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[0], (2, 1, FRAUD), reporter)


def test_report_equivocation__different_rounds__reverts(oracle, keys, sign_verdict, reporter):
    with ape.reverts(oracle.OracleEquivocationNotConflicting):
        report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[0], (1, 2, FRAUD), reporter)


def test_report_equivocation__two_different_signers__reverts(oracle, keys, sign_verdict, reporter):
    with ape.reverts(
        oracle.OracleEquivocationSignersDiffer, signerA=keys[0].address, signerB=keys[1].address
    ):
        report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[1], (1, 1, FRAUD), reporter)


def test_report_equivocation__key_of_no_validator__reverts(oracle, sign_verdict, reporter):
    outsider = Account.create()
    with ape.reverts(oracle.OracleUnknownSigner, signer=outsider.address):
        report(oracle, sign_verdict, outsider, (1, 1, LEGAL), outsider, (1, 1, FRAUD), reporter)


def test_report_equivocation__garbage_signatures__reverts_unknown_signer(oracle, reporter):
    with ape.reverts(oracle.OracleUnknownSigner):
        oracle.reportEquivocation(
            (1, 1, LEGAL), b"\x01" * 65, (1, 1, FRAUD), b"\x01" * 65, sender=reporter
        )


def test_report_equivocation__same_proof_twice__reverts(
    oracle, validators, keys, sign_verdict, reporter
):
    report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[0], (1, 1, FRAUD), reporter)
    with ape.reverts(
        oracle.OracleEquivocationAlreadyReported,
        validator=validators[0].address,
        proposalId=1,
        round=1,
    ):
        report(oracle, sign_verdict, keys[0], (1, 1, LEGAL), keys[0], (1, 1, 4), reporter)
