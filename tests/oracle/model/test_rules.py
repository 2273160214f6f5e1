"""The rules of docs/labels.md: malformed > sanctioned > model, checked before the model runs."""

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


PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3"
BAYC = "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D"


def test_rules__zero_value_token_transfer__is_address_poisoning_fraud():
    out = judge(token_transfer(BOB, 0, "invoice 12"))
    assert out.verdict is Verdict.FRAUD
    assert out.reason.startswith("rule:address-poisoning zero-value transfer of token")


def test_rules__zero_value_transfer_from__is_address_poisoning_fraud():
    data = call(
        "transferFrom(address,address,uint256)", ["address", "address", "uint256"], [BOB, ALICE, 0]
    )
    out = judge(TxRequest(1, ALICE, USDC, 0, data, ""))
    assert out.verdict is Verdict.FRAUD and "zero-value transferFrom" in out.reason


def test_rules__nft_transfer_from_of_token_id_zero__goes_to_the_model():
    data = call(
        "transferFrom(address,address,uint256)", ["address", "address", "uint256"], [ALICE, BOB, 0]
    )
    assert isinstance(judge(TxRequest(1, ALICE, BAYC, 0, data, "")), Decoded)


def test_rules__non_zero_transfer__goes_to_the_model():
    assert isinstance(judge(token_transfer(BOB, 1)), Decoded)


def test_rules__approve_to_zero__is_a_legal_revoke_whatever_the_memo():
    data = call("approve(address,uint256)", ["address", "uint256"], [BOB, 0])
    out = judge(TxRequest(1, ALICE, USDC, 0, data, "urgent: verify your wallet"))
    assert out.verdict is Verdict.LEGAL
    assert out.reason.startswith(f"rule:revoke approve withdraws permission from {BOB.lower()}")


def test_rules__set_approval_for_all_false__is_a_legal_revoke():
    data = call("setApprovalForAll(address,bool)", ["address", "bool"], [BOB, False])
    out = judge(TxRequest(1, ALICE, BAYC, 0, data, ""))
    assert out.verdict is Verdict.LEGAL and "setApprovalForAll" in out.reason


def test_rules__set_approval_for_all_true__goes_to_the_model():
    data = call("setApprovalForAll(address,bool)", ["address", "bool"], [BOB, True])
    assert isinstance(judge(TxRequest(1, ALICE, BAYC, 0, data, "")), Decoded)


def test_rules__permit2_approve_to_zero__is_a_legal_revoke():
    data = call(
        "approve(address,address,uint160,uint48)",
        ["address", "address", "uint160", "uint48"],
        [USDC, BOB, 0, 0],
    )
    out = judge(TxRequest(1, ALICE, PERMIT2, 0, data, ""))
    assert out.verdict is Verdict.LEGAL and "permit2_approve" in out.reason


def test_rules__permit2_lockdown__is_a_legal_revoke_naming_the_spenders():
    data = call("lockdown((address,address)[])", ["(address,address)[]"], [[(USDC, BOB)]])
    out = judge(TxRequest(1, ALICE, PERMIT2, 0, data, ""))
    assert out.verdict is Verdict.LEGAL and BOB.lower() in out.reason


def test_rules__revoke_of_sanctioned_spender__sanctioned_wins():
    data = call("approve(address,uint256)", ["address", "uint256"], [BAD, 0])
    assert judge(TxRequest(1, ALICE, USDC, 0, data, "")).verdict is Verdict.SANCTIONED
