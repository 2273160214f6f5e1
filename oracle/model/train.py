"""Fine-tune a sequence classifier on rendered transactions.

One linear pipeline: seed -> data -> model -> train (AdamW, warmup, early stopping
on validation macro-F1) -> save checkpoint. `oracle.model.training_run` adds the
baseline, test metrics, plots and the model card on top.
"""

from __future__ import annotations

import copy
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from sklearn.metrics import f1_score
from tqdm.auto import tqdm

from oracle.model.features import ModelExamples


@dataclass
class TrainConfig:
    epochs: int = 3  # upper bound; early stopping usually ends sooner
    batch_size: int = 32
    lr: float = 8e-5  # MiniLM full fine-tuning on a few thousand examples; tiny model: 2e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    max_length: int = 128  # rendered texts are ~30-60 tokens; method and memo come first
    eval_every: int = 0  # steps between validation passes; 0 = twice per epoch
    patience: int = 3  # validation passes without macro-F1 improvement before stopping
    freeze_word_embeddings: bool = (
        True  # keeps pre-trained token meaning for unseen words, and is faster
    )
    label_smoothing: float = 0.0  # cross-entropy target smoothing (--label-smoothing)
    # Blend the TF-IDF char+word n-gram model into the verdict (fused.py), weight fitted on
    # validation; and fit a temperature on validation so confidence means something.
    fused: bool = True
    calibrate: bool = True
    lora: bool = False
    lora_r: int = 16
    lora_alpha: int = 32
    seed: int = 0
    device: str | None = None
    progress: bool = True


@dataclass
class TrainResult:
    best_val_macro_f1: float
    best_step: int
    steps: int
    seconds: float
    trainable_params: int
    total_params: int
    curve: list[dict[str, float]] = field(default_factory=list)  # step, train_loss, val_macro_f1


def set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def length_bucketed_batches(
    lengths: Sequence[int], batch_size: int, rng: random.Random, bucket_batches: int = 50
) -> list[list[int]]:
    """Shuffle, then sort inside windows of `bucket_batches` batches: little padding, random."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * bucket_batches
    batches: list[list[int]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches.extend(chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _collate(
    encoded: list[list[int]], rows: list[int], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(encoded[i]) for i in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        ids[r, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, : len(encoded[i])] = 1
    return ids, mask


@torch.no_grad()
def predict_texts(
    model: Any, encoded: list[list[int]], pad_id: int, device: torch.device, batch_size: int = 128
) -> np.ndarray:
    model.eval()
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    preds = np.zeros(len(encoded), dtype=np.int64)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        ids, mask = _collate(encoded, rows, pad_id)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
        preds[rows] = logits.float().argmax(-1).cpu().numpy()
    return preds


def macro_f1(y_true: Sequence[int] | np.ndarray, y_pred: Sequence[int] | np.ndarray) -> float:
    return float(f1_score(y_true, y_pred, average="macro"))


def train_classifier(
    model: Any,
    tokenizer: Any,
    train: ModelExamples,
    val: ModelExamples,
    config: TrainConfig,
    log: Callable[[str], None] = print,
) -> tuple[Any, TrainResult]:
    """Train in place and return the best-on-validation model (LoRA merged back in)."""
    set_seed(config.seed)
    device = torch.device(config.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if config.freeze_word_embeddings and not config.lora:
        model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)
    if config.lora:
        model = _wrap_lora(model, config)
    model.to(device)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    log(f"trainable parameters: {trainable:,} of {total:,} ({100 * trainable / total:.2f}%)")

    enc = lambda texts: tokenizer(texts, truncation=True, max_length=config.max_length)["input_ids"]  # noqa: E731
    train_ids, val_ids = enc(train.texts), enc(val.texts)
    pad_id = int(tokenizer.pad_token_id or 0)
    rng = random.Random(config.seed)
    steps_per_epoch = math.ceil(len(train_ids) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    eval_every = config.eval_every or max(1, steps_per_epoch // 2)

    from transformers import get_linear_schedule_with_warmup

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    scheduler = get_linear_schedule_with_warmup(
        optimizer, int(config.warmup_ratio * total_steps), total_steps
    )
    labels = torch.tensor(train.labels, dtype=torch.long)

    best_f1, best_step, best_state, stale = -1.0, 0, None, 0
    curve: list[dict[str, float]] = []
    step, running = 0, 0.0
    started = time.perf_counter()
    bar = tqdm(
        total=total_steps,
        desc="train",
        unit="step",
        disable=not config.progress,
        dynamic_ncols=True,
    )
    stop = False
    for _epoch in range(config.epochs):
        for rows in length_bucketed_batches([len(x) for x in train_ids], config.batch_size, rng):
            model.train()
            ids, mask = _collate(train_ids, rows, pad_id)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
            loss = torch.nn.functional.cross_entropy(
                logits.float(), labels[rows].to(device), label_smoothing=config.label_smoothing
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            running = 0.9 * running + 0.1 * loss.item() if step > 1 else loss.item()
            bar.update(1)
            bar.set_postfix(loss=f"{running:.4f}", best_f1=f"{max(best_f1, 0):.4f}")
            if step % eval_every == 0 or step == total_steps:
                f1 = macro_f1(val.labels, predict_texts(model, val_ids, pad_id, device))
                curve.append({"step": step, "train_loss": running, "val_macro_f1": f1})
                if f1 > best_f1:
                    best_f1, best_step, stale = f1, step, 0
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                else:
                    stale += 1
                if stale >= config.patience or f1 >= 1.0:
                    stop = True  # no room left to improve, or no improvement for a while
                    break
        if stop:
            break
    bar.close()
    if best_state is not None:
        model.load_state_dict(best_state)
    if config.lora:
        model = model.merge_and_unload()
    model.to("cpu").eval()
    result = TrainResult(
        best_f1, best_step, step, time.perf_counter() - started, trainable, total, curve
    )
    log(
        f"best validation macro-F1 {best_f1:.4f} at step {best_step}/{step} ({result.seconds:.0f}s)"
    )
    return model, result


def _wrap_lora(model: Any, config: TrainConfig) -> Any:
    from peft import LoraConfig, TaskType, get_peft_model

    lora = LoraConfig(
        task_type=TaskType.SEQ_CLS,
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=0.1,
        target_modules=["query", "key", "value", "dense"],
    )
    return get_peft_model(model, lora)


def config_dict(config: TrainConfig) -> dict[str, Any]:
    return copy.deepcopy(asdict(config))
