"""Score the TF-IDF baseline alone on the evaluation suite (no transformer, ~1 minute).

Usage: python scripts/baseline_suite.py [--records 5000] [--seed 0] [--out FILE.json]
       [--char-ngrams 2-4] [--c 10] [--only validation]

Generates the corpus as `oracle train` does (generator-disjoint splits), fits the
TF-IDF + logistic-regression baseline on the train split only, and runs every suite
set through the same rules and rendering as the validators, with the baseline in
place of the model. It prints one row per set (macro-F1, per-class F1, ECE, accuracy
at confidence >= 0.9): a quick check of how much signal a set has before anyone
spends a fine-tuning run on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oracle.model.baseline import predict_baseline, train_baseline
from oracle.model.dataset import load_dataset
from oracle.model.evaluate import compute_metrics, suite_sets
from oracle.model.features import model_examples, rule_outcomes
from oracle.model.generate import write_splits
from oracle.model.labels import MODEL_CLASSES, Verdict
from oracle.model.rules import RuleVerdict, SanctionsList, sample_sanctions_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--char-ngrams", default="2-4", help="character n-gram range, LO-HI")
    parser.add_argument("--c", type=float, default=10.0, help="inverse regularisation")
    parser.add_argument(
        "--only", action="append", help="score only these sets (e.g. validation, to pick a recipe)"
    )
    args = parser.parse_args()
    lo, hi = (int(x) for x in args.char_ngrams.split("-"))
    sanctions = [SanctionsList.from_file(sample_sanctions_path())]
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp)
        write_splits(model_dir / "data", args.records, seed=args.seed)
        train = model_examples(
            load_dataset(model_dir / "data" / "train.jsonl"), chain_id=1, sanctions=sanctions
        )
        baseline = train_baseline(
            train.texts, train.labels, seed=args.seed, char_ngrams=(lo, hi), c=args.c
        )
        results = {}
        for name, path in suite_sets(model_dir).items():
            if args.only and name not in args.only:
                continue
            records = [r for r in load_dataset(path) if r.label is not None]
            outcomes = rule_outcomes(records, chain_id=1, sanctions=sanctions)
            texts = [o for o in outcomes if isinstance(o, str)]
            classes, probability = predict_baseline(baseline, texts)
            verdicts: list[Verdict] = []
            confidence: list[float] = []
            k = 0
            for o in outcomes:
                if isinstance(o, RuleVerdict):
                    verdicts.append(o.verdict)
                    confidence.append(1.0)
                else:
                    verdicts.append(MODEL_CLASSES[int(classes[k])])
                    confidence.append(float(probability[k]))
                    k += 1
            truth = [r.label for r in records if r.label is not None]
            results[name] = compute_metrics(truth, verdicts, confidence)
    print(
        "| set | n | baseline macro-F1 | F1 legal / fraud / illicit | ECE | acc. at conf >= 0.9 |"
    )
    print("|---|---:|---:|---|---:|---|")
    for name, m in results.items():
        f1 = " / ".join(f"{m['per_class'][c]['f1']:.3f}" for c in ("legal", "fraud", "illicit"))
        sure = m["confident"]
        acc = "n/a" if sure["accuracy"] is None else f"{sure['accuracy']:.3f}"
        print(
            f"| {name} | {m['n']} | {m['macro_f1']:.4f} | {f1} | {m['ece']:.3f} | "
            f"{acc} ({sure['coverage']:.0%}) |"
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
