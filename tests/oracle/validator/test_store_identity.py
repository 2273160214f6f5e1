"""The store's identity: written at the first start, compared at every start, refused on change."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from oracle.validator.store import Store
from oracle.validator.store_identity import (
    StoreHoldsOtherPayloads,
    StoreIdentity,
    StoreIdentityMismatch,
)
from tests.support.legacy_store import write_v0_store

IDENTITY = StoreIdentity(
    chain_id=31337,
    oracle="0x5FbDB2315678afecb367f032d93F642f64180aa3",
    deployed_block=3,
    deployed_block_hash="0x" + "ab" * 32,
    operator="0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
)


def test_bind__first_start_then_same_deployment__new_then_matched(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    assert Store(path).bind(IDENTITY) == "new"
    again = Store(path)
    assert again.identity() == IDENTITY
    # Checksum casing is presentation: the same address in lower case is the same identity.
    assert again.bind(dataclasses.replace(IDENTITY, oracle=IDENTITY.oracle.lower())) == "matched"


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("oracle", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"),  # redeployed, same chain
        ("deployed_block_hash", "0x" + "cd" * 32),  # chain restarted, same address and block
        ("deployed_block", 9),
        ("chain_id", 1),
        ("operator", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),  # another operator
    ],
)
def test_bind__another_deployment_or_operator__refuses_naming_both_values_in_one_line(
    tmp_path: Path, field: str, other: object
) -> None:
    path = tmp_path / "v.db"
    Store(path).bind(IDENTITY)
    wanted = dataclasses.replace(IDENTITY, **{field: other})

    with pytest.raises(StoreIdentityMismatch) as err:
        Store(path).bind(wanted)

    msg = str(err.value)
    assert "\n" not in msg
    assert f"{field} {getattr(IDENTITY, field)} in the store, {other} now" in msg
    assert str(path) in msg and "set db_path to a new file" in msg
    assert Store(path).identity() == IDENTITY  # the refusal changed nothing


def test_bind__v0_store_whose_newest_payload_is_on_chain__is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    write_v0_store(path, proposals=[(1, b"a", b"\x01" * 32), (2, b"b", b"\x02" * 32)])

    outcome = Store(path).bind(IDENTITY, chain_payload_hash={2: b"\x02" * 32}.get)

    assert outcome == "adopted" and Store(path).identity() == IDENTITY


def test_bind__v0_store_of_another_deployment__refuses_and_records_no_identity(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v.db"
    write_v0_store(path, proposals=[(1, b"a", b"\x01" * 32), (2, b"b", b"\x02" * 32)])

    with pytest.raises(StoreHoldsOtherPayloads) as err:
        Store(path).bind(IDENTITY, chain_payload_hash={2: b"\x09" * 32}.get)

    msg = str(err.value)
    assert "\n" not in msg and "0x" + "02" * 32 in msg and "0x" + "09" * 32 in msg
    assert Store(path).identity() is None
