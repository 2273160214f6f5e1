"""The verdict pipeline a validator runs: payload -> rules -> render -> model -> verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oracle.chain.payload import TxRequest
from oracle.model.address_book import AddressBook, default_address_book
from oracle.model.checkpoint import model_hash as compute_model_hash
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
        engine: InferenceEngine,
        model_hash: str,
        *,
        sanctions: Sequence[SanctionsSource],
        chain_id: int,
        max_payload_size: int,
        book: AddressBook | None = None,
    ) -> None:
        self.engine = engine
        self.model_hash = model_hash
        self.sanctions = list(sanctions)
        self.chain_id = chain_id
        self.max_payload_size = max_payload_size
        self.book = book or default_address_book()

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
        sanctions_oracle: SanctionsSource | None = None,
    ) -> VerdictPipeline:
        """Load a checkpoint folder. Without `sanctions_file` the shipped SAMPLE list is used."""
        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise FileNotFoundError(
                f"model folder {model_dir} does not exist; "
                f"train one with `oracle train --out {model_dir}`"
            )
        engine = InferenceEngine.load(
            model_dir, device, EngineConfig(batch_size=batch_size, quantize_int8=quantize_int8)
        )
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
        )

    def judge_payloads(self, payloads: Sequence[bytes]) -> list[VerdictResult]:
        """One verdict per payload (ABI-encoded TxRequest), in order."""
        outcomes = [
            apply_rules(
                bytes(p),
                chain_id=self.chain_id,
                max_payload_size=self.max_payload_size,
                sanctions=self.sanctions,
            )
            for p in payloads
        ]
        return self._finish(outcomes)

    def judge_requests(self, txs: Sequence[TxRequest]) -> list[VerdictResult]:
        """One verdict per already-decoded request (rules after payload decoding still run)."""
        outcomes = [
            apply_rules_to_request(tx, chain_id=self.chain_id, sanctions=self.sanctions)
            for tx in txs
        ]
        return self._finish(outcomes)

    def render(self, outcome: Decoded) -> str:
        return render_transaction(outcome.tx, outcome.call, book=self.book)

    def _finish(self, outcomes: Sequence[RuleVerdict | Decoded]) -> list[VerdictResult]:
        to_model = [i for i, o in enumerate(outcomes) if isinstance(o, Decoded)]
        texts = [self.render(outcomes[i]) for i in to_model]  # type: ignore[arg-type]
        classes, confidence = self.engine.predict(texts)
        results: list[VerdictResult | None] = [None] * len(outcomes)
        model_classes = self.engine.label_map.classes
        for k, i in enumerate(to_model):
            results[i] = VerdictResult(
                model_classes[int(classes[k])], float(confidence[k]), self.model_hash, "model"
            )
        for i, outcome in enumerate(outcomes):
            if isinstance(outcome, RuleVerdict):
                results[i] = VerdictResult(outcome.verdict, 1.0, self.model_hash, outcome.reason)
        return [r for r in results if r is not None]
