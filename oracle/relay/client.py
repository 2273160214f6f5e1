"""The validator side of relaying: offer a vote to a relayer, or say "send it yourself".

An offer is trusted until `fallback_fraction` of its phase has passed (chain time); after
that, or when the relayer refuses or cannot be reached, the validator sends the vote
itself. A commit offer carries the validator's EIP-712 signature (the relayer cannot
change it); a reveal offer is the preimage, which the relayer checks against the chain.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from eth_account.signers.local import LocalAccount

from oracle.chain.eip712 import Domain, sign_commit
from oracle.chain.round_clock import RoundTiming
from oracle.validator.store import StoredBallot

log = logging.getLogger(__name__)


class RelayClient:
    """Offers one validator's votes to the relayer at `url` (implements VoteOffers)."""

    def __init__(
        self,
        url: str,
        *,
        signer: LocalAccount,
        domain: Domain,
        operator: str,
        fallback_fraction: float = 0.5,
        timeout_s: float = 2.0,
        http: httpx.Client | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.signer = signer
        self.domain = domain
        self.operator = operator
        self.fallback_fraction = fallback_fraction
        self.http = http or httpx.Client(timeout=timeout_s)
        self._offered: dict[tuple[str, int], float] = {}

    def offer_commit(self, b: StoredBallot, t: RoundTiming, now: int) -> bool:
        """True while the relayer is trusted with this commit; False: send it yourself now."""
        fallback_at = t.commit_start + (t.reveal_start - t.commit_start) * self.fallback_fraction
        key = ("commit", b.round)
        if key in self._offered:
            return now < fallback_at
        sig = sign_commit(
            self.signer,
            self.domain,
            round_=b.round,
            commitment=b.commitment,
            validator=self.operator,
        )
        body = {
            "round": b.round,
            "validator": self.operator,
            "commitment": "0x" + b.commitment.hex(),
            "signature": "0x" + sig.hex(),
        }
        return self._post("/relay/commit", body, key)

    def offer_reveal(self, b: StoredBallot, t: RoundTiming, now: int) -> bool:
        """True while the relayer is trusted with this reveal; False: send it yourself now."""
        fallback_at = t.reveal_start + (t.reveal_end - t.reveal_start) * self.fallback_fraction
        key = ("reveal", b.round)
        if key in self._offered:
            return now < fallback_at
        body = {
            "round": b.round,
            "validator": self.operator,
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
