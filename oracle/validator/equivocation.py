"""The equivocation watcher behind `oracle watch --equivocation`.

It collects peers' signed verdicts for a round (their `GET /verdicts?round=R`), keeps those
whose signature names a validator, and proves on chain what it finds:
- two different verdicts signed for one proposal and round (`reportEquivocation`);
- a signed verdict that differs from the validator's reveal in that round
  (`reportRevealMismatch`, with the revealed bytes from its `VotesRevealed` event).
The contract slashes a validator at most once per round, so one proof per (validator,
round) is sent, and none where a report already stands. It later releases the bounties of
its reports once the contract allows (the validator has no open ballots, or the deadline).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oracle.chain.client import OracleClient
from oracle.chain.errors import TxReverted
from oracle.chain.events import EventReader
from oracle.chain.sender import TxSender
from oracle.validator.signed_verdicts import SignedVerdict

log = logging.getLogger(__name__)

ZERO_ADDRESS = "0x" + "00" * 20
#: Fetches a peer's served verdicts for a round: (peer base URL, round) -> JSON body.
Fetch = Callable[[str, int], Any]


@dataclass(frozen=True)
class Proof:
    """Provable equivocation of `validator` in `round`: two signed verdicts, or one and the
    revealed bytes it differs from."""

    validator: str
    round: int
    first: SignedVerdict
    second: SignedVerdict | None = None
    revealed: bytes | None = None

    @property
    def kind(self) -> str:
        return "double-signed" if self.second is not None else "signed-vs-revealed"


def fetch_over_http(peer: str, round_: int, timeout_s: float = 5.0) -> Any:
    """GET `peer`/verdicts?round=R as JSON; None when the peer has none for the round (404)."""
    url = f"{peer.rstrip('/')}/verdicts?round={round_}"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as reply:
            return json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


@dataclass
class EquivocationWatcher:
    """Reads `peers`' signed verdicts (with `fetch`) and reports, from `sender`, what they prove."""

    client: OracleClient
    sender: TxSender
    peers: list[str]
    fetch: Fetch = field(default=fetch_over_http, kw_only=True)
    # (validator, round) of our reports whose bounties are not released yet.
    reported: list[tuple[str, int]] = field(default_factory=list, init=False)
    # Each signer's operator, asked of the chain once.
    _operators: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    reader: EventReader = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.reader = self.client.event_reader("VotesRevealed")

    # ------------------------------------------------------------ collect and check

    def collect(self, round_: int) -> dict[str, list[SignedVerdict]]:
        """Every peer's signed verdicts for `round_` that a validator's key signed, by
        validator. An unreachable peer or a malformed entry is logged and skipped."""
        by_validator: dict[str, list[SignedVerdict]] = {}
        for peer in self.peers:
            try:
                body = self.fetch(peer, round_)
            except (OSError, ValueError) as exc:
                log.warning(
                    "peer %s: cannot read its verdicts for round %d (%s)", peer, round_, exc
                )
                continue
            for item in [] if body is None else body.get("verdicts", []):
                try:
                    signed = SignedVerdict.from_json(item)
                except ValueError as exc:
                    log.warning("peer %s: skipping an entry: %s", peer, exc)
                    continue
                if signed.verdict.round != round_:
                    continue
                validator = self._validator_of(signed.signer(self.client.domain))
                if validator is not None:
                    by_validator.setdefault(validator, []).append(signed)
        return by_validator

    def proofs(self, round_: int) -> list[Proof]:
        """At most one proof per validator for `round_`, double signatures first."""
        found = []
        for validator, signed in self.collect(round_).items():
            proof = _double_signed(validator, round_, signed) or self._against_reveal(
                validator, round_, signed
            )
            if proof is not None:
                found.append(proof)
        return found

    # ------------------------------------------------------------ act on chain

    def report(self, round_: int) -> list[Proof]:
        """Send a proof for each validator of `round_` not reported yet; returns those sent."""
        sent = []
        for proof in self.proofs(round_):
            reporter, _, _ = self.client.equivocation_report(proof.validator, round_)
            if reporter != ZERO_ADDRESS:
                continue  # slashed once for this round already (by us or anyone)
            first = proof.first
            try:
                self._send(proof)
            except TxReverted as exc:
                # E.g. a retired signer past its grace period, or a payload hash not the
                # proposal's: the contract's rules decide, and nothing was spent but gas.
                log.warning(
                    "proof against %s in round %d refused: %s", proof.validator, round_, exc
                )
                continue
            log.warning(
                "reported %s equivocation of %s in round %d (proposal %d)",
                proof.kind,
                proof.validator,
                round_,
                first.verdict.proposal_id,
            )
            self.reported.append((proof.validator, round_))
            sent.append(proof)
        return sent

    def _send(self, proof: Proof) -> None:
        first = proof.first
        if proof.second is not None:
            self.client.report_equivocation(
                self.sender,
                first.verdict.as_tuple(),
                first.signature,
                proof.second.verdict.as_tuple(),
                proof.second.signature,
            )
        elif proof.revealed is not None:
            self.client.report_reveal_mismatch(
                self.sender, first.verdict.as_tuple(), first.signature, proof.revealed
            )

    def watch(self, current_round: int, now: int, rounds_back: int = 3) -> list[Proof]:
        """One pass: report the last `rounds_back` rounds up to `current_round`, release
        what is due; returns the proofs sent."""
        sent = []
        for r in range(max(0, current_round - rounds_back), current_round + 1):
            sent += self.report(r)
        self.release_due(now)
        return sent

    def release_due(self, now: int) -> int:
        """Release the held bounties of our reports that the contract now allows; how many."""
        released = 0
        for validator, round_ in list(self.reported):
            _, bounty, releasable_at = self.client.equivocation_report(validator, round_)
            if bounty == 0:
                self.reported.remove((validator, round_))
                continue
            if now < releasable_at and self.client.open_ballots_of(validator) != 0:
                continue
            self.client.release_equivocation_bounty(self.sender, validator, round_)
            self.reported.remove((validator, round_))
            released += 1
        return released

    # ------------------------------------------------------------ helpers

    def _validator_of(self, signer: str) -> str | None:
        """The operator `signer` signs for, or None; the contract judges rotated keys."""
        if signer not in self._operators:
            self._operators[signer] = self.client.operator_of(signer)
        operator = self._operators[signer]
        return None if operator == ZERO_ADDRESS else operator

    def _against_reveal(
        self, validator: str, round_: int, signed: list[SignedVerdict]
    ) -> Proof | None:
        revealed = self._revealed(validator, round_)
        if revealed is None:
            return None
        ids = self.client.round_proposals(round_)
        for s in signed:
            v = s.verdict
            if v.proposal_id in ids and revealed[ids.index(v.proposal_id)] != v.verdict:
                return Proof(validator, round_, s, revealed=revealed)
        return None

    def _revealed(self, validator: str, round_: int) -> bytes | None:
        """The bytes `validator` revealed for `round_` (its VotesRevealed event), or None."""
        if not self.client.ballot_of(round_, validator).revealed:
            return None
        events = self.reader.find(
            "VotesRevealed",
            [_topic(round_), _topic(int(validator, 16))],
            from_block=self.client.deployment.deployed_block,
            to_block=self.reader.safe_head(),
        )
        return bytes(events[-1].args["verdicts"]) if events else None


def _double_signed(validator: str, round_: int, signed: list[SignedVerdict]) -> Proof | None:
    first_by_proposal: dict[int, SignedVerdict] = {}
    for s in signed:
        pid = s.verdict.proposal_id
        seen = first_by_proposal.setdefault(pid, s)
        if seen.verdict.verdict != s.verdict.verdict and (
            seen.verdict.payload_hash == s.verdict.payload_hash
        ):
            return Proof(validator, round_, seen, second=s)
    return None


def _topic(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()
