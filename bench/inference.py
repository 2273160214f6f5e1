"""End-to-end verdict throughput against the transformers `pipeline("text-classification")`.

    ours      payload bytes -> decode -> rules -> render -> tokenize (producer thread,
              length-bucketed) -> forward (bf16 + SDPA on CUDA; fp32 or int8 on CPU) -> argmax
    pipeline  transformers' text-classification pipeline on the SAME model and the same
              inputs, handed the already-rendered texts (so it does strictly less work)

Same run, same machine, same inputs; several batch sizes. Writes
bench/results/inference-<device>.json with tx_per_s, pipeline_tx_per_s and their ratio
per batch size, plus a stage breakdown and the argmax agreement between the two.

Run: `python bench/inference.py --device cpu` (about 2-3 minutes on 2 cores) or
`--device cuda` on a GPU machine. Uses models/default when it exists; otherwise an
untrained classification head on the shipped MiniLM (same architecture, same speed).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oracle.chain.payload import encode_payload  # noqa: E402
from oracle.model.checkpoint import (  # noqa: E402
    LabelMap,
    pretrained_minilm_path,
    quiet_transformers,
    save_checkpoint,
)
from oracle.model.generate import CorpusGenerator  # noqa: E402
from oracle.model.labels import MODEL_CLASSES  # noqa: E402
from oracle.model.pipeline import VerdictPipeline  # noqa: E402

DEFAULTS = {
    "cpu": {"n": 512, "batch_sizes": "1,32,128"},
    "cuda": {"n": 65536, "batch_sizes": "64,256,1024,4096"},
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    parser.add_argument("--n", type=int, help="transactions per measurement")
    parser.add_argument(
        "--pipeline-n", type=int, help="transactions for the (slow) pipeline baseline"
    )
    parser.add_argument("--batch-sizes", help="comma-separated")
    parser.add_argument(
        "--workers", type=int, help="preprocessing processes (default: cores on CUDA, 0 on CPU)"
    )
    parser.add_argument("--compile", action="store_true", help="torch.compile the model (CUDA)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    quiet_transformers()
    device = torch.device(args.device)
    kind = device.type
    n = args.n or DEFAULTS[kind]["n"]
    pipeline_n = min(args.pipeline_n or (n if kind == "cpu" else 16384), n)
    batch_sizes = [int(b) for b in (args.batch_sizes or DEFAULTS[kind]["batch_sizes"]).split(",")]
    workers = (
        args.workers
        if args.workers is not None
        else ((os.cpu_count() or 1) if kind == "cuda" else 0)
    )
    out = args.out or ROOT / "bench" / "results" / f"inference-{kind}.json"

    model_dir, model_note = resolve_model(args.model)
    payloads = make_payloads(n)
    ours = VerdictPipeline.load(
        model_dir, device=str(device), compile=args.compile, preprocess_workers=workers
    )
    texts = [ours.prepare_payload(p) for p in payloads]
    assert all(isinstance(t, str) for t in texts), "bench inputs must all reach the model"
    hf = make_hf_pipeline(model_dir, device)
    max_length = ours.engine.label_map.max_length

    rows = []
    for batch_size in batch_sizes:
        row: dict[str, Any] = {"batch_size": batch_size}
        set_batch_size(ours, batch_size)
        ours.judge_payloads(payloads[: min(len(payloads), 4 * batch_size)])  # warm-up
        seconds, verdicts = timed(lambda: ours.judge_payloads(payloads))
        row["tx_per_s"] = n / seconds
        hf(
            texts[: min(pipeline_n, 2 * batch_size)],
            batch_size=batch_size,
            truncation=True,
            max_length=max_length,
        )
        hf_seconds, hf_out = timed(
            lambda bs=batch_size: hf(
                texts[:pipeline_n], batch_size=bs, truncation=True, max_length=max_length
            )
        )
        row["pipeline_tx_per_s"] = pipeline_n / hf_seconds
        row["ratio"] = row["tx_per_s"] / row["pipeline_tx_per_s"]
        labels = [v.verdict.label for v in verdicts[:pipeline_n]]
        row["argmax_agreement"] = (
            sum(a == b["label"] for a, b in zip(labels, hf_out, strict=True)) / pipeline_n
        )
        if kind == "cpu":
            int8 = VerdictPipeline.load(
                model_dir, device="cpu", quantize_int8=True, batch_size=batch_size
            )
            int8.judge_payloads(payloads[: min(len(payloads), 2 * batch_size)])
            int8_seconds, int8_verdicts = timed(lambda p=int8: p.judge_payloads(payloads))
            row["tx_per_s_int8"] = n / int8_seconds
            row["ratio_int8"] = row["tx_per_s_int8"] / row["pipeline_tx_per_s"]
            row["int8_argmax_agreement_with_fp32"] = (
                sum(a.verdict == b.verdict for a, b in zip(int8_verdicts, verdicts, strict=True))
                / n
            )
        rows.append(row)
        print(json.dumps(row))
    ours.close()

    result = {
        "device": kind,
        "device_name": torch.cuda.get_device_name(device)
        if kind == "cuda"
        else platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "model": model_note,
        "model_hash": ours.model_hash,
        "n": n,
        "pipeline_n": pipeline_n,
        "preprocess_workers": workers,
        "compile": args.compile,
        "stages_us_per_tx": stage_breakdown(ours, payloads),
        "results": rows,
        "best": max(rows, key=lambda r: r["tx_per_s"]),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    best = result["best"]
    print(
        f"{kind}: best {best['tx_per_s']:.0f} tx/s at batch {best['batch_size']} "
        f"= {best['ratio']:.1f}x the pipeline ({best['pipeline_tx_per_s']:.0f} tx/s) -> {out}"
    )


def resolve_model(path: Path) -> tuple[Path, str]:
    if (path / "label_map.json").is_file():
        return path, str(path)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tmp = Path(tempfile.mkdtemp(prefix="bench-model-"))
    source = pretrained_minilm_path()
    model = AutoModelForSequenceClassification.from_pretrained(
        str(source), num_labels=len(MODEL_CLASSES)
    )
    save_checkpoint(model, AutoTokenizer.from_pretrained(str(source)), tmp, LabelMap.default())
    return (
        tmp,
        f"{path} missing: untrained head on the shipped MiniLM (same architecture and speed)",
    )


def make_payloads(n: int) -> list[bytes]:
    """Model-bound transactions only, so both sides classify exactly the same inputs."""
    generator = CorpusGenerator(seed=12345)
    payloads: list[bytes] = []
    while len(payloads) < n:
        payloads.extend(encode_payload(generator.record(label).tx) for label in MODEL_CLASSES)
    return payloads[:n]


def make_hf_pipeline(model_dir: Path, device: torch.device) -> Any:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    return pipeline("text-classification", model=model, tokenizer=tokenizer, device=device)


def set_batch_size(pipe: VerdictPipeline, batch_size: int) -> None:
    pipe.engine.config = dataclasses.replace(pipe.engine.config, batch_size=batch_size)


def timed(fn: Any) -> tuple[float, Any]:
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    value = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, value


def stage_breakdown(pipe: VerdictPipeline, payloads: list[bytes]) -> dict[str, float]:
    """Single-threaded cost of each stage, to show where the time goes."""
    sample = payloads[: min(len(payloads), 4096)]
    t_prep, texts = timed(lambda: [pipe.prepare_payload(p) for p in sample])
    tokenizer = pipe.engine._tokenizer
    t_tok, _ = timed(lambda: tokenizer.encode_batch(texts))
    t_all, _ = timed(lambda: pipe.engine.predict(texts))
    per = 1e6 / len(sample)
    return {
        "decode_rules_render": t_prep * per,
        "tokenize": t_tok * per,
        "tokenize_and_forward": t_all * per,
    }


if __name__ == "__main__":
    main()
