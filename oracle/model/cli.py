"""Sub-commands of `oracle` for the model area: train, eval, classify, generate-data, heldout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

DEFAULT_MODEL = Path("models/default")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the top-level app."""
    app.command("train")(train)
    app.command("fuse")(fuse)
    app.command("eval")(evaluate)
    app.command("classify")(classify)
    app.command("generate-data")(generate_data)
    app.command("heldout")(heldout)


def train(
    out: Annotated[Path, typer.Option(help="checkpoint folder to write")] = DEFAULT_MODEL,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="folder with train/validation/test.jsonl (default: generate)"),
    ] = None,
    records: Annotated[int, typer.Option(help="generated corpus size")] = 5000,
    epochs: Annotated[int, typer.Option(help="maximum epochs (early stopping)")] = 3,
    batch_size: Annotated[int, typer.Option()] = 32,
    lr: Annotated[float | None, typer.Option(help="default 8e-5 full, 5e-4 with --lora")] = None,
    max_length: Annotated[int, typer.Option(help="token budget of the rendered text")] = 128,
    lora: Annotated[
        bool, typer.Option("--lora", help="parameter-efficient fine-tuning (peft)")
    ] = False,
    label_smoothing: Annotated[
        float, typer.Option(help="cross-entropy label smoothing, 0 to <1")
    ] = 0.0,
    unfreeze_embeddings: Annotated[
        bool,
        typer.Option("--unfreeze-embeddings", help="also train the word embeddings"),
    ] = False,
    fused: Annotated[
        bool,
        typer.Option(help="blend the TF-IDF char+word n-gram model in (weight fit on validation)"),
    ] = True,
    calibrate: Annotated[
        bool, typer.Option(help="fit a temperature on validation (ECE in the card)")
    ] = True,
    seed: Annotated[int, typer.Option()] = 0,
    device: Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1 (default: auto)")] = None,
    sanctions: Annotated[
        Path | None, typer.Option(help="sanctions list (default: shipped sample)")
    ] = None,
) -> None:
    """Fine-tune MiniLM (plus the TF-IDF baseline) and write a checkpoint folder with its card."""
    if not 0.0 <= label_smoothing < 1.0:
        raise typer.BadParameter(f"--label-smoothing must be in [0, 1), got {label_smoothing}")
    from oracle.model.train import TrainConfig
    from oracle.model.training_run import RunConfig, run_training

    config = TrainConfig(
        epochs=epochs,
        batch_size=batch_size,
        lr=lr if lr is not None else (5e-4 if lora else 8e-5),
        max_length=max_length,
        lora=lora,
        label_smoothing=label_smoothing,
        freeze_word_embeddings=not unfreeze_embeddings,
        fused=fused,
        calibrate=calibrate,
        seed=seed,
        device=device,
    )
    run_training(RunConfig(out, data_dir, records, sanctions, config), log=typer.echo)


def fuse(
    model: Annotated[Path, typer.Option(help="checkpoint folder (with baseline.joblib)")] = (
        DEFAULT_MODEL
    ),
    data: Annotated[
        Path | None, typer.Option(help="validation JSONL (default: MODEL/data/validation.jsonl)")
    ] = None,
    fused: Annotated[bool, typer.Option(help="fit the TF-IDF weight")] = True,
    calibrate: Annotated[bool, typer.Option(help="fit the temperature")] = True,
    device: Annotated[str | None, typer.Option()] = None,
) -> None:
    """(Re)fit a checkpoint's scoring.json on its generator-disjoint validation split."""
    from oracle.model.dataset import load_dataset
    from oracle.model.features import model_examples
    from oracle.model.fused import fit_checkpoint_scoring
    from oracle.model.rules import SanctionsList, sample_sanctions_path

    sanctions = [SanctionsList.from_file(sample_sanctions_path())]
    val = model_examples(
        load_dataset(data or model / "data" / "validation.jsonl"), chain_id=1, sanctions=sanctions
    )
    report = fit_checkpoint_scoring(
        model, val.texts, val.labels, fuse=fused, calibrate=calibrate, device=device
    )
    typer.echo(json.dumps(report, indent=2))


def evaluate(
    out: Annotated[Path, typer.Option(help="metrics JSON to write (PNG beside it)")],
    data: Annotated[
        Path | None, typer.Option(help="JSONL or CSV dataset (docs/labels.md format)")
    ] = None,
    suite: Annotated[
        bool,
        typer.Option(
            "--suite",
            help="own test, generator-disjoint validation, outside set (+ obfuscated, "
            "multilingual) and held-out paraphrases; eval-<set>.json beside --out",
        ),
    ] = False,
    model: Annotated[Path, typer.Option(help="checkpoint folder")] = DEFAULT_MODEL,
    sanctions: Annotated[
        Path | None, typer.Option(help="sanctions list (default: shipped sample)")
    ] = None,
    chain_id: Annotated[int, typer.Option(help="the oracle's chain id (malformed rule)")] = 1,
    device: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Run the full verdict pipeline (and the baseline) on a dataset and write metrics."""
    from oracle.model.dataset import DatasetError
    from oracle.model.evaluate import evaluate_file, evaluate_suite, suite_table
    from oracle.model.pipeline import VerdictPipeline

    if (data is None) == (not suite):
        typer.echo("error: pass exactly one of --data FILE or --suite", err=True)
        raise typer.Exit(2)
    try:
        pipeline = VerdictPipeline.load(
            model, sanctions_file=sanctions, chain_id=chain_id, device=device
        )
        if data is None:
            summary = evaluate_suite(model, out, pipeline)
            typer.echo(suite_table(summary))
            typer.echo(f"-> {out}")
            return
        metrics = evaluate_file(data, model, out, pipeline)
    except (DatasetError, FileNotFoundError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    line = (
        f"model macro-F1 {metrics['macro_f1']:.4f} accuracy {metrics['accuracy']:.4f} "
        f"ECE {metrics['ece']:.3f}"
    )
    if "baseline" in metrics:
        line += f" | baseline macro-F1 {metrics['baseline']['macro_f1']:.4f}"
    typer.echo(f"{line} ({metrics['n']} records) -> {out}")


def classify(
    input: Annotated[
        Path,
        typer.Argument(
            help="JSONL/CSV records, or a text file of payload hex (one per line); - for stdin"
        ),
    ],
    model: Annotated[Path, typer.Option(help="checkpoint folder")] = DEFAULT_MODEL,
    out: Annotated[Path | None, typer.Option(help="JSONL output (default: stdout)")] = None,
    sanctions: Annotated[Path | None, typer.Option()] = None,
    chain_id: Annotated[int, typer.Option()] = 1,
    device: Annotated[str | None, typer.Option()] = None,
    quantize: Annotated[bool, typer.Option("--int8", help="CPU dynamic int8 quantization")] = False,
) -> None:
    """Write one verdict per record: JSONL of verdict, label, confidence, model_hash, reason."""
    from oracle.model.dataset import DatasetError, load_dataset
    from oracle.model.pipeline import VerdictPipeline

    text = sys.stdin.read() if str(input) == "-" else None
    pipeline = VerdictPipeline.load(
        model, sanctions_file=sanctions, chain_id=chain_id, device=device, quantize_int8=quantize
    )
    try:
        if text is not None or input.suffix.lower() not in (".jsonl", ".json", ".csv"):
            lines = (text if text is not None else input.read_text()).split()
            payloads = [_hex_payload(i + 1, line) for i, line in enumerate(lines)]
            results = pipeline.judge_payloads(payloads)
        else:
            results = pipeline.judge_requests([r.tx for r in load_dataset(input)])
    except (DatasetError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    rows = [
        json.dumps(
            {
                "verdict": int(r.verdict),
                "label": r.verdict.label,
                "confidence": round(r.confidence, 6),
                "model_hash": r.model_hash,
                "reason": r.reason,
            }
        )
        for r in results
    ]
    output = "\n".join(rows) + ("\n" if rows else "")
    if out is None:
        typer.echo(output, nl=False)
    else:
        out.write_text(output)


def _hex_payload(lineno: int, line: str) -> bytes:
    body = line.strip()
    body = body[2:] if body[:2].lower() == "0x" else body
    try:
        return bytes.fromhex(body)
    except ValueError:
        raise ValueError(f"line {lineno}: not a hex payload ({line[:24]!r}...)") from None


def generate_data(
    out_dir: Annotated[Path, typer.Option(help="folder for train/validation/test.jsonl")] = Path(
        "data/generated"
    ),
    records: Annotated[int, typer.Option()] = 5000,
    seed: Annotated[int, typer.Option()] = 0,
    chain_id: Annotated[
        int,
        typer.Option(
            help="chain id the records name; submit them to an oracle on this chain "
            "(on any other they are all judged malformed)"
        ),
    ] = 1,
) -> None:
    """Write a seeded, labelled corpus (docs/labels.md JSONL) split 80/10/10."""
    from oracle.model.generate import write_splits

    for name, path in write_splits(out_dir, records, seed, chain_id=chain_id).items():
        typer.echo(f"{name}: {path}")


def heldout(
    out: Annotated[
        Path | None, typer.Option(help="default: oracle/data/heldout_paraphrase.jsonl")
    ] = None,
) -> None:
    """Regenerate the held-out paraphrase + obfuscation evaluation set."""
    from oracle.model.heldout import HELDOUT_PATH, write_heldout

    typer.echo(str(write_heldout(out or HELDOUT_PATH)))
