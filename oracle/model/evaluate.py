"""Evaluation: the full verdict pipeline (rules, then model) and the baseline, side by side.

Writes docs/labels.md's schema: `accuracy`, `macro_f1`, `per_class`, `confusion_matrix`,
and the same under `baseline` when the checkpoint has one; plus a PNG.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from oracle.model.baseline import load_baseline, predict_baseline
from oracle.model.dataset import DatasetError, LabeledRequest, load_dataset
from oracle.model.labels import Verdict
from oracle.model.pipeline import VerdictPipeline
from oracle.model.rules import RuleVerdict


def compute_metrics(y_true: Sequence[Verdict], y_pred: Sequence[Verdict]) -> dict[str, Any]:
    """Scores over the classes present in the truth or the predictions (sklearn's macro rule)."""
    present = sorted({int(v) for v in y_true} | {int(v) for v in y_pred})
    t = [int(v) for v in y_true]
    p = [int(v) for v in y_pred]
    precision, recall, f1, support = precision_recall_fscore_support(
        t, p, labels=present, zero_division=0
    )
    labels = [Verdict(i).label for i in present]
    matrix = [[0] * len(present) for _ in present]
    index = {c: i for i, c in enumerate(present)}
    for a, b in zip(t, p, strict=True):
        matrix[index[a]][index[b]] += 1
    return {
        "n": len(t),
        "accuracy": float(accuracy_score(t, p)),
        "macro_f1": float(f1_score(t, p, labels=present, average="macro", zero_division=0)),
        "per_class": {
            label: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusion_matrix": {"labels": labels, "matrix": matrix},
    }


def evaluate_records(
    pipeline: VerdictPipeline, records: Sequence[LabeledRequest], model_dir: Path
) -> dict[str, Any]:
    """Model (through the pipeline) and, when saved, the baseline on the same records."""
    labelled = [r for r in records if r.label is not None]
    if not labelled:
        raise DatasetError("the dataset has no labelled records to evaluate")
    truth = [r.label for r in labelled if r.label is not None]
    results = pipeline.judge_requests([r.tx for r in labelled])
    metrics = compute_metrics(truth, [r.verdict for r in results])
    metrics["model_hash"] = pipeline.model_hash
    baseline = load_baseline(model_dir)
    if baseline is not None:
        metrics["baseline"] = compute_metrics(
            truth, baseline_verdicts(pipeline, baseline, labelled)
        )
    return metrics


def baseline_verdicts(
    pipeline: VerdictPipeline, baseline: Any, records: Sequence[LabeledRequest]
) -> list[Verdict]:
    """The same rules, with the baseline in place of the transformer."""
    from oracle.model.rules import apply_rules_to_request

    outcomes = [
        apply_rules_to_request(
            r.tx, chain_id=pipeline.chain_id, sanctions=pipeline.sanctions, book=pipeline.book
        )
        for r in records
    ]
    model_rows = [i for i, o in enumerate(outcomes) if not isinstance(o, RuleVerdict)]
    texts = [pipeline.render(outcomes[i]) for i in model_rows]  # type: ignore[arg-type]
    classes, _ = predict_baseline(baseline, texts)
    verdicts: list[Verdict] = [
        o.verdict if isinstance(o, RuleVerdict) else Verdict.LEGAL for o in outcomes
    ]
    model_classes = pipeline.engine.label_map.classes
    for k, i in enumerate(model_rows):
        verdicts[i] = model_classes[int(classes[k])]
    return verdicts


def evaluate_file(
    data: Path,
    model_dir: Path,
    out: Path,
    *,
    sanctions_file: Path | None = None,
    chain_id: int = 1,
    device: str | None = None,
    pipeline: VerdictPipeline | None = None,
) -> dict[str, Any]:
    """`oracle eval`: metrics JSON at `out`, confusion-matrix PNG beside it."""
    records = load_dataset(data)
    pipeline = pipeline or VerdictPipeline.load(
        model_dir, sanctions_file=sanctions_file, chain_id=chain_id, device=device
    )
    metrics = evaluate_records(pipeline, records, model_dir)
    metrics["data"] = str(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(metrics, indent=2) + "\n")
    plot_confusion(metrics, out.with_suffix(".png"), title=f"{Path(data).name}")
    return metrics


def plot_confusion(metrics: dict[str, Any], path: Path, title: str = "") -> Path:
    """Model (and baseline, when present) confusion matrices side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("model", metrics)] + (
        [("baseline", metrics["baseline"])] if "baseline" in metrics else []
    )
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.6), squeeze=False)
    for ax, (name, m) in zip(axes[0], panels, strict=True):
        cm = m["confusion_matrix"]
        labels, matrix = cm["labels"], cm["matrix"]
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"{name}: macro-F1 {m['macro_f1']:.3f}")
        peak = max(max(row) for row in matrix) or 1
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                ax.text(
                    j,
                    i,
                    str(v),
                    ha="center",
                    va="center",
                    color="white" if v > peak / 2 else "black",
                )
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
