"""The judge: the pinned model judges each proposal (or it abstains), and bytes that do not
match the on-chain hash never reach a model."""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak

from oracle.model.labels import ABSTAIN, Verdict
from oracle.validator.judge import HASH_MISMATCH_REASON, Judge


@dataclass
class _Result:
    verdict: Verdict
    confidence: float
    reason: str


class RecordingPipeline:
    """Stands in for the model in this unit test only; e2e tests run the real one."""

    def __init__(self, model_hash: str = "0x" + "00" * 32, says: Verdict = Verdict.FRAUD) -> None:
        self.model_hash = model_hash
        self.says = says
        self.seen: list[bytes] = []

    def judge_payloads(self, payloads: list[bytes]) -> list[_Result]:
        self.seen.extend(payloads)
        return [_Result(self.says, 0.8, "model") for _ in payloads]


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


PIN_A, PIN_B, PIN_C = bytes([0xA]) * 32, bytes([0xB]) * 32, bytes([0xC]) * 32


def _two_models() -> tuple[RecordingPipeline, RecordingPipeline]:
    return (
        RecordingPipeline("0x" + PIN_A.hex(), Verdict.LEGAL),
        RecordingPipeline("0x" + PIN_B.hex(), Verdict.ILLICIT),
    )


def test_judge__several_models__each_proposal_goes_to_its_pinned_model() -> None:
    model_a, model_b = _two_models()
    p1, p2, p3 = b"one", b"two", b"three"

    out = Judge([model_a, model_b]).judge(
        [(1, p1, keccak(p1), PIN_B), (2, p2, keccak(p2), PIN_A), (3, p3, keccak(p3), bytes(32))]
    )

    assert [(j.proposal_id, j.verdict) for j in out] == [
        (1, Verdict.ILLICIT),
        (2, Verdict.LEGAL),
        (3, Verdict.LEGAL),  # unpinned: the default (first) model
    ]
    assert model_a.seen == [p2, p3] and model_b.seen == [p1]


def test_judge__pinned_model_not_held__abstains_and_no_model_sees_it() -> None:
    model_a, model_b = _two_models()
    payload = b"pinned elsewhere"

    (j,) = Judge([model_a, model_b]).judge([(7, payload, keccak(payload), PIN_C)])

    assert (j.proposal_id, j.verdict, j.confidence) == (7, ABSTAIN, 0.0)
    assert "0x" + PIN_C.hex() in j.reason
    assert model_a.seen == model_b.seen == []


def test_judge__held_hashes__default_first() -> None:
    model_a, model_b = _two_models()
    judge = Judge(None)
    assert not judge.ready and judge.held_hashes == []
    judge.set_pipelines([model_b, model_a])
    assert judge.held_hashes == [model_b.model_hash, model_a.model_hash]
    assert judge.pipeline is model_b
