"""ABI and EIP-712 member lists from Solidity declarations."""

from __future__ import annotations

import pytest

from oracle.chain.abi_fields import fields


def test_fields__declarations__name_and_type_in_order() -> None:
    assert fields("uint64 round", "bytes32 commitment") == [
        {"name": "round", "type": "uint64"},
        {"name": "commitment", "type": "bytes32"},
    ]


def test_fields__no_name__is_refused() -> None:
    with pytest.raises(ValueError, match="'uint256' is not"):
        fields("uint256")
