"""A held-out evaluation set in wording the training generator never uses.

The memos below were written from docs/labels.md's class descriptions, sentence by
sentence, without reusing the generator's templates or slot pools; each one also
appears in an obfuscated form (upper case, digits for letters, letter spacing,
odd spacing) produced by a different routine from the generator's augmentation.
It measures generalization, the reason for using a pre-trained transformer.
Regenerate `oracle/data/heldout_paraphrase.jsonl` with `oracle heldout`.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from eth_abi import encode as abi_encode
from eth_utils import to_checksum_address

from oracle.chain.payload import TxRequest
from oracle.model.address_book import DATA_DIR
from oracle.model.calldata import selector_of
from oracle.model.labels import Verdict
from oracle.model.rules import SanctionsList, sample_sanctions_path

HELDOUT_PATH = DATA_DIR / "heldout_paraphrase.jsonl"
UINT_MAX = 2**256 - 1
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"
DAI = "0x6b175474e89094c44da98b954eedeac495271d0f"

LEGAL_MEMOS = [
    "here's what I owe you for the kitchen renovation",
    "covering my share of the airbnb in lisbon",
    "thank you for mentoring me this year, a small token of appreciation",
    "monthly retainer, bookkeeping services",
    "reimbursing the conference tickets you fronted",
    "tuition installment for the spring semester",
    "employee compensation period ending 30 june",
    "sponsorship of the devcon side event",
    "paying the electrician, job finished yesterday",
    "contribution to the neighborhood playground fund",
    "settling our bet on the football match",
    "purchase of two used monitors from your listing",
    "remuneration for translating the whitepaper into spanish",
    "quarterly dividend to shareholders",
    "fee for the smart contract review we commissioned from your audit firm",
    "treasury disbursement: token distribution to community members who voted",
    "medicine bought at the chemist with a doctor's prescription",
    "travel costs refunded after receipts were checked by finance",
    "retainer for advising us after the ransomware incident",
    "commission on the house sale",
    "lunch money for the kids' school trip",
    "membership dues for the chess club",
    "payment to the vet for the dog's surgery",
    "weekly groceries delivery",
    "freelance illustration, second draft approved",
    "returning the 50 you lent me last week",
    "car repair at the garage on main street",
    "funding the maintainer of our core library",
    "whitehat reward for responsibly disclosing the overflow bug",
    "seed investment per the signed safe agreement",
    "converting some eth into stablecoins before vacation",
    "providing liquidity to the eth/usdc pool",
    "topping up my hot wallet",
    "gift for your graduation, congratulations!",
    "charity run pledge",
    "hosting bill for the validator servers",
    "paying the babysitter for saturday night",
    "wholesale coffee order for the cafe",
    "deposit for the wedding venue",
    "subscription renewal for the analytics dashboard",
]

FRAUD_MEMOS = [
    "we detected unusual activity, confirm your address to keep your funds",
    "your tokens are frozen until you complete the validation step",
    "you have been selected for a bonus distribution, approve to collect it",
    "final notice: wallet deactivation pending, act now",
    "this is the helpdesk, move your coins to the protected vault we created for you",
    "mint pass winners must connect and approve before midnight",
    "return twice what you send within an hour, limited slots",
    "guaranteed profit of 40 percent every week, zero risk",
    "message from the exchange compliance desk: transfer balance for review",
    "the foundation is distributing free tokens to loyal users, approve the contract",
    "security alert: re-authorize your tokens to the new safe contract",
    "your nft collection is at risk, grant access to our protection service",
    "pending withdrawal blocked, pay the unlock fee to release it",
    "we recovered your stolen crypto, send the processing fee",
    "hello from the metamask team, upgrade needed or lose your wallet",
    "eligible address! redeem your free allocation right away",
    "double your ether: send it here and get 2x back instantly",
    "our arbitrage bot pays guaranteed returns every day",
    "urgent: sign to secure your assets against the exploit",
    "your account was compromised, sync your wallet to fix it",
    "exclusive prize for holders, approve spending to receive",
    "verification needed to avoid permanent suspension of your account",
    "support agent here, please transfer everything to this backup address",
    "bonus tokens unlocked for you, authorize now to receive",
    "airdrop eligibility confirmed, sign the approval to get your tokens",
    "your stake will be slashed unless you migrate it to this address today",
    "investment club with guaranteed monthly returns, deposit to join",
    "official opensea notice: re-list by approving the new operator",
    "customer care: your refund requires a small gas deposit first",
    "wallet validation required by new regulations, confirm within 24 hours",
]

ILLICIT_MEMOS = [
    "for the pills you dropped off, same time next week",
    "an eighth of coke",
    "balance for the pistol with the filed serial",
    "purchase of dumped card numbers with cvv",
    "fee for taking down their website with a botnet",
    "need a passport under a different name",
    "unlock key for the encrypted servers, as your note demanded",
    "so the councilman signs the zoning change",
    "break this into pieces under ten thousand so the bank doesn't file a report",
    "tumble these coins so nobody can follow the trail",
    "make this money look legitimate",
    "get around the ofac screening for my client",
    "heroin shipment to the usual address",
    "buying a list of hacked netflix and bank accounts",
    "to get into my ex's instagram account",
    "counterfeit euros, 10k face value",
    "so the photos stay private, as you asked",
    "envelope for the tax inspector to ignore the books",
    "payment for the assault rifles, no paperwork",
    "molly and ketamine for the party",
    "fake university degree with apostille",
    "leaked customer database from the retailer hack",
    "rent a botnet for the weekend",
    "cut for the guard who looked the other way",
    "route it through several chains and a mixer before it reaches me",
    "proceeds from the scam, wash them before we split",
    "methamphetamine resupply",
    "explosive materials, cash on delivery",
    "spoofed id cards for the whole crew",
    "hire someone to hack the school grading system",
]


def _spacing(rng: random.Random, text: str) -> str:
    words = text.split()
    k = rng.randrange(len(words))
    if len(words[k]) >= 4:
        words[k] = " ".join(words[k])
    return "   ".join(words) if rng.random() < 0.5 else " ".join(words)


def _digits(rng: random.Random, text: str) -> str:
    table = {"o": "0", "i": "1", "e": "3", "a": "@", "s": "$", "t": "7", "l": "1"}
    return "".join(table[c] if c in table and rng.random() < 0.6 else c for c in text)


def _upper(rng: random.Random, text: str) -> str:
    return text.upper() if rng.random() < 0.5 else text.title()


OBFUSCATIONS = {"spacing": _spacing, "digits": _digits, "upper": _upper}


def build_heldout(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)

    def addr() -> str:
        return to_checksum_address(rng.randbytes(20))

    def shape(memo: str, label: Verdict) -> TxRequest:
        if (
            label is Verdict.FRAUD
            and rng.random() < 0.4
            and any(
                w in memo
                for w in ("approve", "authorize", "sign", "grant", "operator", "re-authorize")
            )
        ):
            data = selector_of("approve(address,uint256)") + abi_encode(
                ["address", "uint256"], [addr(), UINT_MAX]
            )
            return TxRequest(1, addr(), to_checksum_address(USDC), 0, data, memo)
        if rng.random() < 0.5:
            value = rng.randrange(10**15, 5 * 10**18)
            return TxRequest(1, addr(), addr(), value, b"", memo)
        token = rng.choice([USDC, DAI])
        amount = rng.randrange(1, 5000) * (10**6 if token == USDC else 10**18)
        data = selector_of("transfer(address,uint256)") + abi_encode(
            ["address", "uint256"], [addr(), amount]
        )
        return TxRequest(1, addr(), to_checksum_address(token), 0, data, memo)

    rows: list[dict[str, object]] = []
    for label, memos in (
        (Verdict.LEGAL, LEGAL_MEMOS),
        (Verdict.FRAUD, FRAUD_MEMOS),
        (Verdict.ILLICIT, ILLICIT_MEMOS),
    ):
        for memo in memos:
            rows.append(
                {"payload": shape(memo, label).to_json(), "label": label.label, "variant": "plain"}
            )
            name = rng.choice(sorted(OBFUSCATIONS))
            hidden = OBFUSCATIONS[name](rng, memo)
            rows.append(
                {"payload": shape(hidden, label).to_json(), "label": label.label, "variant": name}
            )
    # poisoning, drainer without lure (legal), and the rule classes
    for _ in range(10):
        data = selector_of("transfer(address,uint256)") + abi_encode(
            ["address", "uint256"], [addr(), 0]
        )
        rows.append(
            {
                "payload": TxRequest(1, addr(), to_checksum_address(USDC), 0, data, "").to_json(),
                "label": "fraud",
                "variant": "poisoning",
            }
        )
        data = selector_of("approve(address,uint256)") + abi_encode(
            ["address", "uint256"], [addr(), UINT_MAX]
        )
        rows.append(
            {
                "payload": TxRequest(1, addr(), to_checksum_address(DAI), 0, data, "").to_json(),
                "label": "legal",
                "variant": "bare-approval",
            }
        )
    sanctioned = sorted(SanctionsList.from_file(sample_sanctions_path())._addresses)
    for i in range(10):
        tx = TxRequest(
            1,
            addr(),
            to_checksum_address(sanctioned[i % len(sanctioned)]),
            10**17,
            b"",
            LEGAL_MEMOS[i],
        )
        rows.append({"payload": tx.to_json(), "label": "sanctioned", "variant": "rule"})
        tx = TxRequest(
            1 + (i % 3) * 9, addr(), addr(), 10**17, bytes.fromhex("a9059cbb00"), LEGAL_MEMOS[i]
        )
        rows.append({"payload": tx.to_json(), "label": "malformed", "variant": "rule"})
    return rows


def write_heldout(path: Path = HELDOUT_PATH, seed: int = 7) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in build_heldout(seed)))
    return path
