"""The verdict pipeline a validator runs: payload -> rules -> render -> model -> verdict."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from oracle.chain.payload import TxRequest
from oracle.model.address_book import AddressBook, default_address_book
from oracle.model.checkpoint import model_hash as compute_model_hash
from oracle.model.fused import ScoredEngine, scored_engine
from oracle.model.inference import EngineConfig, InferenceEngine
from oracle.model.labels import Verdict
from oracle.model.render import render_transaction
from oracle.model.rules import (
    Decoded,
    RuleVerdict,
    SanctionsList,
    SanctionsSource,
    apply_rules,
    apply_rules_to_request,
    sample_sanctions_path,
)

# Below this many payloads per worker, process start-up and pickling cost more than they save.
_MIN_PAYLOADS_PER_WORKER = 2048
_WORKER_PIPELINE: VerdictPipeline | None = None  # set in forked preprocessing workers


@dataclass(frozen=True)
class VerdictResult:
    verdict: Verdict
    confidence: float  # softmax probability of the verdict; 1.0 for rule verdicts
    model_hash: str  # "0x" + 64 hex
    reason: str  # "rule:sanctioned to=0x...", "rule:malformed ...", or "model"


class VerdictPipeline:
    """Rules first, then the batched model, for many proposals at once."""

    def __init__(
        self,
        engine: InferenceEngine | ScoredEngine,
        model_hash: str,
        *,
        sanctions: Sequence[SanctionsSource],
        chain_id: int,
        max_payload_size: int,
        book: AddressBook | None = None,
        preprocess_workers: int = 0,
    ) -> None:
        self.engine = engine
        self.model_hash = model_hash
        self.sanctions = list(sanctions)
        self.chain_id = chain_id
        self.max_payload_size = max_payload_size
        self.book = book or default_address_book()
        self.preprocess_workers = preprocess_workers
        self._pool: ProcessPoolExecutor | None = None
        self._pool_size = 0

    @classmethod
    def load(
        cls,
        model_dir: Path,
        *,
        sanctions_file: Path | None = None,
        chain_id: int = 1,
        device: str | None = None,
        max_payload_size: int = 4096,
        batch_size: int = 256,
        quantize_int8: bool = False,
        compile: bool = False,
        preprocess_workers: int = 0,
        sanctions_oracle: SanctionsSource | None = None,
    ) -> VerdictPipeline:
        """Load a checkpoint folder. Without `sanctions_file` the shipped SAMPLE list is used.

        `preprocess_workers` > 0 decodes, checks and renders large batches in that many
        forked processes (for a GPU that outruns one Python thread); 0 keeps it inline.
        """
        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise FileNotFoundError(
                f"model folder {model_dir} does not exist; "
                f"train one with `oracle train --out {model_dir}`"
            )
        config = EngineConfig(batch_size=batch_size, quantize_int8=quantize_int8, compile=compile)
        engine = scored_engine(model_dir, InferenceEngine.load(model_dir, device, config))
        sources: list[SanctionsSource] = [
            SanctionsList.from_file(sanctions_file or sample_sanctions_path())
        ]
        if sanctions_oracle is not None:
            sources.append(sanctions_oracle)
        return cls(
            engine,
            compute_model_hash(model_dir),
            sanctions=sources,
            chain_id=chain_id,
            max_payload_size=max_payload_size,
            preprocess_workers=preprocess_workers,
        )

    def judge_payloads(self, payloads: Sequence[bytes]) -> list[VerdictResult]:
        """One verdict per payload (ABI-encoded TxRequest), in order."""
        workers = min(self.preprocess_workers, len(payloads) // _MIN_PAYLOADS_PER_WORKER)
        if workers >= 2:
            prepared = self._prepare_in_workers(payloads, workers)
        else:
            prepared = [self.prepare_payload(bytes(p)) for p in payloads]
        return self._finish(prepared)

    def judge_requests(self, txs: Sequence[TxRequest]) -> list[VerdictResult]:
        """One verdict per already-decoded request (rules after payload decoding still run)."""
        return self._finish([self._render_or_rule(self._rules_for_request(tx)) for tx in txs])

    def prepare_payload(self, payload: bytes) -> RuleVerdict | str:
        """Rules for one payload: a rule verdict, or the text the model must classify."""
        return self._render_or_rule(
            apply_rules(
                payload,
                chain_id=self.chain_id,
                max_payload_size=self.max_payload_size,
                sanctions=self.sanctions,
                book=self.book,
            )
        )

    def render(self, outcome: Decoded) -> str:
        return render_transaction(outcome.tx, outcome.call, book=self.book)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _rules_for_request(self, tx: TxRequest) -> RuleVerdict | Decoded:
        return apply_rules_to_request(
            tx, chain_id=self.chain_id, sanctions=self.sanctions, book=self.book
        )

    def _render_or_rule(self, outcome: RuleVerdict | Decoded) -> RuleVerdict | str:
        return outcome if isinstance(outcome, RuleVerdict) else self.render(outcome)

    def _prepare_in_workers(
        self, payloads: Sequence[bytes], workers: int
    ) -> list[RuleVerdict | str]:
        if self._pool is None or self._pool_size != workers:
            global _WORKER_PIPELINE
            self.close()
            _WORKER_PIPELINE = self  # inherited by the forked workers, never pickled
            self._pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork")
            )
            self._pool_size = workers
        step = -(-len(payloads) // (workers * 4))
        chunks = [list(map(bytes, payloads[i : i + step])) for i in range(0, len(payloads), step)]
        prepared: list[RuleVerdict | str] = []
        for part in self._pool.map(_prepare_chunk, chunks):
            prepared.extend(part)
        return prepared

    def _finish(self, prepared: Sequence[RuleVerdict | str]) -> list[VerdictResult]:
        to_model = [i for i, o in enumerate(prepared) if isinstance(o, str)]
        classes, confidence = self.engine.predict([prepared[i] for i in to_model])  # type: ignore[misc]
        results: list[VerdictResult | None] = [None] * len(prepared)
        model_classes = self.engine.label_map.classes
        for k, i in enumerate(to_model):
            results[i] = VerdictResult(
                model_classes[int(classes[k])], float(confidence[k]), self.model_hash, "model"
            )
        for i, outcome in enumerate(prepared):
            if isinstance(outcome, RuleVerdict):
                results[i] = VerdictResult(outcome.verdict, 1.0, self.model_hash, outcome.reason)
        return [r for r in results if r is not None]


def _prepare_chunk(payloads: list[bytes]) -> list[RuleVerdict | str]:
    assert _WORKER_PIPELINE is not None, "preprocessing worker started without a pipeline"
    return [_WORKER_PIPELINE.prepare_payload(p) for p in payloads]
