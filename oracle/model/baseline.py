"""TF-IDF + logistic regression over the same rendered texts, saved beside the model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

BASELINE_FILE = "baseline.joblib"


DEFAULT_CHAR_NGRAMS = (2, 4)
DEFAULT_C = 10.0


def train_baseline(
    texts: Sequence[str],
    labels: Sequence[int],
    seed: int = 0,
    *,
    char_ngrams: tuple[int, int] = DEFAULT_CHAR_NGRAMS,
    c: float = DEFAULT_C,
) -> Pipeline:
    """Word 1-2 grams plus character n-grams (so obfuscated words still share features)."""
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=char_ngrams, sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )
    model = Pipeline(
        [("tfidf", features), ("lr", LogisticRegression(C=c, max_iter=2000, random_state=seed))]
    )
    model.fit(list(texts), list(labels))
    return model


def save_baseline(model: Pipeline, model_dir: Path) -> Path:
    path = Path(model_dir) / BASELINE_FILE
    joblib.dump(model, path)
    return path


def load_baseline(model_dir: Path) -> Any | None:
    path = Path(model_dir) / BASELINE_FILE
    return joblib.load(path) if path.is_file() else None


def predict_baseline(model: Any, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    probs = model.predict_proba(list(texts))
    return probs.argmax(axis=1), probs.max(axis=1)
