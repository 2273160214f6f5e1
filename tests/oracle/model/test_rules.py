"""The rules of LABELS.md: malformed > sanctioned > model, checked before the model runs."""

from pathlib import Path

import pytest

from oracle.chain.payload import TxRequest, encode_payload
from oracle.model.labels import Verdict
from oracle.model.rules import (
    Decoded,
    RuleVerdict,
    SanctionsList,
    apply_rules,
    sample_sanctions_path,
)
from tests.support.tx_factories import ALICE, BOB, USDC, call, eth_transfer, token_transfer

BAD = "0xdEAD000000000000000000000000000000000000"
SANCTIONS = [SanctionsList([BAD.lower()])]


def judge(tx: TxRequest, *, chain_id: int = 1, max_size: int = 4096):
    return apply_rules(
        encode_payload(tx), chain_id=chain_id, max_payload_size=max_size, sanctions=SANCTIONS
    )


def test_rules__clean_request__passes_to_the_model():
    assert isinstance(judge(eth_transfer("rent")), Decoded)


def test_rules__undecodable_payload__is_malformed():
    out = apply_rules(b"\x00" * 100, chain_id=1, max_payload_size=4096, sanctions=SANCTIONS)
    assert isinstance(out, RuleVerdict) and out.verdict is Verdict.MALFORMED


def test_rules__payload_over_size_limit__is_malformed():
    out = judge(eth_transfer("x" * 5000))
    assert out == RuleVerdict(Verdict.MALFORMED, out.reason) and "> 4096" in out.reason


def test_rules__other_chain_id__is_malformed():
    out = judge(eth_transfer("rent", chain_id=137))
    assert out.verdict is Verdict.MALFORMED and "chainId 137" in out.reason


def test_rules__known_selector_with_short_calldata__is_malformed():
    tx = token_transfer(BOB, 5)
    out = judge(TxRequest(1, ALICE, USDC, 0, tx.data[:-3], ""))
    assert out.verdict is Verdict.MALFORMED


def test_rules__memo_not_utf8__is_malformed():
    from eth_abi import encode as abi_encode

    payload = abi_encode(
        ["(uint256,address,address,uint256,bytes,bytes)"], [(1, ALICE, BOB, 0, b"", b"\xc3\x28")]
    )
    out = apply_rules(payload, chain_id=1, max_payload_size=4096, sanctions=SANCTIONS)
    assert out.verdict is Verdict.MALFORMED and "UTF-8" in out.reason


def test_rules__unknown_selector__is_not_malformed():
    assert isinstance(judge(TxRequest(1, ALICE, BOB, 0, bytes.fromhex("12345678"), "")), Decoded)


@pytest.mark.parametrize(
    "tx",
    [
        eth_transfer("rent", to=BAD),
        token_transfer(BAD, 10**6),
        TxRequest(
            1,
            ALICE,
            USDC,
            0,
            call("approve(address,uint256)", ["address", "uint256"], [BAD, 1]),
            "",
        ),
        TxRequest(
            1,
            ALICE,
            BOB,
            0,
            call("setApprovalForAll(address,bool)", ["address", "bool"], [BAD, True]),
            "",
        ),
        TxRequest(
            1,
            ALICE,
            BOB,
            0,
            call("multicall(bytes[])", ["bytes[]"], [[token_transfer(BAD, 1).data]]),
            "",
        ),
    ],
    ids=["to", "recipient", "spender", "operator", "multicall-inner"],
)
def test_rules__sanctioned_counterparty_anywhere__is_sanctioned(tx):
    out = judge(tx)
    assert out.verdict is Verdict.SANCTIONED and BAD.lower() in out.reason


def test_rules__sanctions_match__is_case_insensitive():
    assert judge(eth_transfer("", to=BAD.upper().replace("0X", "0x"))).verdict is Verdict.SANCTIONED


def test_rules__malformed_and_sanctioned__malformed_wins():
    assert judge(eth_transfer("", to=BAD, chain_id=5)).verdict is Verdict.MALFORMED


def test_sanctions_file__comments_and_blank_lines__are_ignored(tmp_path: Path):
    path = tmp_path / "list.txt"
    path.write_text(f"# header\n\n{BAD}  # note\n")
    assert BAD.lower() in SanctionsList.from_file(path)
    assert len(SanctionsList.from_file(path)) == 1


def test_sanctions_file__bad_line__error_names_the_line(tmp_path: Path):
    path = tmp_path / "list.txt"
    path.write_text(f"{BAD}\n0x1234\n")
    with pytest.raises(ValueError, match=r"list.txt:2: '0x1234' is not"):
        SanctionsList.from_file(path)


def test_sample_sanctions_list__ships_and_loads():
    assert len(SanctionsList.from_file(sample_sanctions_path())) >= 10
