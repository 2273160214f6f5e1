"""Vendor the mainnet tokens of the npm package @uniswap/default-token-list.

Usage: python scripts/vendor_token_list.py [--out oracle/data/token_list.json]

The validators' rendering (what the model reads) must be identical on every machine,
so the address book cannot depend on whether node_modules exists at run time: this
script copies the chain-1 entries (address, symbol, name, decimals) of the pinned
package (package.json; `make setup` installs it) into package data, with the source
and version. Re-run it after bumping the package; a test checks the two agree.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "@uniswap/default-token-list"
SOURCE = ROOT / "node_modules" / PACKAGE / "build" / "uniswap-default.tokenlist.json"
OUT = ROOT / "oracle" / "data" / "token_list.json"
CHAIN_ID = 1


def vendored(source: Path = SOURCE) -> dict[str, object]:
    """The file content this script writes, from the installed package."""
    raw = json.loads(source.read_text())
    version = raw["version"]
    tokens = sorted(
        (
            {
                "address": t["address"].lower(),
                "symbol": t["symbol"],
                "name": t["name"],
                "decimals": int(t["decimals"]),
            }
            for t in raw["tokens"]
            if t["chainId"] == CHAIN_ID
        ),
        key=lambda t: t["address"],
    )
    return {
        "source": f"npm {PACKAGE} {version['major']}.{version['minor']}.{version['patch']}",
        "license": "GPL-3.0-or-later (the package's); facts only: address, symbol, name, decimals",
        "chain_id": CHAIN_ID,
        "tokens": tokens,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.write_text(json.dumps(vendored(), indent=1, ensure_ascii=False) + "\n")
    print(args.out)


if __name__ == "__main__":
    main()
