"""How a checkpoint turns logits into probabilities: the fused TF-IDF model and the temperature.

`scoring.json` in the checkpoint folder holds two numbers fitted on the
generator-disjoint VALIDATION split (never the outside set):

    p = softmax(((1 - w) * log_softmax(transformer logits) + w * log p_tfidf) / T)

`w` (`tfidf_weight`) blends in the TF-IDF word + character n-gram logistic regression
saved beside the weights (`baseline.joblib`, trained on the same train split): the
character n-grams carry obfuscated words and scripts the English wordpiece tokenizer
maps to [UNK] (Chinese). `T` (`temperature`) calibrates the confidence; it never
changes the argmax. Without the file a checkpoint scores as before (softmax, T = 1).
The file and, when w > 0, `baseline.joblib` are part of the model hash.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from oracle.model.baseline import load_baseline
from oracle.model.calibration import expected_calibration_error
from oracle.model.checkpoint import SCORING_FILE, LabelMap
from oracle.model.inference import InferenceEngine

WEIGHT_GRID = tuple(round(i / 20, 2) for i in range(21))  # 0.00, 0.05, ..., 1.00
TEMPERATURE_GRID = tuple(float(t) for t in np.geomspace(0.2, 10.0, 60))
_FLOOR = 1e-6  # log of a TF-IDF probability of 0 would be -inf


@dataclass(frozen=True)
class Scoring:
    tfidf_weight: float = 0.0
    temperature: float = 1.0

    def probabilities(self, logits: np.ndarray, tfidf_probs: np.ndarray | None) -> np.ndarray:
        score = log_softmax(logits.astype(np.float64))
        if self.tfidf_weight > 0:
            if tfidf_probs is None:
                raise ValueError("a fused scoring needs the TF-IDF probabilities")
            tfidf = np.log(np.clip(tfidf_probs, _FLOOR, 1.0))
            score = (1 - self.tfidf_weight) * score + self.tfidf_weight * tfidf
        return np.exp(log_softmax(score / self.temperature))

    def write(self, model_dir: Path) -> Path:
        path = Path(model_dir) / SCORING_FILE
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")
        return path

    @classmethod
    def read(cls, model_dir: Path) -> Scoring | None:
        path = Path(model_dir) / SCORING_FILE
        if not path.is_file():
            return None
        raw = json.loads(path.read_text())
        scoring = cls(float(raw["tfidf_weight"]), float(raw["temperature"]))
        if not 0.0 <= scoring.tfidf_weight <= 1.0 or scoring.temperature <= 0:
            raise ValueError(f"{path}: tfidf_weight must be in [0, 1] and temperature > 0")
        return scoring


def log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    out: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return out


def tfidf_probabilities(tfidf: Any, texts: Sequence[str], n_classes: int) -> np.ndarray:
    """Probabilities in model class order (the pipeline's LR classes are the model indices)."""
    out = np.full((len(texts), n_classes), _FLOOR)
    if texts:
        out[:, [int(c) for c in tfidf.classes_]] = tfidf.predict_proba(list(texts))
    return out


def fit_scoring(
    logits: np.ndarray,
    tfidf_probs: np.ndarray,
    labels: Sequence[int],
    *,
    fuse: bool,
    calibrate: bool,
) -> tuple[Scoring, dict[str, Any]]:
    """The weight with the best validation macro-F1 (ties: lower NLL), then the NLL-optimal T."""
    y = np.asarray(labels)

    def nll(p: np.ndarray) -> float:
        return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)).mean())

    def macro(p: np.ndarray) -> float:
        return float(f1_score(y, p.argmax(-1), average="macro"))

    weight = 0.0
    if fuse:
        scored = [
            (macro(p := Scoring(w).probabilities(logits, tfidf_probs)), -nll(p), w)
            for w in WEIGHT_GRID
        ]
        weight = max(scored)[2]
    temperature = 1.0
    if calibrate:
        temperature = min(
            TEMPERATURE_GRID,
            key=lambda t: nll(Scoring(weight, t).probabilities(logits, tfidf_probs)),
        )
    scoring = Scoring(weight, temperature)

    def block(p: np.ndarray) -> dict[str, float]:
        correct = (p.argmax(-1) == y).astype(int).tolist()
        return {
            "macro_f1": macro(p),
            "nll": nll(p),
            "ece": expected_calibration_error(p.max(-1).tolist(), correct),
        }

    report = {
        "scoring": asdict(scoring),
        "validation": {
            "transformer": block(Scoring().probabilities(logits, None)),
            "tfidf": block(np.clip(tfidf_probs, _FLOOR, 1.0)),
            "fused_uncalibrated": block(Scoring(weight).probabilities(logits, tfidf_probs)),
            "scored": block(scoring.probabilities(logits, tfidf_probs)),
        },
    }
    return scoring, report


class ScoredEngine:
    """The inference engine plus the checkpoint's scoring: same `predict` the pipeline calls."""

    def __init__(self, engine: InferenceEngine, scoring: Scoring, tfidf: Any | None) -> None:
        if scoring.tfidf_weight > 0 and tfidf is None:
            raise FileNotFoundError(
                "scoring.json blends in a TF-IDF model but baseline.joblib is missing"
            )
        self.engine = engine
        self.scoring = scoring
        self.tfidf = tfidf

    @property
    def label_map(self) -> LabelMap:
        return self.engine.label_map

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        logits = self.engine.logits(texts)
        tfidf = None
        if self.scoring.tfidf_weight > 0:
            tfidf = tfidf_probabilities(self.tfidf, texts, logits.shape[1])
        return self.scoring.probabilities(logits, tfidf)

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        if not texts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        probs = self.probabilities(texts)
        return probs.argmax(-1).astype(np.int64), probs.max(-1).astype(np.float32)


def scored_engine(model_dir: Path, engine: InferenceEngine) -> InferenceEngine | ScoredEngine:
    """The engine validators run for `model_dir`: scored when the folder has scoring.json."""
    scoring = Scoring.read(model_dir)
    if scoring is None:
        return engine
    tfidf = load_baseline(model_dir) if scoring.tfidf_weight > 0 else None
    return ScoredEngine(engine, scoring, tfidf)


def fit_checkpoint_scoring(
    model_dir: Path,
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    fuse: bool,
    calibrate: bool,
    device: str | None = None,
) -> dict[str, Any]:
    """Fit and write `scoring.json` for a saved checkpoint on validation texts; new hash in it.

    Needs `baseline.joblib` in the folder when `fuse` (the TF-IDF model it blends in).
    """
    from oracle.model.checkpoint import MODEL_HASH_FILE, model_hash

    model_dir = Path(model_dir)
    (model_dir / SCORING_FILE).unlink(missing_ok=True)
    engine = InferenceEngine.load(model_dir, device)
    logits = engine.logits(texts)
    tfidf = load_baseline(model_dir)
    if tfidf is None:
        raise FileNotFoundError(
            f"{model_dir}/baseline.joblib is missing: retrain with `oracle train`"
        )
    probs = tfidf_probabilities(tfidf, texts, logits.shape[1])
    scoring, report = fit_scoring(logits, probs, labels, fuse=fuse, calibrate=calibrate)
    scoring.write(model_dir)
    digest = model_hash(model_dir)
    (model_dir / MODEL_HASH_FILE).write_text(digest + "\n")
    report["model_hash"] = digest
    return report
