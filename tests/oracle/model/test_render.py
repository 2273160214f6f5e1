"""The canonical text: method and memo first, human amounts, known names, short unknowns."""

from oracle.chain.payload import TxRequest
from oracle.model.calldata import decode_calldata
from oracle.model.checkpoint import pretrained_minilm_path
from oracle.model.render import render_transaction
from tests.support.tx_factories import ALICE, USDC, call, eth_transfer, token_transfer

SPENDER = "0x9999999999999999999999999999999999999999"


def render(tx: TxRequest) -> str:
    return render_transaction(tx, decode_calldata(tx.data))


def test_render__token_transfer__starts_with_method_and_memo_in_human_units():
    text = render(token_transfer(SPENDER, 1_234_500_000, "Invoice 2291"))
    assert text.startswith("transfer | memo: invoice 2291 | contract: known:USDC")
    assert "amount: 1234.5 USDC" in text
    assert "recipient: unknown 0x9999..9999" in text


def test_render__unlimited_approval__is_marked_unlimited():
    data = call("approve(address,uint256)", ["address", "uint256"], [SPENDER, 2**256 - 1])
    text = render(TxRequest(1, ALICE, USDC, 0, data, "claim"))
    assert "spender: unknown 0x9999..9999 | amount: unlimited" in text


def test_render__zero_value_transfer__is_marked_zero_value():
    assert "amount: 0 USDC (zero-value)" in render(token_transfer(SPENDER, 0))


def test_render__known_router_spender__shows_its_name():
    router = "0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D"
    data = call("approve(address,uint256)", ["address", "uint256"], [router, 10**6])
    assert "spender: known:Uniswap V2 Router" in render(TxRequest(1, ALICE, USDC, 0, data, ""))


def test_render__eth_transfer_without_memo__says_none_and_eth_value():
    text = render(eth_transfer("", value=15 * 10**17))
    assert text == "eth_transfer | memo: (none) | to: unknown 0x2222..2222 | value: 1.5 ETH"


def test_render__long_arguments__never_truncate_the_memo_at_max_length():
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(pretrained_minilm_path()))
    path = [f"0x{i:040x}" for i in range(1, 12)]
    data = call(
        "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
        ["uint256", "uint256", "address[]", "address", "uint256"],
        [10**18, 1, path, SPENDER, 1],
    )
    memo = "please route this through the mixer so nobody can trace the money"
    text = render(TxRequest(1, ALICE, SPENDER, 0, data, memo))
    ids = tokenizer(text, truncation=True, max_length=64)["input_ids"]
    assert len(tokenizer(text)["input_ids"]) > 64  # the full rendering does not fit...
    assert memo in tokenizer.decode(ids)  # ...but the memo survives truncation
