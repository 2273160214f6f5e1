"""Memo normalization undoes character-level obfuscation but leaves amounts and hex alone."""

import pytest

from oracle.model.normalize import normalize_memo


@pytest.mark.parametrize(
    ("memo", "expected"),
    [
        ("CL41M Y0UR R3WARD", "claim your reward"),
        ("v3rify y0ur w@llet", "verify your wallet"),
        ("C L A I M  your   a.i.r.d.r.o.p", "claim your airdrop"),
        ("h-a-c-k-e-r for hire", "hacker for hire"),
        ("invoice 2291 for design work", "invoice 2291 for design work"),
        ("pay 0x12ab..cd34 1.5 ETH", "pay 0x12ab..cd34 1.5 eth"),
        ("web3 grant for erc20 v2", "web3 grant for erc20 v2"),
        ("send 1 get 2 back", "send 1 get 2 back"),
    ],
)
def test_normalize_memo__obfuscated_or_plain__gives_canonical_text(memo, expected):
    assert normalize_memo(memo) == expected
