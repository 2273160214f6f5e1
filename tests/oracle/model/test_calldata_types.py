"""Parameter lists written as Solidity declarations, and the canonical ABI decoder."""

from __future__ import annotations

import pytest
from eth_abi import encode

from oracle.model.calldata_types import CalldataError, decode_canonical, parameters, signature


def test_parameters__tuple_types__split_at_top_level_commas_only() -> None:
    types, names = parameters("address owner, (uint256,(address,bool)[]) permit, bytes sig")
    assert types == ("address", "(uint256,(address,bool)[])", "bytes")
    assert names == ("owner", "permit", "sig")


def test_parameters__empty__is_no_parameters() -> None:
    assert parameters("") == ((), ())


def test_parameters__missing_name__names_the_parameter() -> None:
    with pytest.raises(ValueError, match="'uint256' of"):
        parameters("address to, uint256")


def test_signature__declaration__gives_the_selector_text() -> None:
    sig = signature("transfer", "address recipient, uint256 amount")
    assert sig.text == "transfer(address,uint256)"
    assert sig.names == ("recipient", "amount")


def test_decode_canonical__padded_differently__is_refused() -> None:
    body = encode(["bytes"], [b"\x01"])
    assert decode_canonical(["bytes"], body, "x arguments") == [b"\x01"]
    with pytest.raises(CalldataError, match="x arguments are not canonically encoded"):
        decode_canonical(["bytes"], body + b"\x00" * 32, "x arguments")


def test_decode_canonical__addresses__are_lower_case() -> None:
    address = "0x" + "AB" * 20
    body = encode(["address[]"], [[address]])
    assert decode_canonical(["address[]"], body, "x") == [[address.lower()]]
