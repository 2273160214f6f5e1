"""Build the project's outside evaluation set: oracle/data/outside/*.jsonl.

Usage: python scripts/make_outside_set.py [--out-dir oracle/data/outside] [--seed N]

Written from docs/labels.md alone, independently of the training generator
(oracle/model/phrases.py and generate.py are not imported): other memos
(scripts/outside/), other sentence shapes and styles, real protocol calls encoded
with eth-abi, real token contracts, the hard negatives of the policy, and a
multilingual slice. Three files:

- `main.jsonl`: English memos on real call shapes, every class, rule cases included;
- `obfuscated.jsonl`: 450 of those memos rewritten with character tricks
  (homoglyphs, symbols for letters, dotted letters, stretched words) by a routine
  of its own;
- `multilingual.jsonl`: Chinese, Spanish, Russian, Portuguese, Turkish,
  Vietnamese and Korean memos.

EVALUATION ONLY: no training, validation or model-selection code may read these
files (tests/oracle/model/test_outside_set.py checks it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from outside.memos_en import (  # noqa: E402
    FRAUD,
    FRAUD_DRAINER,
    ILLICIT,
    ILLICIT_STRUCTURING,
    LEGAL,
    LEGAL_BATCH,
    LEGAL_BRIDGE,
    LEGAL_ENS,
    LEGAL_LENDING,
    LEGAL_NFT,
    LEGAL_REVOKE,
    LEGAL_STAKING,
    LEGAL_SWAP,
)
from outside.memos_multilingual import MULTILINGUAL  # noqa: E402

from oracle.chain.payload import TxRequest  # noqa: E402

OUT_DIR = ROOT / "oracle" / "data" / "outside"
UINT_MAX = 2**256 - 1
U160_MAX = 2**160 - 1
# Real mainnet contracts
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
USDT = "0xdac17f958d2ee523a2206206994597c13d831ec7"
DAI = "0x6b175474e89094c44da98b954eedeac495271d0f"
WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
WBTC = "0x2260fac5e5542a773aa44fbcfedf7c193bc2c599"
STETH = "0xae7ab96520de3a18e5e111b5eaab095312d7fe84"
PERMIT2 = "0x000000000022d473030f116ddee9f6b43ac78ba3"
UNIVERSAL_ROUTER = "0x66a9893cc07d91d95644aedd05d03f95e1dba8af"
SWAP_ROUTER02 = "0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45"
V2_ROUTER = "0x7a250d5630b4cf539739df2c5dacb4c659f2488d"
SEAPORT = "0x0000000000000068f116a894984e2db1123eb395"
AAVE_POOL = "0x87870bca3f3fd6335c3f4ce8392d69350b4fa4e2"
LIDO_QUEUE = "0x889edc2edab5f40e902b864ad4d7ade8e412f9b1"
ENS_CONTROLLER = "0x253553366da8546fc250f225fe3d25d0c782303b"
OP_BRIDGE = "0x99c9fc46f92e8a1c0dec1b1747d010903e884be1"
BASE_BRIDGE = "0x3154cf16ccdb4c6d922629664174b904d80f2c35"
ARB_GATEWAY = "0x72ce9c846789fdb6fc1f34ac4ad25dd9ef7031ef"
DISPERSE = "0xd152f549545093347a162dce210e7293f1452150"
BAYC = "0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d"
MAJORS = [(USDC, 6), (USDT, 6), (DAI, 18), (WETH, 18), (WBTC, 8)]
SANCTIONS_FILE = ROOT / "oracle" / "data" / "sanctions_sample.txt"

_EMOJI = ["🙏", "✅", "💸", "👍", "📌", "🤝", "⚡"]
_OPENERS = ["hey! ", "yo ", "hi, ", "ok so ", "gm, ", "Hello, "]
_CLOSERS = [
    " thx",
    " ty!",
    " cheers",
    " — sent from my phone",
    " (ref in email thread)",
    " pls confirm",
]
_LONG_TAILS = [
    "Let me know once it lands, I'm travelling this week and checking messages late.",
    "Same wallet as last time; if anything looks off just ping me on signal.",
    "Sorry for the delay, the bank transfer didn't go through so doing it this way.",
]
_LONG_TAILS = [
    "Let me know once it lands, I'm travelling this week and checking messages late.",
    "Same wallet as last time; if anything looks off just ping me on signal.",
    "Sorry for the delay, the bank transfer didn't go through so doing it this way.",
]
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у"}
_SYMBOLS = {"a": "@", "s": "$", "i": "!", "o": "0", "e": "3", "l": "1", "t": "+"}


class Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sanctioned = [
            line.split("#")[0].strip()
            for line in SANCTIONS_FILE.read_text().splitlines()
            if line.split("#")[0].strip()
        ]

    # ---- primitives -------------------------------------------------------------------
    def addr(self) -> str:
        return "0x" + self.rng.randbytes(20).hex()

    def tx(
        self, to: str, value: int, data: bytes, memo: str, chain_id: int = 1
    ) -> dict[str, object]:
        req = TxRequest(
            chain_id, to_checksum_address(self.addr()), to_checksum_address(to), value, data, memo
        )
        return req.to_json()

    def eth(self) -> int:
        whole = self.rng.choice([0.002, 0.015, 0.08, 0.3, 0.75, 1.2, 2.5, 6, 18])
        return int(whole * 10**18) + self.rng.randrange(10**14)

    def units(self, decimals: int) -> int:
        return self.rng.choice([12, 45, 180, 640, 1_250, 3_300, 9_800, 27_000]) * 10**decimals

    @staticmethod
    def call(signature: str, types: list[str], args: list[object]) -> bytes:
        return keccak(text=signature)[:4] + abi_encode(types, args)

    # ---- payment shapes --------------------------------------------------------------------
    def eth_payment(self, memo: str) -> dict[str, object]:
        return self.tx(self.addr(), self.eth(), b"", memo)

    def token_payment(self, memo: str) -> dict[str, object]:
        token, decimals = self.rng.choice(MAJORS)
        data = self.call(
            "transfer(address,uint256)", ["address", "uint256"], [self.addr(), self.units(decimals)]
        )
        return self.tx(token, 0, data, memo)

    def safe_payment(self, memo: str) -> dict[str, object]:
        token, decimals = self.rng.choice(MAJORS)
        inner = self.call(
            "transfer(address,uint256)", ["address", "uint256"], [self.addr(), self.units(decimals)]
        )
        zero = "0x" + "00" * 20
        data = self.call(
            "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)",
            [
                "address",
                "uint256",
                "bytes",
                "uint8",
                "uint256",
                "uint256",
                "uint256",
                "address",
                "address",
                "bytes",
            ],
            [token, 0, inner, 0, 0, 0, 0, zero, zero, self.rng.randbytes(65)],
        )
        return self.tx(self.addr(), 0, data, memo)

    def payment(self, memo: str) -> dict[str, object]:
        shape = self.rng.choice(
            [self.eth_payment, self.token_payment, self.token_payment, self.safe_payment]
        )
        return shape(memo)

    # ---- protocol shapes -------------------------------------------------------------------
    def ur_swap(self, memo: str) -> dict[str, object]:
        path = bytes.fromhex(USDC[2:]) + (500).to_bytes(3, "big") + bytes.fromhex(WETH[2:])
        permit = abi_encode(
            ["((address,uint160,uint48,uint48),address,uint256)", "bytes"],
            [
                ((USDC, self.units(6), 1_900_000_000, 0), UNIVERSAL_ROUTER, 1_900_000_000),
                self.rng.randbytes(65),
            ],
        )
        swap = abi_encode(
            ["address", "uint256", "uint256", "bytes", "bool"],
            ["0x" + "00" * 19 + "02", self.units(6), 1, path, True],
        )
        unwrap = abi_encode(["address", "uint256"], ["0x" + "00" * 19 + "01", 1])
        data = self.call(
            "execute(bytes,bytes[],uint256)",
            ["bytes", "bytes[]", "uint256"],
            [bytes([0x0A, 0x00, 0x0C]), [permit, swap, unwrap], 1_900_000_000],
        )
        return self.tx(UNIVERSAL_ROUTER, 0, data, memo)

    def v3_multicall(self, memo: str) -> dict[str, object]:
        single = self.call(
            "exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))",
            ["(address,address,uint24,address,uint256,uint256,uint160)"],
            [(WETH, DAI, 3000, self.addr(), self.units(18) // 1000, 1, 0)],
        )
        data = self.call(
            "multicall(uint256,bytes[])", ["uint256", "bytes[]"], [1_900_000_000, [single]]
        )
        return self.tx(SWAP_ROUTER02, self.eth(), data, memo)

    def v2_swap(self, memo: str) -> dict[str, object]:
        data = self.call(
            "swapExactETHForTokens(uint256,address[],address,uint256)",
            ["uint256", "address[]", "address", "uint256"],
            [1, [WETH, USDC], self.addr(), 1_900_000_000],
        )
        return self.tx(V2_ROUTER, self.eth(), data, memo)

    def seaport_basic(self, memo: str) -> dict[str, object]:
        z32 = b"\x00" * 32
        zero = "0x" + "00" * 20
        price = self.eth()
        params = (
            zero, 0, price * 39 // 40, self.addr(), zero, BAYC, self.rng.randrange(10_000), 1, 0,
            1_700_000_000, 1_900_000_000, z32, self.rng.randrange(2**64), z32, z32, 1,
            [(price // 40, self.addr())], self.rng.randbytes(64),
        )  # fmt: skip
        types = (
            "(address,uint256,uint256,address,address,address,uint256,uint256,uint8,uint256,uint256,"
            "bytes32,uint256,bytes32,bytes32,uint256,(uint256,address)[],bytes)"
        )
        name = self.rng.choice(["fulfillBasicOrder", "fulfillBasicOrder_efficient_6GL6yc"])
        data = self.call(f"{name}({types})", [types], [params])
        return self.tx(SEAPORT, price, data, memo)

    def aave(self, memo: str) -> dict[str, object]:
        me = self.addr()
        if self.rng.random() < 0.5:
            data = self.call(
                "supply(address,uint256,address,uint16)",
                ["address", "uint256", "address", "uint16"],
                [USDC, self.units(6), me, 0],
            )
        else:
            data = self.call(
                "repay(address,uint256,uint256,address)",
                ["address", "uint256", "uint256", "address"],
                [DAI, self.units(18), 2, me],
            )
        return self.tx(AAVE_POOL, 0, data, memo)

    def lido(self, memo: str) -> dict[str, object]:
        r = self.rng.random()
        if r < 0.34:
            return self.tx(
                STETH,
                self.eth(),
                self.call("submit(address)", ["address"], ["0x" + "00" * 20]),
                memo,
            )
        if r < 0.67:
            amounts = [self.units(18) // 100 for _ in range(self.rng.randrange(1, 4))]
            data = self.call(
                "requestWithdrawals(uint256[],address)",
                ["uint256[]", "address"],
                [amounts, self.addr()],
            )
            return self.tx(LIDO_QUEUE, 0, data, memo)
        ids = [self.rng.randrange(10**5) for _ in range(2)]
        data = self.call(
            "claimWithdrawals(uint256[],uint256[])", ["uint256[]", "uint256[]"], [ids, [1, 1]]
        )
        return self.tx(LIDO_QUEUE, 0, data, memo)

    def ens(self, memo: str) -> dict[str, object]:
        label = self.rng.choice(["alice", "studio-nine", "kofi", "mybakery", "dao-ops"])
        if self.rng.random() < 0.6:
            data = self.call(
                "register(string,address,uint256,bytes32,address,bytes[],bool,uint16)",
                ["string", "address", "uint256", "bytes32", "address", "bytes[]", "bool", "uint16"],
                [
                    label,
                    self.addr(),
                    365 * 86400 * self.rng.choice([1, 2, 3]),
                    self.rng.randbytes(32),
                    "0x231b0ee14048e9dccd1d247744d114a4eb5e8e63",
                    [],
                    True,
                    0,
                ],
            )
        else:
            data = self.call(
                "renew(string,uint256)", ["string", "uint256"], [label, 3 * 365 * 86400]
            )
        return self.tx(ENS_CONTROLLER, self.eth() // 50, data, memo)

    def bridge(self, memo: str) -> dict[str, object]:
        r = self.rng.random()
        if r < 0.34:
            return self.tx(
                OP_BRIDGE,
                self.eth(),
                self.call("depositETH(uint32,bytes)", ["uint32", "bytes"], [200_000, b""]),
                memo,
            )
        if r < 0.67:
            data = self.call(
                "depositETHTo(address,uint32,bytes)",
                ["address", "uint32", "bytes"],
                [self.addr(), 200_000, b""],
            )
            return self.tx(BASE_BRIDGE, self.eth(), data, memo)
        data = self.call(
            "outboundTransfer(address,address,uint256,uint256,uint256,bytes)",
            ["address", "address", "uint256", "uint256", "uint256", "bytes"],
            [USDC, self.addr(), self.units(6), 100_000, 10**8, b""],
        )
        return self.tx(ARB_GATEWAY, self.eth() // 100, data, memo)

    def revoke(self, memo: str) -> dict[str, object]:
        r = self.rng.random()
        spender = self.addr()
        if r < 0.35:
            token, _ = self.rng.choice(MAJORS)
            return self.tx(
                token,
                0,
                self.call("approve(address,uint256)", ["address", "uint256"], [spender, 0]),
                memo,
            )
        if r < 0.65:
            return self.tx(
                BAYC,
                0,
                self.call("setApprovalForAll(address,bool)", ["address", "bool"], [spender, False]),
                memo,
            )
        if r < 0.85:
            data = self.call(
                "approve(address,address,uint160,uint48)",
                ["address", "address", "uint160", "uint48"],
                [USDC, spender, 0, 0],
            )
            return self.tx(PERMIT2, 0, data, memo)
        data = self.call(
            "lockdown((address,address)[])",
            ["(address,address)[]"],
            [[(USDC, spender), (WETH, spender)]],
        )
        return self.tx(PERMIT2, 0, data, memo)

    def batch_payout(self, memo: str, *, under_threshold: bool = False) -> dict[str, object]:
        n = self.rng.randrange(8, 40)
        recipients = [self.addr() for _ in range(n)]
        if under_threshold:
            values = [(9_000 + self.rng.randrange(990)) * 10**6 for _ in range(n)]
        else:
            values = [self.rng.choice([1_800, 2_400, 3_100, 4_750]) * 10**6 for _ in range(n)]
        if self.rng.random() < 0.7:
            data = self.call(
                "disperseToken(address,address[],uint256[])",
                ["address", "address[]", "uint256[]"],
                [USDC, recipients, values],
            )
            return self.tx(DISPERSE, 0, data, memo)
        eth_values = [v * 10**12 // 3000 for v in values]
        data = self.call(
            "disperseEther(address[],uint256[])",
            ["address[]", "uint256[]"],
            [recipients, eth_values],
        )
        return self.tx(DISPERSE, sum(eth_values), data, memo)

    def bounded_approval(self, memo: str) -> dict[str, object]:
        if self.rng.random() < 0.5:
            data = self.call(
                "approve(address,uint256)",
                ["address", "uint256"],
                [UNIVERSAL_ROUTER, self.units(6)],
            )
            return self.tx(USDC, 0, data, memo)
        data = self.call("approve(address,uint256)", ["address", "uint256"], [PERMIT2, UINT_MAX])
        return self.tx(self.rng.choice([USDC, DAI, WETH]), 0, data, memo)

    # ---- fraud shapes ------------------------------------------------------------------------
    def drainer(self, memo: str) -> dict[str, object]:
        spender = self.addr()
        token, _ = self.rng.choice(MAJORS)
        r = self.rng.random()
        if r < 0.2:
            data = self.call(
                "approve(address,uint256)", ["address", "uint256"], [spender, UINT_MAX]
            )
            return self.tx(token, 0, data, memo)
        if r < 0.4:
            data = self.call(
                "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
                ["address", "address", "uint256", "uint256", "uint8", "bytes32", "bytes32"],
                [
                    self.addr(),
                    spender,
                    UINT_MAX,
                    1_900_000_000,
                    28,
                    self.rng.randbytes(32),
                    self.rng.randbytes(32),
                ],
            )
            return self.tx(token, 0, data, memo)
        if r < 0.6:
            data = self.call(
                "permit(address,((address,uint160,uint48,uint48),address,uint256),bytes)",
                ["address", "((address,uint160,uint48,uint48),address,uint256)", "bytes"],
                [
                    self.addr(),
                    ((token, U160_MAX, 1_900_000_000, 0), spender, 1_900_000_000),
                    self.rng.randbytes(65),
                ],
            )
            return self.tx(PERMIT2, 0, data, memo)
        if r < 0.8:
            data = self.call(
                "setApprovalForAll(address,bool)", ["address", "bool"], [spender, True]
            )
            return self.tx(BAYC, 0, data, memo)
        data = self.call(
            "permit(address,((address,uint160,uint48,uint48)[],address,uint256),bytes)",
            ["address", "((address,uint160,uint48,uint48)[],address,uint256)", "bytes"],
            [
                self.addr(),
                (
                    [(USDC, U160_MAX, 1_900_000_000, 0), (WETH, U160_MAX, 1_900_000_000, 0)],
                    spender,
                    1_900_000_000,
                ),
                self.rng.randbytes(65),
            ],
        )
        return self.tx(PERMIT2, 0, data, memo)

    def poisoning(self) -> dict[str, object]:
        token, _ = self.rng.choice(MAJORS)
        if self.rng.random() < 0.5:
            data = self.call("transfer(address,uint256)", ["address", "uint256"], [self.addr(), 0])
        else:
            data = self.call(
                "transferFrom(address,address,uint256)",
                ["address", "address", "uint256"],
                [self.addr(), self.addr(), 0],
            )
        return self.tx(token, 0, data, self.rng.choice(["", "", "payment", "inv 3321"]))

    # ---- styles ---------------------------------------------------------------------------------
    def style(self, memo: str) -> str:
        if not memo:
            return memo
        kind = self.rng.choice(["plain", "terse", "emoji", "chat", "long", "ticket"])
        if kind == "terse":
            return "".join(c for c in memo.lower() if c.isalnum() or c.isspace()).strip()
        if kind == "emoji":
            return f"{memo} {self.rng.choice(_EMOJI)}"
        if kind == "chat":
            return (
                self.rng.choice(_OPENERS) + memo[0].lower() + memo[1:] + self.rng.choice(_CLOSERS)
            )
        if kind == "long":
            return memo + ". " + self.rng.choice(_LONG_TAILS)
        if kind == "ticket":
            return f"Ref {self.rng.randrange(10**5):05d} / {memo}"
        return memo

    def obfuscate(self, memo: str) -> str:
        kind = self.rng.choice(["homoglyph", "symbols", "dotted", "stretched"])
        words = memo.split(" ")
        out = []
        for word in words:
            if len(word) < 4 or self.rng.random() < 0.4:
                out.append(word)
            elif kind == "homoglyph":
                out.append(
                    "".join(_HOMOGLYPHS.get(c, c) if self.rng.random() < 0.6 else c for c in word)
                )
            elif kind == "symbols":
                out.append(
                    "".join(
                        _SYMBOLS.get(c.lower(), c) if self.rng.random() < 0.6 else c for c in word
                    )
                )
            elif kind == "dotted":
                out.append(self.rng.choice([".", "*", "_"]).join(word))
            else:
                i = self.rng.randrange(len(word))
                out.append(
                    (word[:i] + word[i] * 3 + word[i + 1 :]).upper()
                    if self.rng.random() < 0.5
                    else word[:i] + word[i] * 3 + word[i + 1 :]
                )
        return " ".join(out)


def build(seed: int) -> dict[str, list[dict[str, object]]]:
    b = Builder(seed)
    main: list[dict[str, object]] = []

    def add(payload: dict[str, object], label: str) -> None:
        main.append({"payload": payload, "label": label})

    def each(
        memos: list[str],
        shapes: list[Callable[[str], dict[str, object]]],
        label: str,
        styled: bool = True,
    ) -> None:
        for memo in memos:
            for shape in shapes:
                add(shape(b.style(memo) if styled else memo), label)

    each(LEGAL, [b.eth_payment, b.token_payment, b.payment, b.payment, b.payment], "legal")
    each(LEGAL_SWAP, [b.ur_swap, b.v3_multicall, b.v2_swap], "legal")
    each(LEGAL_NFT, [b.seaport_basic, b.seaport_basic], "legal")
    each(LEGAL_LENDING, [b.aave, b.aave], "legal")
    each(LEGAL_STAKING, [b.lido, b.lido, b.lido], "legal")
    each(LEGAL_ENS, [b.ens, b.ens], "legal")
    each(LEGAL_BRIDGE, [b.bridge, b.bridge, b.bridge], "legal")
    each(LEGAL_REVOKE, [b.revoke] * 4, "legal")
    each(LEGAL_BATCH, [b.batch_payout, b.batch_payout], "legal")
    each(["", "approve usdc", "enable trading", ""], [b.bounded_approval] * 3, "legal")
    each(FRAUD, [b.eth_payment, b.token_payment, b.payment, b.payment, b.payment], "fraud")
    each(FRAUD_DRAINER, [b.drainer] * 6, "fraud")
    for _ in range(24):
        add(b.poisoning(), "fraud")
    each(ILLICIT, [b.eth_payment, b.token_payment, b.payment, b.payment, b.payment], "illicit")
    each(ILLICIT_STRUCTURING, [lambda m: b.batch_payout(m, under_threshold=True)] * 4, "illicit")
    for bad in b.sanctioned[:12]:
        add(b.tx(bad, b.eth(), b"", b.style(b.rng.choice(LEGAL))), "sanctioned")
    for i in range(12):
        tx = b.token_payment(b.rng.choice(LEGAL))
        if i % 2:
            tx["chain_id"] = b.rng.choice([10, 137, 8453])
        else:
            tx["data"] = str(tx["data"])[: -2 * b.rng.randrange(1, 30)]
        add(tx, "malformed")

    model_rows = [
        r for r in main if r["label"] in ("legal", "fraud", "illicit") and r["payload"]["memo"]
    ]  # type: ignore[index]
    obfuscated = []
    for row in b.rng.sample(model_rows, 450):
        payload = dict(row["payload"])  # type: ignore[arg-type]
        payload["memo"] = b.obfuscate(str(payload["memo"]))
        obfuscated.append({"payload": payload, "label": row["label"]})

    multilingual = []
    for lang in sorted(MULTILINGUAL):
        for label, memos in MULTILINGUAL[lang].items():
            for i, memo in enumerate(memos):
                shapes = [b.eth_payment, b.token_payment] if i % 2 == 0 else [b.payment]
                for shape in shapes:
                    multilingual.append({"payload": shape(memo), "label": label, "lang": lang})
    return {"main": main, "obfuscated": obfuscated, "multilingual": multilingual}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in build(args.seed).items():
        path = args.out_dir / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        counts: dict[str, int] = {}
        for r in rows:
            counts[str(r["label"])] = counts.get(str(r["label"]), 0) + 1
        print(f"{path}: {len(rows)} records {counts}")


if __name__ == "__main__":
    main()
