"""The validator's work loop: events → verdicts → commit → reveal → finalize → settle → claim.

Every step is driven by chain state plus the local store, so the loop can be
stopped at any point (crash, kill -9) and restarted: each tick re-derives what
is due from (round timing, store, on-chain ballot) and does it once.

Per round r (docs/protocol.md): commit in [genesis + rD, genesis + (r+1)D),
reveal in [genesis + (r+1)D, genesis + (r+1)D + R); finalize after the reveal
(or early once decided); settle once nothing of the round is pending.

Phases are judged on chain time: the timestamp of the latest block seen, never the host's
clock (duty_phases.py, docs/validator.md "Chain time"). Refusals are decoded once into an
outcome (oracle/chain/revert_outcome.py). SIGTERM and pause enter a drain (drain.py).

Each duty decides in its own module (duties/: a snapshot in, actions out) and this engine
only wires them in `tick`; inference runs on the judge worker's thread (judge_worker.py), so
no tick waits on the model. Every vote transaction (commit, reveal, finalize, settle, claim)
goes through the transaction manager (oracle/chain/tx_manager.py): sent without waiting, its
outcome read once per block (the `transactions` step) and handed to the duty that sent it;
commits and reveals are priced for their deadlines.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from eth_account.signers.local import LocalAccount

from oracle.chain.chain_clock import BlockPace, SeenBlock, poll_delay
from oracle.chain.client import OracleClient
from oracle.chain.errors import InsufficientFunds
from oracle.chain.events import ChainEvent
from oracle.chain.retry import is_transient
from oracle.chain.round_clock import RoundClock, RoundTiming
from oracle.chain.rpc import wait_for_rpc
from oracle.chain.sender import TxSender
from oracle.chain.slashing import SlashReason
from oracle.chain.tx_attempts import Attempt
from oracle.chain.tx_manager import TxManager
from oracle.relay.relayer import Relayer
from oracle.validator.ballot_state import OPEN_STATES, BallotState
from oracle.validator.doppelganger import CheckState, DoppelgangerCheck
from oracle.validator.drain import (
    DrainControl,
    DrainStatus,
    Mode,
    commits_allowed,
    drain_status,
    should_exit,
    worst_case_drain_s,
)
from oracle.validator.duties.claim import ClaimDuty
from oracle.validator.duties.commit import CommitDuty
from oracle.validator.duties.finalize import FinalizeDuty
from oracle.validator.duties.prune import PruneDuty
from oracle.validator.duties.recover import RecoverDuty
from oracle.validator.duties.reveal import RevealDuty
from oracle.validator.duties.settle import SettleDuty
from oracle.validator.duties.vote_duty import VoteOffers
from oracle.validator.engine_knobs import EngineKnobs
from oracle.validator.funds import ShortfallLog
from oracle.validator.judge import Judge
from oracle.validator.judge_worker import JudgeWorker
from oracle.validator.metrics import Metrics
from oracle.validator.observer import Agreement
from oracle.validator.signed_verdicts import VerdictPublisher
from oracle.validator.step_errors import StepErrorLog
from oracle.validator.store import Store
from oracle.validator.store_identity import StoreIdentity
from oracle.validator.submitted_proposal import SubmittedProposal
from oracle.validator.tx_intents import parse_intent

log = logging.getLogger(__name__)


class StepsFailed(RuntimeError):
    """Some steps of a tick failed (each logged); the others ran."""

    def __init__(self, steps: list[str]) -> None:
        super().__init__(f"tick steps failed: {', '.join(steps)}; the others ran")
        self.steps = steps


EVENTS = ("ProposalSubmitted", "ProposalFinalized", "ProposalRolled", "VotesRevealed", "Slashed")


class Engine:
    def __init__(
        self,
        *,
        client: OracleClient,
        store: Store,
        judge: Judge,
        signer: LocalAccount,
        operator: str,
        sender: TxSender,
        operator_sender: TxSender | None = None,
        metrics: Metrics | None = None,
        config: EngineKnobs | None = None,
        relay: VoteOffers | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.judge = judge
        self.signer = signer
        self.operator = client.w3.to_checksum_address(operator)
        self.sender = sender
        self.operator_sender = operator_sender
        self.metrics = metrics or Metrics()
        self.config = config or EngineKnobs()
        self.relay = relay
        # Set by the service once the engine exists: it sends through this engine's
        # transaction manager (the signer key's nonces), so it cannot be built before it.
        self.relayer: Relayer | None = None
        self.reader = client.event_reader(*EVENTS, confirmations=self.config.confirmations)
        rpc_url = str(getattr(client.w3.provider, "endpoint_uri", "rpc_url"))
        t0 = wait_for_rpc(
            rpc_url,
            lambda: client.round_timing(0),
            timeout_s=self.config.startup_timeout_s,
            what="the round timing",
        )
        self.clock = RoundClock.from_timing(0, t0)
        # Timestamps or block numbers (ERC-6372): what `seen.now` and every round time read.
        self.clock_mode = wait_for_rpc(
            rpc_url, client.clock_mode, timeout_s=self.config.startup_timeout_s, what="the clock"
        )
        # Before anything reads the store: its rows must be this deployment's (or refuse).
        self.store.bind(
            wait_for_rpc(
                rpc_url,
                self._store_identity,
                timeout_s=self.config.startup_timeout_s,
                what="the deployment block",
            ),
            chain_payload_hash=lambda pid: client.payload_hashes([pid])[pid],
        )
        # Chain time: the latest block seen (never moves back) and the pace of blocks.
        self.seen = SeenBlock(0, 0, self.clock_mode)
        self._seen_at = time.monotonic()  # host clock (scheduling only) when `seen` was first read
        self.pace = BlockPace()
        self.drain = DrainControl()
        # Set by the service (service.py): new commits wait until the window has passed with
        # no transaction from the signer that this process did not send (doppelganger.py).
        self.doppelganger: DoppelgangerCheck | None = None
        self.drained = threading.Event()  # set once a stopping drain is done
        self.last_tick_ok = False
        self.last_tick_ok_at: float | None = None  # monotonic time of the last clean tick
        # Monotonic time the loop began or last finished a tick (clean or not): /health's
        # wedge check (liveness.py).
        self.loop_beat_at: float | None = None
        self._stop = threading.Event()
        self._tick_now = threading.Event()  # set by the judge worker: new verdicts to seal
        # The duties (duties/): each decides purely; its executor keeps its own schedule.
        self.commit_duty = CommitDuty(self)
        self.reveal_duty = RevealDuty(self)
        self.recover_duty = RecoverDuty(self)
        self.finalize_duty = FinalizeDuty(self)
        self.settle_duty = SettleDuty(self)
        self.claim_duty = ClaimDuty(self)
        self.prune_duty = PruneDuty(self)
        # Inference on its own thread (judge_worker.py): the tick never waits on the model.
        self.judging = JudgeWorker(
            store=store,
            judge=judge,
            client=client,
            metrics=self.metrics,
            batch=self.config.judge_batch,
            idle_wait_s=self.config.poll_interval_s,
            on_judged=self._tick_now.set,
        )
        self._shortfalls = ShortfallLog(log, signer.address)
        self._step_errors = StepErrorLog(log)
        # Its signed verdicts, served on the API (GET /verdicts) for peers' watchers.
        self.verdicts = VerdictPublisher(client, store, signer, self.timing, self.now)
        # Non-blocking sends: one manager per key, sharing the key's nonces with its blocking
        # sender, its attempts persisted in the (bound) store.
        self.tx = self._tx_manager(sender)
        self.operator_tx = (
            None
            if operator_sender is None
            else self.tx
            if operator_sender is sender
            else self._tx_manager(operator_sender)
        )

    def _tx_manager(self, sender: TxSender) -> TxManager:
        def count(event: str) -> None:
            self.metrics.tx_events.labels(event=event).inc()

        return TxManager(
            sender,
            self.store,
            policy=self.config.fee_policy(),
            on_event=count,
            on_orphan=self._orphan_result,
            clock=self.clock_mode,
        )

    def _orphan_result(self, a: Attempt) -> None:
        """The outcome of a vote transaction sent before a restart (its callback died with
        the old process): handed to the duty that sent it, as its callback would have been."""
        intent = parse_intent(a.intent)
        r = intent.round
        if r is None:
            return  # a claim or a nonce filler: nothing to record
        if intent.kind == "finalize":
            self.finalize_duty.finalized(r, a)
            return
        b = self.store.ballot(r)
        if b is None:
            return
        if intent.kind == "commit":
            self.commit_duty.outcome(b, self.timing(r), a)
        elif intent.kind == "reveal":
            self.reveal_duty.outcome(b, self.timing(r), a)
        elif intent.kind == "settle":
            verdicts = b"" if b.state is BallotState.MISSED else b.verdicts
            self.settle_duty.settled(r, verdicts, a)

    def _store_identity(self) -> StoreIdentity:
        block = self.client.deployment.deployed_block
        return StoreIdentity(
            chain_id=self.client.chain_id,
            oracle=self.client.address,
            deployed_block=block,
            deployed_block_hash="0x" + bytes(self.client.w3.eth.get_block(block)["hash"]).hex(),
            operator=self.operator,
        )

    # --------------------------------------------------------------- timing

    @property
    def genesis(self) -> int:
        return self.clock.genesis

    @property
    def round_duration(self) -> int:
        return self.clock.round_duration

    @property
    def reveal_duration(self) -> int:
        return self.clock.reveal_duration

    def timing(self, r: int) -> RoundTiming:
        return self.clock.timing(r)

    @property
    def last_block(self) -> int:
        return self.seen.number

    def now(self) -> int:
        """Chain time on the oracle's clock: the latest seen block's timestamp, or its number
        under the block clock (0 before the first tick)."""
        return self.seen.now

    def observe_head(self) -> SeenBlock:
        """Read the latest block; chain time moves to it unless it is older than one seen
        (a node behind a load balancer): decisions never go back in chain time."""
        block = self.client.w3.eth.get_block("latest")
        base_fee = block.get("baseFeePerGas")
        head = SeenBlock(
            int(block["number"]),
            int(block["timestamp"]),
            self.clock_mode,
            None if base_fee is None else int(base_fee),
        )
        if head.number > self.seen.number:
            self._seen_at = time.monotonic()
        if head.number >= self.seen.number:
            self.seen = head
        self.pace.observe(head)
        self.metrics.last_block.set(self.seen.number)
        self.metrics.chain_time.set(self.seen.timestamp)
        return self.seen

    def current_round(self, now: int) -> int:
        return self.clock.current_round(now)

    # ----------------------------------------------------------------- loop

    def run(self, stop: threading.Event | None = None) -> None:
        """Tick until `stop` is set or a stopping drain is done (then the thread ends); the
        judge worker runs alongside and stops with the loop."""
        stop = stop or self._stop
        self.judging.start()
        self.loop_beat_at = time.monotonic()
        try:
            while not stop.is_set() and not self.drained.is_set():
                self.tick_safely()
                self.loop_beat_at = time.monotonic()
                if self.drained.is_set():
                    break
                # The next tick after a poll interval (longer while the next block cannot
                # have come yet), or at once when the judge worker has stored verdicts.
                self._tick_now.wait(self.next_poll_s())
                self._tick_now.clear()
        finally:
            self.judging.stop()

    def next_poll_s(self) -> float:
        """Until the next tick: no head reads while the next block cannot have come yet."""
        poll = self.config.poll_interval_s
        if not self.pace.measured:
            return poll
        return poll_delay(time.monotonic() - self._seen_at, self.pace.typical_gap(), poll)

    def stop(self) -> None:
        self._stop.set()
        self._tick_now.set()  # out of the wait between ticks now

    def tick_safely(self) -> None:
        try:
            self.tick()
            self.last_tick_ok = True
            self.last_tick_ok_at = time.monotonic()
            self._step_errors.succeeded("tick")
        except StepsFailed:
            self.last_tick_ok = False  # each step's failure is already logged (step_errors.py)
        except Exception as exc:
            self.last_tick_ok = False
            if is_transient(exc):
                self.metrics.rpc_errors.inc()
                message = f"chain unreachable ({type(exc).__name__}); will retry"
                self._step_errors.failed("tick", exc, message=message)
            else:
                self._step_errors.failed("tick", exc)

    def tick(self) -> None:
        """One pass; deadline-bound work (reveal, commit) first, the rest after.

        A step that fails is logged and the later steps still run: one stuck round (a
        reveal that keeps reverting) must not starve finalize, settle and claim.
        An unreachable chain aborts the pass, since every later step would fail too.
        """
        steps: list[tuple[str, float]] = []
        failed: list[str] = []
        started = last = time.perf_counter()

        def step(name: str, fn: Callable[..., Any], *args: Any) -> None:
            nonlocal last
            try:
                fn(*args)
                self._step_errors.succeeded(name)
            except InsufficientFunds as exc:
                # Not a bug: the key needs ETH. One line (rate-limited), no traceback.
                failed.append(name)
                self._shortfalls.note(exc, name, self.client.w3)
            except Exception as exc:
                if is_transient(exc):
                    raise
                failed.append(name)
                self._step_errors.failed(name, exc)  # the traceback once, then a count
            now_pc = time.perf_counter()
            steps.append((name, now_pc - last))
            last = now_pc

        seen = self.observe_head()
        step("transactions", self.check_transactions, seen)
        cursor = self.store.get_cursor("events")
        if cursor is None or cursor < seen.number - self.reader.confirmations:
            step("ingest", self.ingest, seen.number)  # not when no block came since
        cr = self.current_round(seen.now)
        mode = self.drain.mode
        self.metrics.current_round.set(cr)
        if self.config.observer:
            # Judge and compare; no duty that sends a transaction runs (observer.py).
            if self.judge.ready:
                self.judging.wake()
            if mode is Mode.RUNNING:
                step("prune", self.prune_duty.run, cr)
            step("observe", self.observe)
        else:
            self._vote_duties(step, seen, cr, mode)

        step("drain", self.report_drain, mode)
        total = time.perf_counter() - started
        self.metrics.tick_seconds.observe(total)
        if total > max(2.0, self.round_duration / 4):
            # A slow pass risks missed phases: say where the time went.
            log.warning(
                "slow tick %.1fs: %s",
                total,
                ", ".join(f"{n} {d:.1f}s" for n, d in steps if d > 0.05),
            )
        if failed:
            raise StepsFailed(failed)

    def _vote_duties(self, step: Callable[..., None], seen: SeenBlock, cr: int, mode: Mode) -> None:
        """The duties of a voting validator, deadline-bound ones (reveal, commit) first."""
        now = seen.now
        step("doppelganger", self.watch_for_doppelganger)
        if not self.may_send():
            # A twin holds this key, or the window is still watching for one: a finalize,
            # a claim or a recovered reveal would take a nonce the other process expects,
            # and the sender's next nonce would then count its transactions as ours. Only
            # stored ballots (this node's own) reveal while watching; the worker judges.
            if self.doppelganger is not None and self.doppelganger.state is CheckState.WATCHING:
                step("reveal", self.reveal_duty.run, seen)
            if self.judge.ready:
                self.judging.wake()
            return
        # Stored ballots reveal without the model: a restarted validator reveals at once.
        step("reveal", self.reveal_duty.run, seen)
        if self.judge.ready:
            if self.may_commit():
                step("commit", self.commit_duty.run, cr, seen)
            step("recover", self.recover_and_reveal, cr, seen)
            # Never inference here: the judge worker takes the backlog (and whatever commit
            # and recover just asked for) on its own thread; they seal on a later tick.
            self.judging.wake()
        if self.relayer is not None:
            step("relay", self.relayer.flush, now)
        # Sent without waiting (the transaction manager): none of these delays a reveal, and
        # a reveal queued behind one lifts its fee (tx_manager.py).
        step("finalize", self.finalize_duty.run, cr, now)
        step("settle", self.settle_duty.run, now)
        if mode is Mode.RUNNING:
            # Not while draining: a claim's transaction would only delay the exit.
            step("claim", self.claim_duty.run)
            step("prune", self.prune_duty.run, cr)

    def observe(self) -> Agreement:
        """Observer mode: compare our verdicts with the final ones (metrics and /status)."""
        agreement = Agreement.of(self.store.outcome_pairs())
        self.metrics.observer_compared.set(agreement.compared)
        self.metrics.observer_agreed.set(agreement.agreed)
        return agreement

    def check_transactions(self, seen: SeenBlock) -> None:
        """The managers' once-per-block look at what they have in flight (outcomes go to the
        duties' callbacks)."""
        managers = {id(m): m for m in (self.tx, self.operator_tx) if m is not None}
        for m in managers.values():
            m.on_block(seen.number, seen.timestamp, seen.base_fee)
        self.metrics.tx_in_flight.set(sum(len(m.in_flight()) for m in managers.values()))
        oldest = max(m.oldest_pending_blocks() for m in managers.values()) if managers else 0
        self.metrics.tx_oldest_pending_blocks.set(oldest)

    # --------------------------------------------------------------- events

    def ingest(self, head: int | None = None) -> None:
        """Store the oracle's events up to `head` (the tick's seen block; the node's latest
        when not given) less the confirmations."""
        cursor = self.store.get_cursor("events")
        # Once per ingest, from the seen block when there is one: no request of its own (the
        # soak counted two eth_blockNumber a block when each read and the loop asked).
        safe = self.reader.safe_head(head)
        while True:
            events, new_cursor = self.reader.read(cursor, safe_head=safe)
            # A chunk's events and the cursor past them commit together: a failure (or a
            # kill) anywhere in the chunk leaves neither, and the chunk is read again.
            with self.store.transaction():
                added = sum(self._apply(ev) for ev in events)
                if new_cursor is not None and new_cursor != cursor:
                    self.store.set_cursor("events", new_cursor)
            self.metrics.proposals_seen.inc(added)
            if new_cursor == cursor or new_cursor is None:
                break
            if new_cursor >= safe:
                break
            cursor = new_cursor

    def _apply(self, ev: ChainEvent) -> bool:
        """Store one event (inside ingest's transaction); True for a newly seen proposal."""
        a = ev.args
        if ev.name == "ProposalSubmitted":
            return self.store.add_proposal(SubmittedProposal.from_event(ev))
        elif ev.name == "ProposalRolled":
            self.store.set_rolled(int(a["id"]), int(a["toRound"]))
        elif ev.name == "ProposalFinalized":
            self.store.set_final(int(a["id"]), int(a["status"]), int(a["verdict"]), int(a["round"]))
        elif ev.name == "VotesRevealed" and a["validator"] == self.operator:
            r = int(a["round"])
            if self.store.ballot(r) is None:
                # Our own reveal, but no local ballot (lost database): keep what settling needs.
                onchain = self.client.ballot_of(r, self.operator)
                ids = self.client.round_proposals(r)
                self.store.save_ballot(
                    r, ids, bytes(a["verdicts"]), b"\x00" * 32, onchain.commitment
                )
                state = BallotState.SETTLED if onchain.settled else BallotState.REVEALED
                self.store.set_ballot_state(r, state)
        elif ev.name == "Slashed" and a["validator"] == self.operator:
            reason = SlashReason(int(a["reason"])).label
            self.metrics.slashes.labels(reason=reason).inc()
            log.warning("operator %s slashed %d wei (%s)", self.operator, int(a["amount"]), reason)
        return False

    # ---------------------------------------------------------------- duties
    # Each duty decides in its own module (duties/), purely; these run its executor.

    def commit_due(self, cr: int, seen: SeenBlock) -> None:
        self.commit_duty.run(cr, seen)

    def recover_and_reveal(self, cr: int, seen: SeenBlock) -> None:
        """Rebuild lost ballots, and reveal what was rebuilt in the same pass: after a lost
        database the model load and re-judging leave little of the reveal phase."""
        if self.recover_duty.run(cr, seen.now):
            self.reveal_duty.run(seen)

    def claim(self) -> int:
        """Claim the operator's rewards now (the API's /admin/claim); the wei claimed."""
        return self.claim_duty.claim()

    def watch_for_doppelganger(self) -> None:
        """One nonce reading per tick while the start-up window runs (none after it)."""
        check = self.doppelganger
        if check is None or check.state is not CheckState.WATCHING:
            return
        if check.poll() is CheckState.TWIN:
            log.error("not committing: %s", check.evidence)  # once: TWIN is final

    def may_send(self) -> bool:
        """Every duty may send: no doppelganger window running, none found (doppelganger.py).
        While watching only stored reveals go out; once a twin is found, nothing."""
        return self.doppelganger is None or self.doppelganger.state is CheckState.CLEAR

    def may_commit(self) -> bool:
        """New commits go out only when running (not draining) and no doppelganger is
        suspected: a twin with this key would make one of the two reveals fail."""
        if self.config.observer or not commits_allowed(self.drain.mode):
            return False
        return self.doppelganger is None or self.doppelganger.state is CheckState.CLEAR

    # ---------------------------------------------------------------- drain

    def open_ballots(self) -> DrainStatus:
        """The ballots that may still owe a reveal, and the earliest reveal deadline."""
        return drain_status((b.round for b in self.store.ballots_in(OPEN_STATES)), self.clock)

    def report_drain(self, mode: Mode) -> DrainStatus:
        """Open ballots and the next reveal deadline, into the metrics; a stopping drain with
        nothing left open ends the loop (run) and says so."""
        status = self.open_ballots()
        self.metrics.unrevealed_ballots.set(status.open_ballots)
        self.metrics.next_reveal_deadline.set(status.next_reveal_deadline or 0)
        self.metrics.draining.set(0 if mode is Mode.RUNNING else 1)
        if should_exit(mode, status) and not self.drained.is_set():
            log.warning("drained: no committed ballot left to reveal; safe to stop")
            self.drained.set()
        return status

    # ----------------------------------------------------------- reporting

    def worst_case_drain_s(self) -> int:
        """What a drain can take at most, in seconds (drain.py)."""
        return worst_case_drain_s(self.clock, self.clock_mode, self.pace.interval())

    def status(self) -> dict[str, Any]:
        drain = self.open_ballots()
        return {
            "validator": self.operator,
            "signer": self.signer.address,
            "last_block": self.last_block,
            # Chain time (the latest block seen) and the block interval measured from it.
            "chain_time": self.seen.timestamp,
            # The oracle's clock (ERC-6372) and the seen block on it: round times in /status
            # (next_reveal_deadline) are readings of it.
            "clock_mode": self.clock_mode.name.lower(),
            "chain_clock": self.seen.now,
            "block_interval_s": round(self.pace.interval(), 3),
            "mode": self.drain.mode.value,
            "unrevealed_ballots": drain.open_ballots,
            "next_reveal_deadline": drain.next_reveal_deadline,
            # What a drain can take at most: the TimeoutStopSec a service manager must allow.
            "drain_worst_case_s": self.worst_case_drain_s(),
            "chain_ok": self.last_tick_ok,
            # Proposals in the batch the judge worker is running now (0: idle).
            "judging": len(self.judging.judging),
            "model_hash": getattr(self.judge.pipeline, "model_hash", None),
            # Every pinned model held (default first): proposals pinned elsewhere are abstained.
            "model_hashes": self.judge.held_hashes,
            **self.store.counts(),
            **({"observer": self.observe().as_json()} if self.config.observer else {}),
        }


StopFn = Callable[[], bool]
