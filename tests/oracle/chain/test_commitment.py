"""The Python commitment, salt and EIP-712 code agree with the deployed contract."""

from __future__ import annotations

from eth_account import Account

from oracle.chain.client import OracleClient
from oracle.chain.commitment import (
    commitment,
    derive_salt,
    round_list_hash,
    verdicts_bytes,
)
from oracle.chain.eip712 import recover_commit_signer, sign_commit


def test_commitment__equals_the_contracts_commitmentFor(client: OracleClient, account) -> None:  # type: ignore[no-untyped-def]
    # An empty round has list hash 0; the formula is the same for any list.
    r = client.current_round() + 50
    info = client.round_info(r)
    verdicts = bytes([0, 1, 2, 3, 4])
    salt = b"\x07" * 32
    local = commitment(
        chain_id=client.chain_id,
        oracle=client.address,
        round_=r,
        validator=account.address,
        list_hash=info.list_hash,
        verdicts=verdicts,
        salt=salt,
    )
    assert local == client.commitment_for(r, account.address, verdicts, salt)


def test_round_list_hash__equals_the_contracts_running_hash(client: OracleClient, account) -> None:  # type: ignore[no-untyped-def]
    from oracle.chain.submitter import Submitter

    ids = [s.proposal_id for s in Submitter(client, account).submit([b"\x01" * 64, b"\x02" * 64])]
    r = client.proposal(ids[0]).round
    listed = client.round_proposals(r)
    assert listed[-2:] == ids
    assert round_list_hash(listed) == client.round_info(r).list_hash


def test_derive_salt__is_deterministic_per_key_and_round() -> None:
    key = Account.create()
    args = {"chain_id": 31337, "oracle": "0x" + "11" * 20}
    a = derive_salt(key, round_=5, **args)
    assert a == derive_salt(Account.from_key(key.key), round_=5, **args)  # a lost DB re-derives it
    assert a != derive_salt(key, round_=6, **args)
    assert a != derive_salt(Account.create(), round_=5, **args)
    assert len(a) == 32


def test_verdicts_bytes__rejects_a_class_out_of_range() -> None:
    import pytest

    assert verdicts_bytes([0, 4]) == b"\x00\x04"
    with pytest.raises(ValueError, match="position 1"):
        verdicts_bytes([0, 5])


def test_domain_separator__equals_the_contracts(client: OracleClient) -> None:
    assert client.domain.separator() == client.domain_separator()


def test_signed_commit__recovers_to_the_signer(client: OracleClient) -> None:
    signer = Account.create()
    sig = sign_commit(
        signer, client.domain, round_=3, commitment=b"\x09" * 32, validator=signer.address
    )
    assert (
        recover_commit_signer(
            client.domain,
            round_=3,
            commitment=b"\x09" * 32,
            validator=signer.address,
            signature=sig,
        )
        == signer.address
    )


def test_verdicts_bytes__abstain_byte__is_accepted() -> None:
    from oracle.model.labels import ABSTAIN

    assert verdicts_bytes([ABSTAIN, 1]) == bytes([ABSTAIN, 1])
