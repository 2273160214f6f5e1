"""Prometheus metrics of one validator (own registry, so several can live in one process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from oracle.model.labels import Verdict


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.proposals_seen = Counter(
            "oracle_proposals_seen", "Proposals read from chain", registry=r
        )
        self.verdicts = Counter(
            "oracle_verdicts", "Verdicts this validator reached, by class", ["verdict"], registry=r
        )
        self.votes_sent = Counter(
            "oracle_votes_sent", "Vote transactions sent, by kind", ["kind"], registry=r
        )
        self.reveal_misses = Counter(
            "oracle_reveal_misses",
            "Committed ballots whose reveal phase ended unrevealed",
            registry=r,
        )
        self.hash_mismatches = Counter(
            "oracle_payload_hash_mismatches",
            "Payloads whose bytes did not match their hash",
            registry=r,
        )
        self.rpc_errors = Counter("oracle_rpc_errors", "Transient JSON-RPC errors", registry=r)
        self.tx_reverts = Counter(
            "oracle_tx_reverts", "Transactions refused by the contract", ["kind"], registry=r
        )
        self.inference_latency = Histogram(
            "oracle_inference_latency_seconds",
            "Seconds per pipeline batch",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=r,
        )
        self.last_block = Gauge("oracle_last_block", "Latest block seen", registry=r)
        self.chain_time = Gauge(
            "oracle_chain_time_seconds",
            "Timestamp of the latest block seen: the clock phases are decided on",
            registry=r,
        )
        self.unrevealed_ballots = Gauge(
            "oracle_unrevealed_ballots",
            "Ballots sealed or committed and not yet revealed (each owes a reveal)",
            registry=r,
        )
        self.next_reveal_deadline = Gauge(
            "oracle_next_reveal_deadline_seconds",
            "Reveal end (chain time) of the earliest open ballot; 0 when none is open",
            registry=r,
        )
        self.draining = Gauge(
            "oracle_draining", "1 while paused or stopping (no new commits), else 0", registry=r
        )
        self.current_round = Gauge(
            "oracle_current_round", "The round whose commit phase chain time is in", registry=r
        )
        # Observer mode (observer.py): finalized proposals judged here, and how many of our
        # verdicts matched the final one.
        self.observer_compared = Gauge(
            "oracle_observer_compared",
            "Observer: finalized proposals judged here (the store's retention window)",
            registry=r,
        )
        self.observer_agreed = Gauge(
            "oracle_observer_agreed",
            "Observer: of those, how many of our verdicts equal the final verdict",
            registry=r,
        )
        self.tick_seconds = Histogram(
            "oracle_tick_seconds",
            "Seconds per engine pass (reveal, commit, judge, finalize, settle, claim)",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
            registry=r,
        )
        self.tx_events = Counter(
            "oracle_tx_manager_events",
            "Transaction manager events: bump (re-priced), fee_cap (a bump the cap refused), "
            "gap_fill (a lost nonce filled)",
            ["event"],
            registry=r,
        )
        self.tx_in_flight = Gauge(
            "oracle_tx_in_flight", "Transactions sent by the manager and not mined yet", registry=r
        )
        self.tx_oldest_pending_blocks = Gauge(
            "oracle_tx_oldest_pending_blocks",
            "Blocks the oldest transaction in flight has waited since first sent (0: none)",
            registry=r,
        )
        self.signer_balance = Gauge(
            "oracle_signer_balance_wei", "ETH balance of the hot signer key", registry=r
        )
        self.signer_balance_needed = Gauge(
            "oracle_signer_balance_needed_wei",
            "What the signer needs for 10 rounds of votes at the current fees",
            registry=r,
        )
        self.slashes = Counter(
            "oracle_slashes",
            "Slashes of this validator's operator seen on chain, by reason",
            ["reason"],
            registry=r,
        )
        self.rewards_claimed = Counter(
            "oracle_rewards_claimed_wei",
            "Wei this validator claimed (rewards, bounties)",
            registry=r,
        )
        for v in Verdict:
            self.verdicts.labels(verdict=v.name.lower())
