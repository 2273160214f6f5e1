"""Well-known contracts (name, kind, token decimals) from the shipped data files.

Two sources, merged: `token_list.json` (mainnet tokens vendored from the maintained
npm token list @uniswap/default-token-list by `scripts/vendor_token_list.py`) and the
hand-written overlay `address_book.json` (routers, protocols, bridges, NFT venues,
and tokens no list has), which wins where both name an address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The shipped data files (package data), located from this file so that editable
# installs and plain checkouts behave the same.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class KnownContract:
    address: str  # lower-case 0x hex
    name: str
    kind: str  # token | router | nft | protocol | bridge
    symbol: str | None = None
    decimals: int | None = None


class AddressBook:
    """Lookup by address, case-insensitive."""

    def __init__(self, entries: list[KnownContract]) -> None:
        self._by_address = {e.address: e for e in entries}

    def __len__(self) -> int:
        return len(self._by_address)

    def get(self, address: str) -> KnownContract | None:
        return self._by_address.get(address.lower())

    def entries(self) -> list[KnownContract]:
        return list(self._by_address.values())

    @classmethod
    def from_file(cls, path: Path) -> AddressBook:
        raw = json.loads(Path(path).read_text())
        entries = []
        for i, item in enumerate(raw["contracts"]):
            address = str(item["address"]).lower()
            if len(address) != 42 or not address.startswith("0x"):
                raise ValueError(f"{path}: contract #{i} has a bad address {item['address']!r}")
            entries.append(
                KnownContract(
                    address=address,
                    name=str(item["name"]),
                    kind=str(item["kind"]),
                    symbol=item.get("symbol"),
                    decimals=item.get("decimals"),
                )
            )
        return cls(entries)

    @classmethod
    def from_token_list(cls, path: Path) -> AddressBook:
        """A vendored token list (`token_list.json`): every entry a token named by symbol."""
        raw = json.loads(Path(path).read_text())
        return cls(
            [
                KnownContract(
                    address=str(t["address"]).lower(),
                    name=str(t["symbol"]),
                    kind="token",
                    symbol=str(t["symbol"]),
                    decimals=int(t["decimals"]),
                )
                for t in raw["tokens"]
            ]
        )

    def overlaid_by(self, overlay: AddressBook) -> AddressBook:
        """This book with the overlay's entries added, the overlay winning on conflicts."""
        return AddressBook([*self.entries(), *overlay.entries()])


TOKEN_LIST_PATH = DATA_DIR / "token_list.json"
OVERLAY_PATH = DATA_DIR / "address_book.json"


@lru_cache(maxsize=1)
def default_address_book() -> AddressBook:
    """The vendored token list overlaid by the hand-written `address_book.json`."""
    return AddressBook.from_token_list(TOKEN_LIST_PATH).overlaid_by(
        AddressBook.from_file(OVERLAY_PATH)
    )
