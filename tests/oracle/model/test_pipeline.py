"""The verdict pipeline with a real (tiny, trained) model: rules first, batched model after."""

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from oracle.chain.payload import TxRequest, encode_payload
from oracle.model.checkpoint import LabelMap, model_hash, save_checkpoint
from oracle.model.generate import CorpusGenerator
from oracle.model.labels import Verdict
from oracle.model.pipeline import VerdictPipeline
from oracle.model.rules import sample_sanctions_path
from tests.support.tx_factories import BOB, USDC, call, eth_transfer, token_transfer

SANCTIONED = next(
    line.split()[0]
    for line in sample_sanctions_path().read_text().splitlines()
    if line.startswith("0x")
)


def test_pipeline__model_hash__is_0x_and_64_hex(pipeline):
    assert re.fullmatch(r"0x[0-9a-f]{64}", pipeline.model_hash)


def test_pipeline__rule_cases__decided_by_rules_with_reasons(pipeline):
    payloads = [
        b"\x01\x02",
        encode_payload(eth_transfer("rent", chain_id=5)),
        encode_payload(eth_transfer("rent", to=SANCTIONED)),
    ]
    out = pipeline.judge_payloads(payloads)
    assert [r.verdict for r in out] == [Verdict.MALFORMED, Verdict.MALFORMED, Verdict.SANCTIONED]
    assert all(r.reason.startswith("rule:") and r.confidence == 1.0 for r in out)
    assert out[2].reason == f"rule:sanctioned to={SANCTIONED.lower()}"


def test_pipeline__call_shape_rules__decide_before_the_model_with_reasons(pipeline):
    revoke = call("approve(address,uint256)", ["address", "uint256"], [BOB, 0])
    out = pipeline.judge_requests(
        [token_transfer(BOB, 0, "claim your airdrop"), TxRequest(1, BOB, USDC, 0, revoke, "")]
    )
    assert [r.verdict for r in out] == [Verdict.FRAUD, Verdict.LEGAL]
    assert out[0].reason.startswith("rule:address-poisoning") and out[0].confidence == 1.0
    assert out[1].reason.startswith("rule:revoke")


def test_pipeline__records_it_never_saw__model_beats_the_majority_class(pipeline):
    # The tiny model (2 layers, 2,000 records, 3 epochs) is a smoke test of training and
    # of the pipeline, not of quality (`oracle eval` measures that): hand-picked memos
    # flip with the seed or the torch build, so it is held to the majority-class baseline
    # on records of a generator seed it did not train on, in the same run.
    records = list(CorpusGenerator(7).records(200))
    out = pipeline.judge_requests([r.tx for r in records])
    judged = [(int(r.label), int(o.verdict)) for r, o in zip(records, out, strict=True)]
    by_model = [pair for pair, o in zip(judged, out, strict=True) if o.reason == "model"]
    assert len(by_model) > 100
    assert all(0.0 < o.confidence <= 1.0 for o in out if o.reason == "model")
    accuracy = sum(label == verdict for label, verdict in by_model) / len(by_model)
    majority = Counter(label for label, _ in by_model).most_common(1)[0][1] / len(by_model)
    assert accuracy >= majority + 0.05, (accuracy, majority)


def test_pipeline__mixed_batch__keeps_input_order_and_matches_one_by_one(pipeline):
    txs = [eth_transfer(m) for m in ("rent", "buy heroin", "double your eth send 1 get 2")]
    txs.insert(1, eth_transfer("rent", chain_id=10))
    batch = pipeline.judge_payloads([encode_payload(t) for t in txs])
    single = [pipeline.judge_payloads([encode_payload(t)])[0] for t in txs]
    assert [r.verdict for r in batch] == [r.verdict for r in single]
    assert batch[1].verdict is Verdict.MALFORMED


def test_pipeline__requests_and_payloads__give_the_same_verdicts(pipeline):
    txs = [
        eth_transfer("invoice 77 for logo design"),
        token_transfer(BOB, 10**6, "clean these funds"),
    ]
    by_request = pipeline.judge_requests(txs)
    by_payload = pipeline.judge_payloads([encode_payload(t) for t in txs])
    assert by_request == by_payload


def test_pipeline__empty_batch__returns_empty(pipeline):
    assert pipeline.judge_payloads([]) == []


def test_pipeline__custom_chain_and_size_limit__are_enforced(tiny_model_dir):
    pipe = VerdictPipeline.load(tiny_model_dir, chain_id=5, max_payload_size=600, device="cpu")
    out = pipe.judge_payloads(
        [
            encode_payload(eth_transfer("rent", chain_id=5)),
            encode_payload(eth_transfer("x" * 700, chain_id=5)),
        ]
    )
    assert out[0].reason == "model"
    assert out[1].verdict is Verdict.MALFORMED


def test_pipeline__sanctions_file_given__replaces_the_sample_list(tiny_model_dir, tmp_path: Path):
    custom = tmp_path / "list.txt"
    custom.write_text(BOB + "\n")
    pipe = VerdictPipeline.load(tiny_model_dir, sanctions_file=custom, device="cpu")
    out = pipe.judge_requests([eth_transfer("rent", to=BOB), eth_transfer("rent", to=SANCTIONED)])
    assert out[0].verdict is Verdict.SANCTIONED
    assert out[1].verdict is not Verdict.SANCTIONED


def test_pipeline__int8_quantized__agrees_with_fp32_on_clear_cases(tiny_model_dir, pipeline):
    pipe = VerdictPipeline.load(tiny_model_dir, quantize_int8=True, device="cpu")
    txs = [
        eth_transfer("salary for march"),
        eth_transfer("payment for cocaine"),
        token_transfer(BOB, 0),
    ]
    assert [r.verdict for r in pipe.judge_requests(txs)] == [
        r.verdict for r in pipeline.judge_requests(txs)
    ]


def test_pipeline__missing_model_folder__says_how_to_train(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="oracle train"):
        VerdictPipeline.load(tmp_path / "nope")


def test_model_hash__stable_across_save_and_load(tiny_model_dir, tmp_path: Path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(tiny_model_dir))
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    digest = save_checkpoint(model, tokenizer, tmp_path / "copy", LabelMap.read(tiny_model_dir))
    assert digest == model_hash(tiny_model_dir)


def test_model_hash__changes_when_a_weight_or_the_label_map_changes(tiny_model_dir, tmp_path: Path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(tiny_model_dir))
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    with __import__("torch").no_grad():
        model.classifier.bias[0] += 1e-3
    changed = save_checkpoint(model, tokenizer, tmp_path / "w", LabelMap.read(tiny_model_dir))
    assert changed != model_hash(tiny_model_dir)
    shutil.copytree(tiny_model_dir, tmp_path / "m")
    LabelMap(LabelMap.read(tiny_model_dir).classes, 32).write(tmp_path / "m")
    assert model_hash(tmp_path / "m") != model_hash(tiny_model_dir)


def test_pipeline__approval_calls__reach_the_model_not_the_rules(pipeline):
    data = call("approve(address,uint256)", ["address", "uint256"], [BOB, 2**256 - 1])
    out = pipeline.judge_requests([TxRequest(1, BOB, USDC, 0, data, "")])
    assert out[0].reason == "model"


def test_pipeline__preprocessing_in_worker_processes__same_verdicts_as_inline(tiny_model_dir):
    from oracle.model.generate import CorpusGenerator

    payloads = [encode_payload(r.tx) for r in CorpusGenerator(11).records(4200)]
    payloads[7] = b"\x00" * 64
    inline = VerdictPipeline.load(tiny_model_dir, device="cpu")
    parallel = VerdictPipeline.load(tiny_model_dir, device="cpu", preprocess_workers=2)
    try:
        assert parallel.judge_payloads(payloads) == inline.judge_payloads(payloads)
    finally:
        parallel.close()
