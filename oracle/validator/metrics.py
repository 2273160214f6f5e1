"""Prometheus metrics of one validator (own registry, so several can live in one process).

The metrics are declared once, as the table of class attributes below; each Metrics makes
its own of every one in its own registry, at construction, so /metrics lists each series
(at zero) before its first event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, cast

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from oracle.model.labels import Verdict

MetricT = TypeVar("MetricT", Counter, Gauge, Histogram)


class _Declared(Generic[MetricT]):
    """A metric declared on Metrics; read on a Metrics, it is that instance's own."""

    def __init__(self, make: Callable[[CollectorRegistry], MetricT]) -> None:
        self.make: Callable[[CollectorRegistry], MetricT] = make
        self.attr = ""

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __get__(self, metrics: Metrics, owner: type | None = None) -> MetricT:
        # Metrics.__init__ made it with self.make: it is a MetricT.
        return cast(MetricT, metrics.made[self.attr])


def _counter(name: str, documentation: str, *labels: str) -> _Declared[Counter]:
    """A counter; `labels` are its label names, if any."""
    return _Declared(lambda registry: Counter(name, documentation, labels, registry=registry))


def _gauge(name: str, documentation: str) -> _Declared[Gauge]:
    return _Declared(lambda registry: Gauge(name, documentation, registry=registry))


def _histogram(name: str, documentation: str, buckets: tuple[float, ...]) -> _Declared[Histogram]:
    return _Declared(
        lambda registry: Histogram(name, documentation, buckets=buckets, registry=registry)
    )


class Metrics:
    proposals_seen = _counter("oracle_proposals_seen", "Proposals read from chain")
    verdicts = _counter("oracle_verdicts", "Verdicts this validator reached, by class", "verdict")
    votes_sent = _counter("oracle_votes_sent", "Vote transactions sent, by kind", "kind")
    reveal_misses = _counter(
        "oracle_reveal_misses", "Committed ballots whose reveal phase ended unrevealed"
    )
    hash_mismatches = _counter(
        "oracle_payload_hash_mismatches", "Payloads whose bytes did not match their hash"
    )
    rpc_errors = _counter("oracle_rpc_errors", "Transient JSON-RPC errors")
    tx_reverts = _counter("oracle_tx_reverts", "Transactions refused by the contract", "kind")
    inference_latency = _histogram(
        "oracle_inference_latency_seconds",
        "Seconds per pipeline batch",
        (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    )
    last_block = _gauge("oracle_last_block", "Latest block seen")
    chain_time = _gauge(
        "oracle_chain_time_seconds",
        "Timestamp of the latest block seen: the clock phases are decided on",
    )
    unrevealed_ballots = _gauge(
        "oracle_unrevealed_ballots",
        "Ballots sealed or committed and not yet revealed (each owes a reveal)",
    )
    next_reveal_deadline = _gauge(
        "oracle_next_reveal_deadline_seconds",
        "Reveal end (chain time) of the earliest open ballot; 0 when none is open",
    )
    draining = _gauge("oracle_draining", "1 while paused or stopping (no new commits), else 0")
    current_round = _gauge("oracle_current_round", "The round whose commit phase chain time is in")
    # Observer mode (observer.py): finalized proposals judged here, and how many of our
    # verdicts matched the final one.
    observer_compared = _gauge(
        "oracle_observer_compared",
        "Observer: finalized proposals judged here (the store's retention window)",
    )
    observer_agreed = _gauge(
        "oracle_observer_agreed",
        "Observer: of those, how many of our verdicts equal the final verdict",
    )
    tick_seconds = _histogram(
        "oracle_tick_seconds",
        "Seconds per engine pass (reveal, commit, judge, finalize, settle, claim)",
        (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
    )
    tx_events = _counter(
        "oracle_tx_manager_events",
        "Transaction manager events: bump (re-priced), fee_cap (a bump the cap refused), "
        "gap_fill (a lost nonce filled)",
        "event",
    )
    tx_in_flight = _gauge(
        "oracle_tx_in_flight", "Transactions sent by the manager and not mined yet"
    )
    tx_oldest_pending_blocks = _gauge(
        "oracle_tx_oldest_pending_blocks",
        "Blocks the oldest transaction in flight has waited since first sent (0: none)",
    )
    signer_balance = _gauge("oracle_signer_balance_wei", "ETH balance of the hot signer key")
    signer_balance_needed = _gauge(
        "oracle_signer_balance_needed_wei",
        "What the signer needs for 10 rounds of votes at the current fees",
    )
    slashes = _counter(
        "oracle_slashes", "Slashes of this validator's operator seen on chain, by reason", "reason"
    )
    rewards_claimed = _counter(
        "oracle_rewards_claimed_wei", "Wei this validator claimed (rewards, bounties)"
    )

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.made: dict[str, Counter | Gauge | Histogram] = {
            declared.attr: declared.make(self.registry)
            for declared in vars(Metrics).values()
            if isinstance(declared, _Declared)
        }
        for v in Verdict:
            self.verdicts.labels(verdict=v.name.lower())
