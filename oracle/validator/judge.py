"""Payload bytes in, verdicts out: the pinned-model choice, the hash check, then the verdict
pipeline in batches.

A proposal pinned to a model this validator does not hold is not judged: its verdict is
ABSTAIN (pinned_models.py). A payload whose bytes do not hash to the on-chain `payloadHash`
is never shown to a pipeline: it is reported (reason, metric) and judged `malformed`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from eth_utils import keccak

from oracle.model.labels import ABSTAIN, Verdict
from oracle.validator.pinned_models import ZERO_MODEL_HASH, abstain_reason, choose_model

log = logging.getLogger(__name__)

HASH_MISMATCH_REASON = "payload bytes do not match the on-chain payload hash"

# (proposal id, payload bytes, on-chain payload hash[, pinned model hash]); no pin = zero hash.
JudgeItem = tuple[int, bytes, bytes] | tuple[int, bytes, bytes, bytes]


class Pipeline(Protocol):
    model_hash: str

    def judge_payloads(self, payloads: list[bytes]) -> list[Any]: ...


@dataclass(frozen=True)
class Judgement:
    proposal_id: int
    verdict: int  # a class, or ABSTAIN
    confidence: float
    reason: str


class Judge:
    """Holds the pipelines (the models this validator holds, the default first); they may
    arrive later (`set_pipelines`), loaded in the background, so a restarted validator
    reveals its stored ballots before the models are even loaded."""

    def __init__(
        self, pipeline: Pipeline | Sequence[Pipeline] | None, *, batch_size: int = 256
    ) -> None:
        self.pipelines: list[Pipeline] = _as_list(pipeline)
        self.batch_size = batch_size
        self.last_batch_s = 0.0
        self.load_error: str | None = None

    @property
    def ready(self) -> bool:
        return bool(self.pipelines)

    @property
    def pipeline(self) -> Pipeline | None:
        """The default model (judges unpinned proposals), or None before loading."""
        return self.pipelines[0] if self.pipelines else None

    @property
    def held_hashes(self) -> list[str]:
        """The model hashes held, the default first ("0x" + 64 hex each)."""
        return [p.model_hash for p in self.pipelines]

    def set_pipeline(self, pipeline: Pipeline) -> None:
        self.set_pipelines([pipeline])

    def set_pipelines(self, pipelines: Sequence[Pipeline]) -> None:
        self.pipelines = list(pipelines)

    def judge(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        """One judgement per item, in order, each by the model its pin names (or ABSTAIN)."""
        if not self.pipelines:
            raise RuntimeError("the model is not loaded yet")
        held = self.held_hashes
        out: dict[int, Judgement] = {}
        to_model: dict[int, list[tuple[int, bytes]]] = {}
        for item in items:
            pid, payload, expected_hash = item[0], item[1], item[2]
            pinned = item[3] if len(item) > 3 else ZERO_MODEL_HASH
            chosen = choose_model(pinned, held)
            if chosen is None:
                out[pid] = Judgement(pid, ABSTAIN, 0.0, abstain_reason(pinned))
            elif keccak(payload) != bytes(expected_hash):
                log.warning("proposal %d: %s; voting malformed", pid, HASH_MISMATCH_REASON)
                out[pid] = Judgement(pid, int(Verdict.MALFORMED), 1.0, HASH_MISMATCH_REASON)
            else:
                to_model.setdefault(chosen, []).append((pid, payload))
        for chosen, queued in to_model.items():
            self._run(self.pipelines[chosen], queued, out)
        return [out[item[0]] for item in items]

    def _run(
        self, pipeline: Pipeline, queued: list[tuple[int, bytes]], out: dict[int, Judgement]
    ) -> None:
        for i in range(0, len(queued), self.batch_size):
            chunk = queued[i : i + self.batch_size]
            started = time.perf_counter()
            results = pipeline.judge_payloads([p for _, p in chunk])
            self.last_batch_s = time.perf_counter() - started
            for (pid, _), r in zip(chunk, results, strict=True):
                out[pid] = Judgement(pid, int(r.verdict), float(r.confidence), str(r.reason or ""))


def _as_list(pipeline: Pipeline | Sequence[Pipeline] | None) -> list[Pipeline]:
    if pipeline is None:
        return []
    if isinstance(pipeline, Sequence):
        return list(pipeline)
    return [pipeline]
