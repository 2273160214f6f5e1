"""The fused verdict (transformer + TF-IDF, temperature) as a checkpoint part validators run."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from oracle.model.checkpoint import SCORING_FILE, model_hash
from oracle.model.dataset import LabeledRequest
from oracle.model.features import model_examples
from oracle.model.fused import ScoredEngine, Scoring, fit_checkpoint_scoring, fit_scoring
from oracle.model.generate import CorpusGenerator
from oracle.model.inference import InferenceEngine
from oracle.model.pipeline import VerdictPipeline
from oracle.model.rules import SanctionsList, sample_sanctions_path
from tests.support.tx_factories import eth_transfer

SANCTIONS = [SanctionsList.from_file(sample_sanctions_path())]


def _validation_examples(n: int = 300):
    records = CorpusGenerator(7, split="validation").records(n)
    labelled = [LabeledRequest(r.tx, r.label, i) for i, r in enumerate(records)]
    return model_examples(labelled, chain_id=1, sanctions=SANCTIONS)


@pytest.fixture(scope="module")
def fused_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fused") / "model"
    shutil.copytree(tiny_model_dir, folder)
    val = _validation_examples()
    report = fit_checkpoint_scoring(
        folder, val.texts, val.labels, fuse=True, calibrate=True, device="cpu"
    )
    if report["scoring"]["tfidf_weight"] == 0:  # the fit may prefer the model alone: force a blend
        Scoring(0.5, report["scoring"]["temperature"]).write(folder)
    return folder


def test_fit_scoring__useless_transformer_and_perfect_tfidf__weight_goes_to_tfidf():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 200)
    logits = rng.normal(size=(200, 3))
    tfidf = np.full((200, 3), 0.1)
    tfidf[np.arange(200), labels] = 0.8
    scoring, report = fit_scoring(logits, tfidf, labels, fuse=True, calibrate=False)
    assert scoring.tfidf_weight >= 0.5 and scoring.temperature == 1.0
    assert report["validation"]["scored"]["macro_f1"] == 1.0


def test_fit_scoring__overconfident_logits__temperature_above_one_lowers_ece():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 3, 600)
    logits = rng.normal(size=(600, 3))
    right = rng.random(600) < 0.7  # 70% right, each at ~100% confidence
    logits[np.arange(600), np.where(right, labels, (labels + 1) % 3)] += 12.0
    scoring, report = fit_scoring(
        logits, np.full((600, 3), 1 / 3), labels, fuse=False, calibrate=True
    )
    v = report["validation"]
    assert scoring.tfidf_weight == 0.0 and scoring.temperature > 1.0
    assert v["scored"]["ece"] < v["transformer"]["ece"] - 0.1
    assert v["scored"]["macro_f1"] == v["transformer"]["macro_f1"]  # T never moves the argmax


def test_scoring__write_read__round_trip_and_bad_values_named(tmp_path: Path):
    Scoring(0.35, 1.7).write(tmp_path)
    assert Scoring.read(tmp_path) == Scoring(0.35, 1.7)
    (tmp_path / SCORING_FILE).write_text(json.dumps({"tfidf_weight": 2, "temperature": 1}))
    with pytest.raises(ValueError, match="tfidf_weight"):
        Scoring.read(tmp_path)
    assert Scoring.read(tmp_path / "missing") is None


def test_fused_checkpoint__pipeline_load__runs_the_blend_of_model_and_tfidf(fused_dir: Path):
    pipeline = VerdictPipeline.load(fused_dir, device="cpu")
    assert isinstance(pipeline.engine, ScoredEngine)
    scoring = Scoring.read(fused_dir)
    assert scoring is not None and scoring.tfidf_weight > 0
    texts = _validation_examples(60).texts
    classes, confidence = pipeline.engine.predict(texts)
    engine = InferenceEngine.load(fused_dir, "cpu")
    tfidf = pipeline.engine.tfidf
    by_hand = scoring.probabilities(
        engine.logits(texts), tfidf.predict_proba(texts) if tfidf is not None else None
    )
    assert (classes == by_hand.argmax(-1)).all()
    assert np.allclose(confidence, by_hand.max(-1), atol=1e-5)
    out = pipeline.judge_requests([eth_transfer("rent for march")])
    assert out[0].reason == "model" and 0 < out[0].confidence <= 1


def test_fused_checkpoint__hash__covers_scoring_and_survives_reload(
    fused_dir: Path, tiny_model_dir: Path, tmp_path: Path
):
    digest = model_hash(fused_dir)
    assert digest != model_hash(tiny_model_dir)
    copy = tmp_path / "copy"
    shutil.copytree(fused_dir, copy)
    assert model_hash(copy) == digest  # what a validator downloads hashes the same
    assert VerdictPipeline.load(copy, device="cpu").model_hash == digest
    Scoring(0.9, 1.0).write(copy)
    assert model_hash(copy) != digest


def test_fused_checkpoint__batch_sizes__give_identical_argmax(fused_dir: Path):
    texts = _validation_examples(80).texts
    results = [
        VerdictPipeline.load(fused_dir, device="cpu", batch_size=b).engine.predict(texts)[0]
        for b in (1, 7, 256)
    ]
    assert all((r == results[0]).all() for r in results)
