"""Evaluation: the full verdict pipeline (rules, then model) and the baseline, side by side.

Writes docs/labels.md's schema: `accuracy`, `macro_f1`, `per_class`, `confusion_matrix`,
and the same under `baseline` when the checkpoint has one; plus a PNG. Every block
also carries calibration: `ece` (expected calibration error, 10 equal-width bins)
and `confident` (the share of verdicts with confidence >= 0.9 and their accuracy);
rule verdicts count with confidence 1.0.

`evaluate_suite` runs the sets that tell whether the model learnt the policy or the
generator: the checkpoint's own test split, its generator-disjoint validation split,
the outside set (and its obfuscated variant and multilingual slice), and the held-out
paraphrases. It is evaluation only; training and model selection never call it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from oracle.model.baseline import load_baseline, predict_baseline
from oracle.model.calibration import expected_calibration_error
from oracle.model.dataset import DatasetError, LabeledRequest, load_dataset
from oracle.model.heldout import HELDOUT_PATH
from oracle.model.labels import Verdict
from oracle.model.outside_set import OUTSIDE_SETS
from oracle.model.pipeline import VerdictPipeline
from oracle.model.rules import RuleVerdict

CONFIDENT = 0.9  # "confidence must mean something": accuracy above this is reported


def calibration(
    y_true: Sequence[Verdict], y_pred: Sequence[Verdict], confidence: Sequence[float]
) -> dict[str, Any]:
    """ECE over equal-width confidence bins, and accuracy of the verdicts at >= 0.9."""
    n = len(y_true)
    correct = [int(a == b) for a, b in zip(y_true, y_pred, strict=True)]
    ece = expected_calibration_error(confidence, correct)
    sure = [i for i, c in enumerate(confidence) if c >= CONFIDENT]
    return {
        "ece": ece,
        "confident": {
            "threshold": CONFIDENT,
            "coverage": len(sure) / n if n else 0.0,
            "accuracy": sum(correct[i] for i in sure) / len(sure) if sure else None,
        },
    }


def compute_metrics(
    y_true: Sequence[Verdict],
    y_pred: Sequence[Verdict],
    confidence: Sequence[float] | None = None,
) -> dict[str, Any]:
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
    metrics: dict[str, Any] = {
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
    if confidence is not None:
        metrics.update(calibration(y_true, y_pred, confidence))
    return metrics


def evaluate_records(
    pipeline: VerdictPipeline, records: Sequence[LabeledRequest], model_dir: Path
) -> dict[str, Any]:
    """Model (through the pipeline) and, when saved, the baseline on the same records."""
    labelled = [r for r in records if r.label is not None]
    if not labelled:
        raise DatasetError("the dataset has no labelled records to evaluate")
    truth = [r.label for r in labelled if r.label is not None]
    results = pipeline.judge_requests([r.tx for r in labelled])
    metrics = compute_metrics(truth, [r.verdict for r in results], [r.confidence for r in results])
    metrics["model_hash"] = pipeline.model_hash
    baseline = load_baseline(model_dir)
    if baseline is not None:
        verdicts, confidence = baseline_verdicts(pipeline, baseline, labelled)
        metrics["baseline"] = compute_metrics(truth, verdicts, confidence)
    return metrics


def baseline_verdicts(
    pipeline: VerdictPipeline, baseline: Any, records: Sequence[LabeledRequest]
) -> tuple[list[Verdict], list[float]]:
    """The same rules, with the baseline in place of the transformer; with confidences."""
    from oracle.model.rules import apply_rules_to_request

    outcomes = [
        apply_rules_to_request(
            r.tx, chain_id=pipeline.chain_id, sanctions=pipeline.sanctions, book=pipeline.book
        )
        for r in records
    ]
    model_rows = [i for i, o in enumerate(outcomes) if not isinstance(o, RuleVerdict)]
    texts = [pipeline.render(outcomes[i]) for i in model_rows]  # type: ignore[arg-type]
    classes, probability = predict_baseline(baseline, texts)
    verdicts: list[Verdict] = [
        o.verdict if isinstance(o, RuleVerdict) else Verdict.LEGAL for o in outcomes
    ]
    confidence = [1.0] * len(outcomes)
    model_classes = pipeline.engine.label_map.classes
    for k, i in enumerate(model_rows):
        verdicts[i] = model_classes[int(classes[k])]
        confidence[i] = float(probability[k])
    return verdicts, confidence


def evaluate_file(
    data: Path, model_dir: Path, out: Path, pipeline: VerdictPipeline
) -> dict[str, Any]:
    """`oracle eval`: metrics JSON at `out`, confusion-matrix PNG beside it; `pipeline` is
    `model_dir`'s, loaded by the caller (once, for every set it evaluates)."""
    records = load_dataset(data)
    metrics = evaluate_records(pipeline, records, model_dir)
    metrics["data"] = str(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(metrics, indent=2) + "\n")
    plot_confusion(metrics, out.with_suffix(".png"), title=f"{Path(data).name}")
    return metrics


def suite_sets(model_dir: Path, data_dir: Path | None = None) -> dict[str, Path]:
    """The evaluation suite for a checkpoint: own splits (when saved), outside, held-out."""
    data = Path(data_dir) if data_dir is not None else Path(model_dir) / "data"
    own = {"test": data / "test.jsonl", "validation": data / "validation.jsonl"}
    sets = {name: path for name, path in own.items() if path.is_file()}
    sets.update(OUTSIDE_SETS)
    sets["heldout_paraphrase"] = HELDOUT_PATH
    return sets


def evaluate_suite(
    model_dir: Path, out: Path, pipeline: VerdictPipeline, *, data_dir: Path | None = None
) -> dict[str, Any]:
    """Every suite set through model and baseline: `eval-<set>.json` beside `out`, summary in it."""
    out = Path(out)
    summary: dict[str, Any] = {"model_hash": pipeline.model_hash, "sets": {}}
    for name, path in suite_sets(model_dir, data_dir).items():
        metrics = evaluate_file(path, model_dir, out.parent / f"eval-{name}.json", pipeline)
        summary["sets"][name] = {"data": str(path), **headline(metrics)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def headline(metrics: dict[str, Any]) -> dict[str, Any]:
    """The figures the suite table shows, for the model and (when present) the baseline."""

    def pick(m: dict[str, Any]) -> dict[str, Any]:
        return {
            "n": m["n"],
            "macro_f1": m["macro_f1"],
            "accuracy": m["accuracy"],
            "f1": {label: c["f1"] for label, c in m["per_class"].items()},
            "ece": m.get("ece"),
            "confident": m.get("confident"),
        }

    out = {"model": pick(metrics)}
    if "baseline" in metrics:
        out["baseline"] = pick(metrics["baseline"])
    return out


def suite_table(summary: dict[str, Any]) -> str:
    """Markdown: one row per set, model and baseline side by side."""
    rows = [
        "| set | n | model macro-F1 | baseline macro-F1 | model F1 legal/fraud/illicit "
        "| baseline F1 legal/fraud/illicit | model ECE | model acc. at conf >= 0.9 (coverage) |",
        "|---|---:|---:|---:|---|---|---:|---|",
    ]
    for name, entry in summary["sets"].items():
        m, b = entry["model"], entry.get("baseline")
        sure = m["confident"] or {}
        acc = sure.get("accuracy")
        confident = f"{'n/a' if acc is None else f'{acc:.3f}'} ({sure.get('coverage', 0):.0%})"
        baseline_f1 = f"{b['macro_f1']:.4f}" if b else "n/a"
        rows.append(
            f"| {name} | {m['n']} | {m['macro_f1']:.4f} | {baseline_f1} | {_class_f1(m)} "
            f"| {_class_f1(b) if b else 'n/a'} | {m['ece']:.3f} | {confident} |"
        )
    return "\n".join(rows)


def _class_f1(block: dict[str, Any]) -> str:
    return " / ".join(
        f"{block['f1'].get(c, float('nan')):.3f}" for c in ("legal", "fraud", "illicit")
    )


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
