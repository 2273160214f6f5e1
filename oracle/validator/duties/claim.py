"""Claim duty: on its cadence, report the signer's balance and claim the operator's rewards.

Decisions (pure): whether the cadence is due (host clock: scheduling only) and what to do
then; whether a claimable amount is worth a transaction. The cadence's claim goes through
the operator key's transaction manager at ROUTINE priority (it never outbids a vote) and
is not sent again while one is in flight; the admin API's claim waits for its receipt.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_pricing import Priority
from oracle.validator.duties.cadence import CadenceTime, StartCadence
from oracle.validator.funds import need_for_rounds
from oracle.validator.tx_intents import CLAIM

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClaimSnapshot:
    cadence: CadenceTime
    auto_claim: bool
    has_operator_key: bool
    claim_in_flight: bool = False  # the last cadence's claim is sent and not mined yet


class ClaimAction(Enum):
    # The signer's balance and what a few rounds need: what the balance alert compares.
    REPORT_BALANCE = "report balance"
    CLAIM_REWARDS = "claim rewards"


ClaimStep = StartCadence | ClaimAction


def decide_claim(s: ClaimSnapshot) -> list[ClaimStep]:
    if not s.cadence.due:
        return []
    steps: list[ClaimStep] = [StartCadence(s.cadence.host_now), ClaimAction.REPORT_BALANCE]
    if s.auto_claim and s.has_operator_key and not s.claim_in_flight:
        steps.append(ClaimAction.CLAIM_REWARDS)
    return steps


def worth_claiming(claimable_wei: int, claim_min_wei: int) -> bool:
    return claimable_wei > max(0, claim_min_wei)


class ClaimDuty:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.last_claim_at = 0.0

    def run(self) -> None:
        e = self.engine
        snapshot = ClaimSnapshot(
            CadenceTime(time.monotonic(), self.last_claim_at, e.config.claim_every_s),
            auto_claim=e.config.auto_claim,
            has_operator_key=e.operator_tx is not None,
            claim_in_flight=e.operator_tx is not None and bool(e.operator_tx.in_flight(CLAIM)),
        )
        for step in decide_claim(snapshot):
            if isinstance(step, StartCadence):
                self.last_claim_at = step.at
            elif step is ClaimAction.REPORT_BALANCE:
                e.metrics.signer_balance.set(e.client.w3.eth.get_balance(e.signer.address))
                e.metrics.signer_balance_needed.set(need_for_rounds(e.client.w3))
            elif step is ClaimAction.CLAIM_REWARDS:
                self._claim_in_background()

    def _claim_in_background(self) -> None:
        e = self.engine
        assert e.operator_tx is not None  # decide_claim asks only with an operator key
        amount = e.client.claimable(e.operator)
        if not worth_claiming(amount, e.config.claim_min_wei):
            return

        def claimed(a: Attempt) -> None:
            if a.state is AttemptState.MINED:
                e.metrics.rewards_claimed.inc(amount)
                log.info("claimed %d wei", amount)

        e.operator_tx.submit(
            CLAIM, e.client.fn("claim"), priority=Priority.ROUTINE, on_result=claimed
        )

    def claim(self) -> int:
        """Claim the operator's rewards now and wait (the admin API); the wei claimed (0:
        nothing, or no operator key)."""
        e = self.engine
        if e.operator_sender is None:
            return 0
        amount = e.client.claimable(e.operator)
        if not worth_claiming(amount, e.config.claim_min_wei):
            return 0
        e.client.claim(e.operator_sender)
        e.metrics.rewards_claimed.inc(amount)
        log.info("claimed %d wei", amount)
        return amount
