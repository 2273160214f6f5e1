"""Relayed votes: validators hand signed commits and reveal preimages to one relayer,
which submits them in one `commitRelayed` / `revealMany` transaction per round.

Aggregating votes is what makes a vote cheap (one transaction for many validators),
but a relayer must never be able to make a validator miss a vote: a validator that
offered its vote still sends it itself if it is not on chain by the fallback time.
A relayer checks every offer before queueing it (the commit's EIP-712 signature
must recover to the validator's signer; a reveal must reproduce the on-chain
commitment), so one bad offer cannot make the aggregated transaction revert.
A batch whose estimate is above the per-transaction gas budget (revealMany of a dozen
ballots at 1,024 proposals is ~17M gas, above the 2^24 cap) goes out in parts, each
the largest prefix that fits (gas_cap.py), as finalizeMany does.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from oracle.chain.client import OracleClient
from oracle.chain.commitment import commitment as commitment_of
from oracle.chain.eip712 import recover_commit_signer, sign_commit
from oracle.chain.errors import TxReverted
from oracle.chain.gas_cap import BATCH_GAS_BUDGET, fitting_prefix
from oracle.chain.round_clock import RoundTiming
from oracle.chain.sender import TxSender

if TYPE_CHECKING:
    from oracle.validator.engine import Engine
    from oracle.validator.store import StoredBallot

log = logging.getLogger(__name__)


class RelayClient:
    """The validator side: offer votes to a relayer, fall back to sending them directly."""

    def __init__(self, url: str, *, fallback_fraction: float = 0.5, timeout_s: float = 2.0) -> None:
        self.url = url.rstrip("/")
        self.fallback_fraction = fallback_fraction
        self.http = httpx.Client(timeout=timeout_s)
        self._offered: dict[tuple[str, int], float] = {}

    def offer_commit(self, engine: Engine, b: StoredBallot) -> bool:
        """True while the relayer is trusted with this commit; False: send it yourself now."""
        t = engine.timing(b.round)
        fallback_at = t.commit_start + (t.reveal_start - t.commit_start) * self.fallback_fraction
        key = ("commit", b.round)
        if key in self._offered:
            return engine.now() < fallback_at
        sig = sign_commit(
            engine.signer,
            engine.client.domain,
            round_=b.round,
            commitment=b.commitment,
            validator=engine.operator,
        )
        body = {
            "round": b.round,
            "validator": engine.operator,
            "commitment": "0x" + b.commitment.hex(),
            "signature": "0x" + sig.hex(),
        }
        return self._post("/relay/commit", body, key)

    def offer_reveal(self, engine: Engine, b: StoredBallot, t: RoundTiming) -> bool:
        fallback_at = t.reveal_start + (t.reveal_end - t.reveal_start) * self.fallback_fraction
        key = ("reveal", b.round)
        if key in self._offered:
            return engine.now() < fallback_at
        body = {
            "round": b.round,
            "validator": engine.operator,
            "verdicts": "0x" + b.verdicts.hex(),
            "salt": "0x" + b.salt.hex(),
        }
        return self._post("/relay/reveal", body, key)

    def _post(self, path: str, body: dict[str, Any], key: tuple[str, int]) -> bool:
        try:
            r = self.http.post(self.url + path, json=body)
            r.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("relayer %s refused or unreachable (%s); sending directly", self.url, exc)
            return False
        self._offered[key] = time.monotonic()
        return True


@dataclass
class _Queue:
    first_at: float = 0.0
    items: dict[str, tuple[Any, ...]] = field(default_factory=dict)


class Relayer:
    """The relayer side: verified offers queued per round, flushed as one transaction."""

    def __init__(
        self,
        client: OracleClient,
        sender: TxSender,
        *,
        window_s: float = 0.5,
        gas_budget: int = BATCH_GAS_BUDGET,
    ) -> None:
        self.client = client
        self.sender = sender
        self.window_s = window_s
        self.gas_budget = gas_budget
        self._lock = threading.Lock()
        self._commits: dict[int, _Queue] = {}
        self._reveals: dict[int, _Queue] = {}
        self.sent: list[tuple[str, int, int, str]] = []  # (kind, round, count, tx hash)

    def add_commit(self, round_: int, validator: str, commitment: bytes, signature: bytes) -> None:
        validator = self.client.w3.to_checksum_address(validator)
        signer = recover_commit_signer(
            self.client.domain,
            round_=round_,
            commitment=commitment,
            validator=validator,
            signature=signature,
        )
        if self.client.operator_of(signer).lower() != validator.lower():
            raise ValueError(
                f"commit signature recovers to {signer}, which is not the signer of {validator}"
            )
        with self._lock:
            q = self._commits.setdefault(round_, _Queue(first_at=time.monotonic()))
            q.items[validator] = (validator, commitment, signature)

    def add_reveal(self, round_: int, validator: str, verdicts: bytes, salt: bytes) -> None:
        validator = self.client.w3.to_checksum_address(validator)
        info = self.client.round_info(round_)
        expected = commitment_of(
            chain_id=self.client.chain_id,
            oracle=self.client.address,
            round_=round_,
            validator=validator,
            list_hash=info.list_hash,
            verdicts=verdicts,
            salt=salt,
        )
        ballot = self.client.ballot_of(round_, validator)
        if ballot.commitment != expected:
            raise ValueError(
                f"reveal for {validator} does not match its on-chain commitment for round {round_}"
            )
        with self._lock:
            q = self._reveals.setdefault(round_, _Queue(first_at=time.monotonic()))
            q.items[validator] = (validator, verdicts, salt)

    def flush(self, now: int) -> None:
        """Send every queue that has waited `window_s` (called from the engine's loop)."""
        for kind, queues in (("commit", self._commits), ("reveal", self._reveals)):
            with self._lock:
                due = [
                    r for r, q in queues.items() if time.monotonic() - q.first_at >= self.window_s
                ]
                batches = {r: list(queues.pop(r).items.values()) for r in due}
            for r, items in batches.items():
                self._send(kind, r, items)

    def _send(self, kind: str, round_: int, items: list[tuple[Any, ...]]) -> None:
        """Aggregated transactions, as few as the gas budget allows; if one reverts because some
        of its votes landed on chain meanwhile (a validator's own fallback, a front-runner
        copying a public vote), retry once without those instead of dropping the others' votes."""
        fresh = self._not_on_chain(kind, round_, items)
        retried = False
        while fresh:
            try:
                part = fitting_prefix(
                    fresh,
                    lambda chunk: self.sender.estimate_call(self._batch_call(kind, round_, chunk)),
                    self.gas_budget,
                )
                tx = self.sender.send_call(self._batch_call(kind, round_, part))
            except TxReverted as exc:
                still = self._not_on_chain(kind, round_, fresh)
                if not retried and len(still) < len(fresh):
                    log.info(
                        "relayed %s for round %d reverted (%s); %d already on chain, "
                        "retrying with the other %d",
                        kind,
                        round_,
                        exc,
                        len(fresh) - len(still),
                        len(still),
                    )
                    fresh, retried = still, True
                    continue
                log.warning("relayed %s for round %d refused: %s", kind, round_, exc)
                return
            self.sent.append((kind, round_, len(part), tx.tx_hash))
            log.info("relayed %d %ss for round %d (tx %s)", len(part), kind, round_, tx.tx_hash)
            fresh = fresh[len(part) :]

    def _batch_call(self, kind: str, round_: int, items: Sequence[tuple[Any, ...]]) -> Any:
        """The commitRelayed / revealMany call carrying `items` (web3 ContractFunction)."""
        name = "commitRelayed" if kind == "commit" else "revealMany"
        return self.client.fn(name, round_, [tuple(item) for item in items])

    def _not_on_chain(
        self, kind: str, round_: int, items: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """The votes whose ballot is not yet committed (or revealed) on chain."""
        fresh = []
        for item in items:
            ballot = self.client.ballot_of(round_, item[0])
            done = ballot.committed if kind == "commit" else ballot.revealed
            if not done:
                fresh.append(item)
        return fresh
