"""The relayer side: verified offers queued per round, flushed as aggregated transactions.

A batch whose estimate is above the per-transaction gas budget (revealMany of a dozen
ballots at 1,024 proposals is ~17M gas, above the 2^24 cap) goes out in parts, each the
largest prefix that fits (gas_cap.py), as finalizeMany does. Each part goes through the
relaying validator's transaction manager without waiting for its receipt, priced for the
phase's deadline like the validator's own votes: a flush never holds the engine's tick
(and so the relayer's own reveal) behind a receipt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import count
from typing import Any

from oracle.chain.client import OracleClient
from oracle.chain.commitment import commitment as commitment_of
from oracle.chain.eip712 import recover_commit_signer
from oracle.chain.errors import TxReverted
from oracle.chain.gas_cap import BATCH_GAS_BUDGET, fitting_prefix
from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_manager import TxManager
from oracle.chain.tx_pricing import Priority

log = logging.getLogger(__name__)

RELAY_INTENT_KIND = "relay"  # intents `relay:<round>:<kind>:<n>`: no duty of the engine's


@dataclass
class _Queue:
    first_at: float = 0.0
    items: dict[str, tuple[Any, ...]] = field(default_factory=dict)


class Relayer:
    """Verified offers per round, sent as one transaction (or a few) once `window_s` passed."""

    def __init__(
        self,
        client: OracleClient,
        tx: TxManager,
        *,
        window_s: float = 0.5,
        gas_budget: int = BATCH_GAS_BUDGET,
    ) -> None:
        self.client = client
        self.tx = tx
        self.window_s = window_s
        self.gas_budget = gas_budget
        self._lock = threading.Lock()
        self._commits: dict[int, _Queue] = {}
        self._reveals: dict[int, _Queue] = {}
        # Unique per process start: an intent in flight from before a restart is not reused.
        self._batch_ids = count(int(time.time() * 1000))
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
        self._queue(self._commits, round_, (validator, commitment, signature))

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
        if self.client.ballot_of(round_, validator).commitment != expected:
            raise ValueError(
                f"reveal for {validator} does not match its on-chain commitment for round {round_}"
            )
        self._queue(self._reveals, round_, (validator, verdicts, salt))

    def _queue(self, queues: dict[int, _Queue], round_: int, item: tuple[Any, ...]) -> None:
        with self._lock:
            q = queues.setdefault(round_, _Queue(first_at=time.monotonic()))
            q.items[item[0]] = item

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
        """Aggregated transactions, as few as the gas budget allows; if one is refused because
        some of its votes landed on chain meanwhile (a validator's own fallback, a front-runner
        copying a public vote), once more without those instead of dropping the others' votes.
        A part that reverts once mined is only logged: its validators fall back to sending
        their votes themselves (client.py)."""
        t = self.client.round_timing(round_)
        deadline = t.reveal_start if kind == "commit" else t.reveal_end
        fresh = self._not_on_chain(kind, round_, items)
        retried = False
        while fresh:
            try:
                part = fitting_prefix(
                    fresh,
                    lambda chunk: self.tx.sender.estimate_call(
                        self._batch_call(kind, round_, chunk)
                    ),
                    self.gas_budget,
                )
                attempt = self.tx.submit(
                    f"{RELAY_INTENT_KIND}:{round_}:{kind}:{next(self._batch_ids)}",
                    self._batch_call(kind, round_, part),
                    deadline=deadline,
                    priority=Priority.DEADLINE,
                    on_result=partial(self._mined, kind, round_, len(part)),
                )
            except TxReverted as exc:
                still = self._not_on_chain(kind, round_, fresh)
                if not retried and len(still) < len(fresh):
                    log.info(
                        "relayed %s for round %d refused (%s); %d already on chain, "
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
            self.sent.append((kind, round_, len(part), attempt.tx_hash))
            log.info(
                "relaying %d %ss for round %d (tx %s)", len(part), kind, round_, attempt.tx_hash
            )
            fresh = fresh[len(part) :]

    def _mined(self, kind: str, round_: int, n: int, a: Attempt) -> None:
        if a.state is AttemptState.MINED:
            log.info("relayed %d %ss for round %d mined (tx %s)", n, kind, round_, a.tx_hash)
        else:
            log.warning(
                "relayed %d %ss for round %d: %s (%s); the validators send theirs themselves",
                n,
                kind,
                round_,
                a.state.value,
                a.error or a.tx_hash,
            )

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
