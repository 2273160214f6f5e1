"""Judging off the deadline path: one worker thread runs the model, the engine's tick never
waits on it.

Inference (up to `judge_batch` payloads a batch) takes seconds on a CPU; on the engine's
thread it delayed reveals. The tick only feeds the worker: `prioritize(ids)` (a round about
to be sealed, a lost ballot being rebuilt: ahead of the backlog) and `wake()`. The worker
takes the next batch (`pick_batch`, pure), judges it and writes the verdicts to the store
from its own thread (each thread has its own SQLite connection). A verdict is written only
if the proposal's payload is still the one judged (a refetch may have replaced it). A batch
still running when the worker stops is not written: it is simply judged again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from oracle.chain.client import OracleClient
from oracle.chain.retry import is_transient
from oracle.model.labels import vote_label
from oracle.validator.judge import HASH_MISMATCH_REASON, Judge
from oracle.validator.metrics import Metrics
from oracle.validator.store import Store, StoredProposal

log = logging.getLogger(__name__)

# The longest pause between two tries after judging failed (a chain read, the store).
ERROR_BACKOFF_CAP_S = 10.0


def pick_batch(priority: Sequence[int], backlog: Sequence[int], limit: int) -> list[int]:
    """Up to `limit` unjudged ids, each once: the prioritized alone while there are any (a
    round waiting to be sealed or rebuilt must not wait for a full batch of the backlog: after
    a lost database that backlog is every proposal since the deployment), else the backlog's."""
    out: list[int] = []
    for pid in priority or backlog:
        if len(out) >= limit:
            break
        if pid not in out:
            out.append(pid)
    return out


class JudgeWorker:
    def __init__(
        self,
        *,
        store: Store,
        judge: Judge,
        client: OracleClient,
        metrics: Metrics,
        batch: int,
        idle_wait_s: float,
        on_judged: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.judge = judge
        self.client = client
        self.metrics = metrics
        self.batch = batch
        self.idle_wait_s = idle_wait_s
        # Called after each batch's verdicts are stored: the engine ticks at once, so a round
        # seals (or a lost ballot is rebuilt and revealed) without waiting a poll interval.
        self.on_judged = on_judged
        self._priority: list[int] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.judging: tuple[int, ...] = ()  # the ids of the batch in progress (for /status)

    # ------------------------------------------------------------- feeding

    def prioritize(self, ids: Iterable[int]) -> None:
        """Judge these next (the tick's `wake` after its duties starts the batch)."""
        with self._lock:
            self._priority.extend(pid for pid in ids if pid not in self._priority)

    def wake(self) -> None:
        self._wake.set()

    # ----------------------------------------------------------- lifecycle

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="judge-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the worker; a batch still running is left to finish unwritten (a daemon
        thread: it never holds up the exit)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        """One batch per wake. The tick wakes the worker after the commit and recover duties
        have asked for their rounds (`prioritize`), so a batch is always chosen after them:
        the worker never starts on the backlog on its own, e.g. the moment the model loads,
        while a lost ballot's round waits."""
        failures = 0
        while not self._stop.is_set():
            if not self._wake.wait(self.idle_wait_s):
                continue
            self._wake.clear()
            if self._stop.is_set() or not self.judge.ready:
                continue
            try:
                if self._judge_batch(drop_if_stopped=True) and self.on_judged is not None:
                    self.on_judged()
                failures = 0
            except Exception as exc:
                failures += 1
                if is_transient(exc):
                    what = type(exc).__name__
                    log.warning("judging: chain unreachable (%s); will retry", what)
                else:
                    log.exception("judging failed; retrying")
                # Backing off: a lasting failure is logged every few seconds, not every tick.
                pause = self.idle_wait_s * 2 ** min(failures, 16)  # exponent capped: no overflow
                self._stop.wait(min(ERROR_BACKOFF_CAP_S, pause))

    # ---------------------------------------------------------------- work

    def judge_once(self) -> int:
        """Judge one batch on the calling thread and store its verdicts; how many (tests, and
        a caller without the thread)."""
        return self._judge_batch(drop_if_stopped=False)

    def _judge_batch(self, *, drop_if_stopped: bool) -> int:
        pending = self._next_batch()
        if not pending:
            return 0
        self.judging = tuple(p.id for p in pending)
        try:
            pins = self._pinned_models(pending)
            started = time.perf_counter()
            judgements = self.judge.judge(
                [(p.id, p.payload, p.payload_hash, pins[p.id]) for p in pending]
            )
            self.metrics.inference_latency.observe(time.perf_counter() - started)
            if drop_if_stopped and self._stop.is_set():
                return 0  # stopped meanwhile: judged again at the next start
            for j in judgements:
                self.metrics.verdicts.labels(verdict=vote_label(j.verdict)).inc()
                if j.reason == HASH_MISMATCH_REASON:
                    self.metrics.hash_mismatches.inc()
            self.store.set_verdicts(
                [(j.proposal_id, j.verdict, j.confidence, j.reason) for j in judgements],
                payload_hashes={p.id: p.payload_hash for p in pending},
            )
        finally:
            self.judging = ()
        with self._lock:
            done = {p.id for p in pending}
            self._priority = [pid for pid in self._priority if pid not in done]
        return len(pending)

    def _next_batch(self) -> list[StoredProposal]:
        with self._lock:
            priority = list(self._priority)
        stored = self.store.proposals(priority)
        wanted = [pid for pid in priority if pid in stored and stored[pid].verdict is None]
        with self._lock:  # judged already, or not stored (yet): not asked for again
            self._priority = [pid for pid in self._priority if pid in wanted or pid not in priority]
        backlog: dict[int, StoredProposal] = (
            {} if wanted else {p.id: p for p in self.store.unjudged(self.batch)}
        )
        ids = pick_batch(wanted, list(backlog), self.batch)
        return [stored[pid] if pid in stored else backlog[pid] for pid in ids]

    def _pinned_models(self, pending: list[StoredProposal]) -> dict[int, bytes]:
        """Each proposal's pinned model hash: from the store, or (a row stored before the
        column existed) from the chain, then stored."""
        pins = {p.id: p.model_hash for p in pending if p.model_hash is not None}
        missing = {p.id: self.client.proposal(p.id).model_hash for p in pending if p.id not in pins}
        if missing:
            self.store.set_model_hashes(missing)
        return {**pins, **missing}
