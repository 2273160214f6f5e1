"""Signed verdicts: what a validator attests it judged, served to its peers.

For each proposal of a round it has sealed a ballot for, a validator signs the EIP-712
`Verdict(proposalId, round, payloadHash, modelHash, verdict)` with its signer key, the
verdict being the vote its ballot reveals. Peers collect these (`oracle watch
--equivocation`) and prove on chain any two that differ, or any that differs from the
reveal (docs/protocol.md, "Signed verdicts"). Signatures are deterministic (RFC 6979), so
signing the same verdict again yields the same bytes and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount

from oracle.chain.eip712 import Domain, Verdict, recover_verdict_signer, sign_verdict
from oracle.chain.round_clock import RoundTiming


@dataclass(frozen=True)
class SignedVerdict:
    verdict: Verdict
    signature: bytes

    def as_json(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "proposalId": v.proposal_id,
            "round": v.round,
            "payloadHash": "0x" + v.payload_hash.hex(),
            "modelHash": "0x" + v.model_hash.hex(),
            "verdict": v.verdict,
            "signature": "0x" + self.signature.hex(),
        }

    @classmethod
    def from_json(cls, item: Any) -> SignedVerdict:
        """One served entry; ValueError (one line) on anything malformed."""
        try:
            verdict = Verdict(
                proposal_id=_uint(item["proposalId"], 256),
                round=_uint(item["round"], 64),
                payload_hash=_hex(item["payloadHash"], 32),
                model_hash=_hex(item["modelHash"], 32),
                verdict=_uint(item["verdict"], 8),
            )
            return cls(verdict, _hex(item["signature"], 65))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a signed verdict: missing or mistyped field {exc}") from None

    def signer(self, domain: Domain) -> str:
        """The address that signed it (any other signature yields some other address)."""
        return recover_verdict_signer(domain, self.verdict, self.signature)


def sign_round(
    signer: LocalAccount,
    domain: Domain,
    round_: int,
    ids: list[int],
    votes: bytes,
    payload_hashes: dict[int, bytes],
    model_hashes: dict[int, bytes],
) -> list[SignedVerdict]:
    """The signed verdicts of one ballot: `votes[i]` on `ids[i]`, in round order."""
    out = []
    for pid, vote in zip(ids, votes, strict=True):
        v = Verdict(pid, round_, payload_hashes[pid], model_hashes[pid], vote)
        out.append(SignedVerdict(v, sign_verdict(signer, domain, v)))
    return out


def _uint(value: Any, bits: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**bits:
        raise ValueError(f"{value!r} is not a uint{bits}")
    return value


def _hex(value: Any, size: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a hex string")
    try:
        raw = bytes.fromhex(value.removeprefix("0x"))
    except ValueError:
        raise ValueError(f"{value[:20]!r} is not hex") from None
    if len(raw) != size:
        raise ValueError(f"expected {size} bytes of hex, got {len(raw)}")
    return raw


@dataclass(eq=False)
class VerdictPublisher:
    """A validator's signed verdicts per round, built from its sealed ballots.

    A round's verdicts are served once its commit phase has closed: served earlier, they
    would let a validator that runs no model copy them into its own commitment.
    """

    client: Any
    store: Any
    signer: LocalAccount
    timing: Callable[[int], RoundTiming]
    now: Callable[[], int]
    # A round's verdicts once signed, so peers asking again cost no store or chain reads.
    _signed: dict[int, list[SignedVerdict]] = field(default_factory=dict, init=False, repr=False)

    def served_from(self, round_: int) -> int:
        """When `round_`'s verdicts become public: the start of its reveal phase."""
        return self.timing(round_).reveal_start

    def for_round(self, round_: int) -> list[SignedVerdict] | None:
        """The signed verdicts of `round_`; None before they are public or with no ballot."""
        if self.now() < self.served_from(round_):
            return None
        if round_ in self._signed:
            return self._signed[round_]
        ballot = self.store.ballot(round_)
        if ballot is None:
            return None
        ids = list(ballot.proposal_ids)
        stored = self.store.proposals(ids)
        payload_hashes = {pid: bytes(stored[pid].payload_hash) for pid in ids if pid in stored}
        if len(payload_hashes) != len(ids):
            # A ballot recovered from the chain after a lost database: ask the chain.
            payload_hashes = {
                pid: h or b"\x00" * 32 for pid, h in self.client.payload_hashes(ids).items()
            }
        signed = sign_round(
            self.signer,
            self.client.domain,
            round_,
            ids,
            bytes(ballot.verdicts),
            payload_hashes,
            self.client.model_hashes(ids),
        )
        self._signed[round_] = signed
        return signed
