"""The deterministic rules that run before the model: malformed, sanctioned, call shape.

Precedence (docs/labels.md): malformed > sanctioned > call shape > the model's class.
The call-shape rules cover the cases the policy decides from the call alone, whatever
the memo says: a zero-value token transfer is address poisoning (fraud), a revoke is
never a drainer (legal). A payload a rule decides never reaches the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from oracle.chain.payload import PayloadError, TxRequest, decode_payload
from oracle.model.address_book import DATA_DIR, AddressBook, default_address_book
from oracle.model.calldata import CalldataError, DecodedCall, decode_calldata
from oracle.model.labels import Verdict


class SanctionsSource(Protocol):
    """Anything that answers whether a lower-case 0x address is sanctioned."""

    def is_sanctioned(self, address: str) -> bool: ...


class SanctionsList:
    """A file of addresses, one a line, `#` comments; case-insensitive on 20 bytes."""

    def __init__(self, addresses: Iterable[str]) -> None:
        self._addresses = frozenset(a.lower() for a in addresses)

    def __len__(self) -> int:
        return len(self._addresses)

    def __contains__(self, address: object) -> bool:
        return isinstance(address, str) and address.lower() in self._addresses

    def is_sanctioned(self, address: str) -> bool:
        return address.lower() in self._addresses

    @classmethod
    def from_file(cls, path: Path) -> SanctionsList:
        addresses = []
        for lineno, line in enumerate(Path(path).read_text().splitlines(), start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            body = text[2:] if text[:2].lower() == "0x" else ""
            if len(body) != 40 or any(c not in "0123456789abcdefABCDEF" for c in body):
                raise ValueError(
                    f"{path}:{lineno}: {text!r} is not a 0x-prefixed 20-byte address; "
                    "write one address per line, comments after '#'"
                )
            addresses.append("0x" + body)
        return cls(addresses)


def sample_sanctions_path() -> Path:
    """The SYNTHETIC sample list shipped for demos, tests and the generated corpus."""
    return DATA_DIR / "sanctions_sample.txt"


@dataclass(frozen=True)
class SanctionsListFile:
    """Which sanctions list a validator judges with: validators that disagree on it vote apart,
    so its hash is logged at start and shown in /status."""

    path: Path
    sha256: str  # "0x" + 64 hex, of the file's bytes
    sample: bool  # the shipped synthetic sample (no sanctions_file set)

    @classmethod
    def of(cls, sanctions_file: Path | None) -> SanctionsListFile:
        path = Path(sanctions_file) if sanctions_file is not None else sample_sanctions_path()
        if not path.is_file():
            raise FileNotFoundError(f"sanctions_file {path} does not exist")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return cls(path, "0x" + digest, sanctions_file is None)

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "sha256": self.sha256, "sample": self.sample}


class OnChainSanctionsOracle:
    """A sanctions-oracle contract with `isSanctioned(address) returns (bool)`, cached."""

    ABI: ClassVar[list[dict[str, object]]] = [
        {
            "type": "function",
            "name": "isSanctioned",
            "stateMutability": "view",
            "inputs": [{"name": "addr", "type": "address"}],
            "outputs": [{"name": "", "type": "bool"}],
        }
    ]

    def __init__(self, web3: object, address: str) -> None:
        from web3 import Web3

        assert isinstance(web3, Web3), "pass a connected web3.Web3"
        self._contract = web3.eth.contract(address=Web3.to_checksum_address(address), abi=self.ABI)
        self._cache: dict[str, bool] = {}

    def is_sanctioned(self, address: str) -> bool:
        key = address.lower()
        if key not in self._cache:
            from web3 import Web3

            self._cache[key] = bool(
                self._contract.functions.isSanctioned(Web3.to_checksum_address(key)).call()
            )
        return self._cache[key]


@dataclass(frozen=True)
class RuleVerdict:
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class Decoded:
    """A payload that passed the rules: the model decides it."""

    tx: TxRequest
    call: DecodedCall


def apply_rules(
    payload: bytes,
    *,
    chain_id: int,
    max_payload_size: int,
    sanctions: Iterable[SanctionsSource] = (),
    book: AddressBook | None = None,
) -> RuleVerdict | Decoded:
    """Decode and check one payload; a RuleVerdict when a rule decides it."""
    if len(payload) > max_payload_size:
        return RuleVerdict(
            Verdict.MALFORMED,
            f"rule:malformed payload is {len(payload)} bytes > {max_payload_size}",
        )
    try:
        tx = decode_payload(payload)
    except PayloadError as exc:
        return RuleVerdict(Verdict.MALFORMED, f"rule:malformed {exc}")
    return apply_rules_to_request(tx, chain_id=chain_id, sanctions=sanctions, book=book)


def apply_rules_to_request(
    tx: TxRequest,
    *,
    chain_id: int,
    sanctions: Iterable[SanctionsSource] = (),
    book: AddressBook | None = None,
) -> RuleVerdict | Decoded:
    """The rules after payload decoding (chain id, calldata, sanctions, call shape)."""
    if tx.chain_id != chain_id:
        return RuleVerdict(
            Verdict.MALFORMED, f"rule:malformed chainId {tx.chain_id} != oracle chain {chain_id}"
        )
    try:
        call = decode_calldata(tx.data)
    except CalldataError as exc:
        return RuleVerdict(Verdict.MALFORMED, f"rule:malformed {exc}")
    for source in sanctions:
        for role, address in [("to", tx.to.lower())] + [("calldata", a) for a in call.addresses]:
            if source.is_sanctioned(address):
                return RuleVerdict(Verdict.SANCTIONED, f"rule:sanctioned {role}={address}")
    shaped = call_shape_verdict(tx, call, book or default_address_book())
    return shaped if shaped is not None else Decoded(tx, call)


# ERC-721 shares `transferFrom(address,address,uint256)` with ERC-20; on a known NFT
# contract the third word is a token id, and token id 0 is an ordinary NFT.
_NFT_KINDS = frozenset({"nft"})


def call_shape_verdict(tx: TxRequest, call: DecodedCall, book: AddressBook) -> RuleVerdict | None:
    """The verdicts the policy takes from the call alone; None leaves it to the model."""
    if call.method in ("transfer", "transferFrom") and call.args.get("amount") == 0:
        known = book.get(tx.to)
        if known is None or known.kind not in _NFT_KINDS:
            return RuleVerdict(
                Verdict.FRAUD,
                f"rule:address-poisoning zero-value {call.method} of token {tx.to.lower()}: "
                "it moves nothing and only plants a look-alike address in the history",
            )
    revoked = _revoked(call)
    if revoked is not None:
        return RuleVerdict(
            Verdict.LEGAL,
            f"rule:revoke {call.method} withdraws permission from {revoked}; "
            "a revoke grants nothing, so it cannot drain",
        )
    return None


def _revoked(call: DecodedCall) -> str | None:
    """The spender or operator a revoke withdraws permission from, or None."""
    args = call.args
    if call.method in ("approve", "permit2_approve") and args.get("amount") == 0:
        return str(args["spender"])
    if call.method == "setApprovalForAll" and args.get("approved") is False:
        return str(args["operator"])
    if call.method == "permit2_lockdown":
        approvals = args.get("approvals")
        assert isinstance(approvals, list)
        spenders = sorted({str(pair[1]) for pair in approvals})
        return ",".join(spenders) if spenders else "no spender"
    return None
