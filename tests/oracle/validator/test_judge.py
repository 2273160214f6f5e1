"""The judge's hash check: bytes that do not match the on-chain hash never reach the model."""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak

from oracle.model.labels import Verdict
from oracle.validator.judge import HASH_MISMATCH_REASON, Judge


@dataclass
class _Result:
    verdict: Verdict
    confidence: float
    reason: str


class RecordingPipeline:
    """Stands in for the model in this unit test only; e2e tests run the real one."""

    model_hash = "0x" + "00" * 32

    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def judge_payloads(self, payloads: list[bytes]) -> list[_Result]:
        self.seen.extend(payloads)
        return [_Result(Verdict.FRAUD, 0.8, "model") for _ in payloads]


def test_judge__payload_not_matching_its_hash__is_malformed_and_not_shown_to_the_model() -> None:
    pipeline = RecordingPipeline()
    good, bad = b"good payload", b"tampered payload"
    out = Judge(pipeline).judge([(1, good, keccak(good)), (2, bad, keccak(b"original"))])
    assert [(j.proposal_id, j.verdict) for j in out] == [(1, Verdict.FRAUD), (2, Verdict.MALFORMED)]
    assert out[1].reason == HASH_MISMATCH_REASON
    assert pipeline.seen == [good]


def test_judge__batches_keep_the_input_order() -> None:
    pipeline = RecordingPipeline()
    items = [(i, bytes([i]), keccak(bytes([i]))) for i in range(10)]
    out = Judge(pipeline, batch_size=3).judge(items)
    assert [j.proposal_id for j in out] == list(range(10))
    assert pipeline.seen == [bytes([i]) for i in range(10)]
