"""`oracle train`, end to end: data -> fine-tune -> checkpoint -> baseline -> suite -> card.

The training run: generate (or read) the splits, fine-tune with early stopping on
the generator-disjoint validation split, save the checkpoint and the TF-IDF
baseline, then evaluate both on the whole suite (own test, validation, outside set
and its parts, held-out paraphrases) for the model card and plots.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oracle.model.baseline import save_baseline, train_baseline
from oracle.model.checkpoint import (
    LabelMap,
    pretrained_minilm_path,
    quiet_transformers,
    save_checkpoint,
)
from oracle.model.dataset import file_hash, load_dataset
from oracle.model.evaluate import evaluate_suite, plot_confusion, suite_table
from oracle.model.features import model_examples
from oracle.model.fused import fit_checkpoint_scoring
from oracle.model.generate import write_splits
from oracle.model.labels import MODEL_CLASSES
from oracle.model.pipeline import VerdictPipeline
from oracle.model.rules import SanctionsList, sample_sanctions_path
from oracle.model.train import TrainConfig, TrainResult, config_dict, train_classifier


@dataclass
class RunConfig:
    out_dir: Path = Path("models/default")
    data_dir: Path | None = (
        None  # holds train/validation/test.jsonl; None = generate into out_dir/data
    )
    n_records: int = (
        5000  # generated corpus size (80/10/10 split); sized for ~10 min on 2 CPU cores
    )
    sanctions_file: Path | None = None
    train: TrainConfig = field(default_factory=TrainConfig)


def run_training(cfg: RunConfig, log: Any = print) -> dict[str, Any]:
    quiet_transformers()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    started = time.perf_counter()
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if cfg.data_dir is None:
        data_dir = out / "data"
        write_splits(data_dir, cfg.n_records, seed=cfg.train.seed)
        log(f"generated {cfg.n_records} records into {data_dir}")
    else:
        data_dir = Path(cfg.data_dir)
    paths = {s: data_dir / f"{s}.jsonl" for s in ("train", "validation", "test")}
    sanctions = [SanctionsList.from_file(cfg.sanctions_file or sample_sanctions_path())]
    train = model_examples(load_dataset(paths["train"]), chain_id=1, sanctions=sanctions)
    val = model_examples(load_dataset(paths["validation"]), chain_id=1, sanctions=sanctions)
    log(f"model examples: {len(train.texts)} train, {len(val.texts)} validation")

    source = pretrained_minilm_path()
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(source), num_labels=len(MODEL_CLASSES)
    )
    model, result = train_classifier(model, tokenizer, train, val, cfg.train, log=log)
    digest = save_checkpoint(model, tokenizer, out, LabelMap.default(cfg.train.max_length))
    log(f"saved {out} (model hash {digest})")

    baseline = train_baseline(train.texts, train.labels, seed=cfg.train.seed)
    save_baseline(baseline, out)
    scoring: dict[str, Any] | None = None
    if cfg.train.fused or cfg.train.calibrate:
        scoring = fit_checkpoint_scoring(
            out,
            val.texts,
            val.labels,
            fuse=cfg.train.fused,
            calibrate=cfg.train.calibrate,
            device=cfg.train.device,
        )
        digest = scoring["model_hash"]
        log(f"scoring {scoring['scoring']} fitted on validation (model hash {digest})")

    pipeline = VerdictPipeline.load(out, sanctions_file=cfg.sanctions_file, device=cfg.train.device)
    suite = evaluate_suite(out, out / "eval-suite.json", pipeline, data_dir=data_dir)
    for name, entry in suite["sets"].items():
        log(
            f"{name}: model macro-F1 {entry['model']['macro_f1']:.4f}; "
            f"baseline macro-F1 {entry['baseline']['macro_f1']:.4f}"
        )
    test_metrics = json.loads((out / "eval-test.json").read_text())
    plot_confusion(test_metrics, out / "confusion_matrix.png", title="test split")
    plot_curve(result, out / "training_curve.png")
    training = config_dict(cfg.train)
    training["device"] = cfg.train.device or "auto"
    summary: dict[str, Any] = {
        "model_hash": digest,
        "data_hash": file_hash(*paths.values()),
        "training": training,
        "n_records": cfg.n_records if cfg.data_dir is None else None,
        "train_examples": len(train.texts),
        "validation_examples": len(val.texts),
        "result": {k: v for k, v in result.__dict__.items()},
        "scoring": scoring,
        "suite": suite,
        "total_seconds": time.perf_counter() - started,
    }
    (out / "training_summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    write_model_card(out, summary)
    log(f"done in {summary['total_seconds']:.0f}s")
    return summary


def plot_curve(result: TrainResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [c["step"] for c in result.curve]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(steps, [c["train_loss"] for c in result.curve], "o-", label="train loss (EMA)")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax2 = ax.twinx()
    ax2.plot(
        steps,
        [c["val_macro_f1"] for c in result.curve],
        "s-",
        color="tab:green",
        label="val macro-F1",
    )
    ax2.set_ylabel("validation macro-F1")
    fig.legend(loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _scoring_line(scoring: dict[str, Any] | None) -> str:
    if scoring is None:
        return "- scoring: softmax of the transformer logits (no fusion, no temperature)"
    v = scoring["validation"]
    return (
        f"- scoring (fitted on validation, `scoring.json`): TF-IDF weight "
        f"{scoring['scoring']['tfidf_weight']:.2f}, temperature "
        f"{scoring['scoring']['temperature']:.2f}; validation macro-F1 transformer "
        f"{v['transformer']['macro_f1']:.4f}, TF-IDF {v['tfidf']['macro_f1']:.4f}, "
        f"fused {v['scored']['macro_f1']:.4f}; ECE {v['fused_uncalibrated']['ece']:.3f} "
        f"-> {v['scored']['ece']:.3f} after temperature"
    )


def write_model_card(out: Path, s: dict[str, Any]) -> None:
    t, r = s["training"], s["result"]
    lines = [
        "# Verdict classifier (fine-tuned all-MiniLM-L6-v2)",
        "",
        f"- model hash (pin on-chain): `{s['model_hash']}`",
        f"- data hash (train+validation+test JSONL): `{s['data_hash']}`",
        f"- classes (model): {', '.join(v.label for v in MODEL_CLASSES)}; "
        "rules decide sanctioned, malformed",
        f"- fine-tuning: {'LoRA r=' + str(t['lora_r']) if t['lora'] else 'full'}; "
        f"trainable parameters {r['trainable_params']:,} of {r['total_params']:,}",
        f"- training config: `{json.dumps(t, sort_keys=True)}`",
        f"- best validation macro-F1 {r['best_val_macro_f1']:.4f} "
        f"at step {r['best_step']} of {r['steps']} ({r['seconds']:.0f}s)",
        _scoring_line(s.get("scoring")),
        "",
        "Own test and validation come from generator-disjoint splits (templates, slot values",
        "and counterparties training never saw); the outside set (`oracle/data/outside/`) is",
        "written independently of the generator and used for evaluation only.",
        "",
        suite_table(s["suite"]),
    ]
    lines += [
        "",
        "Baseline: TF-IDF (word 1-2 grams + char 2-4 grams) + logistic regression on the same",
        "rendered texts, behind the same rules (`baseline.joblib`).",
        "Plots: `confusion_matrix.png`, `training_curve.png`; full metrics in `eval-<set>.json`,",
        "summary in `eval-suite.json` (`oracle eval --suite`).",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines))
