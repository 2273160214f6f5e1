"""Payload bytes in, verdicts out: the hash check, then the verdict pipeline in batches.

A payload whose bytes do not hash to the on-chain `payloadHash` is never shown
to the pipeline: it is reported (reason, metric) and judged `malformed`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

from eth_utils import keccak

from oracle.model.labels import Verdict

log = logging.getLogger(__name__)

HASH_MISMATCH_REASON = "payload bytes do not match the on-chain payload hash"


class Pipeline(Protocol):
    model_hash: str

    def judge_payloads(self, payloads: list[bytes]) -> list[Any]: ...


@dataclass(frozen=True)
class Judgement:
    proposal_id: int
    verdict: int
    confidence: float
    reason: str


class Judge:
    """Holds the pipeline; it may arrive later (`set_pipeline`), loaded in the background,
    so a restarted validator reveals its stored ballots before the model is even loaded."""

    def __init__(self, pipeline: Pipeline | None, *, batch_size: int = 256) -> None:
        self.pipeline = pipeline
        self.batch_size = batch_size
        self.last_batch_s = 0.0
        self.load_error: str | None = None

    @property
    def ready(self) -> bool:
        return self.pipeline is not None

    def set_pipeline(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def judge(self, items: list[tuple[int, bytes, bytes]]) -> list[Judgement]:
        """items: (proposal id, payload bytes, on-chain payload hash) each; order is kept."""
        if self.pipeline is None:
            raise RuntimeError("the model is not loaded yet")
        pipeline = self.pipeline
        out: dict[int, Judgement] = {}
        to_model: list[tuple[int, bytes]] = []
        for pid, payload, expected_hash in items:
            if keccak(payload) != bytes(expected_hash):
                log.warning("proposal %d: %s; voting malformed", pid, HASH_MISMATCH_REASON)
                out[pid] = Judgement(pid, int(Verdict.MALFORMED), 1.0, HASH_MISMATCH_REASON)
            else:
                to_model.append((pid, payload))
        for i in range(0, len(to_model), self.batch_size):
            chunk = to_model[i : i + self.batch_size]
            started = time.perf_counter()
            results = pipeline.judge_payloads([p for _, p in chunk])
            self.last_batch_s = time.perf_counter() - started
            for (pid, _), r in zip(chunk, results, strict=True):
                out[pid] = Judgement(pid, int(r.verdict), float(r.confidence), str(r.reason or ""))
        return [out[pid] for pid, _, _ in items]
