"""Every hostile payload in the corpus yields the expected verdict; none crashes the validator.

The corpus (tests/security/corpus/bad_inputs.jsonl, made by
scripts/make_bad_input_corpus.py) is run through the validator's payload path (`Judge`:
hash check, then the verdict pipeline: rules, rendering, tokenizer, model) in one batch,
as a validator judges a round.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from oracle.chain.payload import PayloadError, TxRequest
from oracle.model.labels import MODEL_CLASSES, Verdict
from oracle.validator.judge import HASH_MISMATCH_REASON, Judge

CORPUS = Path(__file__).parent / "corpus" / "bad_inputs.jsonl"
MODEL_VERDICTS = {int(v) for v in MODEL_CLASSES}


def load_corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = load_corpus()
PAYLOAD_CASES = [c for c in CASES if c.get("kind") != "json"]
JSON_CASES = [c for c in CASES if c.get("kind") == "json"]


def test_corpus__has_at_least_200_cases_across_every_category():
    categories = Counter(c["category"] for c in CASES)
    assert len(CASES) >= 200
    for needed in (
        "truncated",
        "oversized",
        "wrong-chain",
        "invalid-utf8",
        "huge-memo",
        "control-chars",
        "unknown-selector",
        "multicall",
        "hash-mismatch",
        "json",
    ):
        assert categories[needed] > 0, needed


@pytest.fixture(scope="module")
def judgements(pipeline):
    judge = Judge(pipeline, batch_size=64)
    items = [
        (i, bytes.fromhex(c["payload"][2:]), bytes.fromhex(c["hash"][2:]))
        for i, c in enumerate(PAYLOAD_CASES)
    ]
    return judge.judge(items)


def test_judge__every_corpus_payload__gets_one_verdict_in_order(judgements):
    assert [j.proposal_id for j in judgements] == list(range(len(PAYLOAD_CASES)))
    assert all(0 <= j.verdict < 5 for j in judgements)


def _expected_ok(case: dict[str, Any], verdict: int) -> bool:
    expect = case["expect"]
    if expect == "model":
        return verdict in MODEL_VERDICTS
    return verdict == int(Verdict[expect.upper()])


def test_judge__every_corpus_payload__gets_the_expected_class(judgements):
    wrong = [
        f"{case['id']} ({case['why']}): expected {case['expect']}, got "
        f"{Verdict(j.verdict).name.lower()} [{j.reason}]"
        for case, j in zip(PAYLOAD_CASES, judgements, strict=True)
        if not _expected_ok(case, j.verdict)
    ]
    assert not wrong, "\n".join(wrong)


def test_judge__hash_mismatch__is_malformed_with_the_hash_reason(judgements):
    mismatched = [
        j
        for c, j in zip(PAYLOAD_CASES, judgements, strict=True)
        if c["category"] == "hash-mismatch"
    ]
    assert mismatched
    assert all(j.reason == HASH_MISMATCH_REASON for j in mismatched)


def test_judge__rule_verdicts__carry_a_reason_that_names_the_rule(judgements):
    for case, j in zip(PAYLOAD_CASES, judgements, strict=True):
        if case["expect"] in ("malformed", "sanctioned") and case["category"] != "hash-mismatch":
            assert j.reason.startswith(f"rule:{case['expect']}"), (case["id"], j.reason)
        if case["expect"] == "model":
            assert j.reason == "model", (case["id"], j.reason)


def test_pipeline__oversized_cases__are_malformed_under_the_default_limit_too(tiny_model_dir):
    from oracle.model.pipeline import VerdictPipeline

    default = VerdictPipeline.load(tiny_model_dir, device="cpu")
    big = [
        bytes.fromhex(c["payload"][2:])
        for c in PAYLOAD_CASES
        if c["category"] in ("oversized", "huge-memo") and len(c["payload"]) > 2 * 4096
    ]
    assert big
    results = default.judge_payloads(big)
    assert all(r.verdict == Verdict.MALFORMED for r in results)
    assert all("bytes >" in r.reason for r in results)


@pytest.mark.parametrize("case", JSON_CASES, ids=[c["id"] for c in JSON_CASES])
def test_tx_request_from_json__bad_record__raises_payload_error_naming_the_field(case):
    with pytest.raises(PayloadError) as raised:
        TxRequest.from_json(case["record"])
    assert case["field"] in str(raised.value), (case["why"], str(raised.value))
