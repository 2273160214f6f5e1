"""The cadence duties: claim (balance report, rewards) and prune, on the host clock."""

from __future__ import annotations

from oracle.validator.duties.cadence import CadenceTime, StartCadence
from oracle.validator.duties.claim import ClaimAction, ClaimSnapshot, decide_claim, worth_claiming
from oracle.validator.duties.prune import PruneBefore, PruneSnapshot, decide_prune

REPORT, CLAIM = ClaimAction.REPORT_BALANCE, ClaimAction.CLAIM_REWARDS


def claim_snap(
    host_now: float, *, auto: bool = True, key: bool = True, in_flight: bool = False
) -> ClaimSnapshot:
    cadence = CadenceTime(host_now, last_at=100.0, every_s=30.0)
    return ClaimSnapshot(cadence, auto_claim=auto, has_operator_key=key, claim_in_flight=in_flight)


def test_decide_claim__inside_its_cadence__nothing() -> None:
    assert decide_claim(claim_snap(129.0)) == []


def test_decide_claim__cadence_due__reports_the_balance_and_claims() -> None:
    assert decide_claim(claim_snap(130.0)) == [StartCadence(130.0), REPORT, CLAIM]


def test_decide_claim__no_operator_key_or_auto_claim_off__reports_only() -> None:
    assert decide_claim(claim_snap(130.0, key=False)) == [StartCadence(130.0), REPORT]
    assert decide_claim(claim_snap(130.0, auto=False)) == [StartCadence(130.0), REPORT]


def test_worth_claiming__at_or_below_the_minimum__not_worth_a_transaction() -> None:
    assert not worth_claiming(0, 0)
    assert not worth_claiming(10, 10)
    assert worth_claiming(11, 10)
    assert worth_claiming(1, -5)  # a negative minimum is zero


def test_decide_prune__cadence_due__prunes_before_the_retention() -> None:
    assert decide_prune(PruneSnapshot(CadenceTime(50.0, 0.0, 60.0), 100, 20)) is None
    due = PruneSnapshot(CadenceTime(60.0, 0.0, 60.0), 100, 20)
    assert decide_prune(due) == PruneBefore(80, StartCadence(60.0))


def test_decide_claim__last_claim_in_flight__reports_only() -> None:
    assert decide_claim(claim_snap(130.0, in_flight=True)) == [StartCadence(130.0), REPORT]
