"""Seeded generator of a labelled corpus that follows docs/labels.md.

Every record is a real TxRequest with realistic calldata (ABI-encoded for the
decoded selectors), values and counterparties; its memo comes from the phrase
families in `phrases.py`, varied by prefixes, suffixes, casing, typos and
character-level obfuscation. It covers the docs/labels.md hard negatives, the drainer
and address-poisoning patterns, and every rule case (sanctioned, malformed).

The fraud/illicit line, as the phrase banks draw it: fraud is a crime against the
sender (romance, recovery, fake-exchange-fee and pig-butchering scripts, fake
support, giveaways, drainers: the memo tells of someone talked into paying);
illicit is the sender's own crime (what they buy or hide: drugs in plain words and
street slang, weapons, wildlife, DDoS for hire, sanctions evasion, laundering).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eth_abi import encode as abi_encode
from eth_utils import to_checksum_address

from oracle.chain.payload import TxRequest
from oracle.model.address_book import (
    OVERLAY_PATH,
    AddressBook,
    KnownContract,
    default_address_book,
)
from oracle.model.calldata import selector_of
from oracle.model.generator_split import SPLITS, GeneratorSplit
from oracle.model.labels import Verdict
from oracle.model.rules import SanctionsList, sample_sanctions_path

UINT_MAX = 2**256 - 1
CHAIN_ID = 1
# Chains a wrong-chain `malformed` record names (never the records' own chain).
OTHER_CHAINS = (5, 10, 56, 137, 8453, 42161, 11155111)
# Share of each class; the rule classes are small but always present.
CLASS_WEIGHTS = {
    Verdict.LEGAL: 0.44,
    Verdict.FRAUD: 0.26,
    Verdict.ILLICIT: 0.22,
    Verdict.SANCTIONED: 0.04,
    Verdict.MALFORMED: 0.04,
}
MAJOR_TOKEN_SHARE = 0.8
# Share of each model class's memos written in one of the seven other languages
# (lexicon/languages/*.json): enough for every language to appear in every class.
LANGUAGE_SHARE = 0.15
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Record:
    tx: TxRequest
    label: Verdict

    def to_json(self) -> dict[str, object]:
        return {"payload": self.tx.to_json(), "label": self.label.label}


class CorpusGenerator:
    """Records from one generator split (`train`, `validation`, `test`) or all of it (None).

    A split draws only its own share of the templates, slot values, prefixes,
    suffixes and counterparties (`generator_split.py`), so validation and test
    measure wording and contracts that training never saw.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        obfuscation_rate: float = 0.15,
        split: str | None = None,
        chain_id: int = CHAIN_ID,
    ) -> None:
        self.rng = random.Random(seed)
        # The chain the records are for: the oracle's chain, or every record is `malformed`.
        self.chain_id = chain_id
        self.obfuscation_rate = obfuscation_rate
        self.phrases = GeneratorSplit.of(split)
        book = default_address_book()
        entries = self.phrases.counterparties(book.entries())
        self.tokens = [e for e in entries if e.kind == "token"]
        # Real traffic is mostly the majors: draw the hand-written book's tokens (the
        # stablecoins, WETH, WBTC, ...) most of the time, the long tail of the list less.
        majors = {e.address for e in AddressBook.from_file(OVERLAY_PATH).entries()}
        self.major_tokens = [e for e in self.tokens if e.address in majors] or self.tokens
        self.routers = [e.address for e in entries if e.kind == "router"]
        self.nft_places = [e.address for e in entries if e.kind == "nft"]
        self.protocols = [e.address for e in entries if e.kind in ("protocol", "bridge")]
        sanctioned = SanctionsList.from_file(sample_sanctions_path())
        self.sanctioned = sorted(sanctioned._addresses)

    # ---- records -------------------------------------------------------------------
    def records(self, n: int) -> list[Record]:
        classes = list(CLASS_WEIGHTS)
        weights = [CLASS_WEIGHTS[c] for c in classes]
        return [self.record(self.rng.choices(classes, weights)[0]) for _ in range(n)]

    def record(self, label: Verdict) -> Record:
        make: dict[Verdict, Callable[[], TxRequest]] = {
            Verdict.LEGAL: self.legal,
            Verdict.FRAUD: self.fraud,
            Verdict.ILLICIT: self.illicit,
            Verdict.SANCTIONED: self.sanctioned_tx,
            Verdict.MALFORMED: self.malformed,
        }
        return Record(make[label](), label)

    def legal(self) -> TxRequest:
        if self.rng.random() < LANGUAGE_SHARE:
            return self._payment(self.language_memo("legal"))
        r = self.rng.random()
        if r < 0.40:  # payments of every kind, in ETH or a token
            family = self.rng.choice(
                [
                    "invoice",
                    "payroll",
                    "rent",
                    "goods",
                    "refund",
                    "donation",
                    "grant",
                    "hard_everyday",
                    "composed",
                    "composed",
                ]
            )
            return self._payment(self.memo("legal", family))
        if r < 0.55:  # the hard negatives: policy cases and every fraud/illicit keyword
            return self._payment(self.memo("legal", self.rng.choice(["hard", "hard_keywords"])))
        if r < 0.63:  # plain transfer without a memo
            return self._payment("")
        if r < 0.85:  # defi on known contracts, bounded approvals
            return self._defi(self.memo("legal", "defi") if self.rng.random() < 0.6 else "")
        # unlimited approval / operator grant to an unknown spender WITHOUT
        # social-engineering context: risky but legal (docs/labels.md)
        memo = self.rng.choice(
            [
                "",
                "",
                self.memo("legal", "approval", decorate=False),
                self.memo("legal", "defi", decorate=False),
            ]
        )
        return self._approval(memo, spender=self.unknown_address(), unlimited=True)

    def fraud(self) -> TxRequest:
        if self.rng.random() < LANGUAGE_SHARE:
            memo = self.language_memo("fraud")
            if self.rng.random() < 0.3:  # a drainer's lure in the victim's language
                return self._approval(memo, spender=self.unknown_address(), unlimited=True)
            return self._payment(memo, to_unknown=True)
        r = self.rng.random()
        if r < 0.45:  # social engineering with a transfer
            family = self.rng.choice(self.phrases.families("fraud"))
            return self._payment(self.memo("fraud", family), to_unknown=True)
        if r < 0.80:  # drainer: unlimited grant to an unknown spender + lure language
            family = self.rng.choice(
                ["claim", "verify", "security_update", "impersonation", "support", "composed"]
            )
            return self._approval(
                self.memo("fraud", family), spender=self.unknown_address(), unlimited=True
            )
        # address poisoning: zero-value token transfer, memo usually empty or bland
        memo = self.rng.choice(
            ["", "", "", self.memo("legal", "invoice"), self.memo("legal", "defi"), "hi"]
        )
        return self._zero_transfer(memo)

    def illicit(self) -> TxRequest:
        if self.rng.random() < LANGUAGE_SHARE:
            return self._payment(self.language_memo("illicit"))
        family = self.rng.choice(self.phrases.families("illicit"))
        return self._payment(self.memo("illicit", family))

    def sanctioned_tx(self) -> TxRequest:
        bad = to_checksum_address(self.rng.choice(self.sanctioned))
        memo = self.memo("legal", self.rng.choice(["invoice", "goods", "defi", "empty"]))
        r = self.rng.random()
        if r < 0.5:
            return self._tx(bad, self.eth_value(), b"", memo)
        token = self.token()
        if r < 0.8:
            data = self._call(
                "transfer(address,uint256)",
                ["address", "uint256"],
                [bad, self.token_units(token.decimals)],
            )
        else:
            data = self._call("approve(address,uint256)", ["address", "uint256"], [bad, UINT_MAX])
        return self._tx(token.address, 0, data, memo)

    def malformed(self) -> TxRequest:
        memo = self.memo("legal", self.rng.choice(["invoice", "goods", "defi"]))
        r = self.rng.random()
        if r < 0.35:  # wrong chain
            tx = self._payment(memo)
            return TxRequest(
                self.rng.choice([c for c in OTHER_CHAINS if c != self.chain_id]),
                tx.sender,
                tx.to,
                tx.value,
                tx.data,
                tx.memo,
            )
        token = self.token()
        good = self._call(
            "transfer(address,uint256)",
            ["address", "uint256"],
            [self.unknown_address(), self.token_units(token.decimals)],
        )
        if r < 0.6:  # truncated calldata of a known selector
            data = good[: self.rng.randrange(5, len(good) - 1)]
        elif r < 0.8:  # dirty high bytes in an address argument
            data = good[:4] + bytes([0xFF]) + good[5:]
        elif r < 0.9:  # extra trailing bytes
            data = good + bytes(32)
        else:  # selector stub
            data = good[: self.rng.randrange(1, 4)]
        return self._tx(token.address, 0, data, memo)

    # ---- transaction shapes ----------------------------------------------------------
    def _payment(self, memo: str, *, to_unknown: bool = False) -> TxRequest:
        to = self.unknown_address()
        if self.rng.random() < 0.55:
            return self._tx(to, self.eth_value(), b"", memo)
        token = self.token()
        data = self._call(
            "transfer(address,uint256)",
            ["address", "uint256"],
            [to, self.token_units(token.decimals)],
        )
        return self._tx(token.address, 0, data, memo)

    def _zero_transfer(self, memo: str) -> TxRequest:
        token = self.token()
        if self.rng.random() < 0.6:
            data = self._call(
                "transfer(address,uint256)", ["address", "uint256"], [self.unknown_address(), 0]
            )
        else:
            data = self._call(
                "transferFrom(address,address,uint256)",
                ["address", "address", "uint256"],
                [self.unknown_address(), self.unknown_address(), 0],
            )
        return self._tx(token.address, 0, data, memo)

    def _approval(self, memo: str, *, spender: str, unlimited: bool) -> TxRequest:
        token = self.token()
        amount = UINT_MAX if unlimited else self.token_units(token.decimals)
        kind = self.rng.random()
        if kind < 0.45:
            data = self._call("approve(address,uint256)", ["address", "uint256"], [spender, amount])
        elif kind < 0.6:
            data = self._call(
                "increaseAllowance(address,uint256)", ["address", "uint256"], [spender, amount]
            )
        elif kind < 0.75:
            data = self._call(
                "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
                ["address", "address", "uint256", "uint256", "uint8", "bytes32", "bytes32"],
                [
                    self.unknown_address(),
                    spender,
                    amount,
                    1_900_000_000,
                    27,
                    self.rng.randbytes(32),
                    self.rng.randbytes(32),
                ],
            )
        else:
            nft = self.rng.choice([*self.nft_places, self.unknown_address()])
            data = self._call(
                "setApprovalForAll(address,bool)", ["address", "bool"], [spender, True]
            )
            return self._tx(nft, 0, data, memo)
        return self._tx(token.address, 0, data, memo)

    def _defi(self, memo: str) -> TxRequest:
        r = self.rng.random()
        router = self.rng.choice(self.routers)
        token = self.token()
        weth = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"
        deadline = 1_700_000_000 + self.rng.randrange(10**7)
        me = self.unknown_address()
        if r < 0.2:
            data = self._call(
                "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
                ["uint256", "uint256", "address[]", "address", "uint256"],
                [self.token_units(token.decimals), 1, [token.address, weth], me, deadline],
            )
            return self._tx(router, 0, data, memo)
        if r < 0.35:
            data = self._call(
                "swapExactETHForTokens(uint256,address[],address,uint256)",
                ["uint256", "address[]", "address", "uint256"],
                [1, [weth, token.address], me, deadline],
            )
            return self._tx(router, self.eth_value(), data, memo)
        if r < 0.45:
            data = self._call(
                "addLiquidityETH(address,uint256,uint256,uint256,address,uint256)",
                ["address", "uint256", "uint256", "uint256", "address", "uint256"],
                [token.address, self.token_units(token.decimals), 0, 0, me, deadline],
            )
            return self._tx(router, self.eth_value(), data, memo)
        if r < 0.55:
            if self.rng.random() < 0.5:
                return self._tx(weth, self.eth_value(), self._call("deposit()", [], []), memo)
            return self._tx(
                weth, 0, self._call("withdraw(uint256)", ["uint256"], [self.token_units(18)]), memo
            )
        if r < 0.65:  # bounded or unlimited approval to a KNOWN router
            amount = UINT_MAX if self.rng.random() < 0.5 else self.token_units(token.decimals)
            data = self._call("approve(address,uint256)", ["address", "uint256"], [router, amount])
            return self._tx(token.address, 0, data, memo)
        if r < 0.72:  # bounded approval to an unknown spender
            data = self._call(
                "approve(address,uint256)",
                ["address", "uint256"],
                [self.unknown_address(), self.token_units(token.decimals)],
            )
            return self._tx(token.address, 0, data, memo)
        if r < 0.8:  # staking / bridging / protocol interactions
            return self._tx(self.rng.choice(self.protocols), self.eth_value(), b"", memo)
        if r < 0.87:  # NFT purchase or transfer
            if self.rng.random() < 0.5:
                return self._tx(
                    self.rng.choice(self.nft_places),
                    self.eth_value(),
                    self.rng.randbytes(4) + self.rng.randbytes(64),
                    memo,
                )
            data = self._call(
                "safeTransferFrom(address,address,uint256)",
                ["address", "address", "uint256"],
                [me, self.unknown_address(), self.rng.randrange(10000)],
            )
            return self._tx(self.rng.choice(self.nft_places), 0, data, memo)
        if r < 0.93:  # router multicall
            inner = self._call(
                "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)",
                ["uint256", "uint256", "address[]", "address", "uint256"],
                [self.token_units(token.decimals), 1, [token.address, weth], me, deadline],
            )
            data = self._call(
                "multicall(uint256,bytes[])", ["uint256", "bytes[]"], [deadline, [inner]]
            )
            return self._tx(router, 0, data, memo)
        # unknown selector on an unknown contract
        return self._tx(
            self.unknown_address(),
            self.rng.choice([0, self.eth_value()]),
            self.rng.randbytes(4 + 32 * self.rng.randrange(0, 4)),
            memo,
        )

    # ---- primitives -----------------------------------------------------------------------
    def token(self) -> KnownContract:
        pool = self.major_tokens if self.rng.random() < MAJOR_TOKEN_SHARE else self.tokens
        return self.rng.choice(pool)

    def _tx(self, to: str, value: int, data: bytes, memo: str) -> TxRequest:
        return TxRequest(
            self.chain_id, self.unknown_address(), to_checksum_address(to), value, data, memo
        )

    @staticmethod
    def _call(signature: str, types: list[str], args: list[object]) -> bytes:
        return selector_of(signature) + abi_encode(types, args)

    def unknown_address(self) -> str:
        return to_checksum_address(self.rng.randbytes(20))

    def eth_value(self) -> int:
        """Half round amounts people type, half a heavy-tailed spread (wei to whale)."""
        if self.rng.random() < 0.5:
            eth = self.rng.choice([0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3.2, 5, 10, 42])
            return int(eth * 10**18) + self.rng.randrange(10**15)
        return max(1, int(self.rng.lognormvariate(-1.6, 2.0) * 10**18))

    def token_units(self, decimals: int | None) -> int:
        scale = 10 ** (decimals or 18)
        if self.rng.random() < 0.5:
            whole = self.rng.choice([1, 5, 20, 50, 100, 250, 1000, 2500, 10000, 75000])
            return whole * scale + self.rng.randrange(10 ** max((decimals or 18) - 2, 1))
        return max(1, int(self.rng.lognormvariate(4.5, 2.2) * scale))

    # ---- memos ------------------------------------------------------------------------------
    def memo(self, label: str, family: str, *, decorate: bool = True) -> str:
        text = self._fill(self.rng.choice(self.phrases.templates(label, family)))
        if not text:
            return text
        if decorate:
            text = (
                self._fill(self.rng.choice(self.phrases.prefixes))
                + text
                + self._fill(self.rng.choice(self.phrases.suffixes))
            )
        return self.vary(text)

    def language_memo(self, label: str) -> str:
        """A memo of the class in one of the seven other languages, no English decoration."""
        family = self.rng.choice(self.phrases.language_families(label))
        memo = self.memo(label, family, decorate=False)
        wrapper = self.rng.choice(self.phrases.pool("lang_wrapper"))
        return self._fill(wrapper.replace("{memo}", memo.replace("{", "(").replace("}", ")")))

    def _fill(self, template: str) -> str:
        return _SLOT.sub(lambda m: self.rng.choice(self.phrases.pool(m.group(1))), template)

    def vary(self, text: str) -> str:
        """Casing, typos and character obfuscation, so the model cannot key on exact strings."""
        r = self.rng.random()
        if r < 0.15:
            text = text.upper()
        elif r < 0.3:
            text = text.capitalize()
        if self.rng.random() < 0.1:
            text = _typo(self.rng, text)
        if self.rng.random() < self.obfuscation_rate:
            text = obfuscate(self.rng, text)
        return text


_LEET_OUT = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}


def obfuscate(rng: random.Random, text: str) -> str:
    """Digits for letters, letter spacing or extra spaces in one or more words."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 4 or rng.random() > 0.5:
            continue
        style = rng.random()
        if style < 0.55:
            words[i] = "".join(
                _LEET_OUT.get(c.lower(), c) if rng.random() < 0.7 else c for c in word
            )
        elif style < 0.8:
            words[i] = rng.choice([" ", ".", "-"]).join(word)
        else:
            words[i] = word.upper()
    return rng.choice([" ", " ", "  "]).join(words)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 2)
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def write_splits(
    out_dir: Path,
    n: int,
    seed: int = 0,
    *,
    fractions: tuple[float, float] = (0.8, 0.1),
    chain_id: int = CHAIN_ID,
) -> dict[str, Path]:
    """Generate n records and write train/validation/test JSONL; returns the paths.

    Each split comes from its own generator share (generator-disjoint): validation
    and test use templates, slot values and counterparties that training never sees.
    """
    n_train = int(n * fractions[0])
    n_val = int(n * fractions[1])
    sizes = dict(zip(SPLITS, (n_train, n_val, n - n_train - n_val), strict=True))
    splits = {
        name: CorpusGenerator(seed * 1000 + i, split=name, chain_id=chain_id).records(size)
        for i, (name, size) in enumerate(sizes.items())
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, rows in splits.items():
        path = out_dir / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r.to_json()) + "\n" for r in rows))
        paths[name] = path
    return paths
