"""The address book: a vendored maintained token list overlaid by the hand-written book."""

import importlib.util
import json
from pathlib import Path

from oracle.model.address_book import (
    OVERLAY_PATH,
    TOKEN_LIST_PATH,
    AddressBook,
    KnownContract,
    default_address_book,
)

ROOT = Path(__file__).resolve().parents[3]


def test_token_list__vendored_file__matches_the_installed_npm_package():
    spec = importlib.util.spec_from_file_location(
        "vendor_token_list", ROOT / "scripts" / "vendor_token_list.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    SOURCE, vendored = script.SOURCE, script.vendored

    assert SOURCE.is_file(), "run `make setup` (npm) to install @uniswap/default-token-list"
    assert json.loads(TOKEN_LIST_PATH.read_text()) == vendored()


def test_default_book__has_list_tokens_and_overlay_contracts():
    book = default_address_book()
    overlay = AddressBook.from_file(OVERLAY_PATH)
    listed = AddressBook.from_token_list(TOKEN_LIST_PATH)
    assert len(listed) > 300 and len(book) > len(listed)
    # a token only the list has, with its decimals
    wbtc = book.get("0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599")
    assert wbtc is not None and wbtc.decimals == 8 and wbtc.kind == "token"
    # overlay entries are present and win
    for entry in overlay.entries():
        assert book.get(entry.address) == entry
    assert book.get("0xca11bde05977b3631167028862be2a173976ca11").name == "Multicall3"


def test_overlaid_by__overlay_entry__wins_over_the_list():
    a = "0x" + "ab" * 20
    base = AddressBook([KnownContract(a, "LIST", "token", "LIST", 18)])
    top = AddressBook([KnownContract(a, "Mine", "protocol")])
    assert base.overlaid_by(top).get(a).name == "Mine"
