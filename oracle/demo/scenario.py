"""The demo's mixed set of proposals: every verdict class, directly and via the treasury.

Memos are written like the ones the model was trained on; the sanctioned case
uses an address from the sample sanctions list the demo fleet is configured
with, and the malformed cases are bytes no validator can decode.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import encode

from oracle.chain.payload import TxRequest, encode_payload

# Recipients with no meaning to the model beyond "some address".
SHOP = "0x1000000000000000000000000000000000000001"
STRANGER = "0x2000000000000000000000000000000000000002"
CONTRACTOR = "0x3000000000000000000000000000000000000003"
ERC20_TOKEN = "0x4000000000000000000000000000000000000004"
UNLIMITED = 2**256 - 1
APPROVE = bytes.fromhex("095ea7b3")


@dataclass(frozen=True)
class DirectProposal:
    """A payload submitted straight to the oracle; `expected` is the class it is written as."""

    expected: str
    payload: bytes
    note: str


@dataclass(frozen=True)
class TreasuryTransfer:
    """A transfer the GuardedTreasury asks the oracle about before paying it."""

    expected: str
    to: str
    amount_wei: int
    memo: str


def direct_proposals(chain_id: int, requester: str, sanctioned: str) -> list[DirectProposal]:
    def tx(to: str, value: int, memo: str, data: bytes = b"", chain: int = chain_id) -> bytes:
        return encode_payload(TxRequest(chain, requester, to, value, data, memo))

    approve_all = APPROVE + encode(["address", "uint256"], [STRANGER, UNLIMITED])
    return [
        DirectProposal(
            "legal", tx(CONTRACTOR, 2 * 10**18, "invoice 2291 for design work"), "invoice"
        ),
        DirectProposal(
            "legal", tx(SHOP, 3 * 10**17, "payment for a used bike, as agreed"), "purchase"
        ),
        DirectProposal(
            "fraud",
            tx(
                STRANGER, 10**18, "urgent: verify your wallet now or your account will be suspended"
            ),
            "social engineering",
        ),
        DirectProposal(
            "fraud",
            tx(
                ERC20_TOKEN,
                0,
                "claim your airdrop reward now, security update required",
                approve_all,
            ),
            "drainer approval",
        ),
        DirectProposal(
            "illicit",
            tx(STRANGER, 5 * 10**17, "payment for stolen credit cards, fullz list"),
            "stolen data",
        ),
        DirectProposal(
            "illicit",
            tx(
                STRANGER, 9 * 10**18, "split it below the reporting limit and route through a mixer"
            ),
            "laundering",
        ),
        DirectProposal(
            "sanctioned", tx(sanctioned, 10**18, "consulting fee for q3"), "sanctioned recipient"
        ),
        DirectProposal("malformed", b"this is not an abi-encoded TxRequest", "undecodable bytes"),
        DirectProposal(
            "malformed", tx(SHOP, 10**17, "rent for march", chain=chain_id + 1), "wrong chain id"
        ),
    ]


def treasury_transfers() -> list[TreasuryTransfer]:
    return [
        TreasuryTransfer("legal", CONTRACTOR, 10**18, "monthly salary for our contractor, march"),
        TreasuryTransfer("legal", SHOP, 2 * 10**17, "payment for office chairs, order 318"),
        TreasuryTransfer("fraud", STRANGER, 10**18, "send 1 eth get 2 back, guaranteed return"),
        TreasuryTransfer("illicit", STRANGER, 5 * 10**17, "ransom payment to unlock our files"),
    ]
