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
Every vote transaction (commit, reveal, finalize, settle, claim) goes through the
transaction manager (oracle/chain/tx_manager.py): sent without waiting, its outcome read
once per block; commits and reveals are priced for their deadlines.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from oracle.chain.chain_clock import BlockPace, SeenBlock
from oracle.chain.client import OracleClient
from oracle.chain.commitment import round_list_hash, seal_ballot
from oracle.chain.errors import InsufficientFunds, TxReverted
from oracle.chain.events import ChainEvent
from oracle.chain.gas_cap import fitting_prefix
from oracle.chain.retry import is_transient
from oracle.chain.revert_outcome import Duty, Outcome, classify
from oracle.chain.round_clock import RoundClock, RoundTiming
from oracle.chain.rpc import wait_for_rpc
from oracle.chain.sender import TxSender
from oracle.chain.slashing import SlashReason
from oracle.chain.tx_attempts import Attempt, AttemptState
from oracle.chain.tx_manager import TxManager
from oracle.chain.tx_pricing import FeePolicy, Priority
from oracle.model.labels import ABSTAIN, NUM_CLASSES, vote_label
from oracle.validator.doppelganger import CheckState, DoppelgangerCheck
from oracle.validator.drain import (
    OPEN_STATES,
    DrainControl,
    DrainStatus,
    Mode,
    commits_allowed,
    drain_status,
    should_exit,
    worst_case_drain_s,
)
from oracle.validator.duty_phases import CommitAction, RevealAction, commit_action, reveal_action
from oracle.validator.funds import ShortfallLog, need_for_rounds
from oracle.validator.judge import HASH_MISMATCH_REASON, Judge
from oracle.validator.metrics import Metrics
from oracle.validator.relay import RelayClient
from oracle.validator.settings import ValidatorSettings
from oracle.validator.signed_verdicts import VerdictPublisher
from oracle.validator.store import Store, StoredBallot
from oracle.validator.store_identity import StoreIdentity
from oracle.validator.submitted_proposal import SubmittedProposal

log = logging.getLogger(__name__)


class StepsFailed(RuntimeError):
    """Some steps of a tick failed (each logged); the others ran."""

    def __init__(self, steps: list[str]) -> None:
        super().__init__(f"tick steps failed: {', '.join(steps)}; the others ran")
        self.steps = steps


EVENTS = ("ProposalSubmitted", "ProposalFinalized", "ProposalRolled", "VotesRevealed", "Slashed")
# How far from the block a proposal was stored from its event is looked for again when
# its payload hash no longer matches the chain's: a reorg moves it by about its depth.
REFETCH_WINDOW_BLOCKS = 256


def _setting_default(name: str) -> Any:
    """The default of the validator setting `name` (settings.py, where each knob is
    documented and validated): an engine knob defaults to what validator.toml's does, so each
    default is stated once; a knob without a setting of its name fails here, at import."""
    return ValidatorSettings.model_fields[name].default


@dataclass
class ValidatorEngineConfig:
    poll_interval_s: float = _setting_default("poll_interval_s")
    confirmations: int = _setting_default("confirmations")
    judge_batch: int = _setting_default("judge_batch")
    auto_claim: bool = _setting_default("auto_claim")
    claim_min_wei: int = _setting_default("claim_min_wei")
    claim_every_s: float = _setting_default("claim_every_s")
    # TEST ONLY: vote (verdict + shift) % NUM_CLASSES instead of the pipeline's verdict, to play a
    # Byzantine validator in the e2e tests. Never set it on a real validator: it is slashed.
    byzantine_shift: int = _setting_default("byzantine_shift")
    # How long start-up chain reads wait for the RPC endpoint (see wait_for_rpc).
    startup_timeout_s: float = _setting_default("startup_timeout_s")
    # Final proposals and settled ballots older than this many rounds are pruned.
    retention_rounds: int = _setting_default("retention_rounds")
    prune_every_s: float = _setting_default("prune_every_s")
    # The transaction manager's fee policy (tx_pricing.py).
    max_fee_per_gas_gwei: float = _setting_default("max_fee_per_gas_gwei")
    fee_bump_factor: float = _setting_default("fee_bump_factor")
    fee_bump_after_blocks: int = _setting_default("fee_bump_after_blocks")

    def fee_policy(self) -> FeePolicy:
        return FeePolicy(
            max_fee_per_gas_gwei=self.max_fee_per_gas_gwei,
            bump_factor=self.fee_bump_factor,
            bump_after_blocks=self.fee_bump_after_blocks,
        )


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
        config: ValidatorEngineConfig | None = None,
        relay: RelayClient | None = None,
        relayer: Any = None,
    ) -> None:
        self.client = client
        self.store = store
        self.judge = judge
        self.signer = signer
        self.operator = client.w3.to_checksum_address(operator)
        self.sender = sender
        self.operator_sender = operator_sender
        self.metrics = metrics or Metrics()
        self.config = config or ValidatorEngineConfig()
        self.relay = relay
        self.relayer = relayer
        self.reader = client.event_reader(*EVENTS, confirmations=self.config.confirmations)
        rpc_url = str(getattr(client.w3.provider, "endpoint_uri", "rpc_url"))
        t0 = wait_for_rpc(
            rpc_url,
            lambda: client.round_timing(0),
            timeout_s=self.config.startup_timeout_s,
            what="the round timing",
        )
        self.clock = RoundClock.from_timing(0, t0)
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
        self.seen = SeenBlock(0, 0)
        self.pace = BlockPace()
        self.drain = DrainControl()
        # Set by the service (service.py): new commits wait until the window has passed with
        # no transaction from the signer that this process did not send (doppelganger.py).
        self.doppelganger: DoppelgangerCheck | None = None
        self.drained = threading.Event()  # set once a stopping drain is done
        self.last_tick_ok = False
        self.last_tick_ok_at: float | None = None  # monotonic time of the last clean tick
        self._empty_rounds: set[int] = set()  # rounds whose commit phase opened with no proposals
        self._skipped_rounds: set[int] = set()  # rounds with no stake of ours at the snapshot
        self._recovery_done: set[int] = set()  # rounds checked for a lost ballot
        self._last_claim = 0.0
        self._last_reveal_at = 0.0
        self._finalize_tried: dict[int, float] = {}
        self._finalizable_since: dict[int, float] = {}  # monotonic time a round was first due
        self._refused_rounds: set[int] = set()  # stored payload hashes differ from the chain's
        self._last_prune = 0.0
        self._settle_checked: dict[int, float] = {}
        self._stop = threading.Event()
        self._shortfalls = ShortfallLog(log, signer.address)
        # Its signed verdicts, served on the API (GET /verdicts) for peers' watchers.
        self.verdicts = VerdictPublisher(client, store, signer, self.timing, self.now)
        # Non-blocking sends (finalize, settle, claim): one manager per key, sharing the key's
        # nonces with its blocking sender, its attempts persisted in the store.
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
        )

    def _orphan_result(self, a: Attempt) -> None:
        """The outcome of a vote transaction sent before a restart (its callback died with
        the old process): handled as that callback would have."""
        kind, _, rest = a.intent.partition(":")
        r = int(rest.split(":")[0]) if rest.split(":")[0].isdigit() else None
        if r is None:
            return  # a claim or a nonce filler: nothing to record
        if kind == "finalize":
            self._finalized(r, a)
            return
        b = self.store.ballot(r)
        if b is None:
            return
        if kind == "commit":
            self._committed(b, self.timing(r), a)
        elif kind == "reveal":
            self._revealed(b, self.timing(r), a)
        elif kind == "settle":
            self._settled(r, b"" if b.state == "missed" else b.verdicts, a)

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
        """Chain time: the latest seen block's timestamp (0 before the first tick)."""
        return self.seen.timestamp

    def observe_head(self) -> SeenBlock:
        """Read the latest block; chain time moves to it unless it is older than one seen
        (a node behind a load balancer): decisions never go back in chain time."""
        block = self.client.w3.eth.get_block("latest")
        head = SeenBlock(int(block["number"]), int(block["timestamp"]))
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
        """Tick until `stop` is set or a stopping drain is done (then the thread ends)."""
        stop = stop or self._stop
        while not stop.is_set() and not self.drained.is_set():
            self.tick_safely()
            if self.drained.is_set():
                break
            stop.wait(self.config.poll_interval_s)

    def stop(self) -> None:
        self._stop.set()

    def tick_safely(self) -> None:
        try:
            self.tick()
            self.last_tick_ok = True
            self.last_tick_ok_at = time.monotonic()
        except StepsFailed as exc:
            self.last_tick_ok = False
            log.warning("%s", exc)  # each step's traceback is already logged
        except Exception as exc:
            self.last_tick_ok = False
            if is_transient(exc):
                self.metrics.rpc_errors.inc()
                log.warning("chain unreachable (%s); will retry", type(exc).__name__)
            else:
                log.exception("tick failed")

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
            except InsufficientFunds as exc:
                # Not a bug: the key needs ETH. One line (rate-limited), no traceback.
                failed.append(name)
                self._shortfalls.note(exc, name, self.client.w3)
            except Exception as exc:
                if is_transient(exc):
                    raise
                failed.append(name)
                log.exception("tick step %s failed; the other steps still run", name)
            now_pc = time.perf_counter()
            steps.append((name, now_pc - last))
            last = now_pc

        seen = self.observe_head()
        step("transactions", self.check_transactions, seen)
        step("ingest", self.ingest)
        now = seen.timestamp
        cr = self.current_round(now)
        mode = self.drain.mode
        self.metrics.current_round.set(cr)
        step("doppelganger", self.watch_for_doppelganger)
        # Stored ballots reveal without the model: a restarted validator reveals at once.
        step("reveal", self.reveal_due, seen)
        if self.judge.ready:
            if self.may_commit():
                step("commit", self.commit_due, cr, seen)
            step("recover", self.recover_and_reveal, cr, seen)
            step("judge", self.judge_unjudged)
            if self.may_commit():  # a SIGTERM may have come while judging
                step("commit", self.commit_due, cr, seen)  # what the judging just made ready
        if self.relayer is not None:
            step("relay", self.relayer.flush, now)
        step("finalize", self.finalize_due, cr, now)
        step("settle", self.settle_due, now)
        if mode is Mode.RUNNING:
            # Not while draining: a claim's transaction would only delay the exit.
            step("claim", self.claim_due)
            step("prune", self.prune_due, cr)
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

    def check_transactions(self, seen: SeenBlock) -> None:
        """The managers' once-per-block look at what they have in flight."""
        managers = {id(m): m for m in (self.tx, self.operator_tx) if m is not None}
        for m in managers.values():
            m.on_block(seen.number, seen.timestamp)
        self.metrics.tx_in_flight.set(sum(len(m.in_flight()) for m in managers.values()))

    # --------------------------------------------------------------- events

    def ingest(self) -> None:
        cursor = self.store.get_cursor("events")
        while True:
            events, new_cursor = self.reader.read(cursor)
            # A chunk's events and the cursor past them commit together: a failure (or a
            # kill) anywhere in the chunk leaves neither, and the chunk is read again.
            with self.store.transaction():
                added = sum(self._apply(ev) for ev in events)
                if new_cursor is not None and new_cursor != cursor:
                    self.store.set_cursor("events", new_cursor)
            self.metrics.proposals_seen.inc(added)
            if new_cursor == cursor or new_cursor is None:
                break
            if new_cursor >= self.reader.safe_head():
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
                self.store.set_ballot_state(r, "settled" if onchain.settled else "revealed")
        elif ev.name == "Slashed" and a["validator"] == self.operator:
            reason = SlashReason(int(a["reason"])).label
            self.metrics.slashes.labels(reason=reason).inc()
            log.warning("operator %s slashed %d wei (%s)", self.operator, int(a["amount"]), reason)
        return False

    def _judge_ids(self, ids: list[int]) -> None:
        stored = self.store.proposals(ids)
        todo = [p for p in stored.values() if p.verdict is None]
        if todo:
            self._judge(todo)

    def judge_unjudged(self) -> None:
        pending = self.store.unjudged(self.config.judge_batch)
        if pending:
            self._judge(pending)

    def _judge(self, pending: list[Any]) -> None:
        pins = self._pinned_models(pending)
        started = time.perf_counter()
        judgements = self.judge.judge(
            [(p.id, p.payload, p.payload_hash, pins[p.id]) for p in pending]
        )
        self.metrics.inference_latency.observe(time.perf_counter() - started)
        for j in judgements:
            self.metrics.verdicts.labels(verdict=vote_label(j.verdict)).inc()
            if j.reason == HASH_MISMATCH_REASON:
                self.metrics.hash_mismatches.inc()
        self.store.set_verdicts(
            [(j.proposal_id, j.verdict, j.confidence, j.reason) for j in judgements]
        )

    def _pinned_models(self, pending: list[Any]) -> dict[int, bytes]:
        """Each proposal's pinned model hash: from the store, or (a row stored before the
        column existed) from the chain, then stored."""
        pins = {p.id: p.model_hash for p in pending if p.model_hash is not None}
        missing = {p.id: self.client.proposal(p.id).model_hash for p in pending if p.id not in pins}
        if missing:
            self.store.set_model_hashes(missing)
        return {**pins, **missing}

    # ------------------------------------------------------------ ballots

    def _vote(self, verdict: int) -> int:
        if verdict == ABSTAIN:
            return ABSTAIN  # not a class: the test-only shift never turns it into a vote
        return (verdict + self.config.byzantine_shift) % NUM_CLASSES

    def _build_ballot(self, r: int, ids: list[int]) -> tuple[bytes, bytes, bytes] | None:
        """(verdicts, salt, commitment) for round r, or None while a payload is not judged yet."""
        stored = self.store.proposals(ids)
        if any(pid not in stored or stored[pid].verdict is None for pid in ids):
            return None
        verdicts = bytes(self._vote(int(stored[pid].verdict or 0)) for pid in ids)
        salt, c = seal_ballot(
            self.signer,
            chain_id=self.client.chain_id,
            oracle=self.client.address,
            round_=r,
            validator=self.operator,
            proposal_ids=ids,
            verdicts=verdicts,
        )
        return verdicts, salt, c

    def commit_due(self, cr: int, seen: SeenBlock) -> None:
        """Seal and commit round `cr` once block `seen` is in its commit phase.

        The round's list (and `roundInfo`) is read at `seen`'s number: a block of the commit
        phase exists there, so the list can no longer grow (duty_phases.py).
        """
        t = self.timing(cr)
        action = commit_action(t, seen, self.pace.interval())
        if action in (CommitAction.WAIT, CommitAction.TOO_LATE):
            return
        ballot = self.store.ballot(cr)
        if ballot is None:
            if cr in self._empty_rounds:
                return
            info = self.client.round_info(cr, block=seen.number)
            if info.size == 0:
                # The list of round cr is fixed once its commit phase opens: nothing to vote on.
                self._empty_rounds.add(cr)
                return
            if cr in self._skipped_rounds:
                return
            if self.client.stake_at(self.operator, info.snapshot) == 0:
                # The reveal would revert OracleNoStakeAtSnapshot on every tick: do not vote.
                log.warning(
                    "round %d: %s has no stake at the round's snapshot (%d); skipping the round",
                    cr,
                    self.operator,
                    info.snapshot,
                )
                self._skipped_rounds.add(cr)
                return
            ids = self.client.round_proposals(cr, block=seen.number)
            self._judge_ids(ids)  # this round's proposals jump the judging queue
            built = self._build_ballot(cr, ids)
            if built is None:
                return  # payload events not read yet; next tick
            verdicts, salt, c = built
            if round_list_hash(ids) != info.list_hash:
                log.error("round %d: local list hash differs from the contract's; not voting", cr)
                self._empty_rounds.add(cr)
                return
            if not self._payloads_match_chain(cr, ids):
                return
            # Durable before the commit transaction goes out (see store.py).
            self.store.save_ballot(cr, ids, verdicts, salt, c)
            ballot = self.store.ballot(cr)
        if ballot is not None and ballot.state == "prepared":
            if action is CommitAction.AT_RISK:
                log.warning(
                    "round %d: committing %d s before the reveal phase, within a block "
                    "(%.1f s); the commit may land too late (gas only, no stake at risk)",
                    cr,
                    t.reveal_start - seen.timestamp,
                    self.pace.interval(),
                )
            self._send_commit(ballot, t, seen)

    def _payloads_match_chain(self, r: int, ids: list[int]) -> bool:
        """Whether every stored payload hash of round r is the chain's `proposal(id).payloadHash`.

        The store's identity rules out another deployment; this catches what is left (a
        reorg deeper than `confirmations` that renumbered proposals, an edited database):
        the verdicts would be about other payloads. A differing proposal is re-read from
        its `ProposalSubmitted` event near the block it was stored from and judged again
        (the round seals on a later tick); one that cannot be found there refuses the
        round: no commit, so no slash. Either is logged once.
        """
        if r in self._refused_rounds:
            return False
        stored = self.store.proposals(ids)
        on_chain = self.client.payload_hashes(ids)
        differ = [pid for pid in ids if on_chain.get(pid) != stored[pid].payload_hash]
        if not differ:
            return True
        first, seen = differ[0], on_chain.get(differ[0])
        what = (
            f"stored payload hashes of {len(differ)} proposal(s) differ from the chain's "
            f"(proposal {first}: stored 0x{stored[first].payload_hash.hex()}, chain "
            f"{'none' if seen is None else '0x' + seen.hex()})"
        )
        refetched = [
            pid for pid in differ if self._refetch(pid, stored[pid].block, on_chain.get(pid))
        ]
        if len(refetched) == len(differ):
            log.warning("round %d: %s; re-read them from the chain to judge again", r, what)
            return False
        self._refused_rounds.add(r)
        log.error(
            "round %d: %s and %d could not be re-read; not voting this round. If it repeats, "
            "stop the validator and set db_path to a new file",
            r,
            what,
            len(differ) - len(refetched),
        )
        return False

    def _refetch(self, pid: int, near_block: int, chain_hash: bytes | None) -> bool:
        """Replace proposal `pid`'s stored payload with its chain event's; whether it could."""
        if chain_hash is None:
            return False
        head = self.reader.safe_head()
        found = [
            ev
            for ev in self.reader.find(
                "ProposalSubmitted",
                ["0x" + pid.to_bytes(32, "big").hex()],
                from_block=near_block - REFETCH_WINDOW_BLOCKS,
                to_block=min(head, near_block + REFETCH_WINDOW_BLOCKS),
            )
            if bytes(ev.args["payloadHash"]) == chain_hash
        ]
        if not found:
            return False
        self.store.replace_proposal(SubmittedProposal.from_event(found[-1]))
        return True

    def _send_commit(self, b: StoredBallot, t: RoundTiming, seen: SeenBlock) -> None:
        if self.tx.in_flight(f"commit:{b.round}"):
            return  # sent, not mined yet: its outcome comes with a later block
        onchain = self.client.ballot_of(b.round, self.operator)
        if onchain.committed:
            # Sent before a crash, or by the relayer: idempotent, just record it.
            state = "committed" if onchain.commitment == b.commitment else "missed"
            if state == "missed":
                log.error("round %d: on-chain commitment differs from the stored one", b.round)
            else:
                log.info("round %d: already committed on chain (restart, relayer)", b.round)
            self.store.set_ballot_state(b.round, state)
            return
        if self.relay is not None and self.relay.offer_commit(self, b):
            return  # the relayer submits it; the next ticks see it on chain (or fall back)
        try:
            self.tx.submit(
                f"commit:{b.round}",
                self.client.fn("commit", b.round, b.commitment),
                deadline=t.reveal_start,
                priority=Priority.DEADLINE,
                on_result=partial(self._committed, b, t),
            )
        except TxReverted as exc:
            self._commit_refused(b, exc, seen, t)

    def _committed(self, b: StoredBallot, t: RoundTiming, a: Attempt) -> None:
        """The outcome of round b.round's commit transaction (a replaced or dropped one leaves
        the ballot prepared: the next tick sends it again while the phase lasts)."""
        if a.state is AttemptState.MINED:
            self.metrics.votes_sent.labels(kind="commit").inc()
            self.store.set_ballot_state(b.round, "committed", commit_tx=a.tx_hash)
            log.info("round %d: committed %d verdicts (tx %s)", b.round, len(b.verdicts), a.tx_hash)
        elif a.state is AttemptState.REVERTED:
            self._commit_refused(b, _mined_revert(a), self.seen, t)

    def _commit_refused(
        self, b: StoredBallot, exc: TxReverted, seen: SeenBlock, t: RoundTiming
    ) -> None:
        outcome = self._vote_refused("commit", b, exc, seen, t, done_state="committed")
        if outcome is Outcome.TOO_LATE:
            log.warning("round %d: commit phase over before the commit was mined", b.round)
            self.store.set_ballot_state(b.round, "missed")
        elif outcome is Outcome.FATAL:
            log.error("round %d: commit refused (%s); not voting this round", b.round, exc)
            self.store.set_ballot_state(b.round, "missed")
        elif outcome is not Outcome.DONE:  # too early, or a view a block apart: stays prepared
            log.info("round %d: commit %s (%s); next block", b.round, outcome.value, exc)

    def _vote_refused(
        self,
        kind: Duty,
        b: StoredBallot,
        exc: TxReverted,
        seen: SeenBlock,
        t: RoundTiming,
        *,
        done_state: str,
    ) -> Outcome:
        """Count a refused commit or reveal and decode it (revert_outcome.py); one already
        on chain moves the ballot to `done_state` here. The caller handles the rest."""
        self.metrics.tx_reverts.labels(kind=kind).inc()
        outcome = classify(kind, exc, seen=seen, timing=t)
        if outcome is Outcome.DONE:
            self.store.set_ballot_state(b.round, done_state)
        return outcome

    def recover_and_reveal(self, cr: int, seen: SeenBlock) -> None:
        """Rebuild lost ballots, and reveal what was rebuilt in the same pass: after a lost
        database the model load and re-judging leave little of the reveal phase."""
        if self.recover_lost_ballots(cr, seen.timestamp):
            self.reveal_due(seen)

    def recover_lost_ballots(self, cr: int, now: int) -> int:
        """A ballot committed on chain but missing locally (lost database): rebuild it.

        The verdicts are recomputed (deterministic argmax) and the salt re-derived from
        the signer key; if they reproduce the on-chain commitment, the ballot reveals.
        Returns how many ballots were rebuilt.
        """
        rebuilt = 0
        for r in (cr - 1, cr):
            if r < 0 or r in self._recovery_done:
                continue
            t = self.timing(r)
            if now >= t.reveal_end or self.store.ballot(r) is not None:
                continue
            onchain = self.client.ballot_of(r, self.operator)
            if not onchain.committed:
                if r == cr - 1:
                    self._recovery_done.add(r)
                continue
            ids = self.client.round_proposals(r)
            self._judge_ids(ids)  # ahead of the backlog a lost database re-reads
            built = self._build_ballot(r, ids)
            if built is None:
                return rebuilt  # wait until every payload is read and judged again
            verdicts, salt, c = built
            if c != onchain.commitment:
                log.error("round %d: cannot reproduce the on-chain commitment; reveal lost", r)
                self._recovery_done.add(r)
                continue
            with self.store.transaction():
                self.store.save_ballot(r, ids, verdicts, salt, c)
                self.store.set_ballot_state(r, "revealed" if onchain.revealed else "committed")
            log.warning("round %d: ballot rebuilt from the signer key after a lost database", r)
            rebuilt += 1
        return rebuilt

    def reveal_due(self, seen: SeenBlock) -> None:
        """Reveal every committed ballot whose reveal phase block `seen` is in (duty_phases.py);
        a ballot is missed only once a block past its reveal end is seen without it."""
        interval = self.pace.interval()
        for b in self.store.ballots_in(OPEN_STATES):
            t = self.timing(b.round)
            action = reveal_action(t, seen, interval)
            if action is RevealAction.WAIT:
                continue
            if b.state == "prepared":
                onchain = self.client.ballot_of(b.round, self.operator)
                if onchain.commitment != b.commitment:
                    self.store.set_ballot_state(
                        b.round, "missed"
                    )  # never committed: nothing to reveal
                    continue
            if action is RevealAction.PHASE_OVER:
                onchain = self.client.ballot_of(b.round, self.operator)
                if onchain.revealed:
                    self.store.set_ballot_state(b.round, "revealed")
                else:
                    self.metrics.reveal_misses.inc()
                    self.store.set_ballot_state(b.round, "missed")
                    log.error("round %d: reveal phase ended before the reveal", b.round)
                continue
            if action is RevealAction.AT_RISK:
                log.warning(
                    "round %d: revealing %d s before the deadline, within a block (%.1f s); "
                    "it may land too late",
                    b.round,
                    t.reveal_end - seen.timestamp,
                    interval,
                )
            self._send_reveal(b, t, seen)

    def _send_reveal(self, b: StoredBallot, t: RoundTiming, seen: SeenBlock) -> None:
        if self.tx.in_flight(f"reveal:{b.round}"):
            return  # sent, not mined yet: re-priced for its deadline block by block
        onchain = self.client.ballot_of(b.round, self.operator)
        if onchain.revealed:
            self.store.set_ballot_state(b.round, "revealed")
            return
        if self.relay is not None and self.relay.offer_reveal(self, b, t):
            return
        try:
            self.tx.submit(
                f"reveal:{b.round}",
                self.client.fn("reveal", b.round, self.operator, b.verdicts, b.salt),
                deadline=t.reveal_end,
                priority=Priority.DEADLINE,
                on_result=partial(self._revealed, b, t),
            )
        except TxReverted as exc:
            self._reveal_refused(b, exc, seen, t)
            return
        self._last_reveal_at = time.monotonic()

    def _revealed(self, b: StoredBallot, t: RoundTiming, a: Attempt) -> None:
        """The outcome of round b.round's reveal transaction (a replaced or dropped one leaves
        the ballot committed: the next tick reveals again until the deadline block)."""
        if a.state is AttemptState.MINED:
            self.metrics.votes_sent.labels(kind="reveal").inc()
            self.store.set_ballot_state(b.round, "revealed", reveal_tx=a.tx_hash)
            self._last_reveal_at = time.monotonic()
            log.info("round %d: revealed (tx %s)", b.round, a.tx_hash)
        elif a.state is AttemptState.REVERTED:
            self._reveal_refused(b, _mined_revert(a), self.seen, t)

    def _reveal_refused(
        self, b: StoredBallot, exc: TxReverted, seen: SeenBlock, t: RoundTiming
    ) -> None:
        outcome = self._vote_refused("reveal", b, exc, seen, t, done_state="revealed")
        if outcome is Outcome.FATAL:
            # The reveal can never pass: missed, so it is settled and withdraw() unblocks.
            # (OracleNoStakeAtSnapshot: committed without stake, before that check
            # existed; settled with no stake, so no slash.)
            log.error("round %d: reveal refused (%s); it cannot pass", b.round, exc)
            self.store.set_ballot_state(b.round, "missed")
        elif outcome is not Outcome.DONE:
            # Too early or a view a block apart: again on the next block. "Too late" is
            # decided by a seen block past the deadline (reveal_due), not by one refusal.
            log.info("round %d: reveal %s (%s); next block", b.round, outcome.value, exc)

    # -------------------------------------------------- finalize and settle

    def finalize_due(self, cr: int, now: int) -> None:
        """Anyone may finalize; every validator tries, checking state first (idempotent)."""
        for r in self.store.pending_rounds(cr):
            t = self.timing(r)
            if now < t.reveal_start:
                continue
            ids = self.store.pending_in_round(r)
            if not ids:
                continue
            if now < t.reveal_end and not self._revealed_here(r):
                continue  # early finalization only once our own reveal is in
            # Validators take turns, so one finalizeMany usually does it: the stagger runs on
            # the host clock (scheduling only) from when this validator first found the round
            # due, or from its own last reveal.
            since = self._finalizable_since.setdefault(r, time.monotonic())
            if time.monotonic() < max(since, self._last_reveal_at) + self._finalize_stagger(r):
                continue
            if time.monotonic() - self._finalize_tried.get(r, 0.0) < 1.0:
                continue  # at most one attempt per round per second
            if self.tx.in_flight_like(f"finalize:{r}:"):
                continue  # sent, not mined yet: the next blocks tell
            self._finalize_tried[r] = time.monotonic()
            try:
                self._finalize_in_parts(r, ids)
            except TxReverted as exc:
                outcome = classify("finalize", exc, seen=self.seen, timing=t)
                if outcome is Outcome.DONE:
                    # Finalized by a peer first (mined after its finalizeMany, or our event
                    # view lags a block): the ProposalFinalized events update the store.
                    log.info("round %d: finalized by someone else first", r)
                elif outcome is not Outcome.TOO_EARLY:
                    self.metrics.tx_reverts.labels(kind="finalize").inc()
                    log.warning("round %d: finalize refused: %s", r, exc)

    def _finalize_in_parts(self, r: int, ids: list[int]) -> None:
        """finalizeMany(ids), in as many transactions as the per-transaction gas cap needs.

        A full round (1,024 proposals, rolls and callbacks) can need more than 2^24 gas in
        one call; each part is the largest prefix whose estimate fits (gas_cap.py).
        """
        while ids:
            part = fitting_prefix(
                ids, lambda chunk: self.sender.estimate_call(self.client.fn("finalizeMany", chunk))
            )
            self.tx.submit(
                f"finalize:{r}:{part[0]}",
                self.client.fn("finalizeMany", list(part)),
                on_result=partial(self._finalized, r),
            )
            ids = ids[len(part) :]

    def _finalized(self, r: int, a: Attempt) -> None:
        if a.state is AttemptState.MINED:
            self.metrics.votes_sent.labels(kind="finalize").inc()
        elif a.state is AttemptState.REVERTED:
            exc = _mined_revert(a)
            if classify("finalize", exc, seen=self.seen, timing=self.timing(r)) is Outcome.DONE:
                log.info("round %d: finalized by someone else first", r)
            else:
                self.metrics.tx_reverts.labels(kind="finalize").inc()
                log.warning("round %d: finalize reverted on chain: %s", r, a.error)

    def _finalize_stagger(self, r: int) -> float:
        """0 to 0.9 s, different per (validator, round): spreads the finalizers out."""
        return (keccak(text=f"{self.operator}:{r}")[0] % 4) * 0.3

    def _revealed_here(self, r: int) -> bool:
        b = self.store.ballot(r)
        return b is None or b.state in ("revealed", "settled", "missed")

    def settle_due(self, now: int) -> None:
        """Settle our own ballots once their round is settleable.

        Missed ballots (committed, never revealed) are settled too, with empty verdicts
        (the non-reveal slash, docs/protocol.md): `withdraw()` refuses while any committed
        ballot is unsettled, so leaving them open would lock the stake for good.
        """
        for b in self.store.ballots_in(("revealed", "missed")):
            t = self.timing(b.round)
            if now < t.reveal_end:
                continue
            if time.monotonic() - self._settle_checked.get(b.round, 0.0) < 1.0:
                continue
            if self.tx.in_flight(f"settle:{b.round}"):
                continue  # sent, not mined yet
            self._settle_checked[b.round] = time.monotonic()
            verdicts = b.verdicts
            if b.state == "missed":
                onchain = self.client.ballot_of(b.round, self.operator)
                if not onchain.committed:
                    # The commit never landed: no ballot on chain, nothing to settle.
                    self.store.set_ballot_state(b.round, "uncommitted")
                    continue
                if onchain.settled:
                    self.store.set_ballot_state(b.round, "settled")
                    continue
                # Revealed after all (by anyone holding the preimage, e.g. a relayer): the
                # stored verdicts; otherwise the non-reveal path takes empty verdicts.
                verdicts = b.verdicts if onchain.revealed else b""
            if self.client.round_info(b.round).pending:
                continue
            try:
                self.tx.submit(
                    f"settle:{b.round}",
                    self.client.fn("settle", b.round, self.operator, verdicts),
                    on_result=partial(self._settled, b.round, verdicts),
                )
            except TxReverted as exc:
                outcome = classify("settle", exc, seen=self.seen, timing=t)
                if outcome is Outcome.DONE:
                    self.store.set_ballot_state(b.round, "settled")
                    continue
                if outcome in (Outcome.TOO_EARLY, Outcome.RETRY):
                    continue  # not settleable yet, or raced: the next check decides
                self.metrics.tx_reverts.labels(kind="settle").inc()
                raise

    def _settled(self, r: int, verdicts: bytes, a: Attempt) -> None:
        """The outcome of round r's settle transaction; a refused or replaced one is tried
        again by the next settle check."""
        if a.state is AttemptState.MINED:
            self.metrics.votes_sent.labels(kind="settle").inc()
            self.store.set_ballot_state(r, "settled", settle_tx=a.tx_hash)
            if not verdicts:
                log.warning("round %d: settled our missed ballot (non-reveal slash)", r)
        elif a.state is AttemptState.REVERTED:
            exc = _mined_revert(a)
            outcome = classify("settle", exc, seen=self.seen, timing=self.timing(r))
            if outcome is Outcome.DONE:
                self.store.set_ballot_state(r, "settled")
            elif outcome is Outcome.FATAL:
                self.metrics.tx_reverts.labels(kind="settle").inc()
                log.warning("round %d: settle reverted on chain: %s", r, a.error)

    def claim_due(self) -> None:
        if time.monotonic() - self._last_claim < self.config.claim_every_s:
            return
        self._last_claim = time.monotonic()
        # On the claim's cadence (two reads): what the balance alert compares.
        self.metrics.signer_balance.set(self.client.w3.eth.get_balance(self.signer.address))
        self.metrics.signer_balance_needed.set(need_for_rounds(self.client.w3))
        if self.config.auto_claim and self.operator_tx is not None:
            self._claim_in_background()

    def _claim_in_background(self) -> None:
        """Claim through the manager (ROUTINE priority: it never outbids a vote)."""
        assert self.operator_tx is not None
        if self.operator_tx.in_flight("claim"):
            return
        amount = self.client.claimable(self.operator)
        if amount <= max(0, self.config.claim_min_wei):
            return

        def claimed(a: Attempt) -> None:
            if a.state is AttemptState.MINED:
                self.metrics.rewards_claimed.inc(amount)
                log.info("claimed %d wei", amount)

        self.operator_tx.submit(
            "claim", self.client.fn("claim"), priority=Priority.ROUTINE, on_result=claimed
        )

    def claim(self) -> int:
        """Claim the operator's rewards now and wait (the admin API); the wei claimed (0:
        nothing, or no operator key)."""
        if self.operator_sender is None:
            return 0
        amount = self.client.claimable(self.operator)
        if amount <= max(0, self.config.claim_min_wei):
            return 0
        self.client.claim(self.operator_sender)
        self.metrics.rewards_claimed.inc(amount)
        log.info("claimed %d wei", amount)
        return amount

    def prune_due(self, cr: int) -> None:
        if time.monotonic() - self._last_prune < self.config.prune_every_s:
            return
        self._last_prune = time.monotonic()
        proposals, ballots = self.store.prune(cr - self.config.retention_rounds)
        if proposals or ballots:
            log.info("pruned %d final proposals and %d settled ballots", proposals, ballots)

    def watch_for_doppelganger(self) -> None:
        """One nonce reading per tick while the start-up window runs (none after it)."""
        check = self.doppelganger
        if check is None or check.state is not CheckState.WATCHING:
            return
        if check.poll() is CheckState.TWIN:
            log.error("not committing: %s", check.evidence)  # once: TWIN is final

    def may_commit(self) -> bool:
        """New commits go out only when running (not draining) and no doppelganger is
        suspected: a twin with this key would make one of the two reveals fail."""
        if not commits_allowed(self.drain.mode):
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

    def status(self) -> dict[str, Any]:
        drain = self.open_ballots()
        return {
            "validator": self.operator,
            "signer": self.signer.address,
            "last_block": self.last_block,
            # Chain time (the latest block seen) and the block interval measured from it.
            "chain_time": self.seen.timestamp,
            "block_interval_s": round(self.pace.interval(), 3),
            "mode": self.drain.mode.value,
            "unrevealed_ballots": drain.open_ballots,
            "next_reveal_deadline": drain.next_reveal_deadline,
            # What a drain can take at most: the TimeoutStopSec a service manager must allow.
            "drain_worst_case_s": worst_case_drain_s(self.clock),
            "chain_ok": self.last_tick_ok,
            "model_hash": getattr(self.judge.pipeline, "model_hash", None),
            # Every pinned model held (default first): proposals pinned elsewhere are abstained.
            "model_hashes": self.judge.held_hashes,
            "byzantine_shift": self.config.byzantine_shift,
            **self.store.counts(),
        }


def _mined_revert(a: Attempt) -> TxReverted:
    """A transaction that mined and reverted, as the estimate would have raised it: the
    decoding (revert_outcome.py) is the same for both."""
    return TxReverted(
        f"transaction {a.tx_hash} reverted on chain: {a.error or 'no reason'}",
        error=a.error,
        tx_hash=a.tx_hash,
        data=a.revert_data,
    )


StopFn = Callable[[], bool]
