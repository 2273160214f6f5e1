"""The EIP-712 `Verdict` of oracle.chain.eip712: five fields, each one signed.

The contract side (same digest, recovered on chain) is checked by
tests/contracts/test_signatures.py and tests/oracle/validator/test_signed_verdicts.py.
"""

from __future__ import annotations

import dataclasses

import pytest
from eth_account import Account

from oracle.chain.eip712 import VERDICT_TYPE, Domain, Verdict, recover_verdict_signer, sign_verdict

DOMAIN = Domain(31337, "0x" + "42" * 20)
VERDICT = Verdict(7, 3, b"\x01" * 32, b"\x02" * 32, 1)


def test_verdict_type__is_the_contracts_struct__field_for_field() -> None:
    assert [(f["type"], f["name"]) for f in VERDICT_TYPE] == [
        ("uint256", "proposalId"),
        ("uint64", "round"),
        ("bytes32", "payloadHash"),
        ("bytes32", "modelHash"),
        ("uint8", "verdict"),
    ]


def test_sign_verdict__recovered__names_the_signer() -> None:
    key = Account.create()
    assert (
        recover_verdict_signer(DOMAIN, VERDICT, sign_verdict(key, DOMAIN, VERDICT)) == key.address
    )


@pytest.mark.parametrize(
    "change",
    [
        {"proposal_id": 8},
        {"round": 4},
        {"payload_hash": b"\x09" * 32},
        {"model_hash": b"\x09" * 32},
        {"verdict": 2},
    ],
)
def test_sign_verdict__any_field_changed__recovers_someone_else(change: dict) -> None:
    key = Account.create()
    signature = sign_verdict(key, DOMAIN, VERDICT)
    assert (
        recover_verdict_signer(DOMAIN, dataclasses.replace(VERDICT, **change), signature)
        != key.address
    )


def test_sign_verdict__other_oracle__recovers_someone_else() -> None:
    key = Account.create()
    signature = sign_verdict(key, DOMAIN, VERDICT)
    assert (
        recover_verdict_signer(Domain(31337, "0x" + "43" * 20), VERDICT, signature) != key.address
    )
